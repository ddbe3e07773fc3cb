"""Facts derived from the planning data, worked out once, before the model, then frozen.

The pre-solve checks, the model, the result tables, the invariants and the
explanations all read this object and never recompute its lookups from the
raw tables: the sparse index sets (flows only for (home territory, offer)
pairs in the access set, hires only where TrainerHiring has a row and an
offer needs the pool, shortfalls only for (territory, family) pairs with
Demand rows), each offer's and each hiring row's rules (when a session runs
and completes, when a hire teaches), the cohorts already in training, the
targets, budgets, and how an identifier is named in a message.

Multi-year programmes (SPEC 4.2, revision 2): a session of offer p started
in year y runs in years y .. y + d_p - 1 (those within the planning years
use trainer and site hours and cost money) and its learners complete at the
end of year y + d_p - 1.  ``InTraining`` cohorts are constants: the
sessions running in each planning year (:attr:`Derived.cohort_sessions`),
the placed completers per (territory, family, year), their cost.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from planner.data.schema import IN_TRAINING_SHEET
from planner.data.tables import ROW, PlanningData
from planner.data.travel import access_pairs, travel_limits, travel_minutes
from planner.words import row_number


def _opt(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


@dataclass(frozen=True)
class Offer:
    """One Offers row, typed, with the rules of its sessions."""

    offer_id: str
    org_id: str
    territory_id: str
    family_id: str
    skill: str
    programme_id: str | None
    seats: float
    min_learners: float
    trainer_hours_per_session: float
    modules_per_learner: float
    cost_per_session: float
    cost_per_learner: float
    max_sessions: float
    committed: float
    baseline: float | None
    max_new: float | None
    placement_rate: float
    duration_years: int
    completion_rate: float
    row: int | None

    def completion_year(self, start: int) -> int:
        """The year at whose end a session started in ``start`` completes."""
        return start + self.duration_years - 1

    def runs_in(self, start: int, year: int) -> bool:
        """A session started in ``start`` is running in ``year``."""
        return start <= year <= self.completion_year(start)

    def starts_running_in(self, year: int, years: tuple[int, ...]) -> list[int]:
        """The planning years whose starts are still running in ``year``."""
        return [s for s in years if self.runs_in(s, year)]

    def years_run(self, start: int, first: int, last: int) -> int:
        """Planning years (first..last) a session started in ``start`` runs in."""
        return max(0, min(self.completion_year(start), last) - max(start, first) + 1)

    @property
    def placed_per_learner(self) -> float:
        """People placed per learner started: completion x placement."""
        return self.completion_rate * self.placement_rate


@dataclass(frozen=True)
class Hiring:
    """One TrainerHiring row, typed."""

    territory_id: str
    skill: str
    max_new_per_year: float
    hours_per_trainer: float
    lead_years: int
    cost_per_trainer_year: float
    programme_id: str | None
    row: int | None

    def teaches_from(self, hire_year: int) -> int:
        """A trainer hired in ``hire_year`` teaches from this year on."""
        return hire_year + self.lead_years

    def most_hours(self, year: int, first: int) -> float:
        """Hours the most hiring allowed since ``first`` can teach in ``year``."""
        hiring_years = max(0, year - self.lead_years - first + 1)
        return self.max_new_per_year * hiring_years * self.hours_per_trainer

    def cost(self, hire_year: int, last: int) -> float:
        """A hire's cost: cost_per_trainer_year from the hiring year to ``last``."""
        return self.cost_per_trainer_year * (last - hire_year + 1)


@dataclass(frozen=True)
class Cohort:
    """One InTraining row: a cohort that started before the planning years."""

    offer_id: str
    start_year: int
    sessions: float
    learners: float
    territory_id: str
    row: int | None


@dataclass(frozen=True)
class Labels:
    """How identifiers are named in messages and tables: ``Lille (3216)``."""

    territories: Mapping[str, str]
    organisations: Mapping[str, str]
    families: Mapping[str, str]

    def territory(self, t: str) -> str:
        return _label(self.territories.get(t), t)

    def organisation(self, o: str) -> str:
        return _label(self.organisations.get(o), o)

    def family(self, j: str) -> str:
        return _label(self.families.get(j), j)


def _label(name: str | None, key: str) -> str:
    return f"{name} ({key})" if name and name != key else key


