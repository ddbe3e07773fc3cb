"""Tidy result tables from a solved model, and the Summary metrics (SPEC 5).

Values are read in bulk from the solver's column vector; every table is
built with pandas from the index lists of the derived facts, never value
by value through Pyomo.  Column names carry their unit (``_people``,
``_hours``, ``_eur``, ``_minutes``, ``_percent``).  :func:`extract` builds
them all at once and returns them frozen: explanations
(:mod:`planner.explain`) are their own object, and the run's own figures
(``wall_seconds``) belong to the run record.

Multi-year programmes: a session counts where it starts (``Sessions``,
``Flows``: learners who start), runs (``Trainers``, ``Organisations``,
``Pipeline``: cohorts running, plan and InTraining) and completes
(``Coverage``: completers placed in their completion year).

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

from planner.data.schema import IN_TRAINING_SHEET, STAGE_MEANING
from planner.derived import Derived
from planner.solve import Solution, StageResult
from planner.solve.progress import stage_figure
from planner.status import Status

SUMMARY_METRICS = (
    "scenario", "status", "demand_people", "unmet_people", "unmet_weighted",
    "coverage_percent", "trained_people", "placed_people", "modules_delivered",
    "started_people", "cost_eur", "travel_learner_minutes", "sessions_total",
    "trainers_hired", "mip_gap", "interrupted", "solve_seconds", "wall_seconds",
)
"""Metric names of SPEC 5 (plus one ``stage_<name>`` per stage, after ``status``).
``wall_seconds`` is the run's own figure: the writer adds it from the run record."""

PLAN = "plan"
IN_TRAINING = IN_TRAINING_SHEET
"""``source`` values of the Pipeline table: what the plan starts, the cohorts already running."""


@dataclass(frozen=True)
class Results:
    """Every result table of one solved scenario, built at once and never changed."""

    sessions: pd.DataFrame
    flows: pd.DataFrame
    running: pd.DataFrame
    """Per offer and planning year: sessions running (plan and InTraining) and their hours."""
    trainers: pd.DataFrame
    coverage: pd.DataFrame
    unmet: pd.DataFrame
    pipeline: pd.DataFrame
    programmes: pd.DataFrame
    sites: pd.DataFrame
    hires: pd.DataFrame
    summary: pd.DataFrame

    def metric(self, name: str) -> Any:
        row = self.summary.loc[self.summary["metric"] == name, "value"]
        if row.empty:
            raise KeyError(name)
        return row.iloc[0]


