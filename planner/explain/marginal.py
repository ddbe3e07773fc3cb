"""What one more unit of each limit is worth (SPEC 4.5), from the LP relaxation.

The ``unmet`` stage is re-solved as an LP (sessions and hires may be
fractional), on the same data, with the bounds of the stages before it
kept and those of the later stages dropped.  The duals of that LP say how
much weighted unmet demand at the last year one more unit of a limit
removes, for small changes:

- one more trainer: ``hours_per_trainer x (-dual)`` of the trainer-hours
  row of (territory, skill, year) (810 h a year where TrainerHiring gives
  no figure: a GRETA trainer's contractual face-to-face hours);
- one more site hour: ``-dual`` of the site-capacity row;
- one more session of an offer's maximum: ``-reduced cost`` of the
  sessions variable at its upper bound;
- 10,000 EUR more budget: ``10,000 x (-dual)`` of the budget row;
- 15 minutes more travel limit for the worst-served territories: the
  relaxation re-solved with that territory's limit raised (a dual cannot
  tell it: the access set itself changes).

HiGHS's row duals are d(objective)/d(right-hand side): negative for a
binding ``<=`` row of a minimisation, hence the minus signs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

import highspy
import numpy as np
import pandas as pd

from planner.config import Progress, SolveOptions, quiet
from planner.explain.limits import LimitBook
from planner.model import build_model
from planner.results import Results
from planner.solve import HighsEngine, Solution, StageStatus, compile_model
from planner.words import year_span

DEFAULT_HOURS_PER_TRAINER = 810.0
BUDGET_STEP_EUR = 10_000.0
TRAVEL_STEP_MINUTES = 15.0
NEGLIGIBLE = 1e-7
PRIMAL_SIMPLEX = 4
"""HiGHS's ``simplex_strategy`` value for the primal simplex method."""

MARGINAL_COLUMNS = ["rank", "limit", "what", "unit", "value_weighted_unmet", "years",
                    "best_year", "best_year_value", "value_per_input_unit", "sheet", "rows",
                    "column", "current_value"]
"""One row per limit; ``value_weighted_unmet`` is one more unit in every year where it
has a value (the sum of the per-year values: duals add up for small changes)."""

NOTE = ("Values from the LP relaxation of the 'unmet' stage (sessions and hires may be "
        "fractional; earlier stages' optima kept): the reduction of weighted unmet demand at "
        "the last year for one more unit of each limit, valid for small changes.")


@dataclass
class Relaxation:
    """The solved LP relaxation of the ``unmet`` stage."""

    objective: float
    row_dual: np.ndarray
    col_dual: np.ndarray
    row_value: np.ndarray
    col_value: np.ndarray
    earlier_limits: dict[str, float]
    basis: Any = None
    """The optimal basis, rows as in the solve's model with its stage bound rows."""


def relax_unmet(solution: Solution) -> Relaxation | None:
    """Solve the LP relaxation of the ``unmet`` stage on the solved model.

    The HiGHS model of the solve is reused (bounds of ``unmet`` and later
    stages released, integrality dropped) and restored afterwards.
    """
    names = [s.stage for s in solution.stages]
    engine = solution.engine
    if "unmet" not in names or engine is None or not solution.usable:
        return None
    position = names.index("unmet")
    earlier = {s.stage: s.limit_added for s in solution.stages[:position]
               if s.limit_added is not None}
    if solution.unmet_lp is not None:  # an LP: the unmet stage's own solve is the relaxation
        lp = solution.unmet_lp
        return Relaxation(lp.objective, lp.row_dual, lp.col_dual, lp.row_value, lp.col_value,
                          earlier, lp.basis)
    h = engine.highs
    compiled = solution.compiled
    released = {s: r for s, r in engine.bound_rows.items() if names.index(s) >= position}
    lp = h.getLp()
    saved_upper = {s: lp.row_upper_[r] for s, r in released.items()}
    for r in released.values():
        h.changeRowBounds(r, -highspy.kHighsInf, highspy.kHighsInf)
    engine.relax_integrality()
    engine.set_costs(compiled.stage_vector("unmet"))
    method, engine.method = engine.method, "ipm"  # cold: a MIP leaves no LP basis
    try:
        status = engine.run().status
        if status is not StageStatus.OPTIMAL:
            return None
        lp = engine.snapshot(compiled.offsets["unmet"])
        relaxation = Relaxation(lp.objective, lp.row_dual, lp.col_dual, lp.row_value,
                                lp.col_value, earlier, lp.basis)
    finally:
        for s, r in released.items():
            h.changeRowBounds(r, -highspy.kHighsInf, saved_upper[s])
        engine.relax_integrality(False)
        engine.method = method
    return relaxation


