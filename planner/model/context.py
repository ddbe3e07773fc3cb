"""Index sets and parameters derived once from the planning data.

Every constraint module reads this object and never the raw tables, so
the sparse index sets are built in one place, from the data: flows exist
only for (home territory, offer) pairs in the access set, hires only where
TrainerHiring has a row and an offer needs the pool, shortfalls only for
(territory, family) pairs with Demand rows.

The context also carries the shared term lists (Switch style): modules
append their cost, coverage and programme terms, and the modules that
build the sums read them, so no constraint module imports another.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.data.tables import ROW, PlanningData
from planner.data.travel import access_pairs

Term = tuple[float, Any]
"""A linear term: (coefficient, Pyomo variable)."""


@dataclass
class Terms:
    """Shared lists of linear terms that several modules contribute to."""

    cost: list[Term] = field(default_factory=list)
    programme_cost: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    programme_modules: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    programme_persons: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    placed: dict[tuple[str, str, int], list[Term]] = field(
        default_factory=lambda: defaultdict(list))
    """(home territory, family, year) -> placed learners trained that year."""
    travel: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class Offer:
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
    row: int | None


@dataclass(frozen=True)
class Hiring:
    territory_id: str
    skill: str
    max_new_per_year: float
    hours_per_trainer: float
    lead_years: int
    cost_per_trainer_year: float
    programme_id: str | None
    row: int | None


@dataclass
class ModelContext:
    """What the model is built from: sparse index lists and lookups."""

    data: PlanningData
    years: tuple[int, ...]
    integer: bool
    offers: dict[str, Offer]
    access: pd.DataFrame
    """Access set A: territory_id, offer_id, org_territory, minutes."""
    flow_index: list[tuple[str, str, int]]
    flow_minutes: list[float]
    flows_by_offer_year: dict[tuple[str, int], list[int]]
    demand: dict[tuple[str, str, int], float]
    demand_pairs: list[tuple[str, str]]
    weights: dict[str, float]
    site_capacity: dict[str, float]
    offers_by_org: dict[str, list[str]]
    pools: dict[tuple[str, str], list[str]]
    """(territory, skill) -> offers located there needing that skill."""
    available_hours: dict[tuple[str, str, int], float]
    hiring: dict[tuple[str, str], Hiring]
    hire_index: list[tuple[str, str, int]]
    programmes: pd.DataFrame
    terms: Terms = field(default_factory=Terms)
    cumulative_demand: dict[tuple[str, str, int], float] = field(default_factory=dict)
    modules_target: dict[str, float] = field(default_factory=dict)
    persons_target: dict[str, float] = field(default_factory=dict)
    budgets: dict[str, float] = field(default_factory=dict)

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]


def _opt(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def build_context(data: PlanningData) -> ModelContext:
    s = data.settings
    years = s.years
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
            placement_rate=float(r["placement_rate"]), row=r[ROW],
        )

    access = access_pairs(data)
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
        lead = int(r["lead_years"])
        hiring[key] = Hiring(r["territory_id"], r["skill"], float(r["max_new_per_year"]),
                             float(r["hours_per_trainer"]), lead,
                             float(r["cost_per_trainer_year"]), r["programme_id"], r[ROW])
        hire_index.extend((key[0], key[1], y) for y in years if y + lead <= years[-1])

    weights = dict(zip(data.families["family_id"], data.families["weight"].astype(float)))
    return ModelContext(
        data=data, years=years, integer=bool(s.integer_sessions), offers=offers,
        access=access, flow_index=flow_index, flow_minutes=flow_minutes,
        flows_by_offer_year=dict(flows_by_offer_year), demand=demand,
        demand_pairs=demand_pairs, weights=weights, site_capacity=site_capacity,
        offers_by_org=dict(offers_by_org), pools=dict(pools),
        available_hours=available_hours, hiring=hiring, hire_index=hire_index,
        programmes=data.programmes,
    )
