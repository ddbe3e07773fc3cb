"""Small input workbooks for the tests: one valid instance, and ways to spoil it."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from openpyxl import Workbook, load_workbook

from planner.data.write.inputbook import write_input_workbook

Records = list[dict[str, Any]]

SETTINGS: dict[str, Any] = {"first_year": 2025, "last_year": 2026,
                            "objective_stages": "unmet,cost"}

TABLES: dict[str, Records] = {
    "Territories": [
        {"territory_id": "A", "name": "Aisne", "department": "02",
         "latitude": 50.0, "longitude": 3.0},
        {"territory_id": "B", "name": "Bapaume", "department": "62",
         "latitude": 50.0, "longitude": 3.1, "max_travel_minutes": 45},
    ],
    "JobFamilies": [{"family_id": "F", "name": "Maintenance", "weight": 2}],
    "Organisations": [{"org_id": "O", "name": "Lycée Baggio", "type": "Autre",
                       "territory_id": "A", "capacity_hours": 1000}],
    "Offers": [{"offer_id": "P", "org_id": "O", "family_id": "F", "skill": "maintenance",
                "programme_id": "EM", "seats": 10, "min_learners": 2,
                "trainer_hours_per_session": 100, "max_sessions_per_year": 3,
                "committed_sessions_per_year": 1, "cost_per_session": 1000,
                "baseline_sessions": 1, "max_new_sessions_per_year": 2,
                "placement_rate": 0.8}],
    "Demand": [{"territory_id": "A", "family_id": "F", "year": 2026, "people": 25},
               {"territory_id": "B", "family_id": "F", "year": 2026, "people": 10}],
    "Trainers": [{"territory_id": "A", "skill": "maintenance", "year": y,
                  "available_hours": 200} for y in (2025, 2026)],
    "TrainerHiring": [{"territory_id": "A", "skill": "maintenance", "max_new_per_year": 1,
                       "hours_per_trainer": 800, "lead_years": 1}],
    "Programmes": [{"programme_id": "EM", "name": "Electro'Mob", "modules_target": 40,
                    "persons_target": 30, "budget": 100000}],
    "Travel": [{"from_territory": "B", "to_territory": "A", "minutes": 20}],
}


def records(**changes: Records) -> dict[str, Records]:
    """A deep copy of the valid tables with some sheets replaced."""
    tables = copy.deepcopy(TABLES)
    tables.update(changes)
    return tables


def write(folder: Path, settings: dict[str, Any] | None = None,
          tables: dict[str, Records] | None = None, name: str = "input.xlsx") -> Path:
    """The valid workbook (or the given settings and tables) written in ``folder``.

    The Settings sheet holds exactly the given keys, in the given order
    (the planner's writer lists every key; these tests place rows themselves).
    """
    settings = SETTINGS if settings is None else settings
    path = write_input_workbook(folder / name, settings, TABLES if tables is None else tables)

    def exactly(wb: Workbook) -> None:
        ws = wb["Settings"]
        ws.delete_rows(2, ws.max_row)
        for key, value in settings.items():
            ws.append([key, value])

    return edit(path, exactly)


def summary(path: Path) -> dict[str, Any]:
    """A result workbook's Summary sheet as metric -> value."""
    frame = pd.read_excel(path, sheet_name="Summary")
    return dict(zip(frame["metric"], frame["value"]))


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every worksheet's rows of cell values, as openpyxl reads them."""
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)]
                for ws in wb.worksheets}
    finally:
        wb.close()


def edit(path: Path, change: Callable[[Workbook], Any]) -> Path:
    """Open ``path`` with openpyxl, apply ``change``, save it back."""
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def with_saved_xml(path: Path, replacements: dict[str, str]) -> Path:
    """A copy of ``path`` with text replaced in its worksheets' XML (as a spreadsheet saved it)."""
    with zipfile.ZipFile(path) as source:
        entries = {info: source.read(info.filename) for info in source.infolist()}
    out = path.with_name(path.stem + "_saved.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries.items():
            if info.filename.startswith("xl/worksheets/sheet"):
                text = content.decode()
                for old, new in replacements.items():
                    text = text.replace(old, new)
                content = text.encode()
            target.writestr(info, content)
    return out


def with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """A copy of ``path`` whose formulas have saved values, as a spreadsheet would write.

    ``values`` maps formula text (without ``=``) to the value to save.
    openpyxl writes a formula as ``<f>1+1</f><v />``; a spreadsheet that
    saved the file would have written ``<f>1+1</f><v>2</v>``.
    """
    return with_saved_xml(path, {f"<f>{formula}</f><v />": f"<f>{formula}</f><v>{value}</v>"
                                 for formula, value in values.items()})


def synthetic(territories: int, organisations: int, offers_per_org: int,
              years: tuple[int, int] = (2025, 2030)) -> tuple[dict[str, Any], dict[str, Records]]:
    """A valid instance of any size (for speed measurements): settings and tables."""
    first, last = years
    skills = ("maintenance", "electrochemistry", "automation", "logistics", "quality")
    families = [f"J{j}" for j in range(7)]
    terr = [{"territory_id": f"{3200 + t}", "name": f"Zone {t}", "department": "59",
             "latitude": 49.5 + (t % 10) * 0.1, "longitude": 2.0 + (t // 10) * 0.1}
            for t in range(territories)]
    orgs = [{"org_id": f"OF{o:05d}", "name": f"Organisation {o}", "type": "Autre",
             "territory_id": terr[o % territories]["territory_id"], "capacity_hours": 5000}
            for o in range(organisations)]
    offers = [{"offer_id": f"OF{o:05d}-{k}", "org_id": f"OF{o:05d}",
               "family_id": families[(o + k) % 7], "skill": skills[(o + k) % 5],
               "level": "Bac+2", "programme_id": "EM", "seats": 12, "min_learners": 0,
               "trainer_hours_per_session": 140, "modules_per_learner": 1,
               "cost_per_session": 12000, "cost_per_learner": 300,
               "max_sessions_per_year": 6, "committed_sessions_per_year": 0,
               "baseline_sessions": 2, "max_new_sessions_per_year": 2, "placement_rate": 0.8}
              for o in range(organisations) for k in range(offers_per_org)]
    demand = [{"territory_id": t["territory_id"], "family_id": j, "year": y, "people": 40}
              for t in terr for j in families for y in range(first, last + 1)]
    trainers = [{"territory_id": t["territory_id"], "skill": k, "year": y,
                 "available_hours": 2000}
                for t in terr for k in skills for y in range(first, last + 1)]
    tables: dict[str, Records] = {"Territories": terr, "JobFamilies": [{"family_id": j, "name": j} for j in families],
              "Organisations": orgs, "Offers": offers, "Demand": demand, "Trainers": trainers,
              "Programmes": [{"programme_id": "EM", "name": "Electro'Mob", "budget": 25e6}]}
    return {"first_year": first, "last_year": last}, tables


def cell_count(tables: dict[str, Records]) -> int:
    return sum(len(rows) * len(rows[0]) for rows in tables.values() if rows)
