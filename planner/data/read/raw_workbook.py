"""Read an input workbook into raw, located tables; no typing, no model logic.

What the reader does, and why:

- **One way in.** :func:`open_workbook` is the only place that opens a file;
  every failure (missing, empty, not a zip, an old .xls, broken XML, XML
  entities, zip bombs, huge merged ranges) becomes an :class:`InputError`
  whose one-line message names the file and what to do.  The checks made
  before openpyxl parses anything, and their limits, are in
  :mod:`planner.data.read.container` (called from :func:`_check_container`).
- **Sheets by name**, case-insensitively and ignoring spaces and
  underscores (``job families`` is ``JobFamilies``).  Documentation and
  helper sheets (``Guide``, ``Sources``, ``Issues``, ``README``, ``Lists``)
  are skipped silently,
  other unknown sheets with a warning; a hidden sheet that is read gets a
  warning too.
- **Headers** are row 1, or the header row of the sheet's Excel table (a
  table may sit under a title row).  Names are trimmed, NFKC-normalised,
  case-folded, with spaces read as underscores (``Territory ID`` is
  ``territory_id``); a unit after the name is allowed (``Capacity hours
  (h/year)``).  Unknown columns are kept and warned about.
- **Never an unbounded range.**  The data extent comes from the cells that
  hold values (openpyxl's sparse cell store), so one styled empty cell at
  XFD1048576 costs nothing.
- **Formulas**: the workbook is loaded once in normal mode (tables and
  merged ranges need it); only if data cells hold formulas is it loaded a
  second time, read-only, for the values Excel or LibreOffice saved.  A
  formula without a saved value is an error naming the cell.

The result keeps, for each record, its Excel row and for each column the
raw value, the cell reference (``C7``) and the number format, so that every
later message can point at a cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.data.check.rules import Rule
from planner.data.read.container import check_file
from planner.data.schema import AUXILIARY_SHEETS, SETTINGS_SHEET, SHEETS, SHEET_BY_NAME, Sheet
from planner.data.tables import ROW
from planner.errors import InputError, Issue, error, warning
from planner.words import did_you_mean, listed

DOCUMENTATION_SHEETS = (*AUXILIARY_SHEETS, "Issues", "README")
"""Sheets a workbook may carry for people or for its drop-downs (the template's
``Lists``); the reader skips them silently."""

HEADER_SEARCH_ROWS = 20
"""How far down a plain sheet the reader looks for a misplaced header (for the hint only)."""
SHOWN_CELLS = 3


class RawCell(NamedTuple):
    """One cell as found: value as openpyxl gives it, reference, number format."""

    value: Any
    ref: str
    number_format: str = "General"


@dataclass
class RawRecord:
    """One data row: its Excel row number and its cells by column name."""

    row: int
    cells: dict[str, RawCell]


@dataclass
class RawSheet:
    """One input sheet as found in the workbook.

    ``letters`` maps each column read (schema name, or the kept header of an
    unknown column) to its column letter; ``unknown`` lists the kept unknown
    columns in sheet order; ``missing`` the required columns not found.
    """

    name: str
    title: str
    header_row: int
    letters: dict[str, str]
    unknown: list[str]
    missing: list[str]
    records: list[RawRecord]

    def ref(self, column: str | None, row: int | None) -> str | None:
        """The cell reference of ``column`` at ``row``, if the sheet has that column."""
        if column is None or row is None:
            return None
        letter = self.letters.get(column.split(",")[0].strip())
        return f"{letter}{row}" if letter else None


@dataclass
class RawWorkbook:
    """Every input sheet found, by schema name, and the problems met while reading."""

    path: Path
    sheets: dict[str, RawSheet]
    issues: list[Issue] = field(default_factory=list)

    def locate(self, issue: Issue) -> Issue:
        """``issue`` with its cell reference filled in when the sheet has the column."""
        if issue.cell or issue.sheet not in self.sheets:
            return issue
        ref = self.sheets[issue.sheet].ref(issue.column, issue.row)
        return replace(issue, cell=ref) if ref else issue


@dataclass(frozen=True)
class SheetMatch:
    """How a workbook's sheet titles map to the input's sheets."""

    titles: dict[str, list[str]]
    """Schema sheet name -> matching titles, in workbook order."""
    unknown: list[str]
    documentation: list[str]


# --- opening ---------------------------------------------------------------

def open_workbook(path: str | Path, *, data_only: bool = False,
                  read_only: bool = False) -> Workbook:
    """Open ``path`` with openpyxl, or raise an :class:`InputError` saying what to do."""
    if not openpyxl.DEFUSEDXML:
        raise InputError("planner refuses to read workbooks without the defusedxml package "
                         "(it guards against hostile XML): install it with "
                         "`pip install defusedxml`")
    path = Path(path)
    _check_container(path)
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only,
                                      keep_links=False, rich_text=False)
    except Exception as exc:  # one handler: whatever openpyxl meets, the user gets one line
        raise _unreadable(path, exc) from None


def _check_container(path: Path) -> None:
    """Refuse what is not a safe .xlsx package before openpyxl parses anything.

    The checks (file kind, zip directory, declared sizes, overlapping
    entries, DTDs, expanded ranges), their limits and what they cost
    (about 0.13 s for the 400 000-cell workbook, whose reading takes 8 s)
    live in :mod:`planner.data.read.container`.
    """
    check_file(path)


_MISSING_PART = re.compile(r"There is no item named '([^']+)' in the archive")


def _unreadable(path: Path, exc: Exception) -> InputError:
    name = type(exc).__name__
    if any(isinstance(e, DefusedXmlException) for e in _chain(exc)):
        return InputError(f"{path}: input rejected: contains DTD/entities (declarations "
                          "no spreadsheet writes and XML attacks need): do not open it; ask "
                          "for a copy saved from Excel or LibreOffice")
    missing = _MISSING_PART.search(str(exc)) if isinstance(exc, KeyError) else None
    if missing:
        return InputError(f"{path}: the file is damaged (the part {missing.group(1)} is "
                          "missing from the package): open it in Excel or LibreOffice and "
                          "save it again as .xlsx, or copy it again")
    detail = str(exc).splitlines()[0][:200] if str(exc) else name
    return InputError(f"{path}: cannot be read as an Excel workbook ({name}: {detail}): "
                      "open it in Excel or LibreOffice, check it, and save it as .xlsx")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from (openpyxl wraps parse errors)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


# --- sheets and headers ------------------------------------------------------

def _sheet_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\s_\-]+", "", text)


_SHEET_KEYS = {_sheet_key(s.name): s.name for s in SHEETS}
_DOC_KEYS = {_sheet_key(name) for name in DOCUMENTATION_SHEETS}


def match_sheets(titles: Iterable[str]) -> SheetMatch:
    """Match sheet titles to the input's sheets (case, spaces and underscores ignored)."""
    found: dict[str, list[str]] = defaultdict(list)
    unknown: list[str] = []
    documentation: list[str] = []
    for title in titles:
        key = _sheet_key(title)
        if key in _SHEET_KEYS:
            found[_SHEET_KEYS[key]].append(title)
        elif key in _DOC_KEYS:
            documentation.append(title)
        else:
            unknown.append(title)
    return SheetMatch(dict(found), unknown, documentation)


