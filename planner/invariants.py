"""Invariants every plan must satisfy, checked from the input tables alone.

They are recomputed from the planning data and the result tables, not
from the Pyomo model, so a mistake in building the model shows up here
instead of in a planner's spreadsheet.  Checked after every solve (the
command line refuses to write a plan that breaks one) and in every test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data.tables import PlanningData
from planner.data.travel import travel_limits, travel_minutes
from planner.results import Results, recomputed_stage_values
from planner.solve import Solution

RELATIVE = 1e-6
ABSOLUTE = 1e-5


def _over(value: np.ndarray | float, limit: np.ndarray | float) -> np.ndarray:
    """True where ``value`` exceeds ``limit`` beyond the numerical tolerance."""
    value = np.asarray(value, dtype=float)
    limit = np.asarray(limit, dtype=float)
    return value > limit + ABSOLUTE + RELATIVE * np.abs(limit)


def plan_violations(solution: Solution, results: Results) -> list[str]:
    """Every broken invariant, in words; an empty list when the plan is sound."""
    data = solution.plan.data
    out: list[str] = []
    out += _access(data, results.flows)
    out += _seats_and_sessions(data, results.sessions)
    out += _sites(data, results.sessions)
    out += _trainers(data, results)
    out += _coverage(solution, results)
    out += _budgets(data, results)
    out += _stage_bounds(solution, results)
    return out


def _access(data: PlanningData, flows: pd.DataFrame) -> list[str]:
    if flows.empty:
        return []
    minutes = travel_minutes(data, sorted(set(flows["org_territory_id"])))
    keyed = minutes.set_index(["from_territory", "to_territory"])["minutes"]
    got = keyed.reindex(pd.MultiIndex.from_arrays(
        [flows["territory_id"], flows["org_territory_id"]])).to_numpy(float)
    limit = travel_limits(data).reindex(flows["territory_id"]).to_numpy(float)
    bad = np.isnan(got) | (got > limit + 1e-9)
    return [f"flow of {r.learners:g} learners from {r.territory_id} to offer {r.offer_id} "
            f"in {r.year} exceeds the travel limit"
            for r in flows[bad].itertuples()]


def _seats_and_sessions(data: PlanningData, sessions: pd.DataFrame) -> list[str]:
    offers = data.offers.set_index("offer_id")
    o = offers.reindex(sessions["offer_id"])
    x = sessions["sessions"].to_numpy(float)
    learners = sessions["learners"].to_numpy(float)
    out = []
    checks = [
        (_over(learners, o["seats"].to_numpy(float) * x), "learners exceed seats x sessions"),
        (_over(o["min_learners"].to_numpy(float) * x, learners),
         "learners below min_learners x sessions"),
        (_over(x, o["max_sessions_per_year"].to_numpy(float)), "sessions above the maximum"),
        (_over(o["committed_sessions_per_year"].to_numpy(float), x),
         "sessions below the committed number"),
    ]
    if data.settings.integer_sessions:
        checks.append((np.abs(x - np.round(x)) > 1e-6, "sessions not whole"))
    for bad, what in checks:
        out += [f"offer {p} in {y}: {what}" for p, y in
                zip(sessions.loc[bad, "offer_id"], sessions.loc[bad, "year"])]
    ramp = o[o["baseline_sessions"].notna() & o["max_new_sessions_per_year"].notna()]
    if len(ramp):
        table = sessions.set_index(["offer_id", "year"])["sessions"]
        first = data.settings.first_year
        for p, row in ramp[~ramp.index.duplicated()].iterrows():
            previous = float(row["baseline_sessions"])
            for y in data.settings.years:
                now = float(table[(p, y)])
                if _over(now, previous + float(row["max_new_sessions_per_year"])):
                    out.append(f"offer {p} in {y}: ramp-up exceeded "
                               f"({now:g} after {previous:g}{' baseline' if y == first else ''})")
                previous = now
    return out


def _sites(data: PlanningData, sessions: pd.DataFrame) -> list[str]:
    used = sessions.groupby(["org_id", "year"])["trainer_hours"].sum().reset_index()
    cap = data.organisations.set_index("org_id")["capacity_hours"]
    limit = cap.reindex(used["org_id"]).to_numpy(float)
    bad = ~np.isnan(limit) & _over(used["trainer_hours"].to_numpy(float), np.nan_to_num(limit))
    return [f"organisation {o} in {y}: {h:g} site hours above capacity"
            for o, y, h in zip(used.loc[bad, "org_id"], used.loc[bad, "year"],
                               used.loc[bad, "trainer_hours"])]


def _trainers(data: PlanningData, results: Results) -> list[str]:
    out = []
    t = results.trainers
    bad = _over(t["used_hours"].to_numpy(float),
                t["available_hours"].to_numpy(float) + t["hired_hours"].to_numpy(float))
    out += [f"trainers {a}/{k} in {y}: hours used above available + hired"
            for a, k, y in zip(t.loc[bad, "territory_id"], t.loc[bad, "skill"],
                               t.loc[bad, "year"])]
    h = results.hires
    if len(h):
        limit = data.hiring.set_index(["territory_id", "skill"])["max_new_per_year"]
        cap = limit.reindex(pd.MultiIndex.from_arrays(
            [h["territory_id"], h["skill"]])).to_numpy(float)
        bad = _over(h["hired"].to_numpy(float), cap)
        out += [f"hiring {a}/{k} in {y}: above max_new_per_year"
                for a, k, y in zip(h.loc[bad, "territory_id"], h.loc[bad, "skill"],
                                   h.loc[bad, "year"])]
    return out


def _coverage(solution: Solution, results: Results) -> list[str]:
    """Shortfall variables never below demand minus placed learners (SPEC 4.2.8)."""
    m = solution.plan.model
    cov = results.coverage
    keys = list(zip(cov["territory_id"], cov["family_id"], cov["year"]))
    short = solution.component_values(m.Shortfall, keys)
    recomputed = cov["shortfall_people"].to_numpy(float)
    bad = _over(recomputed, short)
    out = [f"coverage {t}/{j} in {y}: shortfall variable {s:g} below demand minus placed "
           f"{r:g}" for (t, j, y), s, r in zip(np.array(keys, dtype=object)[bad],
                                                 short[bad], recomputed[bad])]
    demand = float(solution.plan.data.demand["people"].sum())
    if abs(results.coverage["demand_people"].sum() - demand) > ABSOLUTE + RELATIVE * demand:
        out.append("coverage table does not hold the whole Demand sheet")
    return out


def _budgets(data: PlanningData, results: Results) -> list[str]:
    p = results.programmes
    has = p["budget_eur"].notna()
    bad = has & _over(p["cost_eur"].to_numpy(float), p["budget_eur"].fillna(0).to_numpy(float))
    return [f"programme {g}: cost {c:,.2f} EUR above budget {b:,.2f} EUR"
            for g, c, b in zip(p.loc[bad, "programme_id"], p.loc[bad, "cost_eur"],
                               p.loc[bad, "budget_eur"])]


def _stage_bounds(solution: Solution, results: Results) -> list[str]:
    values = recomputed_stage_values(solution.plan.context, results)
    out = []
    for s in solution.stages:
        if s.limit_added is not None and _over(values[s.stage], s.limit_added):
            out.append(f"stage {s.stage}: final plan value {values[s.stage]:g} breaks the bound "
                       f"{s.limit_added:g} kept from its optimum")
    return out
