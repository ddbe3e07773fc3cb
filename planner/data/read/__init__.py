"""Reading an input workbook, from its bytes to raw tables: nothing here judges the data.

- :mod:`~planner.data.read.container`: the file before openpyxl sees it (an
  .xlsx, and a safe one), with :mod:`~planner.data.read.ole` (what an OLE2
  file is) and :mod:`~planner.data.read.xmlparts` (the XML parts, streamed).
- :mod:`~planner.data.read.raw_workbook`: the sheets found by the schema's
  names, their headers and cells, as raw tables located by Excel row (each
  sheet streamed once, read-only, and held by column).
- :mod:`~planner.data.read.cell_parser`: one cell's raw value -> the typed
  value its column's kind wants (also used by scenario edits).
"""