@dataclass(frozen=True)
class Derived:
    """Everything the model and its readers need, derived once from :class:`PlanningData`."""

    data: PlanningData
    years: tuple[int, ...]
    integer: bool
    labels: Labels
    offers: Mapping[str, Offer]
    org_territory: Mapping[str, str]
    travel: pd.DataFrame
    """Minutes from every territory to each territory hosting an offer
    (:func:`planner.data.travel.travel_minutes`)."""
    travel_limits: pd.Series
    """Each territory's travel limit in minutes."""
    access: pd.DataFrame
    """Access set A: territory_id, offer_id, org_territory, minutes."""
    flow_index: list[tuple[str, str, int]]
    flow_minutes: list[float]
    flows_by_offer_year: Mapping[tuple[str, int], list[int]]
    demand: Mapping[tuple[str, str, int], float]
    demand_pairs: list[tuple[str, str]]
    cumulative_demand: Mapping[tuple[str, str, int], float]
    weights: Mapping[str, float]
    site_capacity: Mapping[str, float]
    offers_by_org: Mapping[str, list[str]]
    pools: Mapping[tuple[str, str], list[str]]
    """(territory, skill) -> offers located there needing that skill."""
    available_hours: Mapping[tuple[str, str, int], float]
    hiring: Mapping[tuple[str, str], Hiring]
    hire_index: list[tuple[str, str, int]]
    modules_target: Mapping[str, float]
    persons_target: Mapping[str, float]
    budgets: Mapping[str, float]
    programme_names: Mapping[str, str]
    cohorts: tuple[Cohort, ...]
    """InTraining cohorts still running in the planning years (completed ones dropped)."""
    cohort_sessions: Mapping[tuple[str, int], float]
    """(offer, planning year) -> InTraining sessions of the offer running that year."""
    cohort_placed: Mapping[tuple[str, str, int], float]
    """(home territory, family, completion year) -> placed InTraining completers."""
    cohort_cost: Mapping[str, float]
    """Offer -> cost of its InTraining cohorts in the planning years (EUR)."""

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def cohort_hours(self, offer_ids: list[str], year: int) -> float:
        """Trainer (and site) hours the InTraining cohorts of ``offer_ids`` use in ``year``."""
        return sum(self.cohort_sessions.get((p, year), 0.0)
                   * self.offers[p].trainer_hours_per_session for p in offer_ids)

    def programme_cohort_cost(self, programme_id: str) -> float:
        return sum(cost for p, cost in self.cohort_cost.items()
                   if self.offers[p].programme_id == programme_id)


def derive(data: PlanningData) -> Derived:
    """The derived facts of validated planning data.

    The loader derives them once and keeps them on the data
    (``PlanningData.derived``) for the model to read; data built otherwise
    (tests, scenario copies) is derived here, each time it is asked.
    """
    if data.derived is not None and data.derived.data is data:
        return data.derived
    return _derive(data)


