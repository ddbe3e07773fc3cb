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

import highspy
import numpy as np
import pandas as pd

from planner.config import Progress, SolveOptions, quiet
from planner.explain.limits import LimitBook, component_and_index
from planner.model import build_model
from planner.results import Results
from planner.solve import HighsEngine, Solution, StageStatus, compile_model

DEFAULT_HOURS_PER_TRAINER = 810.0
BUDGET_STEP_EUR = 10_000.0
TRAVEL_STEP_MINUTES = 15.0
NEGLIGIBLE = 1e-7

MARGINAL_COLUMNS = ["rank", "limit", "what", "year", "unit", "value_weighted_unmet",
                    "value_per_input_unit", "sheet", "row", "column", "current_value"]

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


def relax_unmet(solution: Solution) -> Relaxation | None:
    """Solve the LP relaxation of the ``unmet`` stage on the solved model.

    The HiGHS model of the solve is reused (bounds of ``unmet`` and later
    stages released, integrality dropped) and restored afterwards.
    """
    names = [s.stage for s in solution.stages]
    engine = solution.engine
    if "unmet" not in names or engine is None or not solution.usable:
        return None
    h = engine.highs
    compiled = solution.compiled
    position = names.index("unmet")
    released = {s: r for s, r in engine.bound_rows.items() if names.index(s) >= position}
    lp = h.getLp()
    saved_upper = {s: lp.row_upper_[r] for s, r in released.items()}
    for r in released.values():
        h.changeRowBounds(r, -highspy.kHighsInf, highspy.kHighsInf)
    engine.relax_integrality()
    engine.set_costs(compiled.stage_vector("unmet"))
    h.setOptionValue("solver", "simplex")
    try:
        status, _, _ = engine.run()
        if status is not StageStatus.OPTIMAL:
            return None
        sol = h.getSolution()
        relaxation = Relaxation(
            objective=float(h.getInfo().objective_function_value)
            + compiled.offsets["unmet"],
            row_dual=np.asarray(sol.row_dual, dtype=float)[:compiled.num_row],
            col_dual=np.asarray(sol.col_dual, dtype=float),
            row_value=np.asarray(sol.row_value, dtype=float)[:compiled.num_row],
            col_value=np.asarray(sol.col_value, dtype=float),
            earlier_limits={s.stage: s.limit_added for s in solution.stages[:position]
                            if s.limit_added is not None})
    finally:
        for s, r in released.items():
            h.changeRowBounds(r, -highspy.kHighsInf, saved_upper[s])
        engine.relax_integrality(False)
        h.setOptionValue("solver", engine.lp_method)
    return relaxation


def marginal_values(solution: Solution, results: Results, relaxation: Relaxation | None,
                    travel_territories: int = 5, progress: Progress = quiet) -> pd.DataFrame:
    """The ranked marginal values (empty when there is no ``unmet`` stage)."""
    if relaxation is None:
        return pd.DataFrame(columns=MARGINAL_COLUMNS)
    ctx = solution.plan.context
    book = LimitBook(ctx)
    compiled = solution.compiled
    records = []
    for i, (con, _sign) in enumerate(compiled.rows):
        value = -relaxation.row_dual[i]
        if value <= NEGLIGIBLE:
            continue
        name, index = component_and_index(con)
        limit = book.row(name, index, 1)
        if limit is None or limit.kind not in ("trainer pool", "site capacity", "budget"):
            continue
        source = limit.first_source
        if limit.kind == "trainer pool":
            t, k, y = index
            hiring = ctx.hiring.get((t, k))
            hours = hiring.hours_per_trainer if hiring else DEFAULT_HOURS_PER_TRAINER
            records.append(_record("trainer pool", f"{k} trainers in {book.territory(t)}", y,
                                   f"one more trainer ({hours:g} h a year)", value * hours,
                                   value, "Trainers", source.row if source else None,
                                   "available_hours", ctx.available_hours.get((t, k, y), 0.0)))
        elif limit.kind == "site capacity":
            o, y = index
            records.append(_record("site capacity", f"site hours at {book.organisation(o)}", y,
                                   "one more site hour", value, value, "Organisations",
                                   source.row if source else None, "capacity_hours",
                                   ctx.site_capacity[o]))
        else:
            (g,) = index
            records.append(_record("budget", f"budget of programme {g}", None,
                                   f"{BUDGET_STEP_EUR:,.0f} EUR more", value * BUDGET_STEP_EUR,
                                   value, "Programmes", source.row if source else None,
                                   "budget", ctx.budgets[g]))
    for j, var in enumerate(compiled.columns):
        value = -relaxation.col_dual[j]
        if value <= NEGLIGIBLE:
            continue
        name, index = component_and_index(var)
        if name != "Sessions" or relaxation.col_value[j] < compiled.col_upper[j] - 1e-9:
            continue
        p, y = index
        o = ctx.offers[p]
        records.append(_record("offer maximum", f"offer {p} at {book.organisation(o.org_id)}",
                               y, "one more session a year allowed", value, value, "Offers",
                               o.row, "max_sessions_per_year", o.max_sessions))
    records += _travel_records(solution, results, relaxation, book, travel_territories,
                               progress)
    frame = pd.DataFrame(records, columns=MARGINAL_COLUMNS)
    frame = frame.sort_values(["value_weighted_unmet", "limit", "what", "year"],
                              ascending=[False, True, True, True], kind="stable")
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame["year"] = frame["year"].astype("Int64")
    return frame.reset_index(drop=True)