def normalise_header(text: Any) -> str:
    """``' Territory\\u00a0ID '`` -> ``territory_id``: how header cells are compared."""
    clean = unicodedata.normalize("NFKC", str(text)).strip().casefold()
    return re.sub(r"\s+", "_", clean)


_UNIT = re.compile(r"_*[(\[][^)\]]*[)\]]$")


def _schema_key(key: str, sheet: Sheet) -> str:
    """``capacity_hours_(h/year)`` -> ``capacity_hours``: a unit after a known name is fine."""
    if key in sheet.column_by_name:
        return key
    bare = _UNIT.sub("", key)
    return bare if bare in sheet.column_by_name else key


def _kept_header(text: Any) -> str:
    """The name an unknown column keeps: as the planner wrote it, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text)).strip())


# --- reading -------------------------------------------------------------------

def read_workbook(path: str | Path) -> RawWorkbook:
    """Read every input sheet of ``path``; raises :class:`InputError` only if it cannot open."""
    path = Path(path)
    wb = open_workbook(path)
    raw = RawWorkbook(path, {})
    pending: list[_Pending] = []
    match = match_sheets(ws.title for ws in wb.worksheets)  # chart sheets hold no data
    _unknown_sheet_warnings(match, raw.issues)
    for sheet in SHEETS:
        titles = match.titles.get(sheet.name, [])
        if len(titles) > 1:
            raw.issues.append(error(
                sheet.name, None, None, ", ".join(titles), Rule.SHEET_AMBIGUOUS,
                f"sheets {', '.join(repr(t) for t in titles)} all look like the {sheet.name} "
                f"sheet: rename or delete all but one (the first, {titles[0]!r}, was read)"))
        if not titles:
            if sheet.required:
                raw.issues.append(_missing_sheet(sheet))
            continue
        ws = wb[titles[0]]
        if ws.sheet_state != "visible":
            raw.issues.append(warning(
                sheet.name, None, None, titles[0], Rule.SHEET_HIDDEN,
                f"the sheet {titles[0]!r} is hidden but the planner reads it: unhide it to "
                "see the data used, or delete it"))
        found = _read_sheet(ws, sheet, raw.issues, pending)
        if found is not None:
            raw.sheets[sheet.name] = found
    if pending:
        _apply_cached_values(path, pending, raw)
    return raw


def _unknown_sheet_warnings(match: SheetMatch, issues: list[Issue]) -> None:
    for title in match.unknown:
        hint = did_you_mean(title, SHEET_BY_NAME)
        hint = f" ({hint})" if hint else ""
        issues.append(warning(
            None, None, None, title, Rule.SHEET_UNKNOWN,
            f"the sheet {title!r} is not an input sheet and is ignored{hint}"))


def _missing_sheet(sheet: Sheet) -> Issue:
    header = ", ".join(c.name for c in sheet.columns)
    return error(sheet.name, None, None, None, Rule.SHEET_MISSING,
                 f"the workbook has no {sheet.name} sheet (required): add it with the header "
                 f"row {header} (`planner template` writes a complete empty workbook)")


@dataclass
class _Area:
    """Where a sheet's data sits: header row, first/last data row, column span."""

    header_row: int
    first_row: int
    last_row: int | None
    min_col: int
    max_col: int | None
    table: str | None = None
    table_ref: str | None = None
    headers: dict[int, Any] = field(default_factory=dict)


