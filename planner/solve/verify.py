"""A solver's word is not proof: every stage's answer checked against the compiled model.

SPEC 4.6.  After every stage the point HiGHS returned is checked against
the rows and bounds the planner compiled (not HiGHS's presolved copy), and
what HiGHS said about it against the point itself:

``rows``         every row (the model's and the earlier stages' bound rows)
                 within 1e-6, absolute, scaled by the row's size
                 ``max(1, |bound|, sum_j |a_ij x_j|)``
``bounds``       every column within its bounds, scaled the same way
``integrality``  every integer column within 1e-6 of a whole number
``objective``    the stage objective recomputed from the point agrees with
                 the one HiGHS reported
``bound``        the dual bound: HiGHS's for a MIP; for an LP one computed
                 here from HiGHS's row duals (a Lagrangian bound, valid for
                 any duals).  A stage called optimal must be within the gap
                 asked for; no bound may lie above the objective.

The point that is checked is the one the planner ships: integer columns
rounded to whole numbers.  A failed check names the row or column and the
figure, so that the ``Run`` sheet and the exit message can say what went
wrong.  The recomputed gap, not HiGHS's, is the one reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

from planner.solve.compiled import Compiled
from planner.solve.engine import FEASIBILITY, Answer, StageRow
from planner.solve.progress import MIP_ABSOLUTE_GAP, relative_gap
from planner.status import Status

OBJECTIVE = 1e-6
"""Agreement asked between the reported and the recomputed objective, relative."""
LP_GAP = 1e-6
"""Relative objective - bound allowed for an LP called optimal."""
GAP_SLACK = 1e-6
"""Relative gap HiGHS's own tolerances leave above the gap asked (seen: 4e-8 at mip_gap 0)."""
DUAL_ZERO = 1e-7
"""Reduced costs this small (relative) count as zero when the dual bound is computed."""


@dataclass(frozen=True)
class Check:
    """One check of one stage's answer, with its figure and the limit it is held to."""

    name: str
    passed: bool
    figure: float | None
    """The worst violation found (scaled), the objective difference, or the gap."""
    limit: float | None
    where: str = ""
    """The row or column of the worst figure, or what the figure means."""

    def describe(self) -> str:
        figure = "n/a" if self.figure is None else f"{self.figure:.3g}"
        limit = "" if self.limit is None else f" (limit {self.limit:.3g})"
        where = f": {self.where}" if self.where else ""
        return f"{self.name} {'ok' if self.passed else 'FAILED'}, {figure}{limit}{where}"


@dataclass(frozen=True)
class Verification:
    """The checks of one answer and the figures recomputed from its point."""

    checks: tuple[Check, ...]
    objective: float | None
    """The stage objective recomputed from the shipped point (offset included)."""
    bound: float | None
    """The dual bound (offset included); None when none is known."""
    gap: float | None
    """Relative gap recomputed from the point and the bound; None when no bound."""
    values: np.ndarray | None
    """The shipped point: integer columns rounded."""
    seconds: float

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def describe(self) -> str:
        return "; ".join(c.describe() for c in (self.failed or self.checks))


def verify(compiled: Compiled, stage_rows: Sequence[StageRow], costs: np.ndarray,
           offset: float, answer: Answer, *, integer: bool, gap_asked: float) -> Verification:
    """Check ``answer`` (a run with ``costs`` as objective) against the compiled model.

    ``integer``: integrality was enforced in the run; ``gap_asked``: the
    relative gap a MIP stage called optimal must be within.
    """
    start = time.perf_counter()
    if answer.values is None:
        raise ValueError("an answer without a point cannot be verified")
    raw = answer.values
    checks: list[Check] = []
    values = raw.copy()
    if integer and compiled.integer.any():
        ints = compiled.integer
        off = np.abs(raw[ints] - np.round(raw[ints]))
        worst = int(np.argmax(off)) if off.size else 0
        figure = float(off[worst]) if off.size else 0.0
        column = np.flatnonzero(ints)[worst] if off.size else None
        checks.append(Check("integrality", figure <= FEASIBILITY, figure, FEASIBILITY,
                            _column_name(compiled, column) if figure > 0 else ""))
        values[ints] = np.round(raw[ints]) + 0.0  # + 0.0: no -0.0 in reports
    A = _with_stage_rows(compiled, stage_rows)
    row_lower = np.concatenate([compiled.row_lower, np.full(len(stage_rows), -np.inf)])
    row_upper = np.concatenate([compiled.row_upper, [r.limit for r in stage_rows]])
    activity = A @ values
    size = abs(A) @ np.abs(values)
    checks.append(_within("rows", activity, row_lower, row_upper, size,
                          lambda i: _row_name(compiled, stage_rows, i)))
    checks.append(_within("bounds", values, compiled.col_lower, compiled.col_upper,
                          np.abs(values), lambda j: _column_name(compiled, j)))

    objective = float(costs @ values)
    scale = max(1.0, float(np.abs(costs) @ np.abs(values)))
    if answer.objective is not None:
        # rounding the integers moves the objective by at most sum |c_j| |x_j - round(x_j)|
        moved = float(np.abs(costs) @ np.abs(values - raw))
        difference = abs(answer.objective - objective)
        limit = OBJECTIVE * scale + moved
        checks.append(Check("objective", difference <= limit, difference, limit,
                            f"HiGHS reported {answer.objective + offset:.10g}, the point "
                            f"gives {objective + offset:.10g}"))

    bound = answer.bound if integer else _lagrangian_bound(
        A, row_lower, row_upper, compiled, costs, values, activity, answer.row_dual)
    gap = None if bound is None else relative_gap(objective, bound)
    checks.append(_bound_check(answer.status, objective, bound, gap, scale,
                               gap_asked if integer else LP_GAP))
    return Verification(
        checks=tuple(checks), objective=objective + offset,
        bound=None if bound is None else bound + offset, gap=gap, values=values,
        seconds=time.perf_counter() - start)


