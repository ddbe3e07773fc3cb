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
- **One streamed pass per sheet, in bounded memory.**  The workbook is
  opened read-only and each input sheet's XML is streamed once by
  openpyxl's own worksheet parser (:class:`_SheetParser`), which yields
  only the cells the file holds: one styled empty cell at XFD1048576
  costs one cell, never the 17 billion of its bounding box.  The values
  are those openpyxl's normal mode gives (same parser, same shared
  strings, dates and number formats), without its per-cell objects
  (about 450 bytes a cell: 360 MB for a 200,000-row Demand sheet).
- **What read-only mode does not give** comes from the same pass or the
  package: merged ranges (the parser collects them; the cells they cover
  read as blank, as in normal mode) and Excel tables (the sheet's
  ``tableParts``, resolved through its relationships and parsed with
  defusedxml, like every other part).
- **Formulas**: the same pass keeps a formula cell's saved value (the
  value Excel or LibreOffice computed).  A formula without a saved value
  is an error naming the cell.

The result keeps, for each record, its Excel row and for each column the
raw value and, when it is not ``General``, the number format; the cell
reference (``C7``) is derived from the column's letter, so that every
later message can point at a cell.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence, overload
from zipfile import ZipFile

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.packaging.relationship import RelationshipList, get_rels_path
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.table import Table

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
GENERAL = "General"


class RawCell(NamedTuple):
    """One cell as found: value as openpyxl gives it, reference, number format."""

    value: Any
    ref: str
    number_format: str = GENERAL


@dataclass(frozen=True)
class RawRecord:
    """One data row, as a view: its Excel row number and its cells by column name."""

    row: int
    cells: dict[str, RawCell]


@dataclass
class RawSheet:
    """One input sheet as found in the workbook, column by column.

    ``letters`` maps each column read (schema name, or the kept header of an
    unknown column) to its column letter; ``unknown`` lists the kept unknown
    columns in sheet order; ``missing`` the required columns not found.

    The data is held by column, since a sheet may hold hundreds of
    thousands of rows: ``rows`` gives the Excel row of each record (a row
    holding a value under a named column), ``values`` each column's raw
    values, one per record (``None`` where blank), ``formats`` the number
    formats of the columns where some cell's is not ``General``.  A cell's
    reference is derived from its column's letter and its row.
    """

    name: str
    title: str
    header_row: int
    letters: dict[str, str]
    unknown: list[str]
    missing: list[str]
    rows: list[int] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    formats: dict[str, list[str]] = field(default_factory=dict)

    def ref(self, column: str | None, row: int | None) -> str | None:
        """The cell reference of ``column`` at ``row``, if the sheet has that column."""
        if column is None or row is None:
            return None
        letter = self.letters.get(column.split(",")[0].strip())
        return f"{letter}{row}" if letter else None

    def number_format(self, column: str, index: int) -> str:
        """The number format of ``column``'s cell in record ``index``."""
        found = self.formats.get(column)
        return GENERAL if found is None else found[index]

    def cell(self, column: str, index: int) -> RawCell:
        """``column``'s cell in record ``index``: value, reference, number format."""
        return RawCell(self.values[column][index], f"{self.letters[column]}{self.rows[index]}",
                       self.number_format(column, index))

    @property
    def records(self) -> Sequence[RawRecord]:
        """The records as rows (views made on demand): for small sheets and messages."""
        return _Records(self)


