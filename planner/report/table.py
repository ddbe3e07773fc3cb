"""Tables as sheets: header row 1, one row per record, formats chosen from the data.

A sheet is one or more :class:`Block` laid side by side (one empty column
between them), each a DataFrame with its columns.  Row 1 always holds the
headers, so ``pd.read_excel`` reads every sheet with its column names.

Human touches, the same on every sheet: frozen header row, bold headers,
widths from the content, an autofilter, number formats from the column's
unit (its name's suffix: ``_eur``, ``_percent``, ``_people`` ...), with
thousands separators and two decimals only where a column holds fractions.
Percent columns hold percents (``85.3``, not ``0.853``, as the SPEC's
``coverage_percent``) and show a ``%`` sign through the format only.

The workbook may be in openpyxl's write-only mode (rows streamed once), so
everything that belongs before the rows (widths, frozen panes) is set
before the first row, and everything else (filters, conditional formats)
is computed from the blocks, never read back from the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.report import columns as declared
from planner.report.cells import (SIGNIFICANT, UnwritableValue, cell, column_cells,
                                  header_cell)

PERCENT = '0.0"%"'
WHOLE = "#,##0"
DECIMAL = "#,##0.00"
ONE_DECIMAL = "#,##0.0"
RATE = "0.00"
FINE = "0.0000"
SECONDS = "#,##0.00"
WHOLE_WHERE_WHOLE = (DECIMAL, ONE_DECIMAL)
"""Formats whose whole-valued cells are shown without decimals (42 learners, not 42.00)."""
KIND_FORMATS = {"people": DECIMAL, "count": DECIMAL, "hours": DECIMAL, "minutes": ONE_DECIMAL,
                "eur": WHOLE, "percent": PERCENT, "rate": RATE, "seconds": SECONDS,
                "value": SIGNIFICANT}
"""Number format of each declared column kind (:mod:`planner.report.columns`)."""

MIN_WIDTH = 6
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """One column of a block: the frame's ``field`` shown under ``header``.

    ``number_format`` overrides the format chosen from the name and values;
    ``row_formats`` gives one format per row (Summary's mixed ``value``);
    ``note`` is the header's comment (else the declaration's, see
    :func:`write_blocks`); ``wrap`` wraps long text.
    """

    field: str
    header: str | None = None
    number_format: str | None = None
    row_formats: tuple[str | None, ...] | None = None
    note: str | None = None
    wrap: bool = False

    @property
    def title(self) -> str:
        return self.header or self.field


@dataclass
class Block:
    """A table placed on a sheet.

    ``shade``: fields shaded by a red-yellow-green colour scale on 0..100
    (fixed ends, so a colour means the same coverage in every run);
    ``heat``: fields shaded together from white (0) to red (their largest
    value), the last row left out when it is a bold total.
    """

    frame: pd.DataFrame
    columns: Sequence[Column] | None = None
    autofilter: bool = True
    bold_last_row: bool = False
    shade: tuple[str, ...] = ()
    heat: tuple[str, ...] = ()
    first_col: int = field(default=1, init=False)

    def cols(self) -> list[Column]:
        if self.columns is None:
            return [Column(str(c)) for c in self.frame.columns]
        return list(self.columns)

    @property
    def width(self) -> int:
        return len(self.cols())

    def letter(self, field_name: str) -> str:
        """The sheet column letter of ``field_name`` (after placement)."""
        for offset, c in enumerate(self.cols()):
            if c.field == field_name:
                return get_column_letter(self.first_col + offset)
        raise KeyError(field_name)


def number_format_for(name: str, values: pd.Series) -> str | None:
    """The format a column's name (its unit suffix) and values call for.

    ``None`` (General) where a format would not change what is shown:
    years, and whole numbers below 1,000 (sessions, seats).  Every styled
    cell costs openpyxl about twice a plain one, and the long sheets are
    mostly such columns.
    """
    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        return None
    lower = name.lower()
    if lower == "year" or lower.endswith("_year") or lower in ("teaching_from", "rank", "row"):
        return None  # General shows 2030, never 2,030
    if lower.endswith("_percent"):
        return PERCENT
    if lower.endswith("_seconds"):
        return SECONDS
    if lower.startswith("marginal") or lower.endswith("_per_unit"):
        return None  # may be tiny (per EUR): General shows its significant digits
    if lower.endswith("gap"):
        # relative, shown as a plain number: a % format reaches CSV exports as "0.1%"
        return FINE
    if lower.endswith(("rate", "weight")):
        return RATE
    numbers = _finite(values)
    whole = bool(np.all(numbers == np.round(numbers)))
    if lower.endswith("_eur") or whole:
        small = whole and (len(numbers) == 0 or float(np.abs(numbers).max()) < 1000)
        return None if small else WHOLE
    return DECIMAL


def _finite(values: pd.Series) -> np.ndarray:
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return v[np.isfinite(v)]


def _width(title: str, values: pd.Series, number_format: str | None) -> int:
    """Characters the column needs: its header (plus a filter arrow) or its content."""
    need = len(title) + 3
    if len(values):
        if number_format is None or not pd.api.types.is_numeric_dtype(values):
            lengths = values.dropna().astype(str).str.len()
            content = int(lengths.max()) if len(lengths) else 0
        else:
            numbers = pd.to_numeric(values, errors="coerce").abs()
            top = float(numbers.max()) if numbers.notna().any() else 0.0
            top = top if np.isfinite(top) else 0.0
            content = len(f"{top:,.2f}") + 1
        need = max(need, content + 2)
    return max(MIN_WIDTH, min(MAX_WIDTH, need))


def column_format(c: Column, series: pd.Series, sheet: str | None) -> str | None:
    """The column's format: its own, its declared kind's, or the one its name calls for."""
    if c.number_format is not None:
        return c.number_format
    found = declared.column(sheet, c.title) if sheet else None
    numeric = (pd.api.types.is_numeric_dtype(series)
               and not pd.api.types.is_bool_dtype(series))
    if found is not None and numeric and found.kind in KIND_FORMATS:
        return KIND_FORMATS[found.kind]
    if found is not None and found.kind in ("year", "id"):
        return None
    return number_format_for(c.field, series)


def header_note(c: Column, sheet: str | None) -> str | None:
    """The header's comment: the column's own note, else its declaration's."""
    if c.note is not None or sheet is None:
        return c.note
    return declared.column_note(sheet, c.title)


