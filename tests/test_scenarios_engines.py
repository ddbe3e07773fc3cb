"""The engines' own failures: a worker process that dies, a task that raises, the order kept.

The task functions of :mod:`tests.scenario_workers` stand in for the
solve, so these tests time the engine, not HiGHS.
"""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from planner.status import Status

INTERNAL = Status.INTERNAL.value
from planner.scenarios.engines import Engine, SerialExecutor, done_line, run_tasks
from planner.scenarios.runs import ScenarioTask
from tests import scenario_workers
from tests.scenario_workers import DIES


def tasks(*names: str | None) -> list[ScenarioTask]:
    return [ScenarioTask("in.xlsx", name, "out") for name in names]


def test_a_killed_worker_process_fails_its_run_only_and_the_rest_go_on() -> None:
    lines: list[str] = []
    # DIES and "a" start together; "a" is still running when DIES's process ends
    todo = tasks(DIES, "a", None, "b")
    runs = run_tasks(todo, Engine.processes(2), progress=lines.append,
                     worker=scenario_workers.dying)
    assert [r.name for r in runs] == [DIES, "a", "base", "b"]  # the order of the tasks
    assert [r.status for r in runs] == [INTERNAL, "optimal", "optimal", "optimal"]
    dead = runs[0]
    assert dead.exit_code == 1 and "was lost" in dead.message
    assert "BrokenProcessPool" in dead.message and f"--scenario {DIES}" in dead.message
    assert any(line.startswith(f"{DIES}: started again, alone") for line in lines)
    assert sum(line.startswith(f"{DIES}: INTERNAL ERROR") for line in lines) == 1


def test_a_task_that_raises_is_a_failed_run_in_the_serial_engine() -> None:
    lines: list[str] = []
    runs = run_tasks(tasks(None, DIES, "a"), progress=lines.append,
                     worker=scenario_workers.raising)
    assert [r.status for r in runs] == ["optimal", INTERNAL, "optimal"]
    assert "MemoryError: cannot allocate" in runs[1].message
    assert lines == ["base: started", done_line(runs[0]), f"{DIES}: started",
                     done_line(runs[1]), "a: started", done_line(runs[2])]


def test_the_dask_engine_runs_every_task_and_keeps_their_order() -> None:
    # an in-process cluster: the engine's Dask path in a second; the real solve on worker
    # processes is test_scenarios_sweep's Dask test (slow)
    distributed = pytest.importorskip("distributed")
    lines: list[str] = []
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        runs = run_tasks(tasks(None, "a", "b"), Engine.dask(cluster.scheduler_address),
                         progress=lines.append, worker=scenario_workers.quick)
    assert [r.name for r in runs] == ["base", "a", "b"]
    assert [r.status for r in runs] == ["optimal"] * 3
    assert lines[:3] == [f"{n}: sent to the cluster" for n in ("base", "a", "b")]
    assert sorted(lines[3:]) == sorted(done_line(r) for r in runs)


def test_the_serial_executor_returns_completed_futures() -> None:
    future: Future = SerialExecutor().submit(divmod, 7, 2)
    assert future.done() and future.result() == (3, 1)
    failed = SerialExecutor().submit(divmod, 1, 0)
    assert isinstance(failed.exception(), ZeroDivisionError)


def test_engines_describe_themselves() -> None:
    assert Engine.processes(1).describe() == "1 local process"
    assert Engine.processes(3).describe() == "3 local processes"
    assert "tcp://h:1" in Engine.dask("tcp://h:1").describe()
