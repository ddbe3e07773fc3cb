"""Options of one solve: one typed object instead of many arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """A progress sink that says nothing."""


STAGE_SHARES: tuple[tuple[str, float], ...] = (("unmet", 1.25), ("timeliness", 2.0),
                                               ("cost", 0.5), ("travel", 1.0))
"""The weights of a MIP's stages in the solve's time budget, by measurement.

The timeliness stage needs HiGHS's root node done before its search finds
anything (12 s of root work on the example with
:data:`~planner.solve.engine.MIP_SEARCH`, its better plans found after 13-19 s),
the cost stage gets most of its plan from the polishing LP, and the headline
``unmet`` stage keeps the 13 s that prove it within 0.02 %; travel needs the root
LP's bound (at N = 10, 42 s left it without one).  On the example, with
MIP_SEARCH, timeliness went 121,484 -> 120,806 weighted people-years (gap
0.85 -> 0.27 %), travel's gap 1.22 -> 0.93 %, cost within 0.1 %; with equal
shares 121,461, and with the shares alone (default search) 121,484.  At N = 3
and 10 see ``bench/results.md``.
"""


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
    stage_shares: tuple[tuple[str, float], ...] = STAGE_SHARES
    """How a MIP's budget is shared among the stages still to solve (a stage not named
    weighs 1); ``()`` shares it equally."""
    threads: int | None = None
    lp_relaxation: bool = False
    """Solve the LP relaxation whatever Settings says (``planner solve --lp``)."""
    highs_options: tuple[tuple[str, object], ...] = ()
    """Extra HiGHS options as (name, value), e.g. (("mip_max_nodes", 10),)."""
