"""Checking the input: every rule, collected and located, before any model is built.

- :mod:`~planner.data.check.rules`: the rule code each issue carries.
- :mod:`~planner.data.check.validate`: Settings and every table rule of the
  schema (types, bounds, keys, references, years, cross-sheet rules).
- :mod:`~planner.data.check.presolve`: infeasibility visible in the data,
  told with the rows involved.
- :mod:`~planner.data.check.issue_report`: the issues as a planner reads
  them, grouped by sheet, a long run of one rule cut with its count and rows.
"""