class _Records(Sequence[RawRecord]):
    def __init__(self, sheet: RawSheet) -> None:
        self._sheet = sheet

    def __len__(self) -> int:
        return len(self._sheet.rows)

    @overload
    def __getitem__(self, index: int) -> RawRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[RawRecord]: ...

    def __getitem__(self, index: int | slice) -> RawRecord | Sequence[RawRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        sheet = self._sheet
        row = sheet.rows[index]
        return RawRecord(row, {name: sheet.cell(name, index) for name in sheet.values})


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
        raise unreadable(path, exc) from None


def _check_container(path: Path) -> None:
    """Refuse what is not a safe .xlsx package before openpyxl parses anything.

    The checks (file kind, zip directory, declared sizes, overlapping
    entries, DTDs, expanded ranges), their limits and what they cost
    (about 0.13 s for the 400 000-cell workbook, whose reading takes 8 s)
    live in :mod:`planner.data.read.container`.
    """
    check_file(path)


_MISSING_PART = re.compile(r"There is no item named '([^']+)' in the archive")


def unreadable(path: Path, exc: Exception) -> InputError:
    """What a failure of openpyxl while parsing ``path`` tells the planner, in one line."""
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
    wb = open_workbook(path, read_only=True)
    try:
        return _read(path, wb)
    except InputError:
        raise
    except Exception as exc:  # read-only sheets are parsed only now: the same one handler
        raise unreadable(path, exc) from None
    finally:
        wb.close()


def _read(path: Path, wb: Workbook) -> RawWorkbook:
    raw = RawWorkbook(path, {})
    match = match_sheets(ws.title for ws in wb.worksheets)  # chart sheets hold no data
    _unknown_sheet_warnings(match, raw.issues)
    number_format = _number_formats(wb)
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
        found = _read_sheet(_scan(wb, ws, number_format), ws.title, sheet, raw.issues)
        if found is not None:
            raw.sheets[sheet.name] = found
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


# --- one pass over a sheet's XML ---------------------------------------------------

ERROR, FORMULA, FORMATTED = "e", "f", "n"


class _Odd:
    """A cell that is more than its value: an Excel error (``e``), a formula (``f``: the
    value is the saved one, ``None`` if none was saved) or a number whose format is not
    ``General`` (``n``).  Every other cell is stored as its bare value."""

    __slots__ = ("value", "kind", "number_format")

    def __init__(self, value: Any, kind: str, number_format: str) -> None:
        self.value = value
        self.kind = kind
        self.number_format = number_format


Cells = dict[int, dict[int, Any]]
"""The cells that hold something, by row then column: a bare value or an :class:`_Odd`."""


def _plain(value: Any) -> Any:
    return value.value if value.__class__ is _Odd else value


@dataclass
class _Scan:
    """What one pass over a sheet's XML found."""

    cells: Cells
    merged: list[CellRange]
    tables: list[Table]


class SheetParser(WorkSheetParser):
    """openpyxl's own worksheet parser, reading inline strings without building
    openpyxl's rich-text objects (how openpyxl, hence the planner's template, writes
    text): a quarter of the reading time of a sheet of text."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") == "inlineStr" and element.find(FORMULA_TAG) is None:
            return self._inline_cell(element)
        return super().parse_cell(element)

    def _inline_cell(self, element: Any) -> dict[str, Any]:
        """What :meth:`WorkSheetParser.parse_cell` gives an inline string (``rich_text``
        off), its text joined as ``Text.content`` joins it."""
        coordinate = element.get("r")
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        child = element.find(INLINE_STRING)
        if child is None:
            return {"row": row, "column": column, "value": None, "data_type": "inlineStr",
                    "style_id": style_id}
        return {"row": row, "column": column, "value": inline_text(child), "data_type": "s",
                "style_id": style_id}


class _SheetParser(SheetParser):
    """:class:`SheetParser`, which also keeps a formula's saved value.

    openpyxl gives either the formula (``data_only=False``) or the value the
    spreadsheet saved (``data_only=True``); a formula cell is parsed both
    ways here (``saved``), so one pass tells formulas and their values.
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        counter = self.col_counter
        cell = super().parse_cell(element)
        if cell["data_type"] == "f":
            after = self.col_counter
            self.col_counter, self.data_only = counter, True
            try:
                saved = super().parse_cell(element)
            finally:
                self.col_counter, self.data_only = after, False
            cell["saved"] = _saved_value(saved["value"], saved["data_type"])
        return cell


def inline_text(node: Any) -> str:
    """The text of an ``<is>`` element: its ``<t>``, then each rich-text run's ``<t>``;
    phonetic runs left out (openpyxl's ``Text.from_tree(node).content``)."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        if child.tag == _TEXT_TAG:
            plain = child.text
        elif child.tag == _RUN_TAG:
            text = child.find(_TEXT_TAG)
            if text is not None and text.text is not None:
                runs.append(text.text)
    return "".join(([plain] if plain is not None else []) + runs)


_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"


def _saved_value(value: Any, data_type: str) -> Any:
    """A formula's saved value; ``""`` for an empty text result (``=IF(x;"";y)``).

    Excel and LibreOffice save an empty text result as ``t="str"`` with an
    empty value, which openpyxl reads as ``None`` like a formula never
    calculated; the cell type tells them apart.
    """
    if value is None and data_type in ("s", "str"):
        return ""
    return value


def _number_formats(wb: Workbook) -> Any:
    """``style id -> number format``, as openpyxl's ``Cell.number_format`` gives it, cached."""
    styles, custom = wb._cell_styles, wb._number_formats
    cache: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        found = cache.get(style_id)
        if found is None:
            key = styles[style_id].numFmtId
            found = (BUILTIN_FORMATS.get(key, GENERAL) if key < BUILTIN_FORMATS_MAX_SIZE
                     else custom[key - BUILTIN_FORMATS_MAX_SIZE])
            cache[style_id] = found
        return found

    return number_format


def _scan(wb: Workbook, ws: Any, number_format: Any) -> _Scan:
    """Stream the sheet's XML once: its value cells, merged ranges and table parts.

    A cell that holds nothing (``None``, only spaces) is not kept; the
    cells a merged range covers, top-left excepted, read as blank (openpyxl's
    normal mode empties them the same way).  Equal texts are kept once (a
    program writing inline strings gives each cell its own copy of ``PROD``).
    """
    archive: ZipFile = wb._archive
    cells: Cells = {}
    texts: dict[str, str] = {}
    with archive.open(ws._worksheet_path) as source:
        parser = _SheetParser(source, ws._shared_strings, data_only=False, epoch=wb.epoch,
                              date_formats=wb._date_formats,
                              timedelta_formats=wb._timedelta_formats)
        for r, row in parser.parse():
            found: dict[int, Any] = {}
            for cell in row:
                kept = _kept(cell, number_format)
                if kept.__class__ is str:
                    kept = texts.setdefault(kept, kept)
                elif kept is None:
                    continue
                if cell["row"] == r:
                    found[cell["column"]] = kept
                else:  # a cell whose reference names another row than its <row>
                    cells.setdefault(cell["row"], {})[cell["column"]] = kept
            if found:
                if r in cells:
                    cells[r].update(found)
                else:
                    cells[r] = found
    merged = [CellRange(m.ref) for m in parser.merged_cells.mergeCell] \
        if parser.merged_cells else []
    _blank_merged(cells, merged)
    return _Scan(cells, merged, _tables(archive, ws._worksheet_path, parser))


def _kept(cell: dict[str, Any], number_format: Any) -> Any:
    """What a parsed cell keeps: its bare value, an :class:`_Odd`, or ``None`` (nothing)."""
    kind = cell["data_type"]
    if kind == "f":
        return _Odd(cell["saved"], FORMULA, number_format(cell["style_id"]))
    value = cell["value"]
    if value is None:
        return None
    if type(value) is str:
        if kind == "e":
            return _Odd(value, ERROR, GENERAL)
        return value if value.strip() else None
    shown = number_format(cell["style_id"])
    return value if shown == GENERAL else _Odd(value, FORMATTED, shown)


def _blank_merged(cells: Cells, merged: list[CellRange]) -> None:
    """Drop the cells a merged range covers, its top-left cell excepted."""
    for m in merged:
        for r in range(m.min_row, m.max_row + 1):
            row = cells.get(r)
            if not row:
                continue
            for c in [c for c in row if m.min_col <= c <= m.max_col]:
                if (r, c) != (m.min_row, m.min_col):
                    del row[c]
            if not row:
                del cells[r]


def _tables(archive: ZipFile, part: str, parser: WorkSheetParser) -> list[Table]:
    """The sheet's Excel tables (``tableParts``), each part parsed through defusedxml."""
    if not parser.tables.tablePart:
        return []
    rels = RelationshipList.from_tree(safe_fromstring(archive.read(get_rels_path(part))))
    tables = []
    for item in parser.tables.tablePart:
        target = rels.get(item.id).Target
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target))
        tables.append(Table.from_tree(safe_fromstring(archive.read(name))))
    return tables