def write_blocks(ws: Worksheet, blocks: Sequence[Block], *, freeze: str | None = "A2",
                 gap: int = 1, declared_sheet: str | None = None) -> None:
    """Write ``blocks`` side by side on ``ws`` (which must still be empty).

    Sets widths and frozen panes first (write-only sheets need them before
    the rows), then streams the rows, then adds the autofilter and colour
    scales.  A value no cell may hold raises :class:`UnwritableValue`
    naming the sheet, column and row, before the first row of its block.
    ``declared_sheet``: the sheet of :mod:`planner.report.columns` whose
    declarations give every header its comment and every number its format
    (a column neither declared there nor given a ``note`` raises KeyError).
    """
    col = 1
    wrapped: list[tuple[Block, str, int]] = []
    for block in blocks:
        block.first_col = col
        for offset, c in enumerate(block.cols()):
            series = block.frame[c.field]
            fmt = column_format(c, series, declared_sheet)
            width = _width(c.title, series, fmt)
            ws.column_dimensions[get_column_letter(col + offset)].width = width
            if c.wrap:
                wrapped.append((block, c.field, width))
        col += block.width + gap
    if freeze:
        ws.freeze_panes = freeze

    header: list[Any] = []
    for block in blocks:
        header += [None] * (block.first_col - 1 - len(header))
        header += [header_cell(ws, c.title, header_note(c, declared_sheet))
                   for c in block.cols()]
    ws.append(header)

    rows = [_block_rows(ws, block, declared_sheet) for block in blocks]
    height = max((len(b.frame) for b in blocks), default=0)
    lines = wrapped_lines(wrapped, height)
    for k in range(height):
        if lines[k] > 1:  # spreadsheets do not grow a row for wrapped text on their own
            ws.row_dimensions[k + 2].height = LINE_POINTS * lines[k] + 2
        row: list[Any] = []
        for block, cells in zip(blocks, rows):
            part = next(cells, None)
            if part is None:
                continue
            row += [None] * (block.first_col - 1 - len(row))
            row += part
        ws.append(row)

    filtered = next((b for b in blocks if b.autofilter and b.width), None)
    if filtered is not None:
        first = get_column_letter(filtered.first_col)
        last = get_column_letter(filtered.first_col + filtered.width - 1)
        ws.auto_filter.ref = f"{first}1:{last}{len(filtered.frame) + 1}"
    for block in blocks:
        for name in block.shade:
            if len(block.frame) == 0:
                continue
            letter = block.letter(name)
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{len(block.frame) + 1}", coverage_scale())
        last = len(block.frame) + 1 - (1 if block.bold_last_row else 0)
        if block.heat and last >= 2:
            first_letter, last_letter = block.letter(block.heat[0]), block.letter(block.heat[-1])
            ws.conditional_formatting.add(f"{first_letter}2:{last_letter}{last}", heat_scale())


