"""Tidy result tables from a solved model, and the Summary metrics (SPEC 5).

Values are read in bulk from the solver's column vector; every table is
built with pandas from the index lists of the model context, never value
by value through Pyomo.  Column names carry their unit (``_people``,
``_hours``, ``_eur``, ``_minutes``, ``_percent``).

Shortfalls are recomputed from the plan (``max(0, cumulative demand -
cumulative placed learners)``) rather than read from the ``Shortfall``
variables: the two agree at the ``unmet`` stage's optimum, and the
recomputed one stays right when a stage leaves a variable slack (e.g.
earlier years' shortfalls when ``timeliness`` is not a stage).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.data.schema import STAGE_MEANING
from planner.model.context import ModelContext
from planner.solve import Solution, StageStatus

SUMMARY_METRICS = (
    "scenario", "status", "demand_people", "unmet_people", "unmet_weighted",
    "coverage_percent", "trained_people", "placed_people", "modules_delivered", "cost_eur",
    "travel_learner_minutes", "sessions_total", "trainers_hired", "mip_gap",
    "solve_seconds", "wall_seconds",
)
"""Metric names of SPEC 5 (plus one ``stage_<name>`` per stage, after ``status``)."""


@dataclass
class Results:
    """Every result table of one solved scenario."""

    sessions: pd.DataFrame
    flows: pd.DataFrame
    trainers: pd.DataFrame
    coverage: pd.DataFrame
    unmet: pd.DataFrame
    programmes: pd.DataFrame
    sites: pd.DataFrame
    hires: pd.DataFrame
    stages: pd.DataFrame
    summary: pd.DataFrame
    marginal_values: pd.DataFrame | None = None
    """Ranked marginal values of the limits (SPEC 4.5), when computed."""

    def metric(self, name: str) -> Any:
        row = self.summary.loc[self.summary["metric"] == name, "value"]
        if row.empty:
            raise KeyError(name)
        return row.iloc[0]

    def set_metric(self, name: str, value: Any) -> None:
        self.summary.loc[self.summary["metric"] == name, "value"] = value


def _names(frame: pd.DataFrame, key: str) -> dict[str, str]:
    return dict(zip(frame[key], frame["name"]))


def _percent(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """100 * n / d, and 0 where d is 0 (no NaN reaches a table)."""
    n = np.asarray(numerator, dtype=float)
    d = np.asarray(denominator, dtype=float)
    out = np.zeros_like(n)
    np.divide(100.0 * n, d, out=out, where=d > 0)
    return out


def extract(solution: Solution) -> Results:
    """All result tables of a usable solution."""
    if not solution.usable:
        raise ValueError("no usable solution: nothing to extract")
    plan = solution.plan
    ctx = plan.context
    m = plan.model
    x = pd.Series(solution.component_values(m.Sessions), index=pd.MultiIndex.from_tuples(
        list(m.SESSION_INDEX), names=["offer_id", "year"]))
    flows = _flows(solution, ctx)
    sessions = _sessions(ctx, x, flows)
    hires = _hires(solution, ctx)
    trainers = _trainers(ctx, sessions, hires)
    coverage = _coverage(ctx, flows)
    unmet = _unmet(ctx, coverage)
    programmes = _programmes(ctx, sessions, hires)
    sites = _sites(ctx, sessions)
    stages = pd.DataFrame([{
        "stage": s.stage, "status": s.status.value, "objective": s.objective,
        "bound": s.bound, "gap": s.gap, "solver_seconds": s.solver_seconds,
        "highs_status": s.highs_status, "limit_kept": s.limit_added,
    } for s in solution.stages])
    results = Results(sessions=sessions, flows=flows, trainers=trainers, coverage=coverage,
                      unmet=unmet, programmes=programmes, sites=sites, hires=hires,
                      stages=stages, summary=pd.DataFrame(columns=["metric", "value", "note"]))
    results.summary = _summary(solution, results)
    return results


def _flows(solution: Solution, ctx: ModelContext) -> pd.DataFrame:
    m = solution.plan.model
    learners = solution.component_values(m.Learners, ctx.flow_index)
    keep = learners > 1e-9
    index = [ctx.flow_index[i] for i in np.flatnonzero(keep)]
    offers = ctx.offers
    frame = pd.DataFrame(index, columns=["territory_id", "offer_id", "year"])
    frame["org_id"] = [offers[p].org_id for p in frame["offer_id"]]
    frame["org_territory_id"] = [offers[p].territory_id for p in frame["offer_id"]]
    frame["family_id"] = [offers[p].family_id for p in frame["offer_id"]]
    frame["learners"] = learners[keep]
    frame["placement_rate"] = [offers[p].placement_rate for p in frame["offer_id"]]
    frame["placed_people"] = frame["learners"] * frame["placement_rate"]
    frame["minutes"] = np.asarray(ctx.flow_minutes)[keep]
    frame["learner_minutes"] = frame["learners"] * frame["minutes"]
    mobility = ctx.data.settings.mobility_cost_per_minute
    frame["mobility_cost_eur"] = frame["learner_minutes"] * mobility
    return frame


def _sessions(ctx: ModelContext, x: pd.Series, flows: pd.DataFrame) -> pd.DataFrame:
    data = ctx.data
    offers = ctx.offers
    frame = x.rename("sessions").reset_index()
    per = flows.groupby(["offer_id", "year"]).agg(
        learners=("learners", "sum"), mobility_cost_eur=("mobility_cost_eur", "sum"))
    frame = frame.merge(per, on=["offer_id", "year"], how="left").fillna(
        {"learners": 0.0, "mobility_cost_eur": 0.0})
    o = [offers[p] for p in frame["offer_id"]]
    org_names = _names(data.organisations, "org_id")
    frame.insert(1, "org_id", [v.org_id for v in o])
    frame.insert(2, "organisation", [org_names.get(v.org_id, v.org_id) for v in o])
    frame.insert(3, "territory_id", [v.territory_id for v in o])
    frame.insert(4, "family_id", [v.family_id for v in o])
    frame.insert(5, "skill", [v.skill for v in o])
    frame.insert(6, "programme_id", [v.programme_id or "" for v in o])
    seats = np.array([v.seats for v in o])
    frame["seats_offered"] = seats * frame["sessions"].to_numpy()
    frame["fill_percent"] = _percent(frame["learners"], frame["seats_offered"])
    frame["trainer_hours"] = np.array([v.trainer_hours_per_session for v in o]) * frame["sessions"]
    frame["modules"] = np.array([v.modules_per_learner for v in o]) * frame["learners"]
    frame["session_cost_eur"] = np.array([v.cost_per_session for v in o]) * frame["sessions"]
    frame["learner_cost_eur"] = np.array([v.cost_per_learner for v in o]) * frame["learners"]
    frame["cost_eur"] = (frame["session_cost_eur"] + frame["learner_cost_eur"]
                         + frame["mobility_cost_eur"])
    return frame


def _hires(solution: Solution, ctx: ModelContext) -> pd.DataFrame:
    m = solution.plan.model
    values = solution.component_values(m.Hires, ctx.hire_index)
    frame = pd.DataFrame(ctx.hire_index, columns=["territory_id", "skill", "year"])
    frame["hired"] = values
    last = ctx.last_year
    rows = [ctx.hiring[(t, k)] for t, k in zip(frame["territory_id"], frame["skill"])]
    frame["teaching_from"] = frame["year"] + np.array([r.lead_years for r in rows], dtype=int)
    frame["cost_eur"] = frame["hired"] * np.array(
        [r.cost_per_trainer_year for r in rows]) * (last - frame["year"] + 1)
    frame["programme_id"] = [r.programme_id or "" for r in rows]
    return frame


def _trainers(ctx: ModelContext, sessions: pd.DataFrame, hires: pd.DataFrame) -> pd.DataFrame:
    """Trainer pools: hours available, hired trainers teaching (after their lead), used."""
    keys = ["territory_id", "skill", "year"]
    index = pd.MultiIndex.from_tuples([(t, k, y) for (t, k) in ctx.pools for y in ctx.years],
                                      names=keys)
    frame = pd.DataFrame(index=index)
    frame["available_hours"] = [ctx.available_hours.get(key, 0.0) for key in index]
    frame["trainers_hired"] = hires.groupby(keys)["hired"].sum().reindex(index).fillna(0.0)
    starting = hires.groupby(["territory_id", "skill", "teaching_from"])["hired"].sum()
    starting.index = starting.index.set_names(keys)
    frame["hired_trainers_teaching"] = (starting.reindex(index).fillna(0.0)
                                        .groupby(level=["territory_id", "skill"]).cumsum())
    per_trainer = [ctx.hiring[(t, k)].hours_per_trainer if (t, k) in ctx.hiring else 0.0
                   for (t, k, _) in index]
    frame["hired_hours"] = frame["hired_trainers_teaching"] * per_trainer
    frame["used_hours"] = sessions.groupby(keys)["trainer_hours"].sum().reindex(index).fillna(0.0)
    frame["capacity_hours"] = frame["available_hours"] + frame["hired_hours"]
    frame["utilisation_percent"] = _percent(frame["used_hours"], frame["capacity_hours"])
    return frame.reset_index()


def _coverage(ctx: ModelContext, flows: pd.DataFrame) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(
        [(t, j, y) for (t, j) in ctx.demand_pairs for y in ctx.years],
        names=["territory_id", "family_id", "year"])
    frame = pd.DataFrame(index=index)
    frame["demand_people"] = [ctx.demand.get(k, 0.0) for k in index]
    by = flows.groupby(["territory_id", "family_id", "year"])
    frame["trained_people"] = by["learners"].sum().reindex(index).fillna(0.0).to_numpy()
    frame["placed_people"] = by["placed_people"].sum().reindex(index).fillna(0.0).to_numpy()
    frame = frame.reset_index()
    group = frame.groupby(["territory_id", "family_id"], sort=False)
    frame["cumulative_demand_people"] = group["demand_people"].cumsum()
    frame["cumulative_placed_people"] = group["placed_people"].cumsum()
    # rounded to a millionth of a person: the subtraction of two sums leaves float
    # noise (5.6e-17 people) that a planner would otherwise read in the Unmet matrix
    frame["shortfall_people"] = np.maximum(
        0.0, frame["cumulative_demand_people"] - frame["cumulative_placed_people"]).round(6)
    frame["covered_percent"] = np.where(
        frame["cumulative_demand_people"] > 0,
        100.0 - _percent(frame["shortfall_people"], frame["cumulative_demand_people"]), 100.0)
    return frame


def _unmet(ctx: ModelContext, coverage: pd.DataFrame) -> pd.DataFrame:
    last = coverage[coverage["year"] == ctx.last_year].copy()
    last["weight"] = [ctx.weights[j] for j in last["family_id"]]
    out = pd.DataFrame({
        "territory_id": last["territory_id"], "family_id": last["family_id"],
        "demand_people": last["cumulative_demand_people"],
        "placed_people": last["cumulative_placed_people"],
        "unmet_people": last["shortfall_people"],
        "unmet_weighted": last["shortfall_people"] * last["weight"],
    })
    out["reason"] = ""
    return out.reset_index(drop=True)


def _programmes(ctx: ModelContext, sessions: pd.DataFrame, hires: pd.DataFrame) -> pd.DataFrame:
    prog = ctx.programmes
    records = []
    for g, name in zip(prog["programme_id"], prog["name"]):
        own = sessions[sessions["programme_id"] == g]
        hire_cost = float(hires.loc[hires["programme_id"] == g, "cost_eur"].sum())
        modules = float(own["modules"].sum())
        persons = float(own["learners"].sum())
        cost = float(own["cost_eur"].sum()) + hire_cost
        mt = ctx.modules_target.get(g)
        pt = ctx.persons_target.get(g)
        budget = ctx.budgets.get(g)
        records.append({
            "programme_id": g, "name": name or g,
            "modules_delivered": modules, "modules_target": mt,
            "modules_shortfall": max(0.0, mt - modules) if mt else 0.0,
            "persons_trained": persons, "persons_target": pt,
            "persons_shortfall": max(0.0, pt - persons) if pt else 0.0,
            "sessions": float(own["sessions"].sum()),
            "offers_cost_eur": float(own["cost_eur"].sum()), "hires_cost_eur": hire_cost,
            "cost_eur": cost, "budget_eur": budget,
            "budget_used_percent": (100.0 * cost / budget) if budget else None,
        })
    return pd.DataFrame(records, columns=[
        "programme_id", "name", "modules_delivered", "modules_target", "modules_shortfall",
        "persons_trained", "persons_target", "persons_shortfall", "sessions",
        "offers_cost_eur", "hires_cost_eur", "cost_eur", "budget_eur", "budget_used_percent"])


def _sites(ctx: ModelContext, sessions: pd.DataFrame) -> pd.DataFrame:
    frame = sessions.groupby(["org_id", "organisation", "territory_id", "year"],
                             sort=False, as_index=False)["trainer_hours"].sum()
    frame = frame.rename(columns={"trainer_hours": "hours_used"})
    frame["capacity_hours"] = frame["org_id"].map(ctx.site_capacity)
    cap = frame["capacity_hours"].to_numpy(float)
    frame["utilisation_percent"] = np.where(np.isnan(cap), np.nan,
                                            _percent(frame["hours_used"], np.nan_to_num(cap)))
    return frame


def recomputed_stage_values(ctx: ModelContext, results: Results) -> dict[str, float]:
    """Each stage objective recomputed from the tables alone (reconciliation)."""
    cov = results.coverage
    weights = cov["family_id"].map(ctx.weights)
    last = cov["year"] == ctx.last_year
    prog = results.programmes
    targets = 0.0
    for _, row in prog.iterrows():
        if row["modules_target"]:
            targets += row["modules_shortfall"] / row["modules_target"]
        if row["persons_target"]:
            targets += row["persons_shortfall"] / row["persons_target"]
    return {
        "targets": targets,
        "unmet": float((cov.loc[last, "shortfall_people"] * weights[last]).sum()),
        "timeliness": float((cov.loc[~last, "shortfall_people"] * weights[~last]).sum()),
        "cost": float(results.sessions["cost_eur"].sum() + results.hires["cost_eur"].sum()),
        "travel": float(results.flows["learner_minutes"].sum()),
    }


def _summary(solution: Solution, results: Results) -> pd.DataFrame:
    ctx = solution.plan.context
    data = ctx.data
    unmet = results.unmet
    demand = float(results.coverage["demand_people"].sum())
    unmet_people = float(unmet["unmet_people"].sum())
    rows: list[tuple[str, Any, str]] = [
        ("scenario", data.settings.scenario_name, "Settings scenario_name"),
        ("status", solution.status.value, _status_note(solution)),
    ]
    for s in solution.stages:
        rows.append((f"stage_{s.stage}", s.objective, f"{s.status.value}; {_stage_note(s.stage)}"))
    rows += [
        ("demand_people", demand, f"people to train for, {ctx.first_year}-{ctx.last_year}"),
        ("unmet_people", unmet_people, f"cumulative unmet demand at the end of {ctx.last_year}"),
        ("unmet_weighted", float(unmet["unmet_weighted"].sum()), "unmet people x family weight"),
        ("coverage_percent", 100.0 * (1 - unmet_people / demand) if demand else 100.0,
         "share of demand met by the end of the last year"),
        ("trained_people", float(results.flows["learners"].sum()), "learners, all years"),
        ("placed_people", float(results.flows["placed_people"].sum()),
         "learners x placement rate, all years"),
        ("modules_delivered", float(results.sessions["modules"].sum()), "all offers, all years"),
        ("cost_eur", recomputed_stage_values(ctx, results)["cost"],
         "sessions, learners, mobility and hires, EUR"),
        ("travel_learner_minutes", float(results.flows["learner_minutes"].sum()),
         "one-way learner-minutes"),
        ("sessions_total", float(results.sessions["sessions"].sum()), "all offers, all years"),
        ("trainers_hired", float(results.trainers["trainers_hired"].sum()),
         "all pools, all years"),
        ("mip_gap", solution.mip_gap,
         "largest relative gap over the stages" if solution.mip_gap is not None
         else "unknown: a limit stopped a stage before any bound was proven"),
        ("solve_seconds", solution.solver_seconds, "HiGHS's own time, all stages"),
        ("wall_seconds", None, "the whole command, reading to writing"),
    ]
    return pd.DataFrame(rows, columns=["metric", "value", "note"])


def _status_note(solution: Solution) -> str:
    """What the status means for this plan; a plan a limit stopped says so in capitals."""
    if solution.status is StageStatus.FEASIBLE:
        gap = solution.mip_gap
        return ("NOT PROVEN OPTIMAL: a limit stopped the search; the largest gap is "
                + ("unknown" if gap is None else f"{gap:.2%}") + " (mip_gap below)")
    return "optimal: every stage solved to its optimum (within mip_gap)"


def _stage_note(stage: str) -> str:
    return STAGE_MEANING.get(stage, "")