def _record(limit: str, what: str, year: int | None, unit: str, value: float,
            per_input_unit: float, sheet: str, row: int | None, column: str,
            current: float | None) -> dict:
    return {"rank": 0, "limit": limit, "what": what, "year": year, "unit": unit,
            "value_weighted_unmet": float(value), "value_per_input_unit": float(per_input_unit),
            "sheet": sheet, "row": row, "column": column,
            "current_value": None if current is None or
            (isinstance(current, float) and math.isnan(current)) else float(current)}


def _travel_records(solution: Solution, results: Results, relaxation: Relaxation,
                    book: LimitBook, count: int, progress: Progress) -> list[dict]:
    """Re-solve the relaxation with +15 minutes for the worst-served territories."""
    if count <= 0:
        return []
    data = solution.plan.data
    unmet = results.unmet.groupby("territory_id")["unmet_weighted"].sum()
    worst = unmet[unmet > NEGLIGIBLE].sort_values(ascending=False).head(count)
    if worst.empty:
        return []
    limits = data.territories.set_index("territory_id")["max_travel_minutes"].fillna(
        data.settings.max_travel_minutes)
    rows = dict(zip(data.territories["territory_id"], data.territories["_row"]))
    records = []
    for k, t in enumerate(worst.index, start=1):
        progress(f"marginal values: travel limit +{TRAVEL_STEP_MINUTES:g} min for "
                 f"{book.territory(t)} ({k}/{len(worst)})")
        value = relaxation.objective - _relaxed_unmet_with_limit(
            solution, relaxation, t, float(limits[t]) + TRAVEL_STEP_MINUTES)
        if value > NEGLIGIBLE:
            records.append(_record("travel limit", f"travel limit of {book.territory(t)}",
                                   None, f"{TRAVEL_STEP_MINUTES:g} more minutes", value,
                                   value / TRAVEL_STEP_MINUTES, "Territories", rows.get(t),
                                   "max_travel_minutes", float(limits[t])))
    return records


def _relaxed_unmet_with_limit(solution: Solution, relaxation: Relaxation, territory: str,
                              minutes: float) -> float:
    data = solution.plan.data.copy()
    terr = data.tables["Territories"]
    terr.loc[terr["territory_id"] == territory, "max_travel_minutes"] = minutes
    names = [s.stage for s in solution.stages]
    stages = tuple(names[:names.index("unmet") + 1])
    data = data.with_settings(integer_sessions=False, objective_stages=stages)
    plan = build_model(data)
    compiled = compile_model(plan)
    settings = data.settings
    engine = HighsEngine(compiled, SolveOptions(lp_method="simplex"),
                         settings.time_limit_seconds, settings.mip_gap)
    for stage, limit in relaxation.earlier_limits.items():
        costs = compiled.stage_vector(stage)
        engine.add_stage_bound(stage, costs, limit - compiled.offsets[stage])
    engine.set_costs(compiled.stage_vector("unmet"))
    status, _, _ = engine.run()
    if status is not StageStatus.OPTIMAL:
        return relaxation.objective
    return float(engine.highs.getInfo().objective_function_value) + compiled.offsets["unmet"]
