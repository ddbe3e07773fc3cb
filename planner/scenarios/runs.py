"""One run of a sweep (the base or one scenario) as a task any worker can take.

A worker receives a :class:`ScenarioTask` (paths, a scenario name, the
solve options: a few hundred bytes), reads and validates the input
itself, applies the scenario's edits, solves, writes its own result
workbook, and returns a :class:`~planner.comparison.summary.RunSummary`.
Nothing large crosses the process or network boundary, and the same
function runs in-process, in a local process pool and on a Dask worker.

:func:`solve_task` never raises for a problem of the input, the model or
the solver: the failure becomes the run's status (``invalid``,
``infeasible``, ``no solution``, ``not written``, ``internal error``),
exit code and message, so one bad scenario never stops the others.

Within one process the base input is read once (keyed by path, size and
modification time), so a serial sweep or a pool worker that takes
several scenarios does not re-read the workbook for each.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from planner.comparison.summary import RunSummary, plain_metrics, unmet_table
from planner.config import SolveOptions, quiet
from planner.data.tables import PlanningData
from planner.errors import Issue, PlannerError
from planner.interrupt import INTERRUPT, Interrupted
from planner.pipeline import Clock, ExplainOptions, read_input, solve_data
from planner.report.sheets import names
from planner.scenarios.edits import apply_scenario
from planner.status import Status
from planner.xlsx import output_path

BASE = "base"
SCENARIO = "scenario"


@dataclass(frozen=True)
class ScenarioTask:
    """What a worker needs to solve one run: small and picklable."""

    input_path: str
    scenario: str | None
    """The scenario's name; ``None`` solves the base as the workbook gives it."""
    output_dir: str
    options: SolveOptions = SolveOptions()
    explain: ExplainOptions = ExplainOptions()
    detail: bool = False
    """Print the solve's own progress lines (reading, stages, writing) on stderr."""

    @property
    def label(self) -> str:
        return self.scenario if self.scenario is not None else BASE


def read_base(input_path: str | Path) -> tuple[PlanningData, list[Issue]]:
    """The validated base data and its pre-solve conflicts, read once per process.

    Raises :class:`~planner.errors.InputError` (exit 2) for an invalid
    workbook.  Callers must not modify the returned data (copy it).
    """
    path = Path(input_path)
    try:
        stat = path.stat()
        stamp = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = (str(path), -1, -1)  # the reader says what is wrong with the path
    return _read_cached(str(input_path), stamp)


@functools.lru_cache(maxsize=2)
def _read_cached(input_path: str, stamp: tuple[str, int, int]) -> tuple[PlanningData,
                                                                         list[Issue]]:
    return read_input(input_path, Clock(quiet))


def solve_task(task: ScenarioTask) -> RunSummary:
    """Read, edit, solve and write one run; its summary, whatever happened."""
    started = time.perf_counter()
    role = BASE if task.scenario is None else SCENARIO
    clock = Clock(_printer(task.label) if task.detail else quiet, started)
    name = task.scenario or BASE
    try:
        with INTERRUPT.handling():  # a worker process's own Ctrl-C (in-process: already on)
            return _solve_task(task, started, role, clock, name)
    except Interrupted as stop:
        return interrupted_summary(task, str(stop) or "interrupted by Ctrl-C",
                                   time.perf_counter() - started)


def interrupted_summary(task: ScenarioTask, why: str, seconds: float = 0.0) -> RunSummary:
    """A run that Ctrl-C stopped before it had a plan, or that never started."""
    name = task.label
    return RunSummary(name=name, role=BASE if task.scenario is None else SCENARIO,
                      status=Status.INTERRUPTED.value, exit_code=Status.INTERRUPTED.exit_code,
                      message=f"{why}; no plan was written for this run",
                      metrics={"scenario": name, "status": Status.INTERRUPTED.value},
                      seconds=seconds, interrupted=True)


def _solve_task(task: ScenarioTask, started: float, role: str, clock: Clock,
                name: str) -> RunSummary:
    edits = None
    target: Path | None = None
    try:
        base, conflicts = read_base(task.input_path)
        if task.scenario is None:
            data, name = base.copy(), base.settings.scenario_name
            warnings: list[str] = []
        else:
            edited = apply_scenario(base, task.scenario)
            data, edits, conflicts = edited.data, edited.log, edited.presolve_conflicts
            warnings = [str(w) for w in edited.warnings]
        target = output_path(task.output_dir, task.input_path, data.settings.scenario_name)
        outcome = solve_data(data, task.input_path, target, presolve_conflicts=conflicts,
                             options=task.options, explain=task.explain, clock=clock,
                             edits=edits)
        results = outcome.results
        assert results is not None  # solve_data raises rather than return without a plan
        return RunSummary(
            name=name, role=role, status=outcome.status, exit_code=0,
            message="\n".join(outcome.warnings), output=str(outcome.output),
            metrics=plain_metrics(outcome.metrics()),
            unmet=unmet_table(results.unmet, names(data.territories, "territory_id"),
                              names(data.families, "family_id")),
            edits=edits, seconds=time.perf_counter() - started,
            warnings=warnings + list(outcome.warnings), interrupted=outcome.interrupted)
    except PlannerError as exc:  # the error's own status: invalid, infeasible, no solution ...
        status = exc.status.value
        edits = getattr(exc, "log", edits)
        written = target is not None and exc.status is Status.INFEASIBLE and target.exists()
        return RunSummary(name=name, role=role, status=status, exit_code=exc.exit_code,
                          message=str(exc), output=str(target) if written else None,
                          metrics={"scenario": name, "status": status}, edits=edits,
                          seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug: the run fails, the sweep goes on, the report says so
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if os.environ.get("PLANNER_DEBUG"):
            traceback.print_exc()
        return RunSummary(name=name, role=role, status=Status.INTERNAL.value,
                          exit_code=Status.INTERNAL.exit_code,
                          message=f"internal error: {detail}\nThis is a bug in the planner, "
                                  "not in your workbook. Please report it with the input "
                                  "file; set PLANNER_DEBUG=1 to see the details.",
                          metrics={"scenario": name, "status": Status.INTERNAL.value},
                          edits=edits,
                          seconds=time.perf_counter() - started)


def _printer(label: str):  # noqa: ANN202 - a tiny closure
    def say(message: str) -> None:
        print(f"{label}: {message}", file=sys.stderr, flush=True)
    return say
