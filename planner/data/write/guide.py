"""The ``Guide`` sheet: the input workbook explained to the planner filling it.

Generated from the schema, like the README's input reference: what the
workbook is for, how to fill it, what to do next, then every sheet, every
column and every setting.  Row heights are set by hand because spreadsheets
do not grow a wrapped, merged row on their own.
"""

from __future__ import annotations

import math
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.data import describe
from planner.data.schema import GUIDE_SHEET, SETTINGS, SHEETS, Column, Sheet
from planner.data.write.styles import TAB_GUIDE, style_header

NAME_WIDTH = 3 + max(len(c.name) for c in (*SETTINGS, *(c for s in SHEETS for c in s.columns)))
WIDTHS: tuple[int, ...] = (max(26, NAME_WIDTH), 62, 18, 16, 28, 16, 26, 24)
"""Columns A..H: name, meaning, type, unit, required/default, allowed, refers to, example."""
COLUMN_HEADINGS = ("Column", "Meaning", "Type", "Unit", "Required / default",
                   "Allowed values", "Refers to", "Example")
SETTING_HEADINGS = ("Key", "Meaning", "Type", "Unit", "Required / default",
                    "Allowed values", "", "Example")
LINE_POINTS = 15.0
CHARS_PER_WIDTH = 1.05
"""Characters of ordinary text per unit of column width (a unit is one ``0``)."""

