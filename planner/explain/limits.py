"""Model rows and bounds, told as the input rows and limits they come from.

Every hard limit of the model comes from a cell of the input workbook:
``TrainerHours[t,k,y]`` from the Trainers row (t, k, y) and the
TrainerHiring row (t, k); the lower bound of ``Sessions[p,y]`` from the
Offers row of p, column ``committed_sessions_per_year``; and so on.  This
module is the one place that knows those links, so the infeasibility
diagnosis, the unmet reasons and the marginal values all speak of the
same rows in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from planner.data.tables import ROW
from planner.model.context import ModelContext
from planner.words import counted, number


@dataclass(frozen=True)
class Source:
    """One input cell a limit comes from."""

    sheet: str
    row: int | None
    column: str
    value: Any


@dataclass(frozen=True)
class Limit:
    """A limit of the plan in a planner's words, with the cells it comes from."""

    kind: str
    """``trainer pool``, ``site capacity``, ``offer maximum``, ``committed sessions``,
    ``ramp-up``, ``seats``, ``minimum fill``, ``budget``, ``hiring maximum``,
    ``earlier stage``."""
    key: tuple[Any, ...]
    text: str
    sources: tuple[Source, ...] = field(default_factory=tuple)

    @property
    def first_source(self) -> Source | None:
        return self.sources[0] if self.sources else None


def _at(sheet: str, row: int | None, column: str) -> str:
    """``Trainers row 57, available_hours`` (or without the row when it is not known)."""
    return f"{sheet} row {row}, {column}" if row is not None else f"{sheet}, {column}"


def _sessions(n: float) -> str:
    return f"{number(n)} session{'' if n == 1 else 's'}"


