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
from planner.derived import Derived
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
    d = solution.plan.derived
    out: list[str] = []
    out += _access(d, results.flows)
    out += _seats_and_sessions(data, results.sessions)
    out += _running(d, results)
    out += _sites(data, results.running)
    out += _trainers(data, results)
    out += _coverage(solution, results)
    out += _completers(data, results)
    out += _budgets(data, results)
    out += _stage_bounds(solution, results)
    return out


def _access(d: Derived, flows: pd.DataFrame) -> list[str]:
    if flows.empty:
        return []
    keyed = d.travel.set_index(["from_territory", "to_territory"])["minutes"]
    got = keyed.reindex(pd.MultiIndex.from_arrays(
        [flows["territory_id"], flows["org_territory_id"]])).to_numpy(float)
    limit = d.travel_limits.reindex(flows["territory_id"]).to_numpy(float)
    bad = np.isnan(got) | (got > limit + 1e-9)
    return [f"flow of {r.learners:g} learners from {r.territory_id} to offer {r.offer_id} "
            f"in {r.year} exceeds the travel limit"
            for r in flows[bad].itertuples()]


def _running(d: Derived, results: Results) -> list[str]:
    """Sessions running in a year: the starts of the years before, within each offer's
    duration, plus the InTraining cohorts, recomputed from the Sessions table and the
    raw Offers and InTraining sheets."""
    data = d.data
    years = list(data.settings.years)
    duration = data.offers.set_index("offer_id")["duration_years"].astype(int)
    starts = (results.sessions.pivot(index="offer_id", columns="year", values="sessions")
              .reindex(columns=years).fillna(0.0))
    total = np.hstack([np.zeros((len(starts), 1)), np.cumsum(starts.to_numpy(float), axis=1)])
    span = duration.reindex(starts.index).to_numpy()
    k = np.arange(1, len(years) + 1)
    begin = np.maximum(0, k[None, :] - span[:, None])
    expected = total[:, k] - np.take_along_axis(total, begin, axis=1)
    plan = pd.DataFrame(expected, index=starts.index, columns=years).stack()
    held: dict[tuple[str, int], float] = {}
    for offer, start, sessions in zip(data.in_training["offer_id"],
                                      data.in_training["start_year"],
                                      data.in_training["sessions"]):
        for y in years:
            if start <= y <= start + duration[offer] - 1:
                held[(offer, y)] = held.get((offer, y), 0.0) + float(sessions)
    run = results.running
    keys = list(zip(run["offer_id"], run["year"]))
    want_plan = plan.reindex(pd.MultiIndex.from_tuples(keys)).fillna(0.0).to_numpy(float)
    want_held = np.array([held.get(key, 0.0) for key in keys])
    got_plan = run["sessions_running_plan"].to_numpy(float)
    got_held = run["sessions_running_intraining"].to_numpy(float)
    bad = _over(np.abs(got_plan - want_plan), 0.0) | _over(np.abs(got_held - want_held), 0.0)
    return [f"offer {p} in {y}: {a:g} + {b:g} sessions running, expected {c:g} + {e:g}"
            for (p, y), a, b, c, e in zip(np.array(keys, dtype=object)[bad], got_plan[bad],
                                         got_held[bad], want_plan[bad], want_held[bad])]


def _completers(data: PlanningData, results: Results) -> list[str]:
    """Coverage counts completers in their completion year, times completion and placement,
    recomputed from the Flows table and the raw Offers and InTraining sheets."""
    offers = data.offers.set_index("offer_id")
    flows = results.flows
    o = offers.reindex(flows["offer_id"])
    done = flows["year"].to_numpy(int) + o["duration_years"].to_numpy(int) - 1
    placed = (flows["learners"].to_numpy(float) * o["completion_rate"].to_numpy(float)
              * o["placement_rate"].to_numpy(float))
    expected: dict[tuple[str, str, int], float] = {}
    for t, j, y, v in zip(flows["territory_id"], o["family_id"], done, placed):
        expected[(t, j, int(y))] = expected.get((t, j, int(y)), 0.0) + v
    org_territory = data.organisations.set_index("org_id")["territory_id"]
    for r in data.in_training.to_dict("records"):
        row = offers.loc[r["offer_id"]]
        y = int(r["start_year"]) + int(row["duration_years"]) - 1
        home = r["territory_id"] or org_territory[row["org_id"]]
        key = (home, row["family_id"], y)
        expected[key] = expected.get(key, 0.0) + float(r["learners"]) * float(
            row["completion_rate"]) * float(row["placement_rate"])
    cov = results.coverage
    keys = list(zip(cov["territory_id"], cov["family_id"], cov["year"]))
    want = np.array([expected.get(k, 0.0) for k in keys])
    got = cov["placed_people"].to_numpy(float)
    bad = _over(np.abs(got - want), 0.0)
    return [f"coverage {t}/{j} in {y}: {a:g} placed, expected {b:g} from the completers"
            for (t, j, y), a, b in zip(np.array(keys, dtype=object)[bad], got[bad], want[bad])]


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


def _sites(data: PlanningData, running: pd.DataFrame) -> list[str]:
    """Running cohorts (plan and InTraining) within each site's hours."""
    used = running.groupby(["org_id", "year"])["trainer_hours"].sum().reset_index()
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
    values = recomputed_stage_values(solution.plan.derived, results)
    out = []
    for s in solution.stages:
        if s.limit_added is not None and _over(values[s.stage], s.limit_added):
            out.append(f"stage {s.stage}: final plan value {values[s.stage]:g} breaks the bound "
                       f"{s.limit_added:g} kept from its optimum")
    return out