@dataclass
class _Pending:
    """A formula cell whose saved value must be fetched."""

    sheet: str
    title: str
    row: int
    col: int
    column: str
    record: RawRecord


def _value_cells(ws: Worksheet) -> dict[int, dict[int, Cell]]:
    """Cells that hold something, by row then column; never the empty styled ones.

    Reads openpyxl's sparse cell store directly: ``iter_rows`` would walk
    the worksheet's whole dimension, which one styled cell at XFD1048576
    makes 17 billion cells.
    """
    rows: dict[int, dict[int, Cell]] = defaultdict(dict)
    for (r, c), cell in ws._cells.items():
        value = cell.value
        if value is None or (type(value) is str and not value.strip()):
            continue
        rows[r][c] = cell
    return rows


def _read_sheet(ws: Worksheet, sheet: Sheet, issues: list[Issue],
                pending: list[_Pending]) -> RawSheet | None:
    cells = _value_cells(ws)
    if not cells:
        if sheet.required:
            issues.append(error(sheet.name, None, None, None, Rule.SHEET_EMPTY,
                                f"the {sheet.name} sheet is empty: write the header row "
                                f"({', '.join(c.name for c in sheet.columns)}) in row 1 "
                                "and the data below it"))
        return None
    area = _find_area(ws, sheet, cells, issues)
    letters, columns = _read_header(ws, sheet, area, cells, issues)
    missing = [c.name for c in sheet.columns if c.required and c.name not in letters]
    for name in missing:
        issues.append(_missing_column(sheet, name, area, cells))
    unknown = [name for name in letters if name not in sheet.column_by_name]
    records = _read_records(ws, sheet, area, cells, columns, issues, pending)
    if not records and sheet.required and sheet.name != SETTINGS_SHEET:
        issues.append(warning(sheet.name, None, None, None, Rule.SHEET_EMPTY,
                              f"the {sheet.name} sheet has a header but no data rows"))
    _merged_warnings(ws, sheet, area, columns, {r.row for r in records}, issues)
    return RawSheet(sheet.name, ws.title, area.header_row, letters, unknown, missing, records)


