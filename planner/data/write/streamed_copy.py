"""A copy of a workbook too large to hold in memory, written while it is read.

openpyxl's normal mode, which the annotated copy uses for an ordinary
workbook, holds about 450 bytes of objects per cell and saves from them:
a 200,000-row Demand sheet (800,000 cells, 40 MB of sheet XML) took
700 MB.  Above :data:`NORMAL_COPY_BYTES` of sheet XML the copy is made
sheet by sheet instead: each row is read by openpyxl's worksheet parser
(read-only workbook, every part parsed through defusedxml as in the
reader) and written at once (write-only workbook), so memory does not
grow with the sheet.

Kept: values and formulas (as saved), each cell's style (font, fill,
border, alignment, number format, protection), column widths and row
heights, merged cells, frozen panes and sheet views, tab colours, hidden
sheets, comments, drop-down lists (data validations), conditional
formatting, hyperlinks, Excel tables, print settings, defined names, and
each sheet's ``<dimension>`` (without it openpyxl's read-only mode parses a
whole sheet just to open the workbook).  Not kept: charts, images, pivot
tables and macros; the annotated copy says so when the source has any.

The caller (:mod:`planner.data.write.annotate`) writes its own first sheet,
then :func:`copy_streamed` copies the others, marking the cells it is told
to through the caller's ``mark``.
"""

from __future__ import annotations

import posixpath
import re
from copy import copy
from pathlib import Path
from typing import Any, Callable, Iterator

from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.comments.comment_sheet import CommentSheet
from openpyxl.packaging.relationship import RelationshipList, get_rels_path
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension, RowDimension
from openpyxl.worksheet.table import Table

from planner.data.read.raw_workbook import SheetParser
from planner.errors import InputError

MiB = 1 << 20
NORMAL_COPY_BYTES = 8 * MiB
"""Sheet XML (uncompressed, all sheets) above which the copy is streamed: openpyxl's
normal mode costs about 10 MB of memory per MB of sheet XML."""
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")

Marks = dict[tuple[int, int], list[Any]]
"""What to mark in a sheet: ``(row, column)`` -> the issues there."""
Mark = Callable[[Cell, list[Any]], None]
"""``mark(cell, issues)``: marks one written cell (the annotated copy's fill and comment)."""