def _percent(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """100 * n / d, and 0 where d is 0 (no NaN reaches a table)."""
    n = np.asarray(numerator, dtype=float)
    d = np.asarray(denominator, dtype=float)
    out = np.zeros_like(n)
    np.divide(100.0 * n, d, out=out, where=d > 0)
    return out


def extract(solution: Solution, *, interrupted: bool = False) -> Results:
    """All result tables of a usable solution."""
    if not solution.usable:
        raise ValueError("no usable solution: nothing to extract")
    d = solution.plan.derived
    m = solution.plan.model
    x = pd.Series(solution.component_values(m.Sessions), index=pd.MultiIndex.from_tuples(
        list(m.SESSION_INDEX), names=["offer_id", "year"]))
    flows = _flows(solution, d)
    sessions = _sessions(d, x, flows)
    running = _running(d, sessions)
    hires = _hires(solution, d)
    trainers = _trainers(d, running, hires)
    coverage = _coverage(d, flows)
    unmet = _unmet(d, coverage)
    pipeline = _pipeline(d, sessions)
    programmes = _programmes(d, sessions, hires)
    sites = _sites(d, running)
    tables = dict(sessions=sessions, flows=flows, running=running, trainers=trainers,
                  coverage=coverage, unmet=unmet, pipeline=pipeline, programmes=programmes,
                  sites=sites, hires=hires)
    summary = _summary(solution, tables, interrupted)
    return Results(summary=summary, **tables)


def _flows(solution: Solution, d: Derived) -> pd.DataFrame:
    """Learners who start an offer, by home territory and start year."""
    m = solution.plan.model
    learners = solution.component_values(m.Learners, d.flow_index)
    keep = learners > 1e-9
    index = [d.flow_index[i] for i in np.flatnonzero(keep)]
    offers = [d.offers[key[1]] for key in index]
    frame = pd.DataFrame(index, columns=["territory_id", "offer_id", "year"])
    frame["org_id"] = [o.org_id for o in offers]
    frame["org_territory_id"] = [o.territory_id for o in offers]
    frame["family_id"] = [o.family_id for o in offers]
    frame["completion_year"] = [o.completion_year(y) for o, y in zip(offers, frame["year"])]
    frame["learners"] = learners[keep]
    frame["completing_people"] = frame["learners"] * [o.completion_rate for o in offers]
    frame["placement_rate"] = [o.placement_rate for o in offers]
    frame["placed_people"] = frame["completing_people"] * frame["placement_rate"]
    frame["minutes"] = np.asarray(d.flow_minutes)[keep]
    frame["learner_minutes"] = frame["learners"] * frame["minutes"]
    mobility = d.data.settings.mobility_cost_per_minute
    frame["mobility_cost_eur"] = frame["learner_minutes"] * mobility
    return frame


def _sessions(d: Derived, x: pd.Series, flows: pd.DataFrame) -> pd.DataFrame:
    """Sessions by offer and start year, with their learners, completers and cost."""
    offers = d.offers
    first, last = d.first_year, d.last_year
    frame = x.rename("sessions").reset_index()
    per = flows.groupby(["offer_id", "year"]).agg(
        learners=("learners", "sum"), completing_people=("completing_people", "sum"),
        mobility_cost_eur=("mobility_cost_eur", "sum"))
    frame = frame.merge(per, on=["offer_id", "year"], how="left").fillna(
        {"learners": 0.0, "completing_people": 0.0, "mobility_cost_eur": 0.0})
    o = [offers[p] for p in frame["offer_id"]]
    frame.insert(1, "org_id", [v.org_id for v in o])
    frame.insert(2, "organisation", [d.labels.organisations.get(v.org_id) or v.org_id
                                     for v in o])
    frame.insert(3, "territory_id", [v.territory_id for v in o])
    frame.insert(4, "family_id", [v.family_id for v in o])
    frame.insert(5, "skill", [v.skill for v in o])
    frame.insert(6, "programme_id", [v.programme_id or "" for v in o])
    frame.insert(8, "completion_year", [v.completion_year(y) for v, y in zip(o, frame["year"])])
    frame.insert(9, "duration_years", [v.duration_years for v in o])
    years_run = np.array([v.years_run(y, first, last) for v, y in zip(o, frame["year"])],
                         dtype=float)
    seats = np.array([v.seats for v in o])
    frame["seats_offered"] = seats * frame["sessions"].to_numpy()
    frame["fill_percent"] = _percent(frame["learners"], frame["seats_offered"])
    frame["trainer_hours_per_year"] = (np.array([v.trainer_hours_per_session for v in o])
                                       * frame["sessions"])
    completes = (frame["completion_year"] <= last).to_numpy()
    frame["modules"] = np.where(completes, np.array([v.modules_per_learner for v in o])
                                * frame["completing_people"], 0.0)
    frame["session_cost_eur"] = (np.array([v.cost_per_session for v in o]) * years_run
                                 * frame["sessions"])
    frame["learner_cost_eur"] = (np.array([v.cost_per_learner for v in o]) * years_run
                                 * frame["learners"])
    frame["cost_eur"] = (frame["session_cost_eur"] + frame["learner_cost_eur"]
                         + frame["mobility_cost_eur"])
    return frame


def _running(d: Derived, sessions: pd.DataFrame) -> pd.DataFrame:
    """Per offer and planning year: sessions running (plan, InTraining) and their hours."""
    plan = dict(zip(zip(sessions["offer_id"], sessions["year"]), sessions["sessions"]))
    records = []
    for p, o in d.offers.items():
        for y in d.years:
            started = sum(plan.get((p, s), 0.0) for s in o.starts_running_in(y, d.years))
            cohort = d.cohort_sessions.get((p, y), 0.0)
            records.append((p, o.org_id, o.territory_id, o.skill, y, started, cohort,
                            (started + cohort) * o.trainer_hours_per_session))
    return pd.DataFrame(records, columns=[
        "offer_id", "org_id", "territory_id", "skill", "year", "sessions_running_plan",
        "sessions_running_intraining", "trainer_hours"])


def _hires(solution: Solution, d: Derived) -> pd.DataFrame:
    m = solution.plan.model
    values = solution.component_values(m.Hires, d.hire_index)
    frame = pd.DataFrame(d.hire_index, columns=["territory_id", "skill", "year"])
    frame["hired"] = values
    rows = [d.hiring[(t, k)] for t, k in zip(frame["territory_id"], frame["skill"])]
    frame["teaching_from"] = [r.teaches_from(y) for r, y in zip(rows, frame["year"])]
    frame["cost_eur"] = frame["hired"] * [r.cost(y, d.last_year)
                                          for r, y in zip(rows, frame["year"])]
    frame["programme_id"] = [r.programme_id or "" for r in rows]
    return frame


def _trainers(d: Derived, running: pd.DataFrame, hires: pd.DataFrame) -> pd.DataFrame:
    """Trainer pools: hours available, hired trainers teaching (after their lead), used."""
    keys = ["territory_id", "skill", "year"]
    index = pd.MultiIndex.from_tuples([(t, k, y) for (t, k) in d.pools for y in d.years],
                                      names=keys)
    frame = pd.DataFrame(index=index)
    frame["available_hours"] = [d.available_hours.get(key, 0.0) for key in index]
    frame["trainers_hired"] = hires.groupby(keys)["hired"].sum().reindex(index).fillna(0.0)
    starting = hires.groupby(["territory_id", "skill", "teaching_from"])["hired"].sum()
    starting.index = starting.index.set_names(keys)
    frame["hired_trainers_teaching"] = (starting.reindex(index).fillna(0.0)
                                        .groupby(level=["territory_id", "skill"]).cumsum())
    per_trainer = [d.hiring[(t, k)].hours_per_trainer if (t, k) in d.hiring else 0.0
                   for (t, k, _) in index]
    frame["hired_hours"] = frame["hired_trainers_teaching"] * per_trainer
    frame["used_hours"] = running.groupby(keys)["trainer_hours"].sum().reindex(index).fillna(0.0)
    frame["capacity_hours"] = frame["available_hours"] + frame["hired_hours"]
    frame["utilisation_percent"] = _percent(frame["used_hours"], frame["capacity_hours"])
    return frame.reset_index()


def _coverage(d: Derived, flows: pd.DataFrame) -> pd.DataFrame:
    """Demand, completers and placed people by completion year, and the cumulative shortfall."""
    index = pd.MultiIndex.from_tuples(
        [(t, j, y) for (t, j) in d.demand_pairs for y in d.years],
        names=["territory_id", "family_id", "year"])
    frame = pd.DataFrame(index=index)
    frame["demand_people"] = [d.demand.get(k, 0.0) for k in index]
    by = flows.groupby(["territory_id", "family_id", "completion_year"])
    completing = by["completing_people"].sum()
    placed = by["placed_people"].sum()
    for series in (completing, placed):
        series.index = series.index.set_names(index.names)
    cohort_completing, cohort_placed = _cohort_completers(d)
    frame["trained_people"] = (completing.reindex(index).fillna(0.0).to_numpy()
                               + [cohort_completing.get(k, 0.0) for k in index])
    frame["placed_people"] = (placed.reindex(index).fillna(0.0).to_numpy()
                              + [cohort_placed.get(k, 0.0) for k in index])
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


def _cohort_completers(d: Derived) -> tuple[dict, dict]:
    """(home, family, year) -> InTraining completers, and placed, in their completion year."""
    completing: dict[tuple[str, str, int], float] = {}
    for c in d.cohorts:
        o = d.offers[c.offer_id]
        key = (c.territory_id, o.family_id, o.completion_year(c.start_year))
        if key[2] <= d.last_year:
            completing[key] = completing.get(key, 0.0) + c.learners * o.completion_rate
    return completing, dict(d.cohort_placed)


def _unmet(d: Derived, coverage: pd.DataFrame) -> pd.DataFrame:
    last = coverage[coverage["year"] == d.last_year].copy()
    last["weight"] = [d.weights[j] for j in last["family_id"]]
    return pd.DataFrame({
        "territory_id": last["territory_id"], "family_id": last["family_id"],
        "demand_people": last["cumulative_demand_people"],
        "placed_people": last["cumulative_placed_people"],
        "unmet_people": last["shortfall_people"],
        "unmet_weighted": last["shortfall_people"] * last["weight"],
    }).reset_index(drop=True)


PIPELINE_COLUMNS = ["family_id", "family", "year", "source", "cohorts_running",
                    "learners_in_training", "completing_people", "placed_people"]


def _pipeline(d: Derived, sessions: pd.DataFrame) -> pd.DataFrame:
    """Per family, planning year and source (plan, InTraining): the cohorts in training.

    A cohort's learners are in training in every planning year it runs; its
    completers (learners x completion) complete, and are placed (x placement),
    at the end of its completion year.
    """
    totals: dict[tuple[str, int, str], list[float]] = {}

    def add(family: str, start: int, o: Any, sessions_: float, learners: float,
            source: str) -> None:
        for y in d.years:
            if not o.runs_in(start, y):
                continue
            row = totals.setdefault((family, y, source), [0.0, 0.0, 0.0, 0.0])
            row[0] += sessions_
            row[1] += learners
            if y == o.completion_year(start):
                row[2] += learners * o.completion_rate
                row[3] += learners * o.placed_per_learner

    for p, y, n, learners in zip(sessions["offer_id"], sessions["year"], sessions["sessions"],
                                 sessions["learners"]):
        if n > 0 or learners > 0:
            o = d.offers[p]
            add(o.family_id, int(y), o, float(n), float(learners), PLAN)
    for c in d.cohorts:
        o = d.offers[c.offer_id]
        add(o.family_id, c.start_year, o, c.sessions, c.learners, IN_TRAINING)
    order = {j: k for k, j in enumerate(d.data.families["family_id"])}
    records = [(j, d.labels.families.get(j) or j, y, source, *values)
               for (j, y, source), values in sorted(
                   totals.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1],
                                                   kv[0][2] != PLAN))]
    return pd.DataFrame(records, columns=PIPELINE_COLUMNS)


