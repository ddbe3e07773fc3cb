"""Where the runs of a sweep execute: in-process, local processes, or a Dask cluster.

One code path for all three: each engine is a
:class:`concurrent.futures.Executor` (a :class:`SerialExecutor` that runs
the call at once in this process, a spawn-based
:class:`~concurrent.futures.ProcessPoolExecutor`, or the executor of a
``dask.distributed.Client`` from ``client.get_executor()``), and
:func:`run_tasks` submits :func:`~planner.scenarios.runs.solve_task`
calls to it and gathers the summaries as they complete.

Failures of the engine itself (the task function handles every failure
of a run) mark that run failed and the others go on:

- a worker process that dies (killed, out of memory) breaks a local pool:
  every task in flight fails with ``BrokenProcessPool`` and nobody knows
  which one was the culprit.  The pool is replaced, and the tasks that
  were in flight are run again one at a time: an innocent one now
  completes, the culprit breaks the pool alone and is marked failed.
- a Dask worker that dies has its task retried elsewhere by the scheduler;
  after too many deaths (``KilledWorker``) or a lost future, the run is
  marked failed.

Local pools start their processes with ``spawn`` on every platform: no
process inherits a forked copy of the parent's solver or thread state,
and what works on Linux works on Windows and macOS.  Each process keeps
at most ``workers`` tasks in flight, so a "started" line is true.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections import deque
from concurrent.futures import (FIRST_COMPLETED, BrokenExecutor, Executor, Future,
                                ProcessPoolExecutor, wait)
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from planner.comparison.summary import RunSummary
from planner.config import Progress, quiet
from planner.errors import InputError
from planner.interrupt import INTERRUPT, Interrupted
from planner.scenarios.runs import BASE, SCENARIO, ScenarioTask, interrupted_summary, solve_task
from planner.status import Status

Worker = Callable[[ScenarioTask], RunSummary]

SERIAL, PROCESSES, DASK = "serial", "processes", "dask"
DASK_CONNECT_TIMEOUT = "15s"


@dataclass(frozen=True)
class Engine:
    """How to execute the runs: ``serial``, ``processes`` (``workers`` of them) or ``dask``."""

    kind: str = SERIAL
    workers: int = 1
    scheduler: str | None = None
    """The Dask scheduler's address (``tcp://host:8786``), for ``dask``."""

    @classmethod
    def serial(cls) -> "Engine":
        return cls(SERIAL)

    @classmethod
    def processes(cls, workers: int) -> "Engine":
        if workers < 1:
            raise InputError(f"--workers must be 1 or more, not {workers}")
        return cls(PROCESSES, workers=workers)

    @classmethod
    def dask(cls, scheduler: str) -> "Engine":
        return cls(DASK, scheduler=scheduler)

    def describe(self) -> str:
        if self.kind == PROCESSES:
            return f"{self.workers} local process{'es' if self.workers > 1 else ''}"
        if self.kind == DASK:
            return f"the Dask cluster at {self.scheduler}"
        return "this process, one run after the other"


class SerialExecutor(Executor):
    """Runs each call at once, in the caller's thread: the serial engine.

    The future is complete when :meth:`submit` returns, so serial and
    parallel runs share one loop (:func:`run_tasks`).
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # the loop turns it into a failed run
            future.set_exception(exc)
        return future


@contextlib.contextmanager
def open_executor(engine: Engine) -> Iterator[tuple[Executor, int | None]]:
    """The engine's executor and how many tasks to keep in flight (None: all)."""
    if engine.kind == SERIAL:
        yield SerialExecutor(), 1
    elif engine.kind == PROCESSES:
        pool = ProcessPoolExecutor(max_workers=engine.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_ignore_ctrl_c_between_runs)
        try:
            yield pool, engine.workers
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    elif engine.kind == DASK:
        client = dask_client(str(engine.scheduler))
        try:
            # pure=False: two runs with equal arguments are two runs, never one cached result
            yield client.get_executor(pure=False), None
        finally:
            client.close()
    else:
        raise ValueError(f"unknown engine {engine.kind!r}")


def _ignore_ctrl_c_between_runs() -> None:
    """A worker process waits for runs with Ctrl-C ignored; during a run it has the
    planner's own handler (:func:`~planner.scenarios.runs.solve_task`): the run stops and
    returns its plan, instead of the pool breaking."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def dask_client(address: str) -> Any:
    """A ``dask.distributed.Client`` connected to ``address``, or an :class:`InputError`."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--dask-scheduler needs Dask's distributed package, which is not installed",
            advice="Install the planner's extra with `pip install 'planner[distributed]'` "
                   "(or `pip install distributed`) and run again; or solve the scenarios in "
                   "local processes with --workers N.") from None
    try:
        return Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # connection refused, timeout, bad address: one message
        raise InputError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc})",
            advice="Check the address (e.g. tcp://10.0.0.5:8786) and that the scheduler is "
                   "running (`dask scheduler` on that machine, with `dask worker ADDRESS` on "
                   "each worker machine); or use --workers N for local processes.") from None