LINE_POINTS = 15.0
CHARS_PER_WIDTH = 1.15
"""Characters of ordinary text per unit of column width (a unit is one ``0``)."""


def text_lines(text: Any, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` wide."""
    if not isinstance(text, str) or not text:
        return 1
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def wrapped_lines(wrapped: list[tuple[Block, str, int]], height: int) -> list[int]:
    """Per data row, the most lines any of its wrapped cells takes."""
    lines = [1] * height
    for block, name, width in wrapped:
        for k, text in enumerate(block.frame[name].tolist()):
            lines[k] = max(lines[k], text_lines(text, width))
    return lines


def _block_rows(ws: Worksheet, block: Block, sheet: str | None = None
                ) -> Iterator[list[Any]]:
    """The block's data rows as lists of cells (made lazily, column by column)."""
    columns: list[Iterator[Any]] = []
    n = len(block.frame)
    for c in block.cols():
        series = block.frame[c.field]
        try:
            if c.row_formats is not None:
                cells: Iterator[Any] = iter([cell(ws, v, f, bold=False, wrap=c.wrap)
                                             for v, f in zip(series.tolist(), c.row_formats)])
            else:
                fmt = column_format(c, series, sheet)
                cells = column_cells(ws, series, fmt, wrap=c.wrap,
                                     whole_where_whole=fmt in WHOLE_WHERE_WHOLE)
        except UnwritableValue as exc:
            raise UnwritableValue(f"sheet {ws.title}, column {c.title}: {exc}") from None
        columns.append(cells)
    i = 0
    try:
        for i, values in enumerate(zip(*columns)):
            row = list(values)
            if block.bold_last_row and i == n - 1:
                row = [cell(ws, _value_of(v), _format_of(v), bold=True) for v in row]
            yield row
    except UnwritableValue as exc:
        raise UnwritableValue(f"sheet {ws.title}, row {i + 2}: {exc}") from None


def _value_of(v: Any) -> Any:
    return v.value if isinstance(v, Cell) else v


def _format_of(v: Any) -> str | None:
    return v.number_format if isinstance(v, Cell) else None


def coverage_scale() -> ColorScaleRule:
    """Red at 0 %, amber at 50 %, green at 100 %."""
    return ColorScaleRule(start_type="num", start_value=0, start_color="F8696B",
                          mid_type="num", mid_value=50, mid_color="FFEB84",
                          end_type="num", end_value=100, end_color="63BE7B")


def heat_scale() -> ColorScaleRule:
    """White at 0, red at the largest value: where the most demand is left."""
    return ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                          end_type="max", end_color="F8696B")


def note_block(text: str) -> Block:
    """A one-row ``note`` table (an empty or skipped sheet says why)."""
    return Block(pd.DataFrame({"note": [text]}),
                 [Column("note", note="Why there is no table.", wrap=True)],
                 autofilter=False)