class LimitBook:
    """Describes model components of one built model."""

    def __init__(self, ctx: ModelContext) -> None:
        self.ctx = ctx
        self.data = ctx.data

    @cached_property
    def _rows(self) -> dict[str, dict[Any, int | None]]:
        d = self.data
        return {
            "Organisations": dict(zip(d.organisations["org_id"], d.organisations[ROW])),
            "Programmes": dict(zip(d.programmes["programme_id"], d.programmes[ROW])),
            "Trainers": dict(zip(zip(d.trainers["territory_id"], d.trainers["skill"],
                                     d.trainers["year"].astype(int)), d.trainers[ROW])),
            "Territories": dict(zip(d.territories["territory_id"], d.territories[ROW])),
        }

    @cached_property
    def _territory_names(self) -> dict[str, str]:
        return dict(zip(self.data.territories["territory_id"], self.data.territories["name"]))

    @cached_property
    def _org_names(self) -> dict[str, str]:
        return dict(zip(self.data.organisations["org_id"], self.data.organisations["name"]))

    def territory(self, t: str) -> str:
        name = self._territory_names.get(t)
        return f"{name} ({t})" if name and name != t else t

    def organisation(self, o: str) -> str:
        name = self._org_names.get(o)
        return f"{o} ({name})" if name and name != o else o

    # -- rows of the model -------------------------------------------------

    def row(self, component: str, index: Any, sign: int) -> Limit | None:
        """The limit a constraint row stands for (None for soft rows)."""
        method = getattr(self, f"_row_{component}", None)
        if method is None:
            return None
        return method(*(index if isinstance(index, tuple) else (index,)))

    def _row_TrainerHours(self, t: str, k: str, y: int) -> Limit:
        ctx = self.ctx
        available = ctx.available_hours.get((t, k, y), 0.0)
        row = self._rows["Trainers"].get((t, k, y))
        sources = [Source("Trainers", row, "available_hours", available)]
        hiring = ctx.hiring.get((t, k))
        if hiring is None:
            hires = "no trainer can be hired (no TrainerHiring row)"
        else:
            years = [h for h in ctx.years if h + hiring.lead_years <= y]
            most = hiring.max_new_per_year * len(years)
            hires = (f"hiring can add at most {counted(most, 'trainer')} x "
                     f"{number(hiring.hours_per_trainer)} h by then "
                     f"({number(hiring.max_new_per_year)} a year, "
                     f"{counted(hiring.lead_years, 'year')} lead)")
            sources.append(Source("TrainerHiring", hiring.row, "max_new_per_year",
                                  hiring.max_new_per_year))
        known = (t, k, y) in ctx.available_hours
        where = _at("Trainers", row, "available_hours") if known else "no Trainers row: 0 h"
        text = (f"{k} trainers in {self.territory(t)} in {y}: {number(available)} h available "
                f"({where}); {hires}")
        return Limit("trainer pool", (t, k, y), text, tuple(sources))

    def _row_SiteCapacity(self, o: str, y: int) -> Limit:
        cap = self.ctx.site_capacity[o]
        row = self._rows["Organisations"].get(o)
        text = (f"organisation {self.organisation(o)} hosts at most {number(cap)} trainer-led "
                f"hours a year ({_at('Organisations', row, 'capacity_hours')}), here in {y}")
        return Limit("site capacity", (o, y), text,
                     (Source("Organisations", row, "capacity_hours", cap),))

    def _row_Budget(self, g: str) -> Limit:
        budget = self.ctx.budgets[g]
        row = self._rows["Programmes"].get(g)
        text = (f"programme {g} has a budget of {number(budget)} EUR for its offers and hires "
                f"({_at('Programmes', row, 'budget')})")
        return Limit("budget", (g,), text, (Source("Programmes", row, "budget", budget),))

    def _row_RampUp(self, p: str, y: int) -> Limit:
        o = self.ctx.offers[p]
        text = (f"offer {p} can add at most {_sessions(o.max_new)} a year to the "
                f"{number(o.baseline)} run before {self.ctx.first_year} "
                f"({_at('Offers', o.row, 'max_new_sessions_per_year / baseline_sessions')}), "
                f"here in {y}")
        return Limit("ramp-up", (p, y), text,
                     (Source("Offers", o.row, "max_new_sessions_per_year", o.max_new),
                      Source("Offers", o.row, "baseline_sessions", o.baseline)))

    def _row_SeatLimit(self, p: str, y: int) -> Limit:
        o = self.ctx.offers[p]
        text = (f"offer {p} seats {number(o.seats)} learners a session "
                f"({_at('Offers', o.row, 'seats')}), here in {y}")
        return Limit("seats", (p, y), text, (Source("Offers", o.row, "seats", o.seats),))

    def _row_MinimumFill(self, p: str, y: int) -> Limit:
        o = self.ctx.offers[p]
        reach = self.ctx.access.loc[self.ctx.access["offer_id"] == p, "territory_id"]
        who = (", ".join(self.territory(t) for t in reach) if len(reach)
               else "no territory (none within its travel limit)")
        text = (f"offer {p} runs a session only with at least {number(o.min_learners)} learners "
                f"({_at('Offers', o.row, 'min_learners')}), here in {y}; learners can come "
                f"from {who}")
        return Limit("minimum fill", (p, y), text,
                     (Source("Offers", o.row, "min_learners", o.min_learners),))

    # -- bounds of the model's columns ---------------------------------------

    def bound(self, component: str, index: Any, lower: bool) -> Limit | None:
        """The limit a variable bound stands for (None for plain non-negativity)."""
        key = index if isinstance(index, tuple) else (index,)
        if component == "Sessions":
            p, y = key
            o = self.ctx.offers[p]
            org = self.organisation(o.org_id)
            if lower:
                text = (f"offer {p} at {org} must run {_sessions(o.committed)} a year "
                        f"(committed), needing "
                        f"{number(o.committed * o.trainer_hours_per_session)} trainer hours of "
                        f"{o.skill} in {self.territory(o.territory_id)} "
                        f"({_at('Offers', o.row, 'committed_sessions_per_year')}), here in {y}")
                return Limit("committed sessions", key, text,
                             (Source("Offers", o.row, "committed_sessions_per_year",
                                     o.committed),))
            text = (f"offer {p} at {org} runs at most {_sessions(o.max_sessions)} a year "
                    f"({_at('Offers', o.row, 'max_sessions_per_year')}), here in {y}")
            return Limit("offer maximum", key, text,
                         (Source("Offers", o.row, "max_sessions_per_year", o.max_sessions),))
        if component == "Hires" and not lower:
            t, k, y = key
            h = self.ctx.hiring[(t, k)]
            text = (f"at most {counted(h.max_new_per_year, k + ' trainer')} can be hired a year in "
                    f"{self.territory(t)} ({_at('TrainerHiring', h.row, 'max_new_per_year')}),"
                    f" here in {y}")
            return Limit("hiring maximum", key, text,
                         (Source("TrainerHiring", h.row, "max_new_per_year",
                                 h.max_new_per_year),))
        return None


def component_and_index(component_data: Any) -> tuple[str, Any]:
    """(``TrainerHours``, ``("3212", "maintenance", 2026)``) of a Pyomo component datum."""
    parent = component_data.parent_component()
    return parent.local_name, component_data.index()
