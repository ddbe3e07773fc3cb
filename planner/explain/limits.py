"""Model rows and bounds, told as the input rows and limits they come from.

Every hard limit of the model comes from a cell of the input workbook:
``TrainerHours[t,k,y]`` from the Trainers row (t, k, y), the TrainerHiring
row (t, k) and the InTraining cohorts running in y; the lower bound of
``Sessions[p,y]`` from the Offers row of p, column
``committed_sessions_per_year``; and so on.  This module is the one place
that knows those links (:data:`ROW_LIMITS` maps each constraint family to
its description), so the infeasibility diagnosis, the unmet reasons and the
marginal values all speak of the same rows in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from planner.data.schema import (IN_TRAINING_SHEET, OFFERS_SHEET, ORGANISATIONS_SHEET,
                                  PROGRAMMES_SHEET, TRAINER_HIRING_SHEET, TRAINERS_SHEET)
from planner.data.tables import ROW
from planner.derived import Derived
from planner.solve import Key
from planner.words import counted, listed, number


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
    """Describes the rows and bounds of one built model."""

    def __init__(self, d: Derived) -> None:
        self.d = d
        self.data = d.data

    @cached_property
    def _rows(self) -> dict[str, dict[Any, int | None]]:
        data = self.data
        return {
            ORGANISATIONS_SHEET: dict(zip(data.organisations["org_id"], data.organisations[ROW])),
            PROGRAMMES_SHEET: dict(zip(data.programmes["programme_id"], data.programmes[ROW])),
            TRAINERS_SHEET: dict(zip(zip(data.trainers["territory_id"], data.trainers["skill"],
                                     data.trainers["year"].astype(int)), data.trainers[ROW])),
        }

    def territory(self, t: str) -> str:
        return self.d.labels.territory(t)

    def organisation(self, o: str) -> str:
        name = self.d.labels.organisations.get(o)
        return f"{o} ({name})" if name and name != o else o

    # -- rows of the model -------------------------------------------------

    def row(self, key: Key) -> Limit | None:
        """The limit a constraint row stands for (None for soft rows)."""
        describe = ROW_LIMITS.get(key[0])
        return None if describe is None else describe(self, *key[1])

    def _cohorts(self, offers: list[str], year: int) -> tuple[str, tuple[Source, ...]]:
        """What the InTraining cohorts of ``offers`` running in ``year`` use, and their rows."""
        hours = self.d.cohort_hours(offers, year)
        if not hours:
            return "", ()
        rows = [c for c in self.d.cohorts if c.offer_id in offers
                and self.d.offers[c.offer_id].runs_in(c.start_year, year)]
        sources = tuple(Source(IN_TRAINING_SHEET, c.row, "sessions", c.sessions) for c in rows)
        where = listed([f"row {c.row}" for c in rows if c.row is not None])
        return (f"; cohorts already in training use {number(hours)} h of it"
                + (f" (InTraining {where})" if where else "")), sources

    def trainer_pool(self, t: str, k: str, y: int) -> Limit:
        d = self.d
        available = d.available_hours.get((t, k, y), 0.0)
        row = self._rows[TRAINERS_SHEET].get((t, k, y))
        sources = [Source(TRAINERS_SHEET, row, "available_hours", available)]
        hiring = d.hiring.get((t, k))
        if hiring is None:
            hires = "no trainer can be hired (no TrainerHiring row)"
        else:
            most = hiring.max_new_per_year * len(
                [h for h in d.years if hiring.teaches_from(h) <= y])
            hires = (f"hiring can add at most {counted(most, 'trainer')} x "
                     f"{number(hiring.hours_per_trainer)} h by then "
                     f"({number(hiring.max_new_per_year)} a year, "
                     f"{counted(hiring.lead_years, 'year')} lead)")
            sources.append(Source(TRAINER_HIRING_SHEET, hiring.row, "max_new_per_year",
                                  hiring.max_new_per_year))
        cohorts, held = self._cohorts(d.pools.get((t, k), []), y)
        known = (t, k, y) in d.available_hours
        where = _at(TRAINERS_SHEET, row, "available_hours") if known else "no Trainers row: 0 h"
        text = (f"{k} trainers in {self.territory(t)} in {y}: {number(available)} h available "
                f"({where}){cohorts}; {hires}")
        return Limit("trainer pool", (t, k, y), text, tuple(sources) + held)

    def site_capacity(self, o: str, y: int) -> Limit:
        cap = self.d.site_capacity[o]
        row = self._rows[ORGANISATIONS_SHEET].get(o)
        cohorts, held = self._cohorts(self.d.offers_by_org.get(o, []), y)
        text = (f"organisation {self.organisation(o)} hosts at most {number(cap)} trainer-led "
                f"hours a year ({_at('Organisations', row, 'capacity_hours')}), here in {y}"
                f"{cohorts}")
        return Limit("site capacity", (o, y), text,
                     (Source(ORGANISATIONS_SHEET, row, "capacity_hours", cap),) + held)

    def budget(self, g: str) -> Limit:
        budget = self.d.budgets[g]
        row = self._rows[PROGRAMMES_SHEET].get(g)
        held = self.d.programme_cohort_cost(g)
        cohorts = (f"; cohorts already in training cost {number(round(held))} EUR of it"
                   if held else "")
        text = (f"programme {g} has a budget of {number(budget)} EUR for its offers and hires "
                f"({_at('Programmes', row, 'budget')}){cohorts}")
        return Limit("budget", (g,), text, (Source(PROGRAMMES_SHEET, row, "budget", budget),))

    def ramp_up(self, p: str, y: int) -> Limit:
        o = self.d.offers[p]
        text = (f"offer {p} can add at most {_sessions(o.max_new)} a year to the "
                f"{number(o.baseline)} started before {self.d.first_year} "
                f"({_at('Offers', o.row, 'max_new_sessions_per_year / baseline_sessions')}), "
                f"here in {y}")
        return Limit("ramp-up", (p, y), text,
                     (Source(OFFERS_SHEET, o.row, "max_new_sessions_per_year", o.max_new),
                      Source(OFFERS_SHEET, o.row, "baseline_sessions", o.baseline)))

    def seats(self, p: str, y: int) -> Limit:
        o = self.d.offers[p]
        text = (f"offer {p} seats {number(o.seats)} learners a session "
                f"({_at('Offers', o.row, 'seats')}), here in {y}")
        return Limit("seats", (p, y), text, (Source(OFFERS_SHEET, o.row, "seats", o.seats),))

    def minimum_fill(self, p: str, y: int) -> Limit:
        o = self.d.offers[p]
        access = self.d.access
        reach = access.loc[access["offer_id"] == p, "territory_id"]
        who = (", ".join(self.territory(t) for t in reach) if len(reach)
               else "no territory (none within its travel limit)")
        text = (f"offer {p} runs a session only with at least {number(o.min_learners)} learners "
                f"({_at('Offers', o.row, 'min_learners')}), here in {y}; learners can come "
                f"from {who}")
        return Limit("minimum fill", (p, y), text,
                     (Source(OFFERS_SHEET, o.row, "min_learners", o.min_learners),))

    # -- bounds of the model's columns ---------------------------------------

    def bound(self, key: Key, lower: bool) -> Limit | None:
        """The limit a variable bound stands for (None for plain non-negativity)."""
        component, index = key
        if component == "Sessions":
            p, y = index
            o = self.d.offers[p]
            org = self.organisation(o.org_id)
            if lower:
                text = (f"offer {p} at {org} must start {_sessions(o.committed)} a year "
                        f"(committed), needing "
                        f"{number(o.committed * o.trainer_hours_per_session)} trainer hours of "
                        f"{o.skill} in {self.territory(o.territory_id)} "
                        f"({_at('Offers', o.row, 'committed_sessions_per_year')}), here in {y}")
                return Limit("committed sessions", index, text,
                             (Source(OFFERS_SHEET, o.row, "committed_sessions_per_year",
                                     o.committed),))
            text = (f"offer {p} at {org} starts at most {_sessions(o.max_sessions)} a year "
                    f"({_at('Offers', o.row, 'max_sessions_per_year')}), here in {y}")
            return Limit("offer maximum", index, text,
                         (Source(OFFERS_SHEET, o.row, "max_sessions_per_year", o.max_sessions),))
        if component == "Hires" and not lower:
            t, k, y = index
            h = self.d.hiring[(t, k)]
            text = (f"at most {counted(h.max_new_per_year, k + ' trainer')} can be hired a year in "
                    f"{self.territory(t)} ({_at('TrainerHiring', h.row, 'max_new_per_year')}),"
                    f" here in {y}")
            return Limit("hiring maximum", index, text,
                         (Source(TRAINER_HIRING_SHEET, h.row, "max_new_per_year",
                                 h.max_new_per_year),))
        return None


ROW_LIMITS: dict[str, Callable[..., Limit]] = {
    "TrainerHours": LimitBook.trainer_pool,
    "SiteCapacity": LimitBook.site_capacity,
    "Budget": LimitBook.budget,
    "RampUp": LimitBook.ramp_up,
    "SeatLimit": LimitBook.seats,
    "MinimumFill": LimitBook.minimum_fill,
}
"""Constraint family (its component name) -> the description of one of its rows."""