def merged_ranges(source: Workbook, ws: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min_col, min_row, max_col, max_row), found before its
    cells are written (the XML gives them after): a scan of the part for their tags."""
    found = []
    carry = b""
    with source._archive.open(ws._worksheet_path) as stream:
        while chunk := stream.read(MiB):
            text = carry + chunk
            cut = text.rfind(b"<")
            for match in _MERGE.finditer(text, 0, max(cut, 0)):
                found.append(match.group(1))
            carry = text[max(cut, 0):]
        found.extend(m.group(1) for m in _MERGE.finditer(carry))
    ranges = []
    for ref in found:
        try:
            ranges.append(range_boundaries(ref.decode("ascii", "replace")))
        except (ValueError, TypeError):
            continue
    return ranges


class _Styles:
    """A source style id -> the same style registered in the target workbook (cached)."""

    def __init__(self, source: Workbook, target: Workbook) -> None:
        self.source, self.target = source, target
        self.cache: dict[int, StyleArray] = {}

    def __call__(self, style_id: int) -> StyleArray:
        found = self.cache.get(style_id)
        if found is None:
            found = self.cache[style_id] = self._register(self.source._cell_styles[style_id])
        return found

    def _register(self, old: StyleArray) -> StyleArray:
        src, dst = self.source, self.target
        new = StyleArray()
        new.fontId = dst._fonts.add(src._fonts[old.fontId])
        new.fillId = dst._fills.add(src._fills[old.fillId])
        new.borderId = dst._borders.add(src._borders[old.borderId])
        new.alignmentId = dst._alignments.add(src._alignments[old.alignmentId])
        new.protectionId = dst._protections.add(src._protections[old.protectionId])
        if old.numFmtId < BUILTIN_FORMATS_MAX_SIZE:
            new.numFmtId = old.numFmtId
        else:
            new.numFmtId = dst._number_formats.add(
                src._number_formats[old.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
            ) + BUILTIN_FORMATS_MAX_SIZE
        new.quotePrefix = old.quotePrefix
        new.pivotButton = old.pivotButton
        return new


def copy_streamed(source: Workbook, target: Workbook, *, skip: Callable[[str], bool],
                  marks: Callable[[str], Marks], mark: Mark,
                  tab_colour: Callable[[str], str | None]) -> None:
    """Copy every worksheet of ``source`` (read-only) into ``target`` (write-only).

    ``skip(title)`` leaves a sheet out (an old ``Issues`` sheet); ``marks(title)``
    says which cells of that sheet ``mark`` marks (a cell a merged range covers is
    marked at the range's top-left cell, the one a spreadsheet shows);
    ``tab_colour(title)`` gives the sheet's new tab colour, if any.  Workbook-level
    defined names are copied too.
    """
    styles = _Styles(source, target)
    for name, defined in source.defined_names.items():
        target.defined_names[name] = copy(defined)
    for ws in source.worksheets:
        if skip(ws.title):
            continue
        _copy_sheet(source, ws, target.create_sheet(ws.title), styles, marks(ws.title), mark,
                    tab_colour(ws.title))


class _Extras:
    """What a row gets besides its cells: comments and marks, by row then column."""

    def __init__(self, comments: dict[tuple[int, int], Comment], marks: Marks) -> None:
        self.comments: dict[int, dict[int, Comment]] = {}
        for (r, c), comment in comments.items():
            self.comments.setdefault(r, {})[c] = comment
        self.marks: dict[int, dict[int, list[Any]]] = {}
        for (r, c), found in marks.items():
            self.marks.setdefault(r, {}).setdefault(c, []).extend(found)
        self.rows = sorted(self.comments.keys() | self.marks.keys())


def _copy_sheet(source: Workbook, src: Any, ws: Any, styles: _Styles, marks: Marks, mark: Mark,
                colour: str | None) -> None:
    ws.sheet_state = src.sheet_state
    for name, defined in src.defined_names.items():
        ws.defined_names[name] = copy(defined)
    for attribute in ("_print_rows", "_print_cols", "_print_area"):
        if getattr(src, attribute, None) is not None:
            setattr(ws, attribute, getattr(src, attribute))
    rels = _relationships(source, src)
    if marks:
        corners = _corners(merged_ranges(source, src))
        marks = _merged_marks(marks, corners)
    extras = _Extras(_comments(source, rels), marks)
    ref = _dimension(src, extras)
    if ref is not None:  # else a reader such as openpyxl's read-only mode parses it all
        ws.calculate_dimension = lambda: ref
    ws._values_to_row = _placed
    with source._archive.open(src._worksheet_path) as stream:
        parser = SheetParser(stream, src._shared_strings, data_only=False,
                             epoch=source.epoch, date_formats=source._date_formats,
                             timedelta_formats=source._timedelta_formats)
        rows = parser.parse()
        first = next(rows, None)  # the parts before the cells (views, columns) are read now
        _copy_top(parser, ws, styles, colour)
        following = 1  # the next row to write
        for r, cells in _with_first(first, rows):
            if r < following:  # a spreadsheet writes rows in order; openpyxl appends so
                raise InputError(f"the sheet {src.title!r} lists its rows out of order (row "
                                 f"{r} after row {following - 1}): open the workbook in Excel "
                                 "or LibreOffice and save it again")
            _write_gap(ws, following, r, extras, styles, mark)
            _row_dimension(parser, ws, r, styles)
            ws.append(_row_cells(ws, r, cells, extras, styles, mark))
            following = r + 1
        _write_gap(ws, following, max(extras.rows, default=0) + 1, extras, styles, mark)
    _copy_tail(source, parser, ws, rels)


def _dimension(src: Any, extras: _Extras) -> str | None:
    """The source's ``<dimension>``, widened to the cells given a comment or a mark."""
    if None in (src.min_row, src.min_column, src.max_row, src.max_column):
        return None
    rows = [src.min_row, src.max_row, *extras.rows]
    columns = [src.min_column, src.max_column]
    for by_row in (extras.comments, extras.marks):
        for found in by_row.values():
            columns.extend(found)
    return f"{get_column_letter(min(columns))}{min(rows)}:" \
           f"{get_column_letter(max(columns))}{max(rows)}"


def _placed(cells: list[Cell | None], row_idx: int) -> Iterator[Cell]:
    """The write-only sheet's ``_values_to_row`` for a row of cells made here: each put in
    its place (openpyxl's own first tries each as a value, and fails, once per cell)."""
    for column, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column, cell.row = column, row_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        yield cell


def _with_first(first: Any, rows: Iterator[Any]) -> Iterator[Any]:
    if first is not None:
        yield first
        yield from rows


def _write_gap(ws: Any, start: int, stop: int, extras: _Extras, styles: _Styles,
               mark: Mark) -> None:
    """The rows ``start`` .. ``stop - 1``, which hold no cell: empty, or a comment or mark."""
    for r in range(start, stop):
        ws.append(_row_cells(ws, r, [], extras, styles, mark) if r in extras.comments
                  or r in extras.marks else [])


def _row_cells(ws: Any, r: int, cells: list[dict[str, Any]], extras: _Extras, styles: _Styles,
               mark: Mark) -> list[Cell | None]:
    """One row's cells as the source holds them (openpyxl's normal mode keeps the same
    value, type and style), with the comments and marks of the row."""
    by_column: dict[int, Cell] = {}
    for found in cells:
        cell = WriteOnlyCell(ws)
        cell._value = found["value"]
        cell.data_type = found["data_type"]
        if found["style_id"]:
            cell._style = copy(styles(found["style_id"]))
        by_column[found["column"]] = cell
    for column, comment in extras.comments.get(r, {}).items():
        by_column.setdefault(column, WriteOnlyCell(ws)).comment = comment
    for column, found in extras.marks.get(r, {}).items():
        mark(by_column.setdefault(column, WriteOnlyCell(ws)), found)
    width = max(by_column, default=0)
    return [by_column.get(c) for c in range(1, width + 1)]


def _merged_marks(marks: Marks, corners: dict[tuple[int, int], tuple[int, int]]) -> Marks:
    moved: Marks = {}
    for at, found in marks.items():
        moved.setdefault(corners.get(at, at), []).extend(found)
    return moved


def _corners(ranges: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell a merged range covers -> its top-left cell (the one a mark goes to)."""
    corners: dict[tuple[int, int], tuple[int, int]] = {}
    for min_col, min_row, max_col, max_row in ranges:
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                corners[(r, c)] = (min_row, min_col)
    return corners


def _copy_top(parser: WorkSheetParser, ws: Any, styles: _Styles, colour: str | None) -> None:
    """What the sheet XML gives before its cells: properties, views, format, columns, rows."""
    for name in ("sheet_properties", "views", "sheet_format"):
        value = getattr(parser, name, None)
        if value is not None:
            setattr(ws, name, value)
    for view in ws.views.sheetView:
        view.tabSelected = False
    if colour is not None:
        ws.sheet_properties.tabColor = colour
    for letter, attributes in parser.column_dimensions.items():
        attributes = dict(attributes)
        if "style" in attributes:
            attributes["style"] = copy(styles(int(attributes["style"])))
        ws.column_dimensions[letter] = ColumnDimension(ws, **attributes)


def _row_dimension(parser: WorkSheetParser, ws: Any, r: int, styles: _Styles) -> None:
    """The row's height, style or hidden state, which its ``<row>`` element carries."""
    attributes = parser.row_dimensions.pop(str(r), None)
    if attributes is None:
        return
    attributes = dict(attributes)
    if "s" in attributes:
        attributes["s"] = copy(styles(int(attributes["s"])))
    ws.row_dimensions[r] = RowDimension(ws, **attributes)


def _copy_tail(source: Workbook, parser: WorkSheetParser, ws: Any,
               rels: RelationshipList) -> None:
    """What the sheet XML gives after its cells; written when the sheet is closed."""
    for name in ("print_options", "page_margins", "page_setup", "HeaderFooter", "auto_filter",
                 "data_validations", "row_breaks", "col_breaks", "scenarios", "protection"):
        value = getattr(parser, name, None)
        if value is not None:
            setattr(ws, name, value)
    if parser.merged_cells:
        ws.merged_cells = MultiCellRange([m.ref for m in parser.merged_cells.mergeCell])
    for cf in parser.formatting:
        for rule in cf.rules:
            if rule.dxfId is not None:
                rule.dxf = source._differential_styles[rule.dxfId]
            ws.conditional_formatting[cf] = rule
    targets = {rel.Id: rel.Target for rel in rels}
    for link in parser.hyperlinks.hyperlink:
        if link.id:
            link.target = targets.get(link.id)
            link.id = None
        ws._hyperlinks.append(link)
    for item in parser.tables.tablePart:
        ws._tables.add(_table(source, rels, item.id))


def _relationships(source: Workbook, src: Any) -> RelationshipList:
    path = get_rels_path(src._worksheet_path)
    if path not in source._archive.namelist():
        return RelationshipList()
    rels = RelationshipList.from_tree(safe_fromstring(source._archive.read(path)))
    folder = posixpath.dirname(src._worksheet_path)
    for rel in rels:
        if rel.TargetMode != "External":
            rel.target = rel.Target.lstrip("/") if rel.Target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, rel.Target))
    return rels


def _comments(source: Workbook, rels: RelationshipList) -> dict[tuple[int, int], Comment]:
    found: dict[tuple[int, int], Comment] = {}
    for rel in rels.find(COMMENTS_REL):
        sheet = CommentSheet.from_tree(safe_fromstring(source._archive.read(rel.target)))
        for ref, comment in sheet.comments:
            found[coordinate_to_tuple(ref)] = comment
    return found


def _table(source: Workbook, rels: RelationshipList, rel_id: str) -> Table:
    return Table.from_tree(safe_fromstring(source._archive.read(rels.get(rel_id).target)))
