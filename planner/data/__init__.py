"""The input side: the contract (schema), reading, validation, typed tables.

Split by direction:

- :mod:`planner.data.schema` (the contract as data) and
  :mod:`planner.data.describe` (the schema in words);
- :mod:`planner.data.read`: the file, its sheets and cells, as raw tables;
- :mod:`planner.data.check`: every rule and the pre-solve checks, located;
- :mod:`planner.data.tables`: the validated, typed planning data (what the
  model sees), and :mod:`planner.data.travel` (travel times, access);
- :mod:`planner.data.write`: the template, its Guide, the annotated copy;
- :mod:`planner.data.loader`: a path -> read, check, typed data.

Public API:

- :func:`load` ``(path) -> PlanningData``: read and validate a workbook;
  raises :class:`~planner.errors.InputError` carrying every issue.
- :func:`inspect` ``(path) -> (PlanningData | None, list[Issue])``: the same,
  never raising for a problem of the input (``planner validate``).
- :func:`check_tables` ``(settings, tables)``: every table rule, for data
  edited after reading (scenarios).
- :func:`presolve_checks` ``(data)``: infeasibility visible before solving.
"""

from planner.data.check.presolve import presolve_checks
from planner.data.check.validate import check_tables
from planner.data.loader import inspect, load

__all__ = ["load", "inspect", "check_tables", "presolve_checks"]
