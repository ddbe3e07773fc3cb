"""An annotated copy of an input workbook: every problem cell marked and commented.

The planner opens the copy next to the original and sees each issue where
it is: a red fill for an error, amber for a warning, a comment holding the
message, red or amber sheet tabs, and a first sheet ``Issues`` listing every
issue (with a link to its cell), a frozen header and a filter.

The input is only ever read.  The copy is written to a temporary file in
the target's folder, then moved into place (``os.replace``), so a crash
never leaves a half-written file; a target that is the input itself (also
through a link) is refused.  Text taken from the input stays text: a value
such as ``=HYPERLINK(...)`` is never written as a formula.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from planner.data.check.issue_report import sorted_issues
from planner.data.read.raw_workbook import match_sheets, open_workbook
from planner.errors import InputError, Issue, Severity
from planner.xlsx import check_target as xlsx_check_target
from planner.xlsx import put, save_atomically

ISSUES_SHEET = "Issues"
ISSUE_COLUMNS = ("sheet", "row", "column", "cell", "value", "severity", "rule", "message")
ISSUE_WIDTHS = (16, 7, 26, 8, 20, 9, 24, 100)
ERROR_COLOUR = "FFC7CE"
WARNING_COLOUR = "FFEB9C"
TAB_COLOURS = {Severity.ERROR: "C00000", Severity.WARNING: "FFC000"}
AUTHOR = "planner validate"


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


def annotate_workbook(source: str | Path, target: str | Path, issues: Sequence[Issue]) -> Path:
    """Write a copy of ``source`` to ``target`` with ``issues`` marked; return ``target``."""
    target = check_target(source, target)
    wb = open_workbook(source)
    match = match_sheets(ws.title for ws in wb.worksheets)
    titles = {name: found[0] for name, found in match.titles.items()}
    _remove_old_issues_sheet(wb)
    _mark_cells(wb, titles, issues)
    _issues_sheet(wb, titles, issues)
    save_atomically(wb, target, inputs=(source,))
    return target


def _remove_old_issues_sheet(wb: Workbook) -> None:
    for title in list(wb.sheetnames):
        if title.strip().casefold() == ISSUES_SHEET.casefold():
            del wb[title]


def _mark_cells(wb: Workbook, titles: dict[str, str], issues: Iterable[Issue]) -> None:
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    worst: dict[str, Severity] = {}
    for issue in issues:
        title = titles.get(issue.sheet or "")
        if title is None:
            continue
        if issue.is_error or title not in worst:
            worst[title] = issue.severity
        if issue.cell:
            by_cell[(title, issue.cell)].append(issue)
    for (title, ref), found in by_cell.items():
        _mark(_writable_cell(wb[title], ref), found)
    for title, severity in worst.items():
        wb[title].sheet_properties.tabColor = TAB_COLOURS[severity]


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


def _issues_sheet(wb: Workbook, titles: dict[str, str], issues: Sequence[Issue]) -> None:
    ws = wb.create_sheet(ISSUES_SHEET, 0)
    for ws_other in wb.worksheets:
        ws_other.sheet_view.tabSelected = False
    wb.active = 0
    ws.append(list(ISSUE_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, issue in enumerate(sorted_issues(issues), start=2):
        title = titles.get(issue.sheet, issue.sheet) if issue.sheet else None
        row = (title, issue.row, issue.column, issue.cell, issue.value,
               issue.severity.value, str(issue.rule), issue.message)
        for c, value in enumerate(row, start=1):
            _put(ws.cell(r, c), value)
        if issue.cell and title is not None and title in wb.sheetnames:
            ws.cell(r, 4).hyperlink = Hyperlink(
                ref=f"D{r}", location=f"'{title.replace(chr(39), chr(39) * 2)}'!{issue.cell}")
            ws.cell(r, 4).font = Font(color="0563C1", underline="single")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ISSUE_COLUMNS))}{len(issues) + 1}"
    for c, width in enumerate(ISSUE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def _put(cell: Cell, value: Any) -> None:
    """Numbers as numbers; everything else as text (never a formula)."""
    if value is None:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        cell.value = value
        return
    put(cell, value if isinstance(value, str) else str(value))