def run_tasks(tasks: Sequence[ScenarioTask], engine: Engine = Engine(), *,
              progress: Progress = quiet, worker: Worker = solve_task) -> list[RunSummary]:
    """Run every task on ``engine``; one summary per task, in the order of ``tasks``.

    ``progress`` gets a line when a run starts (or is sent to the cluster)
    and when it ends, with its status and time.  ``worker`` is the task
    function (tests pass one that misbehaves); it must be importable by
    name, as a spawned process or a Dask worker imports it.
    """
    results: dict[int, RunSummary] = {}
    queue: deque[int] = deque(range(len(tasks)))
    suspects: deque[int] = deque()
    while queue or suspects:
        with open_executor(engine) as (executor, slots):
            _drive(executor, slots, engine, tasks, queue, suspects, results, progress, worker)
    return [results[i] for i in range(len(tasks))]


def _drive(executor: Executor, slots: int | None, engine: Engine,
           tasks: Sequence[ScenarioTask], queue: deque[int], suspects: deque[int],
           results: dict[int, RunSummary], progress: Progress, worker: Worker) -> None:
    """Run tasks until none is left, or until the pool breaks (then return for a new one)."""
    running: dict[Future, int] = {}
    sent = "sent to the cluster" if engine.kind == DASK else "started"
    while queue or suspects or running:
        if INTERRUPT.is_requested:  # Ctrl-C: runs in flight stop and return; none starts
            for i in (*queue, *suspects):
                _record(results, i, interrupted_summary(
                    tasks[i], "not run: Ctrl-C stopped the sweep"), progress)
            queue.clear()
            suspects.clear()
            if engine.kind == DASK:  # remote workers get no signal: stop waiting for them
                for future, i in running.items():
                    future.cancel()
                    _record(results, i, interrupted_summary(
                        tasks[i], "stopped: Ctrl-C cancelled it on the cluster"), progress)
                return
            if not running:
                return
        if not running and suspects:
            i = suspects.popleft()  # alone: if the pool breaks now, this run broke it
            progress(f"{tasks[i].label}: {sent} again, alone (a worker process died while "
                     "it was running)")
            running[executor.submit(worker, tasks[i])] = i
        elif not suspects:
            while queue and (slots is None or len(running) < slots):
                i = queue.popleft()
                progress(f"{tasks[i].label}: {sent}")
                running[executor.submit(worker, tasks[i])] = i
        alone = len(running) == 1
        try:
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
        except Interrupted:  # in this process: the workers got it too, and stop
            continue
        broken = False
        for future in done:
            i = running.pop(future)
            try:
                summary = future.result()
            except BrokenExecutor as exc:
                broken = True
                if INTERRUPT.is_requested:  # the pool broke while stopping: no retry
                    _record(results, i, interrupted_summary(
                        tasks[i], "stopped by Ctrl-C before it could return its plan"),
                        progress)
                elif alone:
                    _record(results, i, lost(tasks[i], exc), progress)
                else:
                    suspects.append(i)
            except Exception as exc:  # KilledWorker, a lost or cancelled future, pickling
                _record(results, i, lost(tasks[i], exc), progress)
            else:
                _record(results, i, summary, progress)
        if broken:
            for future, i in running.items():
                if future.done() and future.exception() is None:
                    _record(results, i, future.result(), progress)
                else:
                    suspects.append(i)
            return


def lost(task: ScenarioTask, exc: BaseException) -> RunSummary:
    """The summary of a run whose worker was lost (it never returned one)."""
    what = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:300]
    return RunSummary(
        name=task.label, role=BASE if task.scenario is None else SCENARIO,
        status=Status.INTERNAL.value, exit_code=Status.INTERNAL.exit_code,
        message=(f"the worker running {task.label!r} was lost ({what}): the process was "
                 "killed, crashed or ran out of memory. Solve it alone with `planner solve "
                 f"INPUT --scenario {task.label}` to see what happens, or give the workers "
                 "more memory."),
        metrics={"scenario": task.label, "status": Status.INTERNAL.value})


def _record(results: dict[int, RunSummary], i: int, summary: RunSummary,
            progress: Progress) -> None:
    results[i] = summary
    progress(done_line(summary))


def done_line(summary: RunSummary) -> str:
    """``more_trainers: optimal in 3.2 s, unmet 812 people, coverage 66.6 %``."""
    label = summary.name if summary.role != BASE else f"base ({summary.name})"
    if summary.solved:
        unmet, coverage = summary.metric("unmet_people"), summary.metric("coverage_percent")
        figures = ""
        if unmet is not None and coverage is not None:
            figures = f", unmet {unmet:,.0f} people, coverage {coverage:.1f} %"
        return f"{label}: {summary.status} in {summary.seconds:.1f} s{figures}"
    return f"{label}: {summary.status.upper()} after {summary.seconds:.1f} s: {summary.brief()}"