def marginal_values(solution: Solution, results: Results, relaxation: Relaxation | None,
                    travel_territories: int = 5, progress: Progress = quiet) -> pd.DataFrame:
    """The ranked marginal values (empty when there is no ``unmet`` stage).

    One row per limit (a trainer pool, a site, an offer's maximum, a budget,
    a territory's travel limit), with the years where one more unit has a
    value, the best of them, and the value of one more unit in all of them.
    """
    if relaxation is None:
        return pd.DataFrame(columns=MARGINAL_COLUMNS)
    d = solution.plan.derived
    book = LimitBook(d)
    compiled = solution.compiled
    limits: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, what: str, unit: str, year: int | None, value: float,
            per_input_unit: float, sheet: str, row: int | None, column: str,
            current: float | None) -> None:
        entry = limits.setdefault((kind, what), {
            "limit": kind, "what": what, "unit": unit, "sheet": sheet, "column": column,
            "years": {}, "rows": [], "per_input_unit": 0.0, "current": current})
        entry["years"][year] = entry["years"].get(year, 0.0) + value
        entry["per_input_unit"] = max(entry["per_input_unit"], per_input_unit)
        if row is not None and row not in entry["rows"]:
            entry["rows"].append(row)

    for i, (name, index) in enumerate(compiled.row_keys):
        value = -relaxation.row_dual[i]
        if value <= NEGLIGIBLE:
            continue
        limit = book.row((name, index))
        if limit is None or limit.kind not in ("trainer pool", "site capacity", "budget"):
            continue
        row = limit.first_source.row if limit.first_source else None
        if limit.kind == "trainer pool":
            t, k, y = index
            hiring = d.hiring.get((t, k))
            hours = hiring.hours_per_trainer if hiring else DEFAULT_HOURS_PER_TRAINER
            add("trainer pool", f"{k} trainers in {book.territory(t)}",
                f"one more trainer ({hours:g} h a year)", y, value * hours, value,
                "Trainers", row, "available_hours", None)
        elif limit.kind == "site capacity":
            o, y = index
            add("site capacity", f"site hours at {book.organisation(o)}",
                "one more site hour a year", y, value, value, "Organisations", row,
                "capacity_hours", d.site_capacity[o])
        else:
            g = index[0]
            add("budget", f"budget of programme {g}", f"{BUDGET_STEP_EUR:,.0f} EUR more",
                None, value * BUDGET_STEP_EUR, value, "Programmes", row, "budget",
                d.budgets[g])
    for j, (name, index) in enumerate(compiled.column_keys):
        value = -relaxation.col_dual[j]
        if value <= NEGLIGIBLE:
            continue
        if name != "Sessions" or relaxation.col_value[j] < compiled.col_upper[j] - 1e-9:
            continue
        p, y = index
        o = d.offers[p]
        add("offer maximum", f"offer {p} at {book.organisation(o.org_id)}",
            "one more session a year allowed", y, value, value, "Offers", o.row,
            "max_sessions_per_year", o.max_sessions)
    for record in _travel_records(solution, results, relaxation, book, travel_territories,
                                  progress):
        add(**record)
    return _ranked(limits.values())


