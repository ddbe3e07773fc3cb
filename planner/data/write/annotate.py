"""An annotated copy of an input workbook: every problem cell marked and commented.

The planner opens the copy next to the original and sees each issue where
it is: a red fill for an error, amber for a warning, a comment holding the
message, red or amber sheet tabs, and a first sheet ``Issues`` listing every
issue (with a link to its cell), a frozen header and a filter.

A flood of one rule (200,000 copies of a row) is summed up, not copied out:
the first :data:`~planner.data.check.issue_report.ANNOTATED_PER_RULE` issues
of a rule in a sheet are marked and listed, and one more ``Issues`` row
gives the count of the rest and the rows they span (``planner validate
--all`` lists every one).

The input is only ever read.  The copy is written to a temporary file in
the target's folder, then moved into place (``os.replace``), so a crash
never leaves a half-written file; a target that is the input itself (also
through a link) is refused.  Text taken from the input stays text: a value
such as ``=HYPERLINK(...)`` is never written as a formula.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from openpyxl.cell.cell import Cell, MergedCell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from planner.data.check.issue_report import ANNOTATED_PER_RULE, Cut, sorted_issues
from planner.data.read.raw_workbook import match_sheets, open_workbook, unreadable
from planner.data.write.streamed_copy import NORMAL_COPY_BYTES, copy_streamed
from planner.errors import InputError, Issue, Severity
from planner.words import number
from planner.xlsx import check_target as xlsx_check_target
from planner.xlsx import put, save_atomically

ISSUES_SHEET = "Issues"
ISSUE_COLUMNS = ("sheet", "row", "column", "cell", "value", "severity", "rule", "message")
ISSUE_WIDTHS = (16, 7, 26, 8, 20, 9, 24, 100)
ERROR_COLOUR = "FFC7CE"
WARNING_COLOUR = "FFEB9C"
TAB_COLOURS = {Severity.ERROR: "C00000", Severity.WARNING: "FFC000"}
AUTHOR = "planner validate"
LINK_FONT = Font(color="0563C1", underline="single")


def check_target(source: str | Path, target: str | Path) -> Path:
    """The target path, or an :class:`InputError` if writing there could harm the input.

    Checked before the input is even opened; :func:`planner.xlsx.check_target`
    (same file as the input through any link, open in a spreadsheet) runs
    again when saving.
    """
    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        raise InputError(f"{target}: the annotated copy must be an .xlsx file: give a name "
                         "ending in .xlsx")
    xlsx_check_target(target, inputs=(source,))
    if target.is_dir():
        raise InputError(f"{target} is a folder: give a file name ending in .xlsx")
    if not target.parent.is_dir():
        raise InputError(f"{target}: the folder {target.parent} does not exist: create it or "
                         "choose another place")
    return target


def annotate_workbook(source: str | Path, target: str | Path, issues: Sequence[Issue], *,
                      stream_above: int = NORMAL_COPY_BYTES) -> Path:
    """Write a copy of ``source`` to ``target`` with ``issues`` marked; return ``target``.

    A workbook with more than ``stream_above`` bytes of sheet XML is copied as it is
    read (:mod:`planner.data.write.streamed_copy`), in memory that does not grow with it.
    """
    target = check_target(source, target)
    rows = listed_issues(issues)
    found = open_workbook(source, read_only=True)  # the container checks, then a look
    try:
        if _sheet_xml_bytes(found) > stream_above:
            _annotate_streamed(Path(source), found, target, issues, rows)
            return target
    finally:
        found.close()
    wb = open_workbook(source)
    match = match_sheets(ws.title for ws in wb.worksheets)
    titles = {name: found[0] for name, found in match.titles.items()}
    _remove_old_issues_sheet(wb)
    _tab_colours(wb, titles, issues)
    _mark_cells(wb, titles, [row for row in rows if isinstance(row, Issue)])
    _issues_sheet(wb, titles, rows)
    save_atomically(wb, target, inputs=(source,))
    return target


def _sheet_xml_bytes(wb: Workbook) -> int:
    """Uncompressed bytes of the worksheet parts (the zip directory, already checked)."""
    return sum(i.file_size for i in wb._archive.infolist()
               if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))


def _annotate_streamed(source: Path, found: Workbook, target: Path, issues: Sequence[Issue],
                       rows: list[Issue | Rest]) -> None:
    """The annotated copy of a large workbook, written while it is read."""
    titles = {name: titles[0] for name, titles in
              match_sheets(ws.title for ws in found.worksheets).titles.items()}
    kept = [ws.title for ws in found.worksheets if not _is_issues_sheet(ws.title)]
    marks: dict[str, dict[tuple[int, int], list[Issue]]] = defaultdict(dict)
    for issue in (row for row in rows if isinstance(row, Issue)):
        title = titles.get(issue.sheet or "")
        if title is not None and issue.cell:
            marks[title].setdefault(coordinate_to_tuple(issue.cell), []).append(issue)
    worst = _worst(titles, issues)
    wb = Workbook(write_only=True)
    _issues_sheet_streamed(wb, titles, rows, kept, _not_kept(found))
    try:
        copy_streamed(found, wb, skip=_is_issues_sheet, marks=lambda title: marks.get(title, {}),
                      mark=_mark, tab_colour=lambda title: TAB_COLOURS.get(worst.get(title)))
    except InputError:
        raise
    except Exception as exc:  # read-only sheets are parsed only now: the reader's one handler
        raise unreadable(source, exc) from None
    save_atomically(wb, target, inputs=(source,))


def _not_kept(wb: Workbook) -> list[str]:
    """What the source holds that a streamed copy leaves out."""
    names = wb._archive.namelist()
    kinds = {"charts": ("xl/charts/", "xl/chartsheets/"), "images": ("xl/media/",),
             "pivot tables": ("xl/pivotTables/",), "macros": ("xl/vbaProject",)}
    return [kind for kind, prefixes in kinds.items()
            if any(name.startswith(prefixes) for name in names)]


@dataclass
class Rest:
    """The issues of one rule in one sheet beyond those listed: one ``Issues`` row."""

    first: Issue
    cut: Cut = field(default_factory=Cut)

    def cells(self, title: str | None) -> tuple[Any, ...]:
        issue = self.first
        return (title, self.cut.low, issue.column, None, None, issue.severity.value,
                str(issue.rule),
                f"... and {number(self.cut.count)} more [{issue.rule}]{self.cut.rows()}, "
                f"neither marked nor listed here: `planner validate FILE --all` lists every "
                "one")


def listed_issues(issues: Iterable[Issue], per_rule: int | None = None) -> list[Issue | Rest]:
    """The ``Issues`` rows in order: each issue, but past ``per_rule`` (default
    :data:`ANNOTATED_PER_RULE`) of one rule in one sheet, a single :class:`Rest` row
    (where the first left out would stand)."""
    per_rule = ANNOTATED_PER_RULE if per_rule is None else per_rule
    seen: dict[tuple[str | None, str], int] = defaultdict(int)
    rests: dict[tuple[str | None, str], Rest] = {}
    rows: list[Issue | Rest] = []
    for issue in sorted_issues(list(issues)):
        key = (issue.sheet, str(issue.rule))
        seen[key] += 1
        if seen[key] <= per_rule:
            rows.append(issue)
            continue
        rest = rests.get(key)
        if rest is None:
            rest = rests[key] = Rest(issue)
            rows.append(rest)
        rest.cut.add(issue)
    return rows


def _is_issues_sheet(title: str) -> bool:
    return title.strip().casefold() == ISSUES_SHEET.casefold()


def _remove_old_issues_sheet(wb: Workbook) -> None:
    for title in list(wb.sheetnames):
        if _is_issues_sheet(title):
            del wb[title]


def _worst(titles: dict[str, str], issues: Iterable[Issue]) -> dict[str, Severity]:
    """Each sheet's worst issue: its tab turns red (an error) or amber (warnings only)."""
    worst: dict[str, Severity] = {}
    for issue in issues:
        title = titles.get(issue.sheet or "")
        if title is not None and (issue.is_error or title not in worst):
            worst[title] = issue.severity
    return worst