def _find_area(ws: Worksheet, sheet: Sheet, cells: dict[int, dict[int, Cell]],
               issues: list[Issue]) -> _Area:
    """Row 1 of the sheet, or the Excel table that holds its data."""
    tables = list(ws.tables.values())
    if not tables:
        return _Area(header_row=1, first_row=2, last_row=None, min_col=1, max_col=None)
    areas = [_table_area(t, cells) for t in tables]
    known = set(sheet.column_by_name)
    scores = [sum(normalise_header(v) in known for v in a.headers.values()) for a in areas]
    best = scores.index(max(scores))
    if len(tables) > 1:
        ignored = ", ".join(f"{t.displayName} ({t.ref})" for i, t in enumerate(tables)
                            if i != best)
        issues.append(warning(sheet.name, None, None, tables[best].displayName,
                              Rule.TABLE_SEVERAL,
                              f"the sheet holds several Excel tables; the planner reads "
                              f"{tables[best].displayName} ({tables[best].ref}) and ignores "
                              f"{ignored}: keep one table per sheet"))
    area = areas[best]
    _outside_table_warning(sheet, area, cells, issues)
    return area


def _table_area(table: Any, cells: dict[int, dict[int, Cell]]) -> _Area:
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    header_rows = 1 if table.headerRowCount is None else int(table.headerRowCount)
    totals = int(table.totalsRowCount or 0)
    if header_rows:
        row = cells.get(min_row, {})
        headers = {c: row[c].value for c in range(min_col, max_col + 1) if c in row}
    else:  # a table without a header row: its column names live in the table definition
        headers = {min_col + i: col.name for i, col in enumerate(table.tableColumns)}
    return _Area(header_row=min_row if header_rows else min_row - 1,
                 first_row=min_row + header_rows, last_row=max_row - totals,
                 min_col=min_col, max_col=max_col, table=table.displayName,
                 table_ref=table.ref, headers=headers)


def _outside_table_warning(sheet: Sheet, area: _Area, cells: dict[int, dict[int, Cell]],
                           issues: list[Issue]) -> None:
    last, left, right = area.last_row, area.min_col, area.max_col
    assert last is not None and right is not None
    below = [r for r in sorted(cells) if r > last and any(left <= c <= right for c in cells[r])]
    if below:
        issues.append(warning(
            sheet.name, below[0], None, None, Rule.OUTSIDE_TABLE,
            f"rows {below[0]}..{below[-1]} hold values below the Excel table {area.table} "
            f"(which ends at row {last}): they are ignored; extend the table "
            "(drag its corner) to include them"))
    beside = sorted((r, c) for r in cells if area.header_row <= r <= last
                    for c in cells[r] if c < left or c > right)
    if beside:
        r, c = beside[0]
        ref = f"{get_column_letter(c)}{r}"
        issues.append(warning(
            sheet.name, r, None, None, Rule.OUTSIDE_TABLE,
            f"{ref} and {len(beside) - 1} more cells beside the Excel table {area.table} "
            f"({area.table_ref}) hold values that are ignored: extend the table to include "
            "their column, or clear them", cell=ref))