def _ranked(entries: Iterable[dict[str, Any]]) -> pd.DataFrame:
    records = []
    for e in entries:
        years = {y: v for y, v in e["years"].items() if y is not None}
        best = max(years, key=lambda y: (years[y], -y)) if years else None
        current = e["current"]
        records.append({
            "rank": 0, "limit": e["limit"], "what": e["what"], "unit": e["unit"],
            "value_weighted_unmet": float(sum(e["years"].values())),
            "years": year_span(sorted(years)) if years else "",
            "best_year": best, "best_year_value": years[best] if best is not None else None,
            "value_per_input_unit": float(e["per_input_unit"]), "sheet": e["sheet"],
            "rows": ", ".join(str(r) for r in sorted(e["rows"])), "column": e["column"],
            "current_value": None if current is None or (
                isinstance(current, float) and math.isnan(current)) else float(current),
        })
    frame = pd.DataFrame(records, columns=MARGINAL_COLUMNS)
    frame = frame.sort_values(["value_weighted_unmet", "limit", "what"],
                              ascending=[False, True, True], kind="stable")
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame["best_year"] = frame["best_year"].astype("Int64")
    return frame.reset_index(drop=True)


def _travel_records(solution: Solution, results: Results, relaxation: Relaxation,
                    book: LimitBook, count: int, progress: Progress) -> list[dict[str, Any]]:
    """Re-solve the relaxation with +15 minutes for each of the worst-served territories.

    One model serves every probe: it is built with all the probed
    territories' limits raised, the learner flows that only the raised
    limits allow are held at zero, and each probe releases one territory's
    flows and re-optimises from the relaxation's optimal basis.
    """
    if count <= 0:
        return []
    data = solution.plan.data
    unmet = results.unmet.groupby("territory_id")["unmet_weighted"].sum()
    worst = list(unmet[unmet > NEGLIGIBLE].sort_values(ascending=False).head(count).index)
    if not worst:
        return []
    limits = data.territories.set_index("territory_id")["max_travel_minutes"].fillna(
        data.settings.max_travel_minutes)
    rows = dict(zip(data.territories["territory_id"], data.territories["_row"]))
    probe = _TravelProbe(solution, relaxation, {t: float(limits[t]) + TRAVEL_STEP_MINUTES
                                                for t in worst})
    records = []
    for k, t in enumerate(worst, start=1):
        progress(f"marginal values: travel limit +{TRAVEL_STEP_MINUTES:g} min for "
                 f"{book.territory(t)} ({k}/{len(worst)})")
        value = relaxation.objective - probe.unmet_with_wider_limit(t)
        if value > NEGLIGIBLE:
            records.append(dict(
                kind="travel limit", what=f"travel limit of {book.territory(t)}",
                unit=f"{TRAVEL_STEP_MINUTES:g} more minutes", year=None, value=value,
                per_input_unit=value / TRAVEL_STEP_MINUTES, sheet="Territories",
                row=rows.get(t), column="max_travel_minutes", current=float(limits[t])))
    return records


