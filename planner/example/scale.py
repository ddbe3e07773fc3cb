"""The example replicated as N neighbouring regions (issue 8: a France-sized instance).

Region k (1..N) is a copy of Hauts-de-France placed on a grid of
``ceil(sqrt(N))`` columns: its coordinates are shifted by ``LON_STEP``
degrees east per column and ``LAT_STEP`` degrees north per row.  The
steps are a little larger than the region's extent (2.42 degrees of
longitude, 1.99 of latitude), so copies never overlap but their border
zones are within an hour of each other (e.g. Maubeuge and the eastern
neighbour's Berck and Bresle-Vimeu, about 10 km apart; Lille and
Roubaix-Tourcoing and the northern neighbour's Château-Thierry, 40-50 km):
learners of a border zone can reach organisations of the neighbour, with
travel estimated from coordinates like any other pair.

Identifiers that belong to a region get the prefix ``R<k>-`` (``R02-3216``,
``R02-OF001``, ``R02-OF001-USI``, ``R02-ELECTROMOB``, departments too);
names get `` (R02)``.  Job families and skills are shared: they are
national categories.

Each region keeps its own programme (``R<k>-ELECTROMOB``, 11,000 modules,
8,000 persons, 25 M EUR): a regional battery-training programme like
Electro'Mob (Nouvelle-Aquitaine's BATTENA is one), not one national
target the other regions would make trivial.  Scenario rows that filter
on a region's identifier (``programme_id = ELECTROMOB``) are replicated,
one per region, so a scenario means the same edit everywhere; rows that
filter on a shared value (``skill``, ``family_id``) or on nothing stay
single.  The per-stage time limit grows with N (15 s x N: at N = 3 the
LP of the ``unmet`` stage alone needs ~33 s with simplex); benchmarks set
their own.  ``N = 1`` returns the example unchanged.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable

from planner.data.schema import (DEMAND_SHEET, IN_TRAINING_SHEET, OFFERS_SHEET, ORGANISATIONS_SHEET,
                                  PROGRAMMES_SHEET, SCENARIOS_SHEET, TERRITORIES_SHEET,
                                  TRAINER_HIRING_SHEET, TRAINERS_SHEET, TRAVEL_SHEET)
from planner.example.build import Example
from planner.example.facts import DERIVED, Fact

LON_STEP = 2.5
LAT_STEP = 2.0

REGION_COLUMNS: dict[str, tuple[str, ...]] = {
    TERRITORIES_SHEET: ("territory_id", "department"),
    ORGANISATIONS_SHEET: ("org_id", "territory_id"),
    OFFERS_SHEET: ("offer_id", "org_id", "programme_id"),
    DEMAND_SHEET: ("territory_id",),
    TRAINERS_SHEET: ("territory_id",),
    TRAINER_HIRING_SHEET: ("territory_id", "programme_id"),
    PROGRAMMES_SHEET: ("programme_id",),
    TRAVEL_SHEET: ("from_territory", "to_territory"),
    IN_TRAINING_SHEET: ("offer_id", "territory_id"),
}
"""Columns whose values belong to one region (prefixed in each copy)."""

NAMED = {TERRITORIES_SHEET: "name", ORGANISATIONS_SHEET: "name", PROGRAMMES_SHEET: "name"}


def region_prefix(k: int) -> str:
    return f"R{k:02d}-"


def grid_shift(k: int, n: int) -> tuple[float, float]:
    """(latitude, longitude) shift of region k (1-based) among n."""
    columns = math.ceil(math.sqrt(n))
    row, col = divmod(k - 1, columns)
    return row * LAT_STEP, col * LON_STEP


def _copy_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], name_column: str | None,
               prefix: str, tag: str, edit: Callable[[dict[str, Any]], None] | None = None
               ) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        new = dict(row)
        for c in columns:
            if new.get(c) is not None:
                new[c] = prefix + str(new[c])
        if name_column and new.get(name_column) is not None:
            new[name_column] = f"{new[name_column]} ({tag})"
        if edit:
            edit(new)
        out.append(new)
    return out


def _scenario_rows(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        regional = row.get("where_column") in REGION_COLUMNS.get(row["sheet"], ())
        if not regional:
            out.append(dict(row))
            continue
        for k in range(1, n + 1):
            out.append({**row, "where_value": region_prefix(k) + str(row["where_value"])})
    return out


def scale_example(example: Example, n: int) -> Example:
    """``example`` replicated as ``n`` neighbouring regions (``n = 1``: unchanged)."""
    if n < 1:
        raise ValueError(f"the scale must be a whole number >= 1, not {n}")
    if n == 1:
        return copy.deepcopy(example)
    tables: dict[str, list[dict[str, Any]]] = {}
    for sheet, rows in example.tables.items():
        if sheet == SCENARIOS_SHEET:
            tables[sheet] = _scenario_rows(rows, n)
            continue
        columns = REGION_COLUMNS.get(sheet)
        if columns is None:  # shared sheets: JobFamilies
            tables[sheet] = copy.deepcopy(rows)
            continue
        tables[sheet] = []
        for k in range(1, n + 1):
            prefix, tag = region_prefix(k), f"R{k:02d}"
            dlat, dlon = grid_shift(k, n)

            def shift(row: dict[str, Any], dlat: float = dlat, dlon: float = dlon) -> None:
                row["latitude"] = round(row["latitude"] + dlat, 5)
                row["longitude"] = round(row["longitude"] + dlon, 5)

            edit = shift if sheet == TERRITORIES_SHEET else None
            tables[sheet] += _copy_rows(rows, columns, NAMED.get(sheet), prefix, tag, edit)
    needs = [{**r, "territory_id": region_prefix(k) + r["territory_id"]}
             for k in range(1, n + 1) for r in example.needs]
    sources = list(example.sources)
    sources.append(Fact(
        "scale", n, "regions", DERIVED,
        f"planner example --scale {n}: the example replicated on a grid of "
        f"{math.ceil(math.sqrt(n))} columns, shifted {LON_STEP} deg east per column and "
        f"{LAT_STEP} deg north per row; ids prefixed R01-..R{n:02d}-; one programme per "
        "region; scenario rows on a region's id replicated per region",
        "every sheet", "a benchmark instance, not a real geography").record())
    settings = dict(example.settings)
    settings["time_limit_seconds"] = float(example.settings["time_limit_seconds"]) * n
    return Example(settings=settings, tables=tables, sources=sources, needs=needs)
