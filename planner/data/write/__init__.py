"""Writing input workbooks: the template, its Guide, and the annotated copy.

- :mod:`~planner.data.write.inputbook`: an input workbook from tables (the
  template, the example, tests), with drop-down lists and header comments.
- :mod:`~planner.data.write.guide`: the ``Guide`` sheet, from the schema.
- :mod:`~planner.data.write.styles`: the look the data sheets and the Guide share.
- :mod:`~planner.data.write.annotate`: a copy of an input with every issue
  marked on its cell and listed on an ``Issues`` sheet (a flood of one rule
  summed up after the first thousand).
- :mod:`~planner.data.write.streamed_copy`: the copy of a workbook too large
  to hold in memory, written while it is read.
"""
