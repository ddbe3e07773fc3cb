"""Infeasibility and dead ends visible in the data, found before any solve (spopt style).

Each check compares what the offers' *committed* sessions need with the
most the data can ever give, so an error here is a proof that the hard
constraints of SPEC 4.2 cannot all hold, told with the rows involved:

- trainer hours: committed sessions x trainer_hours_per_session in a
  (territory, skill) pool, each year, against Trainers hours plus the most
  TrainerHiring can add by then (max_new_per_year a year, teaching from
  lead_years after hiring);
- site hours: an organisation's committed hours against capacity_hours;
- budget: a programme's committed sessions, each with its minimum learners,
  over the planning years, against its budget (mobility and hires excluded:
  the figure is a lower bound);
- ramp-up: committed sessions above baseline_sessions +
  max_new_sessions_per_year in the first year;
- reach: an offer that must fill committed sessions with min_learners but
  that no territory can reach within its travel limit.

Errors carry rule codes ``infeasible-*``; the two warnings say where demand
can only stay unmet (no offer of that family, or none within reach).
``presolve_checks`` expects data that passed :func:`check_tables`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.data.rules import Rule
from planner.data.tables import ROW, PlanningData
from planner.data.travel import access_pairs, offer_territories, travel_limits, travel_minutes
from planner.errors import Issue, error, warning
from planner.words import counted, listed, number

TOLERANCE = 1e-6


@dataclass(frozen=True)
class _Committed:
    """An offer with committed sessions, and what one year of them needs."""

    offer_id: str
    org_id: str
    territory_id: str
    skill: str
    programme_id: str | None
    sessions: float
    hours: float
    min_learners: float
    session_cost: float
    row: int | None


def presolve_checks(data: PlanningData) -> list[Issue]:
    """Every pre-solve check: ``infeasible-*`` errors and the dead-end warnings."""
    committed = _committed_offers(data)
    issues: list[Issue] = []
    issues.extend(_trainer_hours(data, committed))
    issues.extend(_site_hours(data, committed))
    issues.extend(_budgets(data, committed))
    issues.extend(_ramp_up(data))
    minutes = travel_minutes(data) if len(data.offers) else None
    access = access_pairs(data, minutes) if minutes is not None else None
    issues.extend(_unreachable(data, committed, access))
    issues.extend(_families_without_offer(data))
    issues.extend(_territories_without_access(data, minutes, access))
    return issues


def _committed_offers(data: PlanningData) -> list[_Committed]:
    org_territory = dict(zip(data.organisations["org_id"], data.organisations["territory_id"]))
    found = []
    for r in data.offers.to_dict("records"):
        sessions = float(r["committed_sessions_per_year"])
        if not sessions > 0:
            continue
        found.append(_Committed(
            offer_id=r["offer_id"], org_id=r["org_id"],
            territory_id=org_territory[r["org_id"]], skill=r["skill"],
            programme_id=r["programme_id"], sessions=sessions,
            hours=float(r["trainer_hours_per_session"]), min_learners=float(r["min_learners"]),
            session_cost=float(r["cost_per_session"])
            + float(r["cost_per_learner"]) * float(r["min_learners"]),
            row=_row(r[ROW])))
    return found


def _trainer_hours(data: PlanningData, committed: list[_Committed]) -> list[Issue]:
    pools: dict[tuple[str, str], list[_Committed]] = defaultdict(list)
    for offer in committed:
        pools[(offer.territory_id, offer.skill)].append(offer)
    available = {(t, k, int(y)): float(h) for t, k, y, h in zip(
        data.trainers["territory_id"], data.trainers["skill"], data.trainers["year"],
        data.trainers["available_hours"])}
    hiring = {(r["territory_id"], r["skill"]): r for r in data.hiring.to_dict("records")}
    names = _territory_names(data)
    first = data.settings.first_year
    issues = []
    for (territory, skill), offers in pools.items():
        need = sum(o.sessions * o.hours for o in offers)
        short = []
        for year in data.settings.years:
            hours = available.get((territory, skill, year), 0.0)
            hire = _most_hired_hours(hiring.get((territory, skill)), year, first)
            if need > hours + hire + TOLERANCE:
                short.append((year, hours, hire))
        if not short:
            continue
        year, hours, hire = short[0]
        also = f" (also short in {', '.join(str(y) for y, _, _ in short[1:])})" if short[1:] else ""
        issues.append(error(
            "Offers", offers[0].row, "committed_sessions_per_year", offers[0].sessions,
            Rule.INFEASIBLE_TRAINER_HOURS,
            f"{_offers_commit(offers)} needing {number(need)} trainer hours of {skill} in "
            f"{names.get(territory, territory)} in {year}; Trainers gives {number(hours)} hours and "
            f"hiring can add at most {number(hire)} by then{also}: lower "
            "committed_sessions_per_year, or add Trainers hours or TrainerHiring for "
            f"{skill} there"))
    return issues


def _most_hired_hours(hiring: dict[str, Any] | None, year: int, first_year: int) -> float:
    """Hours the most hiring allowed can teach in ``year`` (hires teach from y + lead)."""
    if hiring is None:
        return 0.0
    hiring_years = max(0, year - int(hiring["lead_years"]) - first_year + 1)
    return float(hiring["max_new_per_year"]) * hiring_years * float(hiring["hours_per_trainer"])


def _site_hours(data: PlanningData, committed: list[_Committed]) -> list[Issue]:
    by_org: dict[str, list[_Committed]] = defaultdict(list)
    for offer in committed:
        by_org[offer.org_id].append(offer)
    issues = []
    for org_id, name, capacity, row in zip(data.organisations["org_id"],
                                           data.organisations["name"],
                                           data.organisations["capacity_hours"],
                                           data.organisations[ROW]):
        offers = by_org.get(org_id, [])
        need = sum(o.sessions * o.hours for o in offers)
        if math.isnan(capacity) or need <= capacity + TOLERANCE:
            continue
        detail = listed([f"{o.offer_id} {number(o.sessions)} x {number(o.hours)} h" for o in offers])
        issues.append(error(
            "Organisations", _row(row), "capacity_hours", _plain(capacity),
            Rule.INFEASIBLE_SITE_HOURS,
            f"organisation {org_id} ({name}) can host {number(capacity)} trainer hours a year, but "
            f"its offers commit {number(need)} ({detail}): raise capacity_hours or lower "
            "committed_sessions_per_year"))
    return issues


def _budgets(data: PlanningData, committed: list[_Committed]) -> list[Issue]:
    years = len(data.settings.years)
    by_programme: dict[str, list[_Committed]] = defaultdict(list)
    for offer in committed:
        if offer.programme_id is not None:
            by_programme[offer.programme_id].append(offer)
    issues = []
    for programme, budget, row in zip(data.programmes["programme_id"],
                                      data.programmes["budget"], data.programmes[ROW]):
        offers = by_programme.get(programme, [])
        cost = sum(o.sessions * o.session_cost for o in offers) * years
        if math.isnan(budget) or cost <= budget + TOLERANCE:
            continue
        detail = listed([f"{o.offer_id} {number(o.sessions)} x {number(o.session_cost)} EUR"
                          for o in offers])
        issues.append(error(
            "Programmes", _row(row), "budget", _plain(budget), Rule.INFEASIBLE_BUDGET,
            f"programme {programme} has a budget of {number(budget)} EUR, but its committed "
            f"sessions, each with its minimum learners, cost at least {number(cost)} EUR over "
            f"{counted(years, 'year')} ({detail} a year): raise the budget or lower "
            "committed_sessions_per_year"))
    return issues


def _ramp_up(data: PlanningData) -> list[Issue]:
    offers = data.offers
    first = data.settings.first_year
    issues = []
    for offer, sessions, baseline, most_new, row in zip(
            offers["offer_id"], offers["committed_sessions_per_year"],
            offers["baseline_sessions"], offers["max_new_sessions_per_year"], offers[ROW]):
        if math.isnan(baseline) or math.isnan(most_new) or sessions <= baseline + most_new:
            continue
        issues.append(error(
            "Offers", _row(row), "committed_sessions_per_year", _plain(sessions),
            Rule.INFEASIBLE_RAMP_UP,
            f"offer {offer} commits {number(sessions)} sessions a year, but it ran {number(baseline)} "
            f"the year before {first} and may add at most {number(most_new)} a year, so at most "
            f"{number(baseline + most_new)} in {first}: lower committed_sessions_per_year, or "
            "raise baseline_sessions or max_new_sessions_per_year"))
    return issues


def _unreachable(data: PlanningData, committed: list[_Committed],
                 access: pd.DataFrame | None) -> list[Issue]:
    reached = set() if access is None else set(access["offer_id"].unique())
    names = _territory_names(data)
    issues = []
    for offer in committed:
        if offer.min_learners <= 0 or offer.offer_id in reached:
            continue
        issues.append(error(
            "Offers", offer.row, "committed_sessions_per_year", offer.sessions,
            Rule.INFEASIBLE_UNREACHABLE,
            f"offer {offer.offer_id} must run {number(offer.sessions)} sessions a year with at "
            f"least {number(offer.min_learners)} learners each, but no territory is within its "
            f"travel limit of {names.get(offer.territory_id, offer.territory_id)}: lower "
            "committed_sessions_per_year or min_learners, or raise the travel limits"))
    return issues


def _families_without_offer(data: PlanningData) -> list[Issue]:
    offers = data.offers
    taught = set(offers.loc[offers["max_sessions_per_year"] > 0, "family_id"])
    people = data.demand.groupby("family_id")["people"].sum()
    issues = []
    for family, name, row in zip(data.families["family_id"], data.families["name"],
                                 data.families[ROW]):
        wanted = float(people.get(family, 0.0))
        if wanted <= 0 or family in taught:
            continue
        issues.append(warning(
            "JobFamilies", _row(row), "family_id", family, Rule.DEMAND_NO_OFFER,
            f"Demand asks for {number(wanted)} people of {family} ({name}) but no offer teaches "
            "it: they will all stay unmet; add Offers rows for this family"))
    return issues


def _territories_without_access(data: PlanningData, minutes: pd.DataFrame | None,
                                access: pd.DataFrame | None) -> list[Issue]:
    people = data.demand.groupby("territory_id")["people"].sum()
    reached = set() if access is None else set(access["territory_id"].unique())
    limits = travel_limits(data)
    nearest = _nearest_offer_minutes(data, minutes)
    issues = []
    for territory, name, row in zip(data.territories["territory_id"],
                                    data.territories["name"], data.territories[ROW]):
        wanted = float(people.get(territory, 0.0))
        if wanted <= 0 or territory in reached:
            continue
        limit = float(limits.get(territory, data.settings.max_travel_minutes))
        near = nearest.get(territory)
        where = (f" (the nearest offer is {number(near[1])} minutes away, in {near[0]})"
                 if near else " (no offer is taught anywhere)" if not len(data.offers) else "")
        issues.append(warning(
            "Territories", _row(row), "max_travel_minutes", _plain(limit), Rule.DEMAND_NO_ACCESS,
            f"{number(wanted)} people of {territory} ({name}) need training but no offer is within "
            f"their {number(limit)}-minute travel limit{where}: they will stay unmet; raise "
            "max_travel_minutes or add an offer nearby"))
    return issues


def _nearest_offer_minutes(data: PlanningData,
                           minutes: pd.DataFrame | None) -> dict[str, tuple[str, float]]:
    if minutes is None or not len(minutes):
        return {}
    known = minutes[~np.isnan(minutes["minutes"].to_numpy(float))]
    known = known[known["to_territory"].isin(offer_territories(data))]
    best = known.sort_values("minutes").drop_duplicates("from_territory")
    return {f: (t, float(m)) for f, t, m in zip(best["from_territory"], best["to_territory"],
                                                best["minutes"])}


def _offers_commit(offers: list[_Committed]) -> str:
    total = sum(o.sessions for o in offers)
    if len(offers) == 1:
        return f"offer {offers[0].offer_id} commits {number(total)} sessions a year"
    names = listed([f"{o.offer_id} ({number(o.sessions)})" for o in offers])
    return f"offers {names} commit {number(total)} sessions a year"


def _territory_names(data: PlanningData) -> dict[str, str]:
    return {t: (n if n else t) for t, n in zip(data.territories["territory_id"],
                                               data.territories["name"])}


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _row(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
