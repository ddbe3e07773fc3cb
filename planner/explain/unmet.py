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
    reasons = []
    for t, j, unmet in zip(results.unmet["territory_id"], results.unmet["family_id"],
                           results.unmet["unmet_people"]):
        if unmet <= UNMET_TOLERANCE:
            reasons.append("")
        elif not reach.get((t, j)):
            reasons.append(_out_of_reach(solution, book, t, j))
        else:
            reasons.append(_binding_text(ctx, book, binding, reach[(t, j)]))
    return pd.Series(reasons, index=results.unmet.index, name="reason")


def _out_of_reach(solution: Solution, book: LimitBook, t: str, j: str) -> str:
    ctx = solution.plan.context
    teaching = [o for o in ctx.offers.values() if o.family_id == j]
    if not teaching:
        return "no offer within reach: no offer teaches this family"
    data = ctx.data
    places = sorted({o.territory_id for o in teaching})
    minutes = travel_minutes(data, places)
    minutes = minutes[minutes["from_territory"] == t].dropna(subset=["minutes"])
    limit = float(travel_limits(data)[t])
    if minutes.empty:
        return (f"no offer within reach: no travel time is known from {book.territory(t)} "
                f"to any organisation teaching this family")
    nearest = minutes.sort_values("minutes").iloc[0]
    return (f"no offer within reach: the nearest offer of this family is in "
            f"{book.territory(nearest['to_territory'])}, {nearest['minutes']:.1f} min away; "
            f"the travel limit is {limit:g} min")


def _binding_text(ctx, book: LimitBook, binding: _Binding, offers: list[str]) -> str:
    """The limits that stop one more session of the reachable offers, with their years."""
    found: dict[tuple[str, str], dict] = {}
    mobility = ctx.data.settings.mobility_cost_per_minute

    def note(kind: str, label: str, year: int | None, dual: float | None) -> None:
        if dual is None:
            return
        entry = found.setdefault((kind, label), {"years": [], "dual": 0.0})
        if year is not None:
            entry["years"].append(year)
        entry["dual"] = max(entry["dual"], dual)

    for p in offers:
        o = ctx.offers[p]
        session_cost = o.cost_per_session + o.seats * o.cost_per_learner
        for y in ctx.years:
            hours = o.trainer_hours_per_session
            dual = binding.blocks(("TrainerHours", (o.territory_id, o.skill, y)), hours)
            hires_full = ("Hires", (o.territory_id, o.skill, y)) in binding.at_max
            note("trainer pool", f"{o.skill} trainers in {book.territory(o.territory_id)}"
                 + (" (hiring at its maximum)" if hires_full else ""), y, dual)
            note("site capacity", f"site hours of {book.organisation(o.org_id)}", y,
                 binding.blocks(("SiteCapacity", (o.org_id, y)), hours))
            if ("Sessions", (p, y)) in binding.at_max:
                note("offer maximum", f"{p} ({o.max_sessions:g} sessions a year)", y,
                     binding.at_max[("Sessions", (p, y))])
            if o.max_new is not None:
                note("ramp-up", f"{p} (+{o.max_new:g} sessions a year)", y,
                     binding.blocks(("RampUp", (p, y)), 1.0))
            if o.programme_id and (session_cost > 0 or mobility > 0):
                note("budget", f"programme {o.programme_id}", None,
                     binding.blocks(("Budget", (o.programme_id,)), max(session_cost, 1e-9)))
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