def _programmes(d: Derived, sessions: pd.DataFrame, hires: pd.DataFrame) -> pd.DataFrame:
    records = []
    last = d.last_year
    for g in d.data.programmes["programme_id"]:
        own = sessions[sessions["programme_id"] == g]
        done = own[own["completion_year"] <= last]
        hire_cost = float(hires.loc[hires["programme_id"] == g, "cost_eur"].sum())
        cohort_cost = d.programme_cohort_cost(g)
        modules = float(done["modules"].sum())
        persons = float(done["completing_people"].sum())
        offers_cost = float(own["cost_eur"].sum())
        cost = offers_cost + cohort_cost + hire_cost
        mt, pt, budget = d.modules_target.get(g), d.persons_target.get(g), d.budgets.get(g)
        records.append({
            "programme_id": g, "name": d.programme_names.get(g, g),
            "modules_delivered": modules, "modules_target": mt,
            "modules_shortfall": max(0.0, mt - modules) if mt else 0.0,
            "persons_trained": persons, "persons_target": pt,
            "persons_shortfall": max(0.0, pt - persons) if pt else 0.0,
            "sessions": float(own["sessions"].sum()),
            "offers_cost_eur": offers_cost, "intraining_cost_eur": cohort_cost,
            "hires_cost_eur": hire_cost, "cost_eur": cost, "budget_eur": budget,
            "budget_used_percent": (100.0 * cost / budget) if budget else None,
        })
    return pd.DataFrame(records, columns=[
        "programme_id", "name", "modules_delivered", "modules_target", "modules_shortfall",
        "persons_trained", "persons_target", "persons_shortfall", "sessions",
        "offers_cost_eur", "intraining_cost_eur", "hires_cost_eur", "cost_eur", "budget_eur",
        "budget_used_percent"])


