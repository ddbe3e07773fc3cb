"""Why demand is left unmet, for each (territory, family) with unmet demand.

Either no offer of that family is within the territory's travel limit
(``no offer within reach``, with the nearest one and its minutes), or the
limits that bind for the offers its learners can reach: the trainer pool
of the offer's territory and skill (and hiring at its maximum), the site
capacity, the offer's maximum, its ramp-up, its programme's budget.  A
limit binds when the plan uses it to the full; the years are listed, and
limits come in the order of what relaxing them by one session's worth
would remove from weighted unmet demand in the LP relaxation of the
``unmet`` stage (its dual times that session's need).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from planner.derived import Derived
from planner.explain.limits import LimitBook
from planner.explain.marginal import Relaxation
from planner.results import Results
from planner.solve import Solution
from planner.words import as_written, year_span

UNMET_TOLERANCE = 1e-6


class _Binding:
    """The slack of every finite limit in the final plan, and its relaxation dual."""

    def __init__(self, solution: Solution, relaxation: Relaxation | None) -> None:
        compiled = solution.compiled
        values = solution.values
        assert values is not None
        activity = compiled.A @ values
        upper = compiled.row_upper
        self.rows: dict[tuple[str, tuple], tuple[float, float]] = {}
        for i in np.flatnonzero(np.isfinite(upper)):
            key = compiled.row_keys[i]
            if key[0] not in ("TrainerHours", "SiteCapacity", "Budget", "RampUp"):
                continue
            dual = 0.0 if relaxation is None else max(0.0, -relaxation.row_dual[i])
            self.rows[key] = (float(upper[i] - activity[i]), dual)
        self.at_max: dict[tuple[str, tuple], float] = {}
        for j in np.flatnonzero(values >= compiled.col_upper - 1e-6):
            key = compiled.column_keys[j]
            if key[0] in ("Sessions", "Hires"):
                dual = 0.0 if relaxation is None else max(0.0, -relaxation.col_dual[j])
                self.at_max[key] = dual

    def blocks(self, key: tuple[str, tuple], need: float) -> float | None:
        """If one more session needing ``need`` of limit ``key`` would break it: what
        relaxing the limit by that much is worth (dual x need, people); else None."""
        entry = self.rows.get(key)
        if entry is None:
            return None
        slack, dual = entry
        return dual * need if slack < need - 1e-9 else None


def unmet_reasons(solution: Solution, results: Results,
                  relaxation: Relaxation | None = None) -> pd.Series:
    """A reason per row of ``results.unmet`` ('' where nothing is unmet)."""
    d = solution.plan.derived
    book = LimitBook(d)
    binding = _Binding(solution, relaxation)
    reach: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t, p in zip(d.access["territory_id"], d.access["offer_id"]):
        reach[(t, d.offers[p].family_id)].append(p)
    per_offer: dict[str, list[_Blocking]] = {}  # an offer's limits, whoever reaches it
    nearest = _Nearest(d)
    reasons = []
    for t, j, unmet in zip(results.unmet["territory_id"], results.unmet["family_id"],
                           results.unmet["unmet_people"]):
        if unmet <= UNMET_TOLERANCE:
            reasons.append("")
        elif not reach.get((t, j)):
            reasons.append(nearest.reason(book, t, j))
        else:
            in_time = [p for p in reach[(t, j)] if _can_complete(d, p)]
            blocking = []
            for p in in_time:
                if p not in per_offer:
                    per_offer[p] = _offer_limits(d, book, binding, p)
                blocking.extend(per_offer[p])
            late = [p for p in reach[(t, j)] if p not in in_time]
            reasons.append(_binding_text(blocking, d, late) if in_time
                           else _too_long_text(d, late))
    return pd.Series(reasons, index=results.unmet.index, name="reason")


class _Nearest:
    """The nearest offer of a family, for territories that reach none (computed once)."""

    def __init__(self, d: Derived) -> None:
        self.places: dict[str, set[str]] = defaultdict(set)
        for o in d.offers.values():
            self.places[o.family_id].add(o.territory_id)
        minutes = d.travel.dropna(subset=["minutes"])
        self.minutes = {t: frame for t, frame in minutes.groupby("from_territory")}
        self.limits = d.travel_limits

    def reason(self, book: LimitBook, t: str, j: str) -> str:
        places = self.places.get(j)
        if not places:
            return "no offer within reach: no offer teaches this family"
        frame = self.minutes.get(t)
        if frame is not None:
            frame = frame[frame["to_territory"].isin(places)]
        if frame is None or frame.empty:
            return (f"no offer within reach: no travel time is known from "
                    f"{book.territory(t)} to any organisation teaching this family")
        near = frame.sort_values("minutes").iloc[0]
        return (f"no offer within reach: the nearest offer of this family is in "
                f"{book.territory(near['to_territory'])}, {near['minutes']:.1f} min away; "
                f"the travel limit is {as_written(self.limits[t])} min")


_Blocking = tuple[str, str, "int | None", float]
"""(kind, label, year or None, value): one limit stopping one more session of an offer."""


def _can_complete(d: Derived, p: str) -> bool:
    """A session of ``p`` started in first_year completes within the planning years."""
    return d.offers[p].completion_year(d.first_year) <= d.last_year


def _latest_start(d: Derived, p: str) -> int:
    """The last start year whose learners complete by the last year."""
    return d.last_year - d.offers[p].duration_years + 1


def _offer_limits(d: Derived, book: LimitBook, binding: _Binding, p: str) -> list[_Blocking]:
    """The limits that stop one more session of offer ``p`` that completes in time.

    A session started in year y (up to the latest start that completes by the
    last year) needs trainer and site hours in every year it runs, and is
    itself bounded by the offer's maximum and ramp-up in year y.
    """
    o = d.offers[p]
    first, last = d.first_year, d.last_year
    mobility = d.data.settings.mobility_cost_per_minute
    hours = o.trainer_hours_per_session
    found: list[_Blocking] = []

    def note(kind: str, label: str, year: int | None, value: float | None) -> None:
        if value is not None:
            found.append((kind, label, year, value))

    for y in d.years:
        if y > _latest_start(d, p):
            break
        session_cost = o.years_run(y, first, last) * (o.cost_per_session
                                                      + o.seats * o.cost_per_learner)
        for r in d.years:
            if not o.runs_in(y, r):
                continue
            hires_full = ("Hires", (o.territory_id, o.skill, r)) in binding.at_max
            note("trainer pool", f"{o.skill} trainers in {book.territory(o.territory_id)}"
                 + (" (hiring at its maximum)" if hires_full else ""), r,
                 binding.blocks(("TrainerHours", (o.territory_id, o.skill, r)), hours))
            note("site capacity", f"site hours of {book.organisation(o.org_id)}", r,
                 binding.blocks(("SiteCapacity", (o.org_id, r)), hours))
        note("offer maximum", f"{p} ({as_written(o.max_sessions)} sessions a year)", y,
             binding.at_max.get(("Sessions", (p, y))))
        if o.max_new is not None:
            note("ramp-up", f"{p} (+{as_written(o.max_new)} sessions a year)", y,
                 binding.blocks(("RampUp", (p, y)), 1.0))
        if o.programme_id and (session_cost > 0 or mobility > 0):
            note("budget", f"programme {o.programme_id}", None,
                 binding.blocks(("Budget", (o.programme_id,)), max(session_cost, 1e-9)))
    return found


def _too_long_text(d: Derived, late: list[str]) -> str:
    """Every offer within reach lasts too long to count for the last year."""
    shown = "; ".join(f"{p} is a {d.offers[p].duration_years}-year programme and must start "
                      f"by {_latest_start(d, p)} to count for {d.last_year}"
                      for p in late[:3])
    more = f" (+{len(late) - 3} more)" if len(late) > 3 else ""
    return (f"no offer within reach can complete in time: {shown}{more}, before the "
            f"planning starts in {d.first_year}")


def _binding_text(blocking: list[_Blocking], d: Derived, late: list[str]) -> str:
    """The limits that stop one more session of the reachable offers, with their years."""
    text = _limits_text(blocking)
    if late:
        text += (f"; too long to count for {d.last_year}: " + ", ".join(
            f"{p} ({d.offers[p].duration_years}-year programme)" for p in late[:3])
            + (f" (+{len(late) - 3} more)" if len(late) > 3 else ""))
    return text


def _limits_text(blocking: list[_Blocking]) -> str:
    found: dict[tuple[str, str], dict] = {}
    for kind, label, year, value in blocking:
        entry = found.setdefault((kind, label), {"years": [], "dual": 0.0})
        if year is not None:
            entry["years"].append(year)
        entry["dual"] = max(entry["dual"], value)
    if not found:
        return OTHERS_FIRST
    return _grouped(found)


OTHERS_FIRST = ("reachable offers have room, but their sessions and trainers go to other "
                "territories or families first (higher weight or earlier stages)")

OFFER_KINDS = ("offer maximum", "ramp-up")
"""Limits of single offers, told as a count of offers rather than one by one."""

CAUSES = {
    "ramp-up": ("the yearly ramp-up of {n} offer{s} within reach",
                "ramp-up of {n} offer{s}"),
    "offer maximum": ("the maximum of {n} offer{s} within reach",
                      "maximum of {n} offer{s}"),
    "site capacity": ("site hours used to the full at {n} site{s}",
                      "site hours at {n} site{s}"),
    "trainer pool": ("trainer hours of {n} pool{s}", "trainer hours of {n} pool{s}"),
    "budget": ("the budget of {n} programme{s}", "budget of {n} programme{s}"),
}
"""Per kind of limit: how a reason says it as the main cause, and as one of the others."""

NO_OFFER = "no offer within reach"
TOO_LONG = "programmes too long"
ELSEWHERE = "used elsewhere first"
MAIN_CAUSES = (*CAUSES, NO_OFFER, TOO_LONG, ELSEWHERE)
"""Every main cause :func:`main_cause` may return, in a stable order."""


def main_cause(reason: str) -> str:
    """The main cause a reason names first (a key of :data:`MAIN_CAUSES`), '' for none.

    This module writes the reasons; it alone reads them back (the Overview
    counts unmet people by main cause).
    """
    if not reason:
        return ""
    if reason.startswith("no offer within reach can complete"):
        return TOO_LONG
    if reason.startswith(NO_OFFER):
        return NO_OFFER
    if reason.startswith(OTHERS_FIRST[:30]):
        return ELSEWHERE
    for kind, (main, _other) in CAUSES.items():
        pattern = re.escape("Mainly " + main).replace(re.escape("{n}"), r"\d+").replace(
            re.escape("{s}"), "s?")
        if re.match(pattern, reason):
            return kind
    return ""


def _grouped(found: dict[tuple[str, str], dict]) -> str:
    """The main cause first, with its largest limit and what it is worth, then the others.

    Kinds are ordered by their largest value: what one more session's worth
    of that limit would remove from weighted unmet demand (the relaxation's
    dual times the session's need).  Lists are summarised: a count and the
    largest.
    """
    kinds: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for (kind, label), entry in found.items():
        kinds[kind].append((label, entry))
    ordered = sorted(kinds.items(), key=lambda kv: (-max(e["dual"] for _, e in kv[1]), kv[0]))
    clauses = []
    for position, (kind, items) in enumerate(ordered):
        items.sort(key=lambda item: (-item[1]["dual"], item[0]))
        label, entry = items[0]
        if kind in OFFER_KINDS:
            label = label.split(" (")[0]
        label = label.removeprefix("site hours of ")
        years = f" in {year_span(entry['years'])}" if entry["years"] else ""
        worth = (f", {entry['dual']:,.1f} people per extra session"
                 if entry["dual"] > 1e-6 else "")
        n = len(items)
        main, other = CAUSES.get(kind, ("{n} " + kind, "{n} " + kind))
        what = (main if position == 0 else other).format(n=n, s="" if n == 1 else "s")
        largest = f"{'the largest: ' if n > 1 else ''}{label}{years}{worth}"
        if position == 0:
            clauses.append(f"Mainly {what} ({largest})")
        else:
            clauses.append(f"{what} ({largest})")
    if len(clauses) == 1:
        return clauses[0]
    return clauses[0] + ". Also: " + "; ".join(clauses[1:])
