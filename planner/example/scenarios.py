"""The example's scenarios, in the SPEC 3 Scenarios format.

Each row edits one column of one sheet, on the rows where ``where_column``
equals ``where_value`` (one equality; blank = every row).  The scenarios are
designed so that this is enough:

- ``electrochemistry_trainers_plus_20pct``: every electrochemistry pool has
  20 % more hours (the SPEC's own example).
- ``maintenance_hiring_doubled``: two maintenance trainers a pool a year can
  be hired instead of one.
- ``access_45_min``: a 45-minute travel limit instead of 60.  Written on the
  ``Territories.max_travel_minutes`` override (blank in the base), which
  every territory then carries: a plain table edit, whatever the scenario
  engine does with the Settings sheet.
- ``prologium_one_year_late``: ProLogium's demand has its own family
  (``GF_PROLOGIUM``) precisely so one equality finds it.  Its ramp is linear
  (600 hires a year, 2026-2030); one year late it hires 2027-2031, i.e.
  2,400 people within the horizon instead of 3,000.  One equality cannot
  shift rows by a year (that needs family *and* year), so the scenario
  scales the family's demand by 0.8: the same cumulative demand at 2030 (the
  headline ``unmet`` stage is exact), spread over five years instead of
  four (the ``timeliness`` stage sees 480 a year from 2026 rather than 0
  then 600: a milder profile than a true shift).
- ``electromob_budget_state_share``: Electro'Mob with only the State's
  14.2 M EUR (sourced) instead of 25 M EUR.
"""

from __future__ import annotations

from typing import Any

from planner.example import facts


def scenario_rows() -> list[dict[str, Any]]:
    def row(scenario: str, sheet: str, column: str, where_column: str | None,
            where_value: str | None, operation: str, value: Any) -> dict[str, Any]:
        return {"scenario": scenario, "sheet": sheet, "column": column,
                "where_column": where_column, "where_value": where_value,
                "operation": operation, "value": value}

    return [
        row("electrochemistry_trainers_plus_20pct", "Trainers", "available_hours", "skill",
            "electrochemistry", "scale", 1.2),
        row("maintenance_hiring_doubled", "TrainerHiring", "max_new_per_year", "skill",
            "maintenance", "set", 2),
        row("access_45_min", "Territories", "max_travel_minutes", None, None, "set", 45),
        row("prologium_one_year_late", "Demand", "people", "family_id",
            facts.GIGAFACTORY_FAMILY["G_PROLOGIUM"], "scale", 0.8),
        row("electromob_budget_state_share", "Programmes", "budget", "programme_id",
            facts.ELECTROMOB_ID, "set", facts.parameter("electromob_state_subsidy")),
    ]
