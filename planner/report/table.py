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

from planner.report.cells import UnwritableValue, cell, column_cells, header_cell

PERCENT = '0.0"%"'
WHOLE = "#,##0"
DECIMAL = "#,##0.00"
RATE = "0.00"
FINE = "0.0000"
SECONDS = "#,##0.00"

MIN_WIDTH = 6
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """One column of a block: the frame's ``field`` shown under ``header``.

    ``number_format`` overrides the format chosen from the name and values;
    ``row_formats`` gives one format per row (Summary's mixed ``value``).
    """

    field: str
    header: str | None = None
    number_format: str | None = None
    row_formats: tuple[str | None, ...] | None = None

    @property
    def title(self) -> str:
        return self.header or self.field


@dataclass
class Block:
    """A table placed on a sheet.

    ``shade``: fields shaded by a red-yellow-green colour scale on 0..100
    (fixed ends, so a colour means the same coverage in every run).
    """

    frame: pd.DataFrame
    columns: Sequence[Column] | None = None
    autofilter: bool = True
    bold_last_row: bool = False
    shade: tuple[str, ...] = ()
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


def write_blocks(ws: Worksheet, blocks: Sequence[Block], *, freeze: str | None = "A2",
                 gap: int = 1) -> None:
    """Write ``blocks`` side by side on ``ws`` (which must still be empty).

    Sets widths and frozen panes first (write-only sheets need them before
    the rows), then streams the rows, then adds the autofilter and colour
    scales.  A value no cell may hold raises :class:`UnwritableValue`
    naming the sheet, column and row, before the first row of its block.
    """
    col = 1
    for block in blocks:
        block.first_col = col
        for offset, c in enumerate(block.cols()):
            series = block.frame[c.field]
            fmt = c.number_format or number_format_for(c.field, series)
            ws.column_dimensions[get_column_letter(col + offset)].width = _width(
                c.title, series, fmt)
        col += block.width + gap
    if freeze:
        ws.freeze_panes = freeze

    header: list[Any] = []
    for block in blocks:
        header += [None] * (block.first_col - 1 - len(header))
        header += [header_cell(ws, c.title) for c in block.cols()]
    ws.append(header)

    rows = [_block_rows(ws, block) for block in blocks]
    height = max((len(b.frame) for b in blocks), default=0)
    for _ in range(height):
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


def _block_rows(ws: Worksheet, block: Block) -> Iterator[list[Any]]:
    """The block's data rows as lists of cells (made lazily, column by column)."""
    columns: list[Iterator[Any]] = []
    n = len(block.frame)
    for c in block.cols():
        series = block.frame[c.field]
        try:
            if c.row_formats is not None:
                cells: Iterator[Any] = iter([cell(ws, v, f, bold=False) for v, f in
                                             zip(series.tolist(), c.row_formats)])
            else:
                fmt = c.number_format or number_format_for(c.field, series)
                cells = column_cells(ws, series, fmt)
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


def note_block(text: str) -> Block:
    """A one-row ``note`` table (an empty or skipped sheet says why)."""
    return Block(pd.DataFrame({"note": [text]}), autofilter=False)