def _bound_check(status: Status, objective: float, bound: float | None, gap: float | None,
                 scale: float, gap_asked: float) -> Check:
    if bound is None or gap is None:
        # a plan stopped by a limit may have no bound yet; an optimum must have one
        return Check("bound", status is not Status.OPTIMAL, None, None,
                     "no dual bound: optimality is not proven")
    above = bound - objective
    if above > FEASIBILITY * scale + MIP_ABSOLUTE_GAP:
        return Check("bound", False, above, FEASIBILITY * scale,
                     f"the dual bound {bound:.10g} lies above the objective {objective:.10g}")
    if status is Status.OPTIMAL:
        return Check("bound", gap <= gap_asked + GAP_SLACK, gap, gap_asked + GAP_SLACK,
                     f"called optimal: objective {objective:.10g}, bound {bound:.10g}")
    return Check("bound", True, gap, None, "gap of a plan stopped by a limit")


def _within(name: str, value: np.ndarray, lower: np.ndarray, upper: np.ndarray,
            size: np.ndarray, label: object) -> Check:
    """The worst scaled violation of ``lower <= value <= upper``."""
    if value.size == 0:
        return Check(name, True, 0.0, FEASIBILITY)
    with np.errstate(invalid="ignore"):
        below = np.where(np.isfinite(lower), lower - value, 0.0)
        above = np.where(np.isfinite(upper), value - upper, 0.0)
    finite_lower = np.where(np.isfinite(lower), np.abs(lower), 0.0)
    finite_upper = np.where(np.isfinite(upper), np.abs(upper), 0.0)
    scale = np.maximum.reduce([np.ones_like(value), size, finite_lower, finite_upper])
    scaled = np.maximum(np.maximum(below, above), 0.0) / scale
    worst = int(np.argmax(scaled))
    figure = float(scaled[worst])
    return Check(name, figure <= FEASIBILITY, figure, FEASIBILITY,
                 label(worst) if figure > 0 else "")  # type: ignore[operator]


def _with_stage_rows(compiled: Compiled, stage_rows: Sequence[StageRow]) -> sparse.csr_matrix:
    if not stage_rows:
        return compiled.A.tocsr()
    extra = sparse.csr_matrix(np.vstack([r.costs for r in stage_rows]))
    return sparse.vstack([compiled.A.tocsr(), extra], format="csr")


def _lagrangian_bound(A: sparse.csr_matrix, row_lower: np.ndarray, row_upper: np.ndarray,
                      compiled: Compiled, costs: np.ndarray, values: np.ndarray,
                      activity: np.ndarray, row_dual: np.ndarray | None) -> float | None:
    """A lower bound on the LP's optimum from any row duals (weak duality).

    For duals y (projected so that y_i > 0 only on a finite lower side and
    y_i < 0 only on a finite upper side), every feasible x satisfies
    ``c x >= sum_i y_i b_i + min_{l <= x <= u} (c - A'y) x``.  A reduced cost
    of the wrong sign on an infinite bound would make the bound -inf; when
    it is within the dual tolerance it is taken at the point instead.
    """
    if row_dual is None or row_dual.shape[0] != A.shape[0]:
        return None
    y = np.where(np.isfinite(row_lower), np.maximum(row_dual, 0.0), 0.0) + \
        np.where(np.isfinite(row_upper), np.minimum(row_dual, 0.0), 0.0)
    rows = np.where(y > 0, row_lower, np.where(y < 0, row_upper, 0.0))
    total = float(y[y != 0] @ rows[y != 0])
    reduced = costs - A.T @ y
    size = np.maximum(1.0, np.abs(costs) + abs(A).T @ np.abs(y))
    tiny = np.abs(reduced) <= DUAL_ZERO * size
    lower, upper = compiled.col_lower, compiled.col_upper
    at = np.where(reduced > 0, lower, upper)
    if np.any(~tiny & ~np.isfinite(at)):
        return None  # the duals prove nothing: dual infeasible beyond tolerance
    total += float(reduced[tiny] @ values[tiny])
    total += float(reduced[~tiny] @ at[~tiny])
    return total if math.isfinite(total) else None


def _row_name(compiled: Compiled, stage_rows: Sequence[StageRow], i: int) -> str:
    if i >= compiled.num_row:
        return f"the bound kept from stage '{stage_rows[i - compiled.num_row].stage}'"
    con, _sign = compiled.rows[i]
    return f"row {con.name}"


def _column_name(compiled: Compiled, j: int | None) -> str:
    return "" if j is None else f"column {compiled.columns[int(j)].name}"