def _tab_colours(wb: Workbook, titles: dict[str, str], issues: Iterable[Issue]) -> None:
    for title, severity in _worst(titles, issues).items():
        wb[title].sheet_properties.tabColor = TAB_COLOURS[severity]


def _mark_cells(wb: Workbook, titles: dict[str, str], issues: Iterable[Issue]) -> None:
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        title = titles.get(issue.sheet or "")
        if title is not None and issue.cell:
            by_cell[(title, issue.cell)].append(issue)
    for (title, ref), found in by_cell.items():
        _mark(_writable_cell(wb[title], ref), found)


def _writable_cell(ws: Worksheet, ref: str) -> Cell:
    """The cell at ``ref``, or the top-left cell of the merged range that covers it."""
    cell = ws[ref]
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if ref in merged:
                return ws.cell(merged.min_row, merged.min_col)
    return cell


def _mark(cell: Cell, issues: list[Issue]) -> None:
    error = any(i.is_error for i in issues)
    colour = ERROR_COLOUR if error else WARNING_COLOUR
    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    text = "\n".join(f"{i.severity.value}: {i.message} [{i.rule}]" for i in issues)
    if cell.comment is not None and cell.comment.author != AUTHOR:
        text += f"\n---\n{cell.comment.text}"
    comment = Comment(text, AUTHOR)
    comment.width = 360
    comment.height = min(400, 40 + 15 * (len(text) // 50 + text.count("\n")))
    cell.comment = comment


def _issues_sheet(wb: Workbook, titles: dict[str, str], rows: Sequence[Issue | Rest]) -> None:
    ws = wb.create_sheet(ISSUES_SHEET, 0)
    for ws_other in wb.worksheets:
        ws_other.sheet_view.tabSelected = False
    wb.active = 0
    ws.append(list(ISSUE_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, (cells, link) in enumerate(_issue_rows(rows, titles, wb.sheetnames), start=2):
        for c, value in enumerate(cells, start=1):
            _put(ws.cell(r, c), value)
        if link:
            ws.cell(r, 4).hyperlink = Hyperlink(ref=f"D{r}", location=link)
            ws.cell(r, 4).font = LINK_FONT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ISSUE_COLUMNS))}{len(rows) + 1}"
    for c, width in enumerate(ISSUE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def _issues_sheet_streamed(wb: Workbook, titles: dict[str, str], rows: Sequence[Issue | Rest],
                           sheetnames: list[str], not_kept: list[str]) -> None:
    """:func:`_issues_sheet` in a write-only workbook (its first sheet, written first)."""
    ws = wb.create_sheet(ISSUES_SHEET)
    ws.freeze_panes = "A2"
    note = 1 if not_kept else 0
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ISSUE_COLUMNS))}{len(rows) + 1 + note}"
    for c, width in enumerate(ISSUE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    header = []
    for name in ISSUE_COLUMNS:
        cell = WriteOnlyCell(ws, name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for cells, link in _issue_rows(rows, titles, sheetnames):
        written = [_put(WriteOnlyCell(ws), value) for value in cells]
        if link:
            written[3].hyperlink = Hyperlink(ref="D1", location=link)
            written[3].font = LINK_FONT
        ws.append(written)
    if not_kept:
        ws.append([None, None, None, None, None, "note", None,
                   f"this copy of a large workbook was written while it was read: it keeps "
                   f"values, styles, comments, drop-down lists and tables, not the "
                   f"{' and '.join(not_kept)} of the original (open the original for them)"])


def _issue_rows(rows: Sequence[Issue | Rest], titles: dict[str, str], sheetnames: list[str]
                ) -> Iterator[tuple[tuple[Any, ...], str | None]]:
    """Each ``Issues`` row's cells, and where its cell link points (``None``: no link)."""
    for found in rows:
        issue = found if isinstance(found, Issue) else found.first
        title = titles.get(issue.sheet, issue.sheet) if issue.sheet else None
        if isinstance(found, Rest):
            yield found.cells(title), None
            continue
        link = None
        if issue.cell and title is not None and title in sheetnames:
            link = f"'{title.replace(chr(39), chr(39) * 2)}'!{issue.cell}"
        yield (title, issue.row, issue.column, issue.cell, issue.value, issue.severity.value,
               str(issue.rule), issue.message), link


def _put(cell: Cell, value: Any) -> Cell:
    """Numbers as numbers; everything else as text (never a formula)."""
    if value is None:
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        cell.value = value
        return cell
    return put(cell, value if isinstance(value, str) else str(value))
