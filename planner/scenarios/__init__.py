"""Scenarios (SPEC 3 ``Scenarios``): edit the base data, solve every scenario, compare.

- :mod:`planner.scenarios.edits`: apply one scenario's rows to a copy of the
  base data and validate it like an input (:func:`apply_scenario`).
- :mod:`planner.scenarios.runs`: one run (the base or a scenario) as a task a
  worker process can take: :func:`solve_task` reads, edits, solves, writes
  its result workbook and returns a small picklable
  :class:`~planner.comparison.summary.RunSummary`.
- :mod:`planner.scenarios.engines`: where the runs execute (in-process,
  local processes, a Dask cluster), behind one ``concurrent.futures``
  interface (:func:`run_tasks`).
"""
