"""Cells of the results workbook: write-only friendly, under :mod:`planner.xlsx`'s rules.

Every sheet goes through :func:`cell` (values) and :func:`header_cell`
(column names).  For speed (tens of thousands of rows), :func:`cell`
returns the bare value when no style is needed and the value is safe as
is; openpyxl then builds the cell itself, exactly as it would from a
:class:`Cell`.  Tables go through :func:`column_cells`, which applies the
same rules to a whole column: numeric columns are checked for infinity
once, with numpy, and their cells are made lazily (a write-only sheet
never holds them all).
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from planner.xlsx import Scalar, UnwritableValue, needs_protection, plain

__all__ = ["BOLD", "UnwritableValue", "cell", "column_cells", "header_cell", "plain"]

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGNMENT = Alignment(vertical="top")
BOLD = Font(bold=True)


def cell(ws: Worksheet, value: Any, number_format: str | None = None,
         *, bold: bool = False) -> Scalar | Cell:
    """A cell of ``ws`` holding ``value`` under the rules of :mod:`planner.xlsx`.

    ``number_format`` applies to numbers only (text keeps the default
    format).  Returns the bare value when no style is needed and openpyxl
    would store it correctly by itself.
    """
    v = plain(value)
    if v is None:
        return None
    if isinstance(v, str):
        if needs_protection(v):
            c = Cell(ws, row=1, column=1, value=v)
            c.data_type = "s"  # openpyxl inferred a formula or an error code
            c.quotePrefix = True
        elif bold:
            c = Cell(ws, row=1, column=1, value=v)
        else:
            return v
    else:
        if number_format is None and not bold:
            return v
        c = Cell(ws, row=1, column=1, value=v)
        if number_format is not None and not isinstance(v, bool):
            c.number_format = number_format
    if bold:
        c.font = BOLD
    return c


def header_cell(ws: Worksheet, name: str) -> Cell:
    """A column header: the name as text, bold on a light fill."""
    c = cell(ws, name, bold=True)
    if not isinstance(c, Cell):  # cannot happen for a non-empty name, but keep it typed
        c = Cell(ws, row=1, column=1, value=c)
    c.fill = HEADER_FILL
    c.alignment = HEADER_ALIGNMENT
    return c


def column_cells(ws: Worksheet, values: pd.Series,
                 number_format: str | None = None) -> Iterator[Scalar | Cell]:
    """The cells of one table column, in order, under the rules of :func:`cell`.

    Infinity anywhere in the column raises :class:`UnwritableValue` (naming
    the first sheet row, header in row 1) before any cell is made.
    """
    kind = values.dtype
    numeric = pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
    if not numeric:
        return (cell(ws, v, number_format) for v in values.tolist())
    if pd.api.types.is_integer_dtype(kind):
        items: list[Any] = [None if v is pd.NA else int(v) for v in values.tolist()]
    else:
        array = values.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.flatnonzero(np.isinf(array))
        if len(infinite):
            raise UnwritableValue(f"row {int(infinite[0]) + 2}: infinite value "
                                  f"{array[infinite[0]]} cannot be written to a cell")
        items = array.tolist()
    return _numbers(ws, items, number_format)


def _numbers(ws: Worksheet, items: list[Any], number_format: str | None
             ) -> Iterator[Scalar | Cell]:
    for v in items:
        if v is None or v != v:  # NaN
            yield None
        elif number_format is None:
            yield v
        else:
            c = Cell(ws, row=1, column=1, value=v)
            c.number_format = number_format
            yield c
