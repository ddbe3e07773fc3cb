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
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from planner.xlsx import Scalar, UnwritableValue, needs_protection, plain

__all__ = ["BOLD", "SIGNIFICANT", "UnwritableValue", "cell", "column_cells", "header_cell",
           "link_cell", "note_comment", "plain", "significant_format"]

FONT = "Calibri"
"""The one font of every result cell (a bold font without a name falls back to a serif
font in LibreOffice)."""
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGNMENT = Alignment(vertical="top")
BOLD = Font(name=FONT, bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
LINK = Font(name=FONT, color="1F4E9C", underline="single")
COMMENT_AUTHOR = "planner"


def cell(ws: Worksheet, value: Any, number_format: str | None = None,
         *, bold: bool = False, wrap: bool = False) -> Scalar | Cell:
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
        elif bold or wrap:
            c = Cell(ws, row=1, column=1, value=v)
        else:
            return v
    else:
        if number_format is None and not bold:
            return v
        c = Cell(ws, row=1, column=1, value=v)
        if number_format is not None and not isinstance(v, bool):
            c.number_format = (significant_format(float(v)) if number_format == SIGNIFICANT
                               else number_format)
    if bold:
        c.font = BOLD
    if wrap and isinstance(v, str):
        c.alignment = WRAPPED
    return c


def header_cell(ws: Worksheet, name: str, note: str | None = None) -> Cell:
    """A column header: the name as text, bold on a light fill, its meaning as a comment."""
    c = cell(ws, name, bold=True)
    if not isinstance(c, Cell):  # cannot happen for a non-empty name, but keep it typed
        c = Cell(ws, row=1, column=1, value=c)
    c.fill = HEADER_FILL
    c.alignment = HEADER_ALIGNMENT
    if note:
        c.comment = note_comment(note)
    return c


def note_comment(text: str) -> Comment:
    """A comment sized to its text (about 48 characters a line)."""
    lines = sum(1 + len(part) // 48 for part in text.split("\n"))
    return Comment(text, COMMENT_AUTHOR, height=max(40, 16 * lines + 12), width=300)


def link_cell(ws: Worksheet, text: str, sheet: str) -> Cell:
    """Text linking to cell A1 of ``sheet`` of the same workbook."""
    c = Cell(ws, row=1, column=1, value=text)
    c.hyperlink = Hyperlink(ref="A1", location=f"'{sheet}'!A1", display=text)
    c.font = LINK
    c.alignment = Alignment(vertical="top")
    return c


def column_cells(ws: Worksheet, values: pd.Series, number_format: str | None = None,
                 *, whole_where_whole: bool = False, wrap: bool = False
                 ) -> Iterator[Scalar | Cell]:
    """The cells of one table column, in order, under the rules of :func:`cell`.

    Infinity anywhere in the column raises :class:`UnwritableValue` (naming
    the first sheet row, header in row 1) before any cell is made.
    """
    kind = values.dtype
    numeric = pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
    if not numeric:
        return (cell(ws, v, number_format, wrap=wrap) for v in values.tolist())
    if pd.api.types.is_integer_dtype(kind):
        items: list[Any] = [None if v is pd.NA else int(v) for v in values.tolist()]
    else:
        array = values.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.flatnonzero(np.isinf(array))
        if len(infinite):
            raise UnwritableValue(f"row {int(infinite[0]) + 2}: infinite value "
                                  f"{array[infinite[0]]} cannot be written to a cell")
        items = array.tolist()
    return _numbers(ws, items, number_format, whole_where_whole)


WHOLE_FORMAT = "#,##0"


def is_whole(v: float) -> bool:
    """Whole within a millionth (a plan's 41.9999999 learners are 42)."""
    return abs(v - round(v)) <= 1e-6 * max(1.0, abs(v))


def significant_format(v: float, digits: int = 3) -> str:
    """Thousands separators and ``digits`` significant digits (no more than 6 decimals)."""
    if is_whole(v) or abs(v) >= 10 ** (digits - 1):
        return WHOLE_FORMAT
    decimals = min(6, max(1, digits - 1 - int(np.floor(np.log10(abs(v))))))
    return "#,##0." + "0" * decimals


def _numbers(ws: Worksheet, items: list[Any], number_format: str | None,
             whole_where_whole: bool = False) -> Iterator[Scalar | Cell]:
    for v in items:
        if v is None or v != v:  # NaN
            yield None
        elif number_format is None:
            yield v
        else:
            c = Cell(ws, row=1, column=1, value=v)
            if number_format == SIGNIFICANT:
                c.number_format = significant_format(float(v))
            elif whole_where_whole and is_whole(float(v)):
                c.number_format = WHOLE_FORMAT
            else:
                c.number_format = number_format
            yield c


SIGNIFICANT = "significant"
"""A pseudo-format: each cell gets :func:`significant_format` of its value."""