def _read_header(ws: Worksheet, sheet: Sheet, area: _Area,
                 cells: dict[int, dict[int, Cell]],
                 issues: list[Issue]) -> tuple[dict[str, str], dict[int, str]]:
    """Column name -> letter, and column index -> name, for every header cell read."""
    headers = area.headers or {c: cell.value for c, cell in cells.get(area.header_row, {}).items()
                               if c >= area.min_col}
    letters: dict[str, str] = {}
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for col in sorted(headers):
        text = headers[col]
        letter = get_column_letter(col)
        ref = f"{letter}{area.header_row}"
        key = _schema_key(normalise_header(text), sheet)
        if not key:
            continue
        name = key if key in sheet.column_by_name else _kept_header(text)
        if key in seen:
            issues.append(error(sheet.name, area.header_row, name, text, Rule.COLUMN_DUPLICATE,
                                f"the column {name} appears twice in the header row "
                                f"({seen[key]} and {ref}): keep one (only {seen[key]} is read)",
                                cell=ref))
            continue
        seen[key] = ref
        if name == ROW:
            issues.append(warning(sheet.name, area.header_row, name, text, Rule.COLUMN_UNKNOWN,
                                  f"the column name {ROW} is reserved by the planner: the "
                                  "column is ignored; rename it", cell=ref))
            continue
        if key not in sheet.column_by_name:
            issues.append(_unknown_column(sheet, name, area.header_row, ref))
        letters[name] = letter
        columns[col] = name
    return letters, columns


def _unknown_column(sheet: Sheet, name: str, row: int, ref: str) -> Issue:
    hint = did_you_mean(normalise_header(name), sheet.column_by_name)
    hint = f"; {hint}" if hint else ""
    return warning(sheet.name, row, name, name, Rule.COLUMN_UNKNOWN,
                   f"the column {name!r} is not part of the {sheet.name} sheet: it is kept "
                   f"as is but not used{hint}", cell=ref)


def _missing_column(sheet: Sheet, name: str, area: _Area,
                    cells: dict[int, dict[int, Cell]]) -> Issue:
    where = f"row {area.header_row}" if area.table is None else f"the table {area.table}"
    message = f"the {sheet.name} sheet has no column {name} (required): add it to {where}"
    if area.table is None:
        moved = _header_elsewhere(sheet, cells)
        if moved:
            message += (f"; the header seems to be on row {moved}: move it to row 1, or make "
                        "the range an Excel table")
    return error(sheet.name, area.header_row, name, None, Rule.COLUMN_MISSING, message)


def _header_elsewhere(sheet: Sheet, cells: dict[int, dict[int, Cell]]) -> int | None:
    """The row that looks like the header when row 1 does not (hint only)."""
    known = set(sheet.column_by_name)
    if any(normalise_header(c.value) in known for c in cells.get(1, {}).values()):
        return None
    for row in sorted(r for r in cells if 1 < r <= HEADER_SEARCH_ROWS):
        if sum(normalise_header(c.value) in known for c in cells[row].values()) >= 2:
            return row
    return None


