"""Inputs with Scenarios rows for the sweep tests, and what the tests read back.

``regional_with_scenarios`` is the regional instance of the report tests
with four scenarios that solve (one of them changes nothing: the limit it
relaxes does not bind) and two that fail: one made infeasible by
committed sessions (pre-solve: a site and a trainer pool cannot carry
them), one invalid (negative seats).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


from planner.data.write.inputbook import write_input_workbook
from tests.report_instances import regional_spec
from tests.workbooks import summary

SOLVED = ["access_45", "lille_capacity_x2", "prod_demand_plus_20pct", "seats_16"]
FAILED = {"committed_too_much": ("infeasible", 3), "negative_seats": ("invalid", 2)}
TIMINGS = {"solve_seconds", "wall_seconds"}
"""Metrics that differ between two runs of the same input (not values of the plan)."""

SCENARIOS: list[dict[str, Any]] = [
    {"scenario": "access_45", "sheet": "Settings", "column": "max_travel_minutes",
     "operation": "set", "value": 45},
    {"scenario": "lille_capacity_x2", "sheet": "Organisations", "column": "capacity_hours",
     "where_column": "org_id", "where_value": "O1", "operation": "scale", "value": 2},
    {"scenario": "prod_demand_plus_20pct", "sheet": "Demand", "column": "people",
     "where_column": "family_id", "where_value": "PROD", "operation": "scale", "value": "1,2"},
    {"scenario": "committed_too_much", "sheet": "Offers",
     "column": "committed_sessions_per_year", "operation": "set", "value": 6},
    {"scenario": "seats_16", "sheet": "Offers", "column": "seats", "operation": "set",
     "value": 16},
    {"scenario": "negative_seats", "sheet": "Offers", "column": "seats",
     "where_column": "offer_id", "where_value": "OF1-PROD", "operation": "set", "value": -2},
]
"""Solved, solved, solved, infeasible, solved, invalid (in this order in the sheet)."""

FAST = ["--no-explain", "-q"]
"""Sweep options for tests: no marginal values (each would re-solve), no progress."""


def regional_with_scenarios(folder: Path) -> Path:
    settings, tables = regional_spec()
    tables["Scenarios"] = SCENARIOS
    return write_input_workbook(folder / "regional.xlsx", settings, tables)


def plan_values(folder: Path, stem: str = "regional") -> dict[str, dict[str, Any]]:
    """Each run's Summary metrics (timings left out), from its own result workbook."""
    out = {}
    for name in ["baseline", *SOLVED]:
        metrics = summary(folder / f"{stem}__{name}.xlsx")
        out[name] = {k: v for k, v in metrics.items() if k not in TIMINGS}
    return out
