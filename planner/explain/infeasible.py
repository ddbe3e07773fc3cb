"""Why no plan exists: the conflicting input rows, in a planner's words.

Only hard limits can conflict (committed sessions, offer bounds, site
capacity, trainer pools and hiring, budgets, minimum fill, ramp-up): demand
and targets are soft (shortfall variables).  The diagnosis tries, in order:

1. the pre-solve checks of :mod:`planner.data.check.presolve` (cheap, and the
   clearest words), when they already show the conflict;
2. HiGHS's irreducible infeasible subset (IIS) of the LP relaxation
   (``iis_strategy`` = from the LP, which returned the conflicting rows
   where the default returned none, RELIABILITY.md): every row and bound
   in it is needed for the conflict;
3. when the LP relaxation is feasible, the conflict comes from whole
   numbers (a fraction of a session or a hire would do): HiGHS's
   feasibility relaxation of the MIP names the limits it had to break.

Each model row or bound is mapped back to its input rows by
:class:`planner.explain.limits.LimitBook`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import highspy
import numpy as np
import pandas as pd

from planner.errors import Issue
from planner.explain.limits import Limit, LimitBook, Source
from planner.solve import Solution, StageStatus

DIAGNOSIS_COLUMNS = ["limit", "sheet", "row", "column", "value", "message"]


@dataclass
class Diagnosis:
    """The conflict behind an infeasible stage."""

    stage: str
    method: str
    headline: str
    limits: list[Limit] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.issues:
            return [f"{i.location()}: {i.message}" for i in self.issues]
        return [limit.text for limit in self.limits]

    def text(self) -> str:
        body = "\n".join(f"  - {line}" for line in self.lines())
        return f"{self.headline}\n{body}\n(found by {self.method})"

    def table(self) -> pd.DataFrame:
        """One row per input cell involved (what the Diagnosis sheet shows)."""
        rows = []
        for issue in self.issues:
            rows.append({"limit": issue.rule, "sheet": issue.sheet, "row": issue.row,
                         "column": issue.column, "value": issue.value,
                         "message": issue.message})
        for limit in self.limits:
            sources: Iterable[Source] = limit.sources or (Source("", None, "", None),)
            for s in sources:
                rows.append({"limit": limit.kind, "sheet": s.sheet or None, "row": s.row,
                             "column": s.column or None, "value": s.value,
                             "message": limit.text})
        return pd.DataFrame(rows, columns=DIAGNOSIS_COLUMNS)


def _presolve_diagnosis(stage: str, presolve: Iterable[Issue]) -> Diagnosis | None:
    conflicts = [i for i in presolve if i.is_error and i.rule.startswith("infeasible")]
    if not conflicts:
        return None
    return Diagnosis(stage, "pre-solve checks of the input",
                     "The input already shows limits that cannot all hold:", issues=conflicts)


def diagnose(solution: Solution, presolve: Iterable[Issue] = ()) -> Diagnosis:
    """Explain the infeasible stage of ``solution`` (which must have one)."""
    failed = next(s for s in solution.stages if not s.status.usable)
    found = _presolve_diagnosis(failed.stage, presolve)
    if found is not None:
        return found
    engine = solution.engine
    assert engine is not None
    book = LimitBook(solution.plan.derived)
    engine.relax_integrality()
    status = engine.run().status
    if status is not StageStatus.OPTIMAL:
        limits = _iis_limits(solution, book)
        if limits:
            return Diagnosis(failed.stage, "HiGHS's irreducible infeasible subset of the LP "
                             "relaxation", "No plan can respect all of these limits together "
                             "(relaxing any one of them removes this conflict):", limits)
    engine.relax_integrality(False)
    limits = _relaxation_limits(solution, book)
    return Diagnosis(
        failed.stage, "HiGHS's feasibility relaxation of the plan with whole numbers",
        "With fractional sessions and hires a plan would exist; with whole numbers these "
        "limits cannot all hold (the smallest change that makes room is to relax them):",
        limits)


def _iis_limits(solution: Solution, book: LimitBook) -> list[Limit]:
    h = solution.engine.highs  # type: ignore[union-attr]
    h.setOptionValue("iis_strategy", int(highspy._core.IisStrategy.kIisStrategyFromLp))
    status, iis = h.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        return []
    limits: list[Limit] = []
    for i in iis.row_index_:
        limits.extend(_row_limit(solution, book, int(i)))
    lower = highspy._core.IisBoundStatus.kIisBoundStatusLower
    upper = highspy._core.IisBoundStatus.kIisBoundStatusUpper
    boxed = highspy._core.IisBoundStatus.kIisBoundStatusBoxed
    for j, bound in zip(iis.col_index_, iis.col_bound_):
        key = solution.compiled.column_keys[int(j)]
        sides = {lower: [True], upper: [False], boxed: [True, False]}.get(bound, [])
        for side in sides:
            limit = book.bound(key, lower=side)
            if limit is not None:
                limits.append(limit)
    return _unique(limits)


def _row_limit(solution: Solution, book: LimitBook, i: int) -> list[Limit]:
    compiled = solution.compiled
    if i >= compiled.num_row:
        stage = next((s for s, r in solution.engine.bound_rows.items() if r == i), "?")  # type: ignore[union-attr]
        return [Limit("earlier stage", (stage,), f"the plan must stay within the optimum of "
                      f"the earlier stage '{stage}' (numerical tolerance: stage_tolerance)")]
    limit = book.row(compiled.row_keys[i])
    return [] if limit is None else [limit]


def _relaxation_limits(solution: Solution, book: LimitBook) -> list[Limit]:
    """The limits the feasibility relaxation broke, then the hard limits around them.

    Whole-number conflicts have no IIS to read, so the broken limits are
    followed by the hard rows that share their variables, and the rows
    sharing those rows' variables (two steps), which is where the
    conflict lives (e.g. committed sessions -> trainer pool -> hires ->
    budget).
    """
    engine = solution.engine
    assert engine is not None
    h = engine.highs
    compiled = solution.compiled
    h.setOptionValue("time_limit", engine.time_limit)  # a MIP run: its own clock
    h.feasibilityRelaxation(1.0, 1.0, 1.0)
    sol = h.getSolution()
    lp = h.getLp()
    limits: list[Limit] = []
    n_rows = compiled.num_row
    rows = np.asarray(sol.row_value)[:n_rows]
    lo, up = np.asarray(lp.row_lower_)[:n_rows], np.asarray(lp.row_upper_)[:n_rows]
    broken_rows = np.flatnonzero((rows < lo - 1e-6) | (rows > up + 1e-6))
    for i in broken_rows:
        limits.extend(_row_limit(solution, book, int(i)))
    cols = np.asarray(sol.col_value)
    clo, cup = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    broken_cols = np.flatnonzero((cols < clo - 1e-6) | (cols > cup + 1e-6))
    for j in broken_cols:
        limit = book.bound(compiled.column_keys[int(j)], lower=bool(cols[j] < clo[j]))
        if limit is not None:
            limits.append(limit)
    A = compiled.A.tocsc()
    A_rows = A.tocsr()
    frontier = set(int(j) for j in broken_cols)
    frontier |= set(int(j) for i in broken_rows for j in A_rows.indices[
        A_rows.indptr[i]:A_rows.indptr[i + 1]])
    seen_rows: set[int] = set(int(i) for i in broken_rows)
    for _ in range(2):
        new_rows = {int(i) for j in frontier for i in A.indices[A.indptr[j]:A.indptr[j + 1]]}
        new_rows -= seen_rows
        seen_rows |= new_rows
        for i in sorted(new_rows):
            limits.extend(lim for lim in _row_limit(solution, book, i)
                          if lim.kind not in ("seats", "minimum fill"))
        frontier = {int(j) for i in new_rows
                    for j in A_rows.indices[A_rows.indptr[i]:A_rows.indptr[i + 1]]}
        for j in frontier:
            key = compiled.column_keys[j]
            if key[0] == "Hires":
                limit = book.bound(key, lower=False)
                if limit is not None:
                    limits.append(limit)
    return _unique(limits)


def _unique(limits: list[Limit]) -> list[Limit]:
    seen: dict[tuple[str, tuple], Limit] = {}
    for limit in limits:
        seen.setdefault((limit.kind, limit.key), limit)
    return list(seen.values())