# --- one sheet --------------------------------------------------------------------

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


def _read_sheet(scan: _Scan, title: str, sheet: Sheet, issues: list[Issue]) -> RawSheet | None:
    cells = scan.cells
    if not cells:
        if sheet.required:
            issues.append(error(sheet.name, None, None, None, Rule.SHEET_EMPTY,
                                f"the {sheet.name} sheet is empty: write the header row "
                                f"({', '.join(c.name for c in sheet.columns)}) in row 1 "
                                "and the data below it"))
        return None
    area = _find_area(scan.tables, sheet, cells, issues)
    letters, columns = _read_header(sheet, area, cells, issues)
    missing = [c.name for c in sheet.columns if c.required and c.name not in letters]
    for name in missing:
        issues.append(_missing_column(sheet, name, area, cells))
    unknown = [name for name in letters if name not in sheet.column_by_name]
    corners = {(m.min_row, m.min_col): _plain(cells.get(m.min_row, {}).get(m.min_col))
               for m in scan.merged}
    found = RawSheet(sheet.name, title, area.header_row, letters, unknown, missing)
    _read_records(found, sheet, area, cells, columns, issues)
    if not found.rows and sheet.required and sheet.name != SETTINGS_SHEET:
        issues.append(warning(sheet.name, None, None, None, Rule.SHEET_EMPTY,
                              f"the {sheet.name} sheet has a header but no data rows"))
    if scan.merged:
        _merged_warnings(scan.merged, corners, sheet, area, columns, set(found.rows), issues)
    return found


