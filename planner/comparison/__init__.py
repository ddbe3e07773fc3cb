"""Compare runs side by side: the base first, then scenarios or any other result workbooks.

- :mod:`planner.comparison.summary`: :class:`RunSummary`, what the comparison
  needs of one run (returned by a scenario worker, or read from a file).
- :mod:`planner.comparison.read`: a result workbook -> :class:`RunSummary`,
  refusing files that are not result workbooks with what they are instead.
- :mod:`planner.comparison.tables`: the comparison as tables (metrics side by
  side with the difference from the base, unmet demand by territory x
  family, edits, status, headline changes).
- :mod:`planner.comparison.workbook`: those tables as the comparison workbook,
  with native charts.
"""