def _read_records(ws: Worksheet, sheet: Sheet, area: _Area,
                  cells: dict[int, dict[int, Cell]], columns: dict[int, str],
                  issues: list[Issue], pending: list[_Pending]) -> list[RawRecord]:
    """One record per row holding a value under a named column; blank rows skipped."""
    letters = [(c, name, get_column_letter(c)) for c, name in columns.items()]
    unnamed: dict[int, str] = {}
    records: list[RawRecord] = []
    last = area.last_row
    for r in sorted(cells):
        if r < area.first_row or (last is not None and r > last):
            continue
        row_cells = cells[r]
        extra = row_cells.keys() - columns.keys()
        if extra:
            _note_unnamed(extra, area, r, unnamed)
            if len(extra) == len(row_cells):
                continue
        found: dict[str, RawCell] = {}
        record = RawRecord(r, found)
        for c, name, letter in letters:
            cell = row_cells.get(c)
            if cell is None:
                found[name] = RawCell(None, f"{letter}{r}")
            elif cell.data_type == "s":  # text: its number format changes nothing
                found[name] = RawCell(cell._value, f"{letter}{r}")
            else:
                found[name] = _raw_cell(cell, f"{letter}{r}", sheet, name, issues)
                if cell.data_type == "f":
                    pending.append(_Pending(sheet.name, ws.title, r, c, name, record))
        records.append(record)
    for c, ref in unnamed.items():
        issues.append(warning(sheet.name, None, None, None, Rule.COLUMN_UNNAMED,
                              f"column {get_column_letter(c)} holds values (first in {ref}) "
                              "but has no header: they are ignored; give the column a header "
                              "or clear it", cell=ref))
    return records


def _note_unnamed(extra: Iterable[int], area: _Area, r: int, unnamed: dict[int, str]) -> None:
    """Remember the first cell of each column that holds values but has no header."""
    for c in extra:
        if c < area.min_col or (area.max_col is not None and c > area.max_col):
            continue
        if c not in unnamed:
            unnamed[c] = f"{get_column_letter(c)}{r}"


def _raw_cell(cell: Cell, ref: str, sheet: Sheet, name: str, issues: list[Issue]) -> RawCell:
    value = cell._value
    kind = cell.data_type
    if kind == "s":
        return RawCell(value, ref)
    if kind == "e":
        issues.append(_excel_error(sheet.name, cell.row, name, value, ref))
        return RawCell(None, ref)
    if kind == "f":
        value = None  # filled from the saved values later
    return RawCell(value, ref, _number_format(cell))


def _number_format(cell: Cell) -> str:
    """The cell's number format; the default one without a style lookup."""
    return "General" if cell._style.numFmtId == 0 else cell.number_format


def _excel_error(sheet: str, row: int, column: str, value: Any, ref: str) -> Issue:
    return error(sheet, row, column, value, Rule.EXCEL_ERROR,
                 f"the cell shows the spreadsheet error {value}: correct the formula or "
                 "type the value", cell=ref)


def _merged_warnings(ws: Worksheet, sheet: Sheet, area: _Area, columns: dict[int, str],
                     record_rows: set[int], issues: list[Issue]) -> None:
    """Merged ranges in the data: only their top-left cell holds a value."""
    if not columns:
        return
    top = area.header_row
    bottom = max(record_rows, default=top)
    left, right = min(columns), max(columns)
    for merged in ws.merged_cells.ranges:
        if merged.max_row < top or merged.min_row > bottom \
                or merged.max_col < left or merged.min_col > right:
            continue
        hidden = _hidden_cells(merged, columns, record_rows)
        name = columns.get(merged.min_col)
        first = f"{get_column_letter(merged.min_col)}{merged.min_row}"
        value = ws.cell(merged.min_row, merged.min_col).value
        if hidden:
            shown = listed(hidden, SHOWN_CELLS)
            issues.append(error(
                sheet.name, merged.min_row, name, value, Rule.MERGED_CELLS,
                f"cells {merged.coord} are merged: only {first} holds a value and {shown} "
                "read as blank: unmerge them and fill every cell", cell=first))
        else:
            issues.append(warning(
                sheet.name, merged.min_row, name, value, Rule.MERGED_CELLS,
                f"cells {merged.coord} are merged: only {first} is read; unmerge them",
                cell=first))


