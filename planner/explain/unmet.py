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

from collections import defaultdict

import numpy as np
import pandas as pd

from planner.data.travel import travel_limits, travel_minutes
from planner.explain.limits import LimitBook, component_and_index
from planner.explain.marginal import Relaxation
from planner.results import Results
from planner.solve import Solution
from planner.words import year_span

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
            name, index = component_and_index(compiled.rows[i][0])
            if name not in ("TrainerHours", "SiteCapacity", "Budget", "RampUp"):
                continue
            dual = 0.0 if relaxation is None else max(0.0, -relaxation.row_dual[i])
            key = (name, index if isinstance(index, tuple) else (index,))
            self.rows[key] = (float(upper[i] - activity[i]), dual)
        self.at_max: dict[tuple[str, tuple], float] = {}
        for j in np.flatnonzero(values >= compiled.col_upper - 1e-6):
            name, index = component_and_index(compiled.columns[j])
            if name in ("Sessions", "Hires"):
                dual = 0.0 if relaxation is None else max(0.0, -relaxation.col_dual[j])
                self.at_max[(name, index)] = dual

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
    ctx = solution.plan.context
    book = LimitBook(ctx)
    binding = _Binding(solution, relaxation)
    reach: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t, p in zip(ctx.access["territory_id"], ctx.access["offer_id"]):
        reach[(t, ctx.offers[p].family_id)].append(p)
    per_offer: dict[str, list[_Blocking]] = {}  # an offer's limits, whoever reaches it
    nearest = _Nearest(ctx)
    reasons = []
    for t, j, unmet in zip(results.unmet["territory_id"], results.unmet["family_id"],
                           results.unmet["unmet_people"]):
        if unmet <= UNMET_TOLERANCE:
            reasons.append("")
        elif not reach.get((t, j)):
            reasons.append(nearest.reason(book, t, j))
        else:
            blocking = []
            for p in reach[(t, j)]:
                if p not in per_offer:
                    per_offer[p] = _offer_limits(ctx, book, binding, p)
                blocking.extend(per_offer[p])
            reasons.append(_binding_text(blocking))
    return pd.Series(reasons, index=results.unmet.index, name="reason")


class _Nearest:
    """The nearest offer of a family, for territories that reach none (computed once)."""

    def __init__(self, ctx) -> None:  # noqa: ANN001
        self.ctx = ctx
        self.places: dict[str, set[str]] = defaultdict(set)
        for o in ctx.offers.values():
            self.places[o.family_id].add(o.territory_id)
        minutes = travel_minutes(ctx.data).dropna(subset=["minutes"])
        self.minutes = {t: frame for t, frame in minutes.groupby("from_territory")}
        self.limits = travel_limits(ctx.data)

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
                f"the travel limit is {float(self.limits[t]):g} min")


_Blocking = tuple[str, str, "int | None", float]
"""(kind, label, year or None, value): one limit stopping one more session of an offer."""


def _offer_limits(ctx, book: LimitBook, binding: _Binding, p: str) -> list[_Blocking]:  # noqa: ANN001
    """The limits that stop one more session of offer ``p``, year by year."""
    o = ctx.offers[p]
    mobility = ctx.data.settings.mobility_cost_per_minute
    session_cost = o.cost_per_session + o.seats * o.cost_per_learner
    hours = o.trainer_hours_per_session
    found: list[_Blocking] = []

    def note(kind: str, label: str, year: int | None, value: float | None) -> None:
        if value is not None:
            found.append((kind, label, year, value))

    for y in ctx.years:
        hires_full = ("Hires", (o.territory_id, o.skill, y)) in binding.at_max
        note("trainer pool", f"{o.skill} trainers in {book.territory(o.territory_id)}"
             + (" (hiring at its maximum)" if hires_full else ""), y,
             binding.blocks(("TrainerHours", (o.territory_id, o.skill, y)), hours))
        note("site capacity", f"site hours of {book.organisation(o.org_id)}", y,
             binding.blocks(("SiteCapacity", (o.org_id, y)), hours))
        note("offer maximum", f"{p} ({o.max_sessions:g} sessions a year)", y,
             binding.at_max.get(("Sessions", (p, y))))
        if o.max_new is not None:
            note("ramp-up", f"{p} (+{o.max_new:g} sessions a year)", y,
                 binding.blocks(("RampUp", (p, y)), 1.0))
        if o.programme_id and (session_cost > 0 or mobility > 0):
            note("budget", f"programme {o.programme_id}", None,
                 binding.blocks(("Budget", (o.programme_id,)), max(session_cost, 1e-9)))
    return found


def _binding_text(blocking: list[_Blocking]) -> str:
    """The limits that stop one more session of the reachable offers, with their years."""
    found: dict[tuple[str, str], dict] = {}
    for kind, label, year, value in blocking:
        entry = found.setdefault((kind, label), {"years": [], "dual": 0.0})
        if year is not None:
            entry["years"].append(year)
        entry["dual"] = max(entry["dual"], value)
    if not found:
        return ("reachable offers have room, but their sessions and trainers go to other "
                "territories or families first (higher weight or earlier stages)")
    return _grouped(found)


OFFER_KINDS = ("offer maximum", "ramp-up")
"""Limits of single offers, told as a count of offers rather than one by one."""


def _grouped(found: dict[tuple[str, str], dict]) -> str:
    """One clause per kind of limit, the kinds worth most first (their dual value)."""
    kinds: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for (kind, label), entry in found.items():
        kinds[kind].append((label, entry))
    clauses = []
    for kind, items in sorted(kinds.items(),
                              key=lambda kv: (-max(e["dual"] for _, e in kv[1]), kv[0])):
        items.sort(key=lambda item: (-item[1]["dual"], item[0]))
        if kind in OFFER_KINDS:
            names = [label.split(" (")[0] for label, _ in items]
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            clauses.append(f"{kind}: {len(names)} offer{'s' if len(names) > 1 else ''} "
                           f"({shown})")
            continue
        parts = []
        for label, entry in items[:2]:
            years = f" in {year_span(entry['years'])}" if entry["years"] else ""
            parts.append(f"{label}{years}")
        more = f" (+{len(items) - 2} more)" if len(items) > 2 else ""
        clauses.append(f"{kind}: " + "; ".join(parts) + more)
    return "; ".join(clauses)
