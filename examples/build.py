"""Write the small example workbooks of ``examples/`` (run from the repository root).

    .venv/bin/python examples/build.py

- ``two_territories.xlsx``: a plan small enough to solve by hand (see
  ``examples/README.md``), with two scenarios;
- ``infeasible/*.xlsx``: five inputs whose hard limits cannot all hold, one
  per kind of conflict; ``planner solve`` exits 3 and names the rows.

The workbooks are checked in; ``tests/test_examples.py`` rebuilds them and
checks they are current, and solves each one.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from planner.data.write.inputbook import write_input_workbook  # noqa: E402

Records = list[dict[str, Any]]

SETTINGS: dict[str, Any] = {"first_year": 2025, "last_year": 2026,
                            "objective_stages": "unmet,cost", "mip_gap": 0.0}

# Amiens and Abbeville are 41 km apart (about 48 min by road at the default
# detour factor and speed); the only organisation is in Amiens.
TWO_TERRITORIES: dict[str, Records] = {
    "Territories": [
        {"territory_id": "AMI", "name": "Amiens", "department": "80",
         "latitude": 49.894, "longitude": 2.296},
        {"territory_id": "ABB", "name": "Abbeville", "department": "80",
         "latitude": 50.106, "longitude": 1.834, "max_travel_minutes": 60},
    ],
    "JobFamilies": [{"family_id": "MAINT", "name": "Maintenance technicians"}],
    "Organisations": [{"org_id": "AFPA", "name": "Centre AFPA Amiens", "type": "AFPA",
                       "territory_id": "AMI"}],
    "Offers": [{"offer_id": "MAINT-AMI", "org_id": "AFPA", "family_id": "MAINT",
                "skill": "maintenance", "seats": 12, "trainer_hours_per_session": 100,
                "max_sessions_per_year": 5, "cost_per_session": 10_000}],
    "Demand": [{"territory_id": "AMI", "family_id": "MAINT", "year": 2026, "people": 30},
               {"territory_id": "ABB", "family_id": "MAINT", "year": 2026, "people": 20}],
    "Trainers": [{"territory_id": "AMI", "skill": "maintenance", "year": y,
                  "available_hours": 250} for y in (2025, 2026)],
    "Scenarios": [
        {"scenario": "more_trainers", "sheet": "Trainers", "column": "available_hours",
         "operation": "add", "value": 100},
        {"scenario": "short_trips", "sheet": "Territories", "column": "max_travel_minutes",
         "where_column": "territory_id", "where_value": "ABB", "operation": "set",
         "value": 30},
    ],
}

# One territory, one organisation, one offer: each conflict below changes a few cells.
SMALL: dict[str, Records] = {
    "Territories": [{"territory_id": "A", "name": "Arras", "latitude": 50.29,
                     "longitude": 2.78}],
    "JobFamilies": [{"family_id": "F", "name": "Fitters"}],
    "Organisations": [{"org_id": "O", "name": "Lycée Guy Mollet", "territory_id": "A"}],
    "Offers": [{"offer_id": "P", "org_id": "O", "family_id": "F", "skill": "fitting",
                "seats": 10, "trainer_hours_per_session": 100,
                "max_sessions_per_year": 5, "committed_sessions_per_year": 3}],
    "Demand": [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 10}],
    "Trainers": [{"territory_id": "A", "skill": "fitting", "year": 2025,
                  "available_hours": 1000}],
}
ONE_YEAR = {"first_year": 2025, "last_year": 2025, "objective_stages": "unmet,cost"}


def _small(**changes: Any) -> dict[str, Records]:
    tables = copy.deepcopy(SMALL)
    for sheet, change in changes.items():
        if isinstance(change, dict):  # fields of the sheet's first row
            tables[sheet][0].update(change)
        else:
            tables[sheet] = change
    return tables


INFEASIBLE: dict[str, dict[str, Records]] = {
    "trainer_hours": _small(Trainers={"available_hours": 250}),
    "site_capacity": _small(Organisations={"capacity_hours": 200}),
    "budget": _small(Offers={"cost_per_session": 1000, "programme_id": "G"},
                     Programmes=[{"programme_id": "G", "name": "Regional fund",
                                  "budget": 2500}]),
    "ramp_up": _small(Offers={"committed_sessions_per_year": 4, "baseline_sessions": 1,
                              "max_new_sessions_per_year": 2}),
    "hire_beyond_budget": _small(
        Offers={"committed_sessions_per_year": 2},
        Trainers={"available_hours": 150},
        TrainerHiring=[{"territory_id": "A", "skill": "fitting", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "cost_per_trainer_year": 1000,
                        "programme_id": "G"}],
        Programmes=[{"programme_id": "G", "name": "Regional fund", "budget": 600}]),
}
"""Conflict name -> tables.  ``hire_beyond_budget``: 150 trainer hours for
200 committed; half a hire would do, but hires are whole and one costs more
than the budget: only the solver sees it."""


def workbooks() -> dict[str, tuple[dict[str, Any], dict[str, Records]]]:
    """Relative path -> (settings, tables) of every example workbook."""
    books = {"two_territories.xlsx": (SETTINGS, TWO_TERRITORIES)}
    for name, tables in INFEASIBLE.items():
        books[f"infeasible/{name}.xlsx"] = (ONE_YEAR, tables)
    return books


def build(folder: Path = HERE) -> list[Path]:
    written = []
    for relative, (settings, tables) in workbooks().items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_input_workbook(path, settings, tables))
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parent))
