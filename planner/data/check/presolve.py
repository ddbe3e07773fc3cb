"""Infeasibility and dead ends visible in the data, found before any solve (spopt style).

Each check compares what the offers' *committed* sessions need with the
most the data can ever give, so an error here is a proof that the hard
constraints of SPEC 4.2 cannot all hold, told with the rows involved.
Committed sessions start every year; a programme of d years has
min(d, years since first_year + 1) committed cohorts running in a year,
and the ``InTraining`` cohorts running that year come on top:

- trainer hours: the running committed and InTraining cohorts x
  trainer_hours_per_session in a (territory, skill) pool, each year,
  against Trainers hours plus the most TrainerHiring can add by then
  (max_new_per_year a year, teaching from lead_years after hiring);
- site hours: an organisation's running committed and InTraining hours
  against capacity_hours;
- budget: a programme's committed sessions, each with its minimum
  learners, in every planning year they run, plus its InTraining cohorts'
  cost, against its budget (mobility and hires excluded: the figure is a
  lower bound);
- ramp-up: committed sessions above baseline_sessions +
  max_new_sessions_per_year in the first year;
- reach: an offer that must fill committed sessions with min_learners but
  that no territory can reach within its travel limit.

Errors carry rule codes ``infeasible-*`` and name the InTraining rows when
cohorts already in training are part of the cause; the two warnings say
where demand can only stay unmet (no offer of that family, or none within
reach).  ``presolve_checks`` expects data that passed :func:`check_tables`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from planner.data.check.rules import Rule
from planner.data.schema import (IN_TRAINING_SHEET, JOB_FAMILIES_SHEET, OFFERS_SHEET,
                                  ORGANISATIONS_SHEET, PROGRAMMES_SHEET, TERRITORIES_SHEET)
from planner.data.tables import ROW, PlanningData
from planner.derived import Cohort, Derived, Offer, derive
from planner.errors import Issue, error, warning
from planner.words import counted, listed, number, row_number, unwrapped

TOLERANCE = 1e-6


def presolve_checks(data: PlanningData, d: Derived | None = None) -> list[Issue]:
    """Every pre-solve check: ``infeasible-*`` errors and the dead-end warnings."""
    d = d if d is not None else derive(data)
    committed = [o for o in d.offers.values() if o.committed > 0]
    issues: list[Issue] = []
    issues.extend(_trainer_hours(d, committed))
    issues.extend(_site_hours(d, committed))
    issues.extend(_budgets(d, committed))
    issues.extend(_ramp_up(data))
    issues.extend(_unreachable(d, committed))
    issues.extend(_families_without_offer(data))
    issues.extend(_territories_without_access(d))
    return issues


def _committed_running(d: Derived, o: Offer, year: int) -> float:
    """Committed sessions of ``o`` running in ``year``: one cohort a start year."""
    return o.committed * len(o.starts_running_in(year, d.years))


def _held(d: Derived, offers: list[Offer], year: int) -> list[Cohort]:
    """The InTraining cohorts of ``offers`` running in ``year``."""
    ids = {o.offer_id for o in offers}
    return [c for c in d.cohorts if c.offer_id in ids
            and d.offers[c.offer_id].runs_in(c.start_year, year)]


def _cohort_text(d: Derived, cohorts: list[Cohort]) -> str:
    hours = sum(c.sessions * d.offers[c.offer_id].trainer_hours_per_session for c in cohorts)
    rows = listed([str(c.row) for c in cohorts if c.row is not None])
    where = f" (InTraining rows {rows})" if rows else ""
    return (f"{'cohorts' if len(cohorts) > 1 else 'a cohort'} already in training "
            f"need{'' if len(cohorts) > 1 else 's'} {number(hours)} hours{where}")


def _located(d: Derived, offers: list[Offer], cohorts: list[Cohort], value_column: str
             ) -> tuple[str, int | None, str, Any]:
    """Where an issue caused by ``offers`` (committed) and ``cohorts`` points."""
    if offers:
        return (OFFERS_SHEET, offers[0].row, "committed_sessions_per_year",
                unwrapped(offers[0].committed))
    c = cohorts[0]
    return IN_TRAINING_SHEET, c.row, value_column, unwrapped(c.sessions)


def _trainer_hours(d: Derived, committed: list[Offer]) -> list[Issue]:
    pools: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for o in committed:
        pools[(o.territory_id, o.skill)].append(o)
    for c in d.cohorts:
        o = d.offers[c.offer_id]
        pools.setdefault((o.territory_id, o.skill), [])
    issues = []
    for (territory, skill), offers in pools.items():
        everyone = [d.offers[p] for p in d.pools.get((territory, skill), [])]
        short = []
        for year in d.years:
            cohorts = _held(d, everyone, year)
            need = (sum(_committed_running(d, o, year) * o.trainer_hours_per_session
                        for o in offers)
                    + d.cohort_hours([o.offer_id for o in everyone], year))
            hours = d.available_hours.get((territory, skill, year), 0.0)
            hiring = d.hiring.get((territory, skill))
            hire = hiring.most_hours(year, d.first_year) if hiring else 0.0
            if need > hours + hire + TOLERANCE:
                short.append((year, need, hours, hire, cohorts))
        if not short:
            continue
        year, need, hours, hire, cohorts = short[0]
        also = f" (also short in {', '.join(str(y) for y, *_ in short[1:])})" if short[1:] else ""
        parts = []
        running = [o for o in offers if _committed_running(d, o, year) > 0]
        if running:
            parts.append(_offers_commit(d, running, year))
        if cohorts:
            parts.append(_cohort_text(d, cohorts))
        sheet, row, column, value = _located(d, running, cohorts, "sessions")
        todo = ("lower committed_sessions_per_year, or add Trainers hours or TrainerHiring "
                f"for {skill} there" if running else
                f"add Trainers hours or TrainerHiring for {skill} there, or correct the "
                "InTraining rows")
        together = (f"{parts[0]} needing" if len(parts) == 1 and running
                    else f"{' and '.join(parts)}: together")
        issues.append(error(
            sheet, row, column, value, Rule.INFEASIBLE_TRAINER_HOURS,
            f"{together} {number(need)} trainer hours of {skill} in "
            f"{d.labels.territories.get(territory) or territory} in {year}; Trainers gives "
            f"{number(hours)} hours and hiring can add at most {number(hire)} by then{also}: "
            f"{todo}"))
    return issues


def _site_hours(d: Derived, committed: list[Offer]) -> list[Issue]:
    by_org: dict[str, list[Offer]] = defaultdict(list)
    for o in committed:
        by_org[o.org_id].append(o)
    issues = []
    for org_id, capacity in d.site_capacity.items():
        offers = by_org.get(org_id, [])
        everyone = [d.offers[p] for p in d.offers_by_org.get(org_id, [])]
        worst = None
        for year in d.years:
            need = (sum(_committed_running(d, o, year) * o.trainer_hours_per_session
                        for o in offers)
                    + d.cohort_hours([o.offer_id for o in everyone], year))
            if need > capacity + TOLERANCE and (worst is None or need > worst[1]):
                worst = (year, need)
        if worst is None:
            continue
        year, need = worst
        cohorts = _held(d, everyone, year)
        detail = listed([f"{o.offer_id} {number(_committed_running(d, o, year))} x "
                         f"{number(o.trainer_hours_per_session)} h" for o in offers])
        held = f"; {_cohort_text(d, cohorts)}" if cohorts else ""
        when = (f" in {year}" if cohorts or any(o.duration_years > 1 for o in offers)
                else "")
        name = d.labels.organisations.get(org_id) or org_id
        row = d.data.organisations.set_index("org_id")[ROW].get(org_id)
        issues.append(error(
            ORGANISATIONS_SHEET, row_number(row), "capacity_hours", unwrapped(capacity),
            Rule.INFEASIBLE_SITE_HOURS,
            f"organisation {org_id} ({name}) can host {number(capacity)} trainer hours a year, but "
            f"its offers commit {number(need)}{when} ({detail or 'none committed'}{held}): "
            "raise capacity_hours or lower committed_sessions_per_year"))
    return issues


def _budgets(d: Derived, committed: list[Offer]) -> list[Issue]:
    first, last = d.first_year, d.last_year
    by_programme: dict[str, list[Offer]] = defaultdict(list)
    for o in committed:
        if o.programme_id is not None:
            by_programme[o.programme_id].append(o)
    rows = dict(zip(d.data.programmes["programme_id"], d.data.programmes[ROW]))
    issues = []
    for programme, budget in d.budgets.items():
        offers = by_programme.get(programme, [])
        per_session = {o.offer_id: o.cost_per_session + o.cost_per_learner * o.min_learners
                       for o in offers}
        cost = sum(o.committed * per_session[o.offer_id] * o.years_run(y, first, last)
                   for o in offers for y in d.years)
        held = d.programme_cohort_cost(programme)
        if cost + held <= budget + TOLERANCE:
            continue
        detail = listed([f"{o.offer_id} {number(o.committed)} x {number(per_session[o.offer_id])} "
                         "EUR" for o in offers])
        cohorts = (f"; cohorts already in training cost {number(round(held))} EUR in those "
                   "years (InTraining)" if held else "")
        issues.append(error(
            PROGRAMMES_SHEET, row_number(rows.get(programme)), "budget", unwrapped(budget),
            Rule.INFEASIBLE_BUDGET,
            f"programme {programme} has a budget of {number(budget)} EUR, but its committed "
            f"sessions, each with its minimum learners, cost at least {number(cost)} EUR over "
            f"{counted(len(d.years), 'year')} ({detail or 'none'} a year, in every year a "
            f"session runs){cohorts}: raise the budget or lower committed_sessions_per_year"))
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
            OFFERS_SHEET, row_number(row), "committed_sessions_per_year", unwrapped(sessions),
            Rule.INFEASIBLE_RAMP_UP,
            f"offer {offer} commits {number(sessions)} sessions a year, but it ran {number(baseline)} "
            f"the year before {first} and may add at most {number(most_new)} a year, so at most "
            f"{number(baseline + most_new)} in {first}: lower committed_sessions_per_year, or "
            "raise baseline_sessions or max_new_sessions_per_year"))
    return issues


def _unreachable(d: Derived, committed: list[Offer]) -> list[Issue]:
    reached = set(d.access["offer_id"].unique())
    issues = []
    for o in committed:
        if o.min_learners <= 0 or o.offer_id in reached:
            continue
        issues.append(error(
            OFFERS_SHEET, o.row, "committed_sessions_per_year", unwrapped(o.committed),
            Rule.INFEASIBLE_UNREACHABLE,
            f"offer {o.offer_id} must run {number(o.committed)} sessions a year with at "
            f"least {number(o.min_learners)} learners each, but no territory is within its "
            f"travel limit of {d.labels.territories.get(o.territory_id) or o.territory_id}: "
            "lower committed_sessions_per_year or min_learners, or raise the travel limits"))
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
            JOB_FAMILIES_SHEET, row_number(row), "family_id", family, Rule.DEMAND_NO_OFFER,
            f"Demand asks for {number(wanted)} people of {family} ({name}) but no offer teaches "
            "it: they will all stay unmet; add Offers rows for this family"))
    return issues


def _territories_without_access(d: Derived) -> list[Issue]:
    data = d.data
    people = data.demand.groupby("territory_id")["people"].sum()
    reached = set(d.access["territory_id"].unique())
    nearest = _nearest_offer_minutes(d)
    issues = []
    for territory, name, row in zip(data.territories["territory_id"],
                                    data.territories["name"], data.territories[ROW]):
        wanted = float(people.get(territory, 0.0))
        if wanted <= 0 or territory in reached:
            continue
        limit = float(d.travel_limits.get(territory, data.settings.max_travel_minutes))
        near = nearest.get(territory)
        where = (f" (the nearest offer is {number(near[1])} minutes away, in {near[0]})"
                 if near else " (no offer is taught anywhere)" if not len(data.offers) else "")
        issues.append(warning(
            TERRITORIES_SHEET, row_number(row), "max_travel_minutes", unwrapped(limit),
            Rule.DEMAND_NO_ACCESS,
            f"{number(wanted)} people of {territory} ({name}) need training but no offer is within "
            f"their {number(limit)}-minute travel limit{where}: they will stay unmet; raise "
            "max_travel_minutes or add an offer nearby"))
    return issues


def _nearest_offer_minutes(d: Derived) -> dict[str, tuple[str, float]]:
    """Each territory's nearest territory hosting an offer, and the minutes to it."""
    minutes = d.travel
    if not len(minutes):
        return {}
    known = minutes[~np.isnan(minutes["minutes"].to_numpy(float))]
    best = known.sort_values("minutes").drop_duplicates("from_territory")
    return {f: (t, float(m)) for f, t, m in zip(best["from_territory"], best["to_territory"],
                                                best["minutes"])}


def _offers_commit(d: Derived, offers: list[Offer], year: int) -> str:
    """``offer P commits 2 sessions a year needing`` (with the cohorts running in ``year``)."""
    total = sum(o.committed for o in offers)
    running = sum(_committed_running(d, o, year) for o in offers)
    cohorts = "" if running == total else f" ({number(running)} running in {year})"
    if len(offers) == 1:
        return f"offer {offers[0].offer_id} commits {number(total)} sessions a year{cohorts}"
    names = listed([f"{o.offer_id} ({number(o.committed)})" for o in offers])
    return f"offers {names} commit {number(total)} sessions a year{cohorts}"