def _hidden_cells(merged: Any, columns: dict[int, str], record_rows: set[int]) -> list[str]:
    """Cells of ``merged`` (top-left excepted) that a record reads: the merge hides them."""
    low, high = merged.min_row, min(merged.max_row, max(record_rows, default=0))
    rows = [r for r in range(low, high + 1) if r in record_rows]
    cols = [c for c in sorted(columns) if merged.min_col <= c <= merged.max_col]
    return [f"{get_column_letter(c)}{r}" for r in rows for c in cols
            if (r, c) != (merged.min_row, merged.min_col)]


# --- formulas ----------------------------------------------------------------------

def _apply_cached_values(path: Path, pending: list[_Pending], raw: RawWorkbook) -> None:
    """Put the values Excel or LibreOffice saved in place of the formulas."""
    cached = _cached_values(path, pending)
    for item in pending:
        value = cached.get((item.title, item.row, item.col))
        ref = f"{get_column_letter(item.col)}{item.row}"
        old = item.record.cells[item.column]
        if value is None:
            raw.issues.append(error(
                item.sheet, item.row, item.column, None, Rule.FORMULA_NO_VALUE,
                f"the formula in {ref} has no saved value (the file was written by a "
                "program, not saved by a spreadsheet): open and save the file in Excel or "
                "LibreOffice", cell=ref))
            continue
        if isinstance(value, str) and value in ERROR_CODES:
            raw.issues.append(_excel_error(item.sheet, item.row, item.column, value, ref))
            continue
        item.record.cells[item.column] = RawCell(value, ref, old.number_format)


def _saved_value(cell: Any) -> Any:
    """A formula's saved value; ``""`` for an empty text result (``=IF(x;"";y)``).

    Excel and LibreOffice save an empty text result as ``t="str"`` with an
    empty value, which openpyxl reads as ``None`` like a formula never
    calculated; the cell type tells them apart.
    """
    if cell is None:
        return None
    if cell.value is None and getattr(cell, "data_type", None) in ("s", "str"):
        return ""
    return cell.value


BOX_CELLS = 2_000_000
"""Cells in a sheet's bounding box of formulas above which the saved values are
read by a second full load: the read-only walk costs the box (a formula at A2
and one at XFD1048576 make it 17 billion cells), the full load the sheet."""


def _cached_values(path: Path, pending: list[_Pending]) -> dict[tuple[str, int, int], Any]:
    """Saved values of the pending cells, reading only their bounding box per sheet."""
    by_title: dict[str, list[_Pending]] = defaultdict(list)
    for item in pending:
        by_title[item.title].append(item)
    whole = any(_box_cells(items) > BOX_CELLS for items in by_title.values())
    wb = open_workbook(path, data_only=True, read_only=not whole)
    try:
        if whole:
            return {(title, i.row, i.col): _saved_value(wb[title]._cells.get((i.row, i.col)))
                    for title, items in by_title.items() for i in items}
        return {key: value for title, items in by_title.items()
                for key, value in _box_values(wb[title], title, items).items()}
    except Exception as exc:  # a read-only sheet is parsed only now: same one handler
        raise _unreadable(path, exc) from None
    finally:
        wb.close()


def _box_cells(items: list[_Pending]) -> int:
    rows = max(i.row for i in items) - min(i.row for i in items) + 1
    return rows * (max(i.col for i in items) - min(i.col for i in items) + 1)


def _box_values(ws: Any, title: str, items: list[_Pending]) -> dict[tuple[str, int, int], Any]:
    min_row = min(i.row for i in items)
    min_col = min(i.col for i in items)
    wanted = {(i.row, i.col) for i in items}
    values: dict[tuple[str, int, int], Any] = {}
    rows = ws.iter_rows(min_row=min_row, max_row=max(i.row for i in items),
                        min_col=min_col, max_col=max(i.col for i in items))
    for r, row in enumerate(rows, start=min_row):
        for c, cell in enumerate(row, start=min_col):
            if (r, c) in wanted:
                values[(title, r, c)] = _saved_value(cell)
    return values