def _sites(d: Derived, running: pd.DataFrame) -> pd.DataFrame:
    frame = running.groupby(["org_id", "territory_id", "year"], sort=False,
                         as_index=False)["trainer_hours"].sum()
    frame.insert(1, "organisation", [d.labels.organisations.get(o) or o
                                     for o in frame["org_id"]])
    frame = frame.rename(columns={"trainer_hours": "hours_used"})
    frame["capacity_hours"] = frame["org_id"].map(d.site_capacity)
    cap = frame["capacity_hours"].to_numpy(float)
    frame["utilisation_percent"] = np.where(np.isnan(cap), np.nan,
                                            _percent(frame["hours_used"], np.nan_to_num(cap)))
    return frame


def recomputed_stage_values(d: Derived, results: Results) -> dict[str, float]:
    """Each stage objective recomputed from the tables alone (reconciliation)."""
    cov = results.coverage
    weights = cov["family_id"].map(d.weights)
    last = cov["year"] == d.last_year
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
        "cost": total_cost(d, results.sessions, results.hires),
        "travel": float(results.flows["learner_minutes"].sum()),
    }


def total_cost(d: Derived, sessions: pd.DataFrame, hires: pd.DataFrame) -> float:
    """Sessions, learners, mobility, hires and the InTraining cohorts, in EUR."""
    return float(sessions["cost_eur"].sum() + hires["cost_eur"].sum()
                 + sum(d.cohort_cost.values()))


