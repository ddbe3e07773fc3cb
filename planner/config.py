"""Options of one solve: one typed object instead of many arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """A progress sink that says nothing."""


@dataclass(frozen=True)
class SolveOptions:
    """How to solve; ``None`` fields take the workbook's Settings.

    ``lp_method``: HiGHS's algorithm for LPs and the root of MIPs
    (``ipm``, ``simplex`` or ``choose``); see :mod:`planner.solve` for the
    measurement behind the default.  ``warm_start``: hand each stage the
    previous stage's plan as a starting solution.
    """

    time_limit_seconds: float | None = None
    mip_gap: float | None = None
    verbose: bool = False
    lp_method: str = "auto"
    warm_start: bool = True
    polish: bool = True
    """After each MIP stage, fix sessions and hires at the plan and re-solve the stage's
    LP over the learner flows (see :mod:`planner.solve.stages`)."""
    shared_budget: bool = True
    """One time budget for the whole solve (time_limit x stages): time a stage does not
    use goes to the later stages."""
    threads: int | None = None
    lp_relaxation: bool = False
    """Solve the LP relaxation whatever Settings says (``planner solve --lp``)."""
    highs_options: tuple[tuple[str, object], ...] = ()
    """Extra HiGHS options as (name, value), e.g. (("mip_max_nodes", 10),)."""
