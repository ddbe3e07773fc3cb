"""Tiny instances (as data or as a workbook) and a solve that checks every invariant."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from planner.config import SolveOptions
from planner.data.tables import PlanningData, planning_data
from planner.data.write.inputbook import write_input_workbook
from planner.invariants import plan_violations
from planner.model import build_model
from planner.results import Results, extract, recomputed_stage_values
from planner.solve import Solution, solve

# A and B are 7.2 km apart (8 min at the default detour and speed); C is 143 km away.
TERRITORIES = [
    {"territory_id": "A", "name": "Alpha", "latitude": 50.0, "longitude": 3.0},
    {"territory_id": "B", "name": "Beta", "latitude": 50.0, "longitude": 3.1},
    {"territory_id": "C", "name": "Gamma", "latitude": 50.0, "longitude": 5.0},
]

BASE: dict[str, Any] = {
    "settings": {"first_year": 2025, "last_year": 2025, "objective_stages": "unmet,cost",
                 "mip_gap": 0.0},
    "Territories": TERRITORIES,
    "JobFamilies": [{"family_id": "F", "name": "Fitters"}],
    "Organisations": [{"org_id": "O", "name": "Org", "territory_id": "A"}],
    "Offers": [{"offer_id": "P", "org_id": "O", "family_id": "F", "skill": "s", "seats": 10,
                "trainer_hours_per_session": 100, "max_sessions_per_year": 5}],
    "Demand": [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 10}],
    "Trainers": [{"territory_id": "A", "skill": "s", "year": y, "available_hours": 10_000}
                 for y in range(2025, 2031)],
}


def tiny(settings: dict[str, Any] | None = None, **sheets: Any) -> PlanningData:
    """The base instance with some settings and whole sheets replaced."""
    spec = copy.deepcopy(BASE)
    spec["settings"].update(settings or {})
    for name, rows in sheets.items():
        spec[name] = rows
    return planning_data(spec.pop("settings"), spec)


def tiny_workbook(path: Path, **sheets: Any) -> Path:
    """The base instance as an input workbook at ``path``, with some whole sheets replaced."""
    tables = {name: rows for name, rows in BASE.items() if name != "settings"}
    tables.update(sheets)
    return write_input_workbook(path, BASE["settings"], tables)


def offer(**changes: Any) -> dict[str, Any]:
    """The base offer with some fields changed."""
    row = dict(BASE["Offers"][0])
    row.update(changes)
    return row


def solve_checked(data: PlanningData, options: SolveOptions = SolveOptions()
                  ) -> tuple[Solution, Results]:
    """Solve, then assert the invariants and that every stage reconciles with the tables."""
    solution = solve(build_model(data), options)
    assert solution.usable, [s.status for s in solution.stages]
    results = extract(solution)
    assert plan_violations(solution, results) == []
    recomputed = recomputed_stage_values(solution.plan.derived, results)
    for stage in solution.stages:
        value = recomputed[stage.stage]
        # the final plan keeps each earlier stage within its bound: optimum + tolerance
        tolerance = data.settings.stage_tolerance * max(1.0, abs(stage.objective)) + 1e-6
        assert value == pytest.approx(stage.objective, abs=tolerance), stage.stage
    return solution, results


def stage(solution: Solution, name: str) -> float:
    value = solution.stage(name).objective
    assert value is not None
    return value