def _derive(data: PlanningData) -> Derived:
    s = data.settings
    years = s.years
    last = years[-1]
    org_terr = dict(zip(data.organisations["org_id"], data.organisations["territory_id"]))

    offers: dict[str, Offer] = {}
    for r in data.offers.to_dict("records"):
        offers[r["offer_id"]] = Offer(
            offer_id=r["offer_id"], org_id=r["org_id"], territory_id=org_terr[r["org_id"]],
            family_id=r["family_id"], skill=r["skill"], programme_id=r["programme_id"],
            seats=float(r["seats"]), min_learners=float(r["min_learners"]),
            trainer_hours_per_session=float(r["trainer_hours_per_session"]),
            modules_per_learner=float(r["modules_per_learner"]),
            cost_per_session=float(r["cost_per_session"]),
            cost_per_learner=float(r["cost_per_learner"]),
            max_sessions=float(r["max_sessions_per_year"]),
            committed=float(r["committed_sessions_per_year"]),
            baseline=_opt(r["baseline_sessions"]), max_new=_opt(r["max_new_sessions_per_year"]),
            placement_rate=float(r["placement_rate"]),
            duration_years=int(r["duration_years"]), completion_rate=float(r["completion_rate"]),
            row=row_number(r[ROW]),
        )

    travel = travel_minutes(data) if offers else pd.DataFrame(
        columns=["from_territory", "to_territory", "minutes", "source"])
    access = access_pairs(data, travel) if offers else pd.DataFrame(
        columns=["territory_id", "offer_id", "org_territory", "minutes"])
    flow_index: list[tuple[str, str, int]] = []
    flow_minutes: list[float] = []
    flows_by_offer_year: dict[tuple[str, int], list[int]] = defaultdict(list)
    for t, p, minutes in zip(access["territory_id"], access["offer_id"], access["minutes"]):
        for y in years:
            flows_by_offer_year[(p, y)].append(len(flow_index))
            flow_index.append((t, p, y))
            flow_minutes.append(float(minutes))

    demand: dict[tuple[str, str, int], float] = {}
    for t, j, y, people in zip(data.demand["territory_id"], data.demand["family_id"],
                               data.demand["year"], data.demand["people"]):
        demand[(t, j, int(y))] = float(people)
    demand_pairs = list(dict.fromkeys((t, j) for t, j, _ in demand))
    cumulative: dict[tuple[str, str, int], float] = {}
    for (t, j) in demand_pairs:
        total = 0.0
        for y in years:
            total += demand.get((t, j, y), 0.0)
            cumulative[(t, j, y)] = total

    site_capacity = {o: float(c) for o, c in zip(data.organisations["org_id"],
                                                 data.organisations["capacity_hours"])
                     if not math.isnan(c)}
    offers_by_org: dict[str, list[str]] = defaultdict(list)
    pools: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in offers.values():
        offers_by_org[o.org_id].append(o.offer_id)
        pools[(o.territory_id, o.skill)].append(o.offer_id)

    available_hours = {(t, k, int(y)): float(h) for t, k, y, h in zip(
        data.trainers["territory_id"], data.trainers["skill"], data.trainers["year"],
        data.trainers["available_hours"])}

    hiring: dict[tuple[str, str], Hiring] = {}
    hire_index: list[tuple[str, str, int]] = []
    for r in data.hiring.to_dict("records"):
        key = (r["territory_id"], r["skill"])
        if key not in pools:
            continue  # nobody teaches that skill there: a hire could never be used
        row = Hiring(r["territory_id"], r["skill"], float(r["max_new_per_year"]),
                     float(r["hours_per_trainer"]), int(r["lead_years"]),
                     float(r["cost_per_trainer_year"]), r["programme_id"], row_number(r[ROW]))
        hiring[key] = row
        hire_index.extend((key[0], key[1], y) for y in years if row.teaches_from(y) <= last)

    prog = data.programmes
    modules = {g: float(v) for g, v in zip(prog["programme_id"], prog["modules_target"])
               if not math.isnan(v) and v > 0}
    persons = {g: float(v) for g, v in zip(prog["programme_id"], prog["persons_target"])
               if not math.isnan(v) and v > 0}
    budgets = {g: float(v) for g, v in zip(prog["programme_id"], prog["budget"])
               if not math.isnan(v)}

    cohorts, cohort_sessions, cohort_placed, cohort_cost = _cohorts(data, offers, years)
    names = dict(zip(data.territories["territory_id"], data.territories["name"]))
    return Derived(
        data=data, years=years, integer=bool(s.integer_sessions),
        labels=Labels(names, dict(zip(data.organisations["org_id"],
                                      data.organisations["name"])),
                      dict(zip(data.families["family_id"], data.families["name"]))),
        offers=offers, org_territory=org_terr, travel=travel,
        travel_limits=travel_limits(data), access=access, flow_index=flow_index,
        flow_minutes=flow_minutes, flows_by_offer_year=dict(flows_by_offer_year),
        demand=demand, demand_pairs=demand_pairs, cumulative_demand=cumulative,
        weights=dict(zip(data.families["family_id"], data.families["weight"].astype(float))),
        site_capacity=site_capacity, offers_by_org=dict(offers_by_org), pools=dict(pools),
        available_hours=available_hours, hiring=hiring, hire_index=hire_index,
        modules_target=modules, persons_target=persons, budgets=budgets,
        programme_names={g: (n or g) for g, n in zip(prog["programme_id"], prog["name"])},
        cohorts=cohorts, cohort_sessions=cohort_sessions, cohort_placed=cohort_placed,
        cohort_cost=cohort_cost,
    )


def _cohorts(data: PlanningData, offers: Mapping[str, Offer], years: tuple[int, ...]
             ) -> tuple[tuple[Cohort, ...], dict, dict, dict]:
    """InTraining cohorts still running, and the constants they put in the model."""
    first, last = years[0], years[-1]
    table = data.tables.get(IN_TRAINING_SHEET)
    cohorts: list[Cohort] = []
    sessions: dict[tuple[str, int], float] = defaultdict(float)
    placed: dict[tuple[str, str, int], float] = defaultdict(float)
    cost: dict[str, float] = defaultdict(float)
    if table is None or not len(table):
        return (), {}, {}, {}
    for r in table.to_dict("records"):
        o = offers[r["offer_id"]]
        start = int(r["start_year"])
        if o.completion_year(start) < first:
            continue  # completed before the plan: validation warned
        home = r["territory_id"] or o.territory_id
        cohort = Cohort(o.offer_id, start, float(r["sessions"]), float(r["learners"]), home,
                        row_number(r[ROW]))
        cohorts.append(cohort)
        for y in years:
            if o.runs_in(start, y):
                sessions[(o.offer_id, y)] += cohort.sessions
        done = o.completion_year(start)
        if done <= last:
            placed[(home, o.family_id, done)] += cohort.learners * o.placed_per_learner
        run = o.years_run(start, first, last)
        cost[o.offer_id] += run * (cohort.sessions * o.cost_per_session
                                   + cohort.learners * o.cost_per_learner)
    return tuple(cohorts), dict(sessions), dict(placed), dict(cost)
