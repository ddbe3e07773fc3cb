"""The input side: the contract (schema), reading, validation, typed tables.

Public API:

- :func:`load` ``(path) -> PlanningData``: read and validate a workbook;
  raises :class:`~planner.errors.InputError` carrying every issue.
- :func:`inspect` ``(path) -> (PlanningData | None, list[Issue])``: the same,
  never raising for a problem of the input (``planner validate``).
- :func:`check_tables` ``(settings, tables)``: every table rule, for data
  edited after reading (scenarios).
- :func:`presolve_checks` ``(data)``: infeasibility visible before solving.
"""

from planner.data.feasibility import presolve_checks
from planner.data.loader import inspect, load
from planner.data.validate import check_tables

__all__ = ["load", "inspect", "check_tables", "presolve_checks"]
