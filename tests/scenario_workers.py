"""Task functions that misbehave, for the engine tests (importable by spawned processes).

They stand in for :func:`planner.scenarios.runs.solve_task`: no solve,
just a summary, so the tests measure the engine's handling of a worker
that dies or raises, not the solver.
"""

from __future__ import annotations

import os
import time

from planner.comparison.summary import RunSummary
from planner.scenarios.runs import ScenarioTask

DIES = "dies"


def quick(task: ScenarioTask) -> RunSummary:
    time.sleep(0.3)
    return RunSummary(name=task.label, role="scenario", status="optimal",
                      metrics={"scenario": task.label, "status": "optimal",
                               "unmet_people": 1.0, "coverage_percent": 50.0})


def dying(task: ScenarioTask) -> RunSummary:
    """The process running scenario ``dies`` ends abruptly (as if killed or out of memory)."""
    if task.scenario == DIES:
        time.sleep(0.1)  # another run is in flight with it: the pool cannot tell who died
        os._exit(70)
    return quick(task)


def raising(task: ScenarioTask) -> RunSummary:
    if task.scenario == DIES:
        raise MemoryError("cannot allocate")
    return quick(task)