class _TravelProbe:
    """The LP relaxation of the ``unmet`` stage with some territories' limits raised.

    Built once with every probed territory's limit raised; the flows only
    the raised limits allow are held at zero, so the model is the base
    relaxation plus idle columns, and the base relaxation's optimal basis
    (idle columns non-basic at zero) is optimal for it.  Each probe starts
    from that basis, releases one territory's new flows and re-optimises:
    a few primal simplex pivots instead of a solve from scratch.
    """

    def __init__(self, solution: Solution, relaxation: Relaxation,
                 raised: dict[str, float]) -> None:
        data = solution.plan.data.copy()
        terr = data.tables["Territories"]
        for t, minutes in raised.items():
            terr.loc[terr["territory_id"] == t, "max_travel_minutes"] = minutes
        names = [s.stage for s in solution.stages]
        stages = tuple(names[:names.index("unmet") + 1])
        data = data.with_settings(integer_sessions=False, objective_stages=stages)
        plan = build_model(data)
        compiled = compile_model(plan)
        self.base_objective = relaxation.objective
        self.offset = compiled.offsets["unmet"]
        engine = HighsEngine(compiled, SolveOptions(lp_method="simplex"),
                             data.settings.time_limit_seconds, data.settings.mip_gap)
        # Released columns leave the start basis primal feasible: primal simplex
        # re-optimises in a few pivots (74 at N = 3, where the default dual
        # simplex took 23,599).
        engine.highs.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        for stage, limit in relaxation.earlier_limits.items():
            costs = compiled.stage_vector(stage)
            engine.add_stage_bound(stage, costs, limit - compiled.offsets[stage])
        engine.set_costs(compiled.stage_vector("unmet"))
        old_pairs = set(zip(solution.plan.derived.access["territory_id"],
                            solution.plan.derived.access["offer_id"]))
        column = compiled.column_of()
        learners = plan.model.Learners
        self.new_flows: dict[str, np.ndarray] = {}
        for t in raised:
            cols = [column[id(learners[key])] for key in plan.derived.flow_index
                    if key[0] == t and (key[0], key[1]) not in old_pairs
                    and id(learners[key]) in column]
            self.new_flows[t] = np.array(cols, dtype=np.int32)
        self.engine = engine
        self._hold(list(raised), hold=True)
        self.start = _mapped_basis(solution, relaxation, compiled, engine)

    def _hold(self, territories: list[str], hold: bool) -> None:
        cols = np.concatenate([self.new_flows[t] for t in territories]) if territories else []
        if len(cols):
            upper = np.zeros(len(cols)) if hold else np.full(len(cols), highspy.kHighsInf)
            self.engine.highs.changeColsBounds(len(cols), cols, np.zeros(len(cols)), upper)

    def unmet_with_wider_limit(self, territory: str) -> float:
        """The relaxed ``unmet`` optimum with only ``territory``'s wider limit."""
        if not len(self.new_flows[territory]):
            return self.base_objective  # no organisation within the extra minutes
        if self.start is not None:
            self.engine.highs.setBasis(self.start)
        self._hold([territory], hold=False)
        try:
            status = self.engine.run().status
            if status is not StageStatus.OPTIMAL:
                return self.base_objective
            return float(self.engine.highs.getInfo().objective_function_value) + self.offset
        finally:
            self._hold([territory], hold=True)


def _mapped_basis(solution: Solution, relaxation: Relaxation, compiled: Any,
                  engine: HighsEngine) -> Any:
    """The relaxation's basis carried over to the probe model (None when unusable).

    Rows and columns are matched by component and index; the probe model's
    extra columns are non-basic at their lower bound (they are held at zero);
    the stage bound rows by stage.  The result is checked by HiGHS: an
    inconsistent basis is refused and the probes start cold.
    """
    base = relaxation.basis
    if base is None or not base.valid:
        return None
    base_cols = {key: j for j, key in enumerate(solution.compiled.column_keys)}
    base_rows = {key: i for i, key in enumerate(solution.compiled.row_keys)}
    col_status = list(base.col_status)
    row_status = list(base.row_status)
    at_lower = highspy.HighsBasisStatus.kLower
    basis = highspy.HighsBasis()
    basis.col_status = [col_status[base_cols[key]] if key in base_cols else at_lower
                        for key in compiled.column_keys]
    rows = [row_status[base_rows[key]] for key in compiled.row_keys]
    for stage in relaxation.earlier_limits:  # added in the same order as in the solve
        rows.append(row_status[solution.engine.bound_rows[stage]])  # type: ignore[union-attr]
    basis.row_status = rows
    basis.valid = True
    if engine.highs.setBasis(basis) != highspy.HighsStatus.kOk:
        return None
    return basis