FONT = "Calibri"
TITLE_FONT = Font(name=FONT, bold=True, size=16, color="FF1F4E78")
SECTION_FONT = Font(name=FONT, bold=True, size=13, color="FF1F4E78")
SUBSECTION_FONT = Font(name=FONT, bold=True, size=11, color="FF1F4E78")
NAME_FONT = Font(name=FONT, bold=True, size=11)
SECTION_FILL = PatternFill("solid", start_color="FFDDEBF7")
TABLE_HEAD_FILL = PatternFill("solid", start_color="FFF2F2F2")
THIN = Side(style="thin", color="FFBFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

PURPOSE = (
    "This workbook describes one planning question for the Electro'Mob "
    "training-capacity planner: the territories, the job families and the people "
    "they must recruit, the training organisations and what they can teach, the "
    "trainers, and the programmes that fund training. The planner decides how many "
    "sessions each organisation runs each year, and which territories' learners they "
    "train, so that as little demand as possible is left unmet at the last planning "
    "year, within site capacity, trainer hours, travel time and budget; it then tells "
    "you what limits the plan.",
)

HOW_TO_FILL = (
    "Row 1 of each sheet holds the column names: keep them as they are. You may "
    "reorder columns, and add your own columns (they are kept and reported, not used).",
    "One row per item: the Sheets table below says what one row is on each sheet "
    "(one territory; one territory, family and year on Demand ...). Blank rows are "
    "ignored.",
    "Dark headers are required columns, light headers optional ones. Point at a "
    "header to read its meaning, unit and default; the tables below say the same.",
    "Leave an optional cell blank to take its default. Some blanks have a meaning: "
    "a blank capacity_hours is unlimited, a blank budget is unlimited.",
    "Identifiers (territory_id, org_id, offer_id ...) are text, so 02 stays 02. Each "
    "is unique in its sheet, and a column that refers to another sheet must name one "
    "of its rows: the drop-down lists offer them (fill Territories, JobFamilies, "
    "Organisations and Programmes first).",
    "Numbers may be typed with a decimal comma (3,5) or a point (3.5). Units are part "
    "of the contract: hours are trainer-led hours, money is in EUR, travel in "
    "one-way minutes.",
    "Skills have no sheet of their own: list them on the Lists sheet (column skill) "
    "to get them in the skill drop-downs of Offers, Trainers and TrainerHiring.",
    "Optional sheets (TrainerHiring, Programmes, Travel, Scenarios) may stay empty. "
    "Formulas are allowed if their value has been calculated: save the file in Excel "
    "or LibreOffice before running the planner.",
    "This Guide and the Lists sheet are for you; the planner does not read them.",
)

NEXT_STEPS = (
    "planner validate FILE.xlsx  checks the workbook and lists every problem with its "
    "sheet, row, column and value. Fix the errors and run it again; warnings do not "
    "stop the planner.",
    "planner solve FILE.xlsx  writes outputs/FILE__<scenario_name>.xlsx: the sessions, "
    "the learners' flows, the trainers used and hired, and the demand left unmet with "
    "its reasons.",
    "planner solve FILE.xlsx --all-scenarios  solves each scenario of the Scenarios "
    "sheet and writes a workbook comparing them.",
)


def add_guide(workbook: Workbook, index: int = 0) -> Worksheet:
    """Add the ``Guide`` sheet at ``index`` (first by default) and return it."""
    ws = workbook.create_sheet(GUIDE_SHEET, index)
    ws.sheet_properties.tabColor = TAB_GUIDE
    ws.sheet_view.showGridLines = False
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    page = _Page(ws)
    page.title("Electro'Mob training-capacity planner: input workbook")
    page.section("What this workbook is for")
    for text in PURPOSE:
        page.paragraph(text)
    page.section("How to fill it")
    for text in HOW_TO_FILL:
        page.paragraph(f"\u2022 {text}")
    page.legend()
    page.section("What to do next")
    for number, text in enumerate(NEXT_STEPS, start=1):
        page.paragraph(f"{number}. {text}")
    page.section("Sheets")
    page.table_head(("Sheet", "What it holds", "Required?", "One row is"), merge_last=True)
    for sheet in SHEETS:
        page.row((sheet.name, _sheet_text(sheet), describe.sheet_status(sheet),
                  _row_text(sheet)), merge_last=True, bold_first=True)
    for sheet in SHEETS:
        page.section(f"{sheet.name} ({describe.sheet_status(sheet)})")
        page.paragraph(f"{_sheet_text(sheet)} {_row_text(sheet)}")
        page.table_head(COLUMN_HEADINGS)
        for column in sheet.columns:
            page.row(_column_cells(column), bold_first=True)
    page.section("Settings keys (rows of the Settings sheet)")
    page.paragraph("Each key is one row of the Settings sheet: the key in column key, "
                   "its value in column value. A missing row or a blank value takes the "
                   "default; first_year and last_year are required.")
    page.table_head(SETTING_HEADINGS)
    for column in SETTINGS:
        cells = list(_column_cells(column))
        cells[1] = describe.setting_meaning(column)
        page.row(cells, bold_first=True)
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _sheet_text(sheet: Sheet) -> str:
    return f"{sheet.description} {sheet.details}".strip()


def _row_text(sheet: Sheet) -> str:
    text = f"One row is {sheet.row_meaning}." if sheet.row_meaning else ""
    if sheet.key:
        text += f" Unique: {', '.join(sheet.key)}."
    return text.strip()


def _column_cells(column: Column) -> tuple[str, ...]:
    refers = describe.references_text(column)
    if column.vocabulary:
        refers = f"Lists.{column.vocabulary} (suggestions)"
    return (column.name, column.description, describe.kind_text(column), column.unit,
            describe.requirement_text(column), describe.limits_text(column), refers,
            describe.example_text(column))


class _Page:
    """Writes the Guide top to bottom, one block at a time."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.r = 1
        self.n = len(WIDTHS)

    def title(self, text: str) -> None:
        cell = self.ws.cell(self.r, 1, text)
        cell.font = TITLE_FONT
        self.ws.row_dimensions[self.r].height = 24
        self.r += 2

    def section(self, text: str) -> None:
        self.r += 1
        for c in range(1, self.n + 1):
            self.ws.cell(self.r, c).fill = SECTION_FILL
        cell = self.ws.cell(self.r, 1, text)
        cell.font = SECTION_FONT
        self.ws.row_dimensions[self.r].height = 20
        self.r += 1

    def paragraph(self, text: str) -> None:
        self.ws.merge_cells(start_row=self.r, start_column=1, end_row=self.r,
                            end_column=self.n)
        cell = self.ws.cell(self.r, 1, text)
        cell.alignment = WRAP
        self._height([(text, sum(WIDTHS))])
        self.r += 1

    def legend(self) -> None:
        samples = (("dark header", dict(required=True), "a required column: fill it on "
                    "every row"),
                   ("light header", dict(required=False), "an optional column: blank "
                    "takes the default"),
                   ("grey header", dict(required=False, extra=True), "a column or sheet "
                    "the planner does not read (your own columns, Lists)"))
        for label, style, meaning in samples:
            style_header(self.ws.cell(self.r, 1, label), **style)
            self.ws.cell(self.r, 2, meaning).alignment = WRAP
            self.r += 1

    def table_head(self, headings: Sequence[str], *, merge_last: bool = False) -> None:
        self._cells(headings, merge_last=merge_last)
        for c in range(1, self.n + 1):
            cell = self.ws.cell(self.r, c)
            cell.font = SUBSECTION_FONT
            cell.fill = TABLE_HEAD_FILL
        self.r += 1

    def row(self, values: Sequence[str], *, merge_last: bool = False,
            bold_first: bool = False) -> None:
        self._cells(values, merge_last=merge_last)
        if bold_first:
            self.ws.cell(self.r, 1).font = NAME_FONT
        self.r += 1

    def _cells(self, values: Sequence[str], *, merge_last: bool) -> None:
        spans: list[tuple[str, int]] = []
        for c, value in enumerate(values, start=1):
            last = merge_last and c == len(values)
            end = self.n if last else c
            if last and end > c:
                self.ws.merge_cells(start_row=self.r, start_column=c, end_row=self.r,
                                    end_column=end)
            cell = self.ws.cell(self.r, c, value if value != "" else None)
            cell.alignment = WRAP
            spans.append((value, sum(WIDTHS[c - 1:end])))
        for c in range(1, self.n + 1):
            self.ws.cell(self.r, c).border = BOX
        self._height(spans)

    def _height(self, spans: Sequence[tuple[str, int]]) -> None:
        lines = 1
        for text, width in spans:
            per_line = max(1, int(width * CHARS_PER_WIDTH))
            needed = sum(max(1, math.ceil(len(part) / per_line))
                         for part in str(text).splitlines() or [""])
            lines = max(lines, needed)
        self.ws.row_dimensions[self.r].height = LINE_POINTS * lines + 3
