"""The one way a value becomes a cell of the results workbook.

Every sheet goes through :func:`cell` (values) and :func:`header_cell`
(column names), so the rules below hold everywhere without a check beside
each sheet:

- **Text stays text.**  openpyxl stores any string starting with ``=`` as a
  formula, and one equal to an error code (``#N/A``, ``#REF!`` ...) as an
  error; Excel and LibreOffice re-read ``=``, ``+``, ``-`` and ``@`` as a
  formula when a planner edits the cell.  Such text (an organisation named
  ``=HYPERLINK("http://x","y")``) is written with ``data_type = "s"`` and
  the quote prefix (Excel's invisible leading apostrophe), so it is shown,
  never evaluated.  Characters XML cannot hold are dropped (openpyxl would
  raise on them) and text is cut at Excel's 32,767 characters.
- **Numbers are plain numbers**, never text; numpy and pandas scalars
  become Python ones.
- **No NaN or infinity reaches a cell.**  NaN, ``None``, ``pd.NA`` and
  ``NaT`` mean "not applicable" here (a blank capacity is unlimited, a
  programme without budget has no budget use) and become an empty cell.
  Infinity has no such meaning in a result: it is a bug upstream, and
  :class:`UnwritableValue` stops the writing (before anything is renamed
  over the previous result, see :mod:`planner.report.safe`).

For speed (tens of thousands of rows), :func:`cell` returns the bare value
when no style is needed and the value is safe as is; openpyxl then builds
the cell itself, exactly as it would from a :class:`Cell`.  Tables go
through :func:`column_cells`, which applies the same rules to a whole
column: numeric columns are checked for infinity once, with numpy, and
their cells are made lazily (a write-only sheet never holds them all).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from typing import Any, Iterator

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

Scalar = None | bool | int | float | str
"""What a cell of the results workbook may hold."""

FORMULA_STARTS = ("=", "+", "-", "@")
"""Leading characters that make a spreadsheet read typed text as a formula."""

MAX_TEXT = 32_767
"""Excel's limit on the characters of one cell."""

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_ERROR_CODES = frozenset(ERROR_CODES)

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGNMENT = Alignment(vertical="top")
BOLD = Font(bold=True)


class UnwritableValue(ValueError):
    """A value no cell may hold (infinity): a bug upstream, located."""


def plain(value: Any) -> Scalar:
    """The Python value a cell holds for ``value`` (see the module's rules).

    Raises :class:`UnwritableValue` for infinity and for values that are
    neither numbers nor text nor dates (which would otherwise be written as
    their ``repr`` without anyone noticing).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise UnwritableValue(f"infinite value {number} cannot be written to a cell")
        return number
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    raise UnwritableValue(f"{type(value).__name__} value {value!r} cannot be written to a cell")


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value[:MAX_TEXT]


def needs_protection(text: str) -> bool:
    """Text a spreadsheet would take for a formula or an error code."""
    return text.startswith(FORMULA_STARTS) or text in _ERROR_CODES


def cell(ws: Worksheet, value: Any, number_format: str | None = None,
         *, bold: bool = False) -> Scalar | Cell:
    """A cell of ``ws`` holding ``value`` under the rules of this module.

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