def _summary(solution: Solution, t: dict[str, pd.DataFrame], interrupted: bool) -> pd.DataFrame:
    d = solution.plan.derived
    unmet, flows, coverage = t["unmet"], t["flows"], t["coverage"]
    demand = float(coverage["demand_people"].sum())
    unmet_people = float(unmet["unmet_people"].sum())
    within = flows["completion_year"] <= d.last_year
    cohort_completing = sum(c.learners * d.offers[c.offer_id].completion_rate
                            for c in d.cohorts
                            if d.offers[c.offer_id].completion_year(c.start_year) <= d.last_year)
    cohort_placed = sum(d.cohort_placed.values())
    cohort_modules = sum(c.learners * d.offers[c.offer_id].completion_rate
                         * d.offers[c.offer_id].modules_per_learner for c in d.cohorts
                         if d.offers[c.offer_id].completion_year(c.start_year) <= d.last_year)
    years = f"{d.first_year}-{d.last_year}"
    rows: list[tuple[str, Any, str]] = [
        ("scenario", d.data.settings.scenario_name, "Settings scenario_name"),
        ("status", solution.status.value, _status_note(solution, interrupted)),
    ]
    for s in solution.stages:
        rows.append((f"stage_{s.stage}", s.objective,
                     f"{stage_trust(s)}; {STAGE_MEANING.get(s.stage, '')}"))
    rows += [
        ("demand_people", demand, f"people to train for, {years}"),
        ("unmet_people", unmet_people, f"cumulative unmet demand at the end of {d.last_year}"),
        ("unmet_weighted", float(unmet["unmet_weighted"].sum()), "unmet people x family weight"),
        ("coverage_percent", 100.0 * (1 - unmet_people / demand) if demand else 100.0,
         "share of demand met by the end of the last year"),
        ("trained_people", float(flows.loc[within, "completing_people"].sum())
         + cohort_completing,
         f"learners who complete within {years} (InTraining cohorts included)"),
        ("placed_people", float(flows.loc[within, "placed_people"].sum()) + cohort_placed,
         "completers x placement rate, within the planning years"),
        ("modules_delivered", float(t["sessions"]["modules"].sum()) + cohort_modules,
         "modules of those completers"),
        ("started_people", float(flows["learners"].sum()),
         f"learners the plan starts, {years}"),
        ("cost_eur", total_cost(d, t["sessions"], t["hires"]),
         "sessions, learners, mobility, hires and InTraining cohorts in the planning years, "
         "EUR"),
        ("travel_learner_minutes", float(flows["learner_minutes"].sum()),
         "one-way learner-minutes"),
        ("sessions_total", float(t["sessions"]["sessions"].sum()),
         "sessions the plan starts, all years"),
        ("trainers_hired", float(t["trainers"]["trainers_hired"].sum()),
         "all pools, all years"),
        ("mip_gap", solution.mip_gap,
         "largest relative gap over the stages" if solution.mip_gap is not None
         else "unknown: a limit stopped a stage before any bound was proven"),
        ("interrupted", bool(interrupted),
         "TRUE: Ctrl-C stopped the solve; this is the best plan found until then"),
        ("solve_seconds", solution.solver_seconds, "HiGHS's own time, all stages"),
    ]
    return pd.DataFrame(rows, columns=["metric", "value", "note"])


def stage_trust(stage: StageResult) -> str:
    """How far a stage's value may be from its optimum, in the stage's own unit.

    ``optimal``; ``within 1.23 %: at most 27 000 learner-minutes to gain``;
    or ``not proven: no bound yet``.
    """
    if stage.status is Status.OPTIMAL:
        return "optimal"
    if stage.gap is None or stage.bound is None or stage.objective is None:
        return f"{stage.status.value}, not proven: no bound yet"
    room = max(0.0, stage.objective - stage.bound)
    return (f"{stage.status.value}, within {100 * stage.gap:.2f} %: at most "
            f"{stage_figure(stage.stage, room)} to gain")


def _status_note(solution: Solution, interrupted: bool) -> str:
    """What the status means for this plan; a plan a limit stopped says so in capitals."""
    if solution.status is Status.FEASIBLE:
        gap = solution.mip_gap
        why = "Ctrl-C stopped the search" if interrupted else "a limit stopped the search"
        return (f"NOT PROVEN OPTIMAL: {why}; the largest gap is "
                + ("unknown" if gap is None else f"{gap:.2%}") + " (mip_gap below)")
    return "optimal: every stage solved to its optimum (within mip_gap)"