def _find_area(tables: list[Table], sheet: Sheet, cells: Cells, issues: list[Issue]) -> _Area:
    """Row 1 of the sheet, or the Excel table that holds its data."""
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


def _table_area(table: Table, cells: Cells) -> _Area:
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    header_rows = 1 if table.headerRowCount is None else int(table.headerRowCount)
    totals = int(table.totalsRowCount or 0)
    if header_rows:
        row = cells.get(min_row, {})
        headers = {c: _plain(row[c]) for c in range(min_col, max_col + 1) if c in row}
    else:  # a table without a header row: its column names live in the table definition
        headers = {min_col + i: col.name for i, col in enumerate(table.tableColumns)}
    return _Area(header_row=min_row if header_rows else min_row - 1,
                 first_row=min_row + header_rows, last_row=max_row - totals,
                 min_col=min_col, max_col=max_col, table=table.displayName,
                 table_ref=table.ref, headers=headers)


def _outside_table_warning(sheet: Sheet, area: _Area, cells: Cells,
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


def _read_header(sheet: Sheet, area: _Area, cells: Cells,
                 issues: list[Issue]) -> tuple[dict[str, str], dict[int, str]]:
    """Column name -> letter, and column index -> name, for every header cell read."""
    headers = area.headers or {c: _plain(value)
                               for c, value in cells.get(area.header_row, {}).items()
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


def _missing_column(sheet: Sheet, name: str, area: _Area, cells: Cells) -> Issue:
    where = f"row {area.header_row}" if area.table is None else f"the table {area.table}"
    message = f"the {sheet.name} sheet has no column {name} (required): add it to {where}"
    if area.table is None:
        moved = _header_elsewhere(sheet, cells)
        if moved:
            message += (f"; the header seems to be on row {moved}: move it to row 1, or make "
                        "the range an Excel table")
    return error(sheet.name, area.header_row, name, None, Rule.COLUMN_MISSING, message)


def _header_elsewhere(sheet: Sheet, cells: Cells) -> int | None:
    """The row that looks like the header when row 1 does not (hint only)."""
    known = set(sheet.column_by_name)
    if any(normalise_header(_plain(v)) in known for v in cells.get(1, {}).values()):
        return None
    for row in sorted(r for r in cells if 1 < r <= HEADER_SEARCH_ROWS):
        if sum(normalise_header(_plain(v)) in known for v in cells[row].values()) >= 2:
            return row
    return None


def _read_records(found: RawSheet, sheet: Sheet, area: _Area, cells: Cells,
                  columns: dict[int, str], issues: list[Issue]) -> None:
    """Fill ``found`` with one record per row holding a value under a named column.

    Blank rows are skipped.  Each row's cells are dropped from ``cells`` once
    read, so that a large sheet is held once, not twice.
    """
    places = [(c, name, found.values.setdefault(name, [])) for c, name in columns.items()]
    unnamed: dict[int, str] = {}
    rows = found.rows
    last = area.last_row
    for r in sorted(cells):
        if r < area.first_row or (last is not None and r > last):
            continue
        row_cells = cells.pop(r)
        extra = row_cells.keys() - columns.keys()
        if extra:
            _note_unnamed(extra, area, r, unnamed)
            if len(extra) == len(row_cells):
                continue
        index = len(rows)
        rows.append(r)
        for c, name, values in places:
            value = row_cells.get(c)
            if value.__class__ is _Odd:
                value, shown = _odd_value(value, sheet, r, name, found.letters[name], issues)
                if shown != GENERAL:
                    _set_format(found.formats, name, index, shown)
            values.append(value)
    for name, kept in found.formats.items():
        kept.extend([GENERAL] * (len(rows) - len(kept)))
    for c, ref in unnamed.items():
        issues.append(warning(sheet.name, None, None, None, Rule.COLUMN_UNNAMED,
                              f"column {get_column_letter(c)} holds values (first in {ref}) "
                              "but has no header: they are ignored; give the column a header "
                              "or clear it", cell=ref))


def _set_format(formats: dict[str, list[str]], name: str, index: int, shown: str) -> None:
    """Record a number format other than General (the column's list made when first needed)."""
    kept = formats.setdefault(name, [])
    kept.extend([GENERAL] * (index - len(kept)))
    kept.append(shown)


def _odd_value(cell: _Odd, sheet: Sheet, row: int, name: str, letter: str,
               issues: list[Issue]) -> tuple[Any, str]:
    """The value an error, a formula or a formatted number gives, and its number format."""
    ref = f"{letter}{row}"
    if cell.kind == FORMULA:
        if cell.value is None:
            issues.append(error(
                sheet.name, row, name, None, Rule.FORMULA_NO_VALUE,
                f"the formula in {ref} has no saved value (the file was written by a "
                "program, not saved by a spreadsheet): open and save the file in Excel or "
                "LibreOffice", cell=ref))
            return None, GENERAL
        if isinstance(cell.value, str) and cell.value in ERROR_CODES:
            issues.append(_excel_error(sheet.name, row, name, cell.value, ref))
            return None, GENERAL
        return cell.value, cell.number_format
    if cell.kind == ERROR:
        issues.append(_excel_error(sheet.name, row, name, cell.value, ref))
        return None, GENERAL
    return cell.value, cell.number_format


def _note_unnamed(extra: Iterable[int], area: _Area, r: int, unnamed: dict[int, str]) -> None:
    """Remember the first cell of each column that holds values but has no header."""
    for c in extra:
        if c < area.min_col or (area.max_col is not None and c > area.max_col):
            continue
        if c not in unnamed:
            unnamed[c] = f"{get_column_letter(c)}{r}"


def _excel_error(sheet: str, row: int, column: str, value: Any, ref: str) -> Issue:
    return error(sheet, row, column, value, Rule.EXCEL_ERROR,
                 f"the cell shows the spreadsheet error {value}: correct the formula or "
                 "type the value", cell=ref)


def _merged_warnings(merged: list[CellRange], corners: dict[tuple[int, int], Any],
                     sheet: Sheet, area: _Area, columns: dict[int, str],
                     record_rows: set[int], issues: list[Issue]) -> None:
    """Merged ranges in the data: only their top-left cell holds a value."""
    if not columns:
        return
    top = area.header_row
    bottom = max(record_rows, default=top)
    left, right = min(columns), max(columns)
    for m in merged:
        if m.max_row < top or m.min_row > bottom or m.max_col < left or m.min_col > right:
            continue
        hidden = _hidden_cells(m, columns, record_rows)
        name = columns.get(m.min_col)
        first = f"{get_column_letter(m.min_col)}{m.min_row}"
        value = corners.get((m.min_row, m.min_col))
        if hidden:
            shown = listed(hidden, SHOWN_CELLS)
            issues.append(error(
                sheet.name, m.min_row, name, value, Rule.MERGED_CELLS,
                f"cells {m.coord} are merged: only {first} holds a value and {shown} "
                "read as blank: unmerge them and fill every cell", cell=first))
        else:
            issues.append(warning(
                sheet.name, m.min_row, name, value, Rule.MERGED_CELLS,
                f"cells {m.coord} are merged: only {first} is read; unmerge them",
                cell=first))


def _hidden_cells(merged: CellRange, columns: dict[int, str], record_rows: set[int]) -> list[str]:
    """Cells of ``merged`` (top-left excepted) that a record reads: the merge hides them."""
    low, high = merged.min_row, min(merged.max_row, max(record_rows, default=0))
    rows = [r for r in range(low, high + 1) if r in record_rows]
    cols = [c for c in sorted(columns) if merged.min_col <= c <= merged.max_col]
    return [f"{get_column_letter(c)}{r}" for r in rows for c in cols
            if (r, c) != (merged.min_row, merged.min_col)]
