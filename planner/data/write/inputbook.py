"""Write input workbooks a planner enjoys (the template, the example, tests).

Everything follows the schema: sheets in schema order, row 1 holds the
plain column names (the reader finds them there) and their comments carry
meaning, unit, default and bounds; required columns have dark headers,
optional ones light; identifier columns are text so ``02`` keeps its zero;
drop-down lists offer the identifiers of the referenced sheet, the skills
in use, TRUE/FALSE and fixed choices.  A ``Guide`` sheet comes first and a
``Lists`` sheet last (it holds the drop-downs' values; the reader skips
both, see :data:`planner.data.schema.AUXILIARY_SHEETS`).

Drop-downs point at ranges, not literal lists: a literal is limited to 255
characters, and a range grows with the data.  Ranges go through defined
names (``list_territory_id`` ...) so Excel's and LibreOffice's validation
dialogs read as words, and reach :data:`EXTRA_ROWS` rows past the data (at
least row :data:`MIN_LAST_ROW`) so a planner can add rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, TypeAlias

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.data import describe
from planner.data.schema import (
    GUIDE_SHEET, IDENTIFIER_SHEETS, LISTS_SHEET, SCENARIOS_SHEET, SETTING_BY_KEY, SETTINGS,
    SETTINGS_SHEET, SHEET_BY_NAME, SHEETS, Kind, Sheet,
)
from planner.data.tables import ROW
from planner.data.write.guide import add_guide
from planner.data.write.styles import (
    BOLD_FONT, TAB_AUXILIARY, TAB_OPTIONAL, TAB_REQUIRED, style_header,
)
from planner.xlsx import plain, put, save_atomically, text_width

Records: TypeAlias = Iterable[Mapping[str, Any]] | pd.DataFrame

MIN_LAST_ROW = 2001
"""Drop-downs and text formats reach at least this row (2000 data rows)."""
EXTRA_ROWS = 1000
"""... and at least this many rows past the last data row."""
LITERAL_LIST_LIMIT = 255
"""Longest list literal (``"a,b,c"``) Excel accepts in a validation."""

TEMPLATE_SETTINGS: dict[str, Any] = {"first_year": 2025, "last_year": 2030}
"""The template's planning years: required settings need a value to start from."""
TEMPLATE_NOTES: dict[str, str] = {
    "first_year": "Pre-filled with 2025 by the template: set your first planning year.",
    "last_year": "Pre-filled with 2030 by the template: set your last planning year.",
}

MIN_WIDTH, MAX_WIDTH = 9, 50
WIDTH_SAMPLE = 200
"""Rows looked at to size a column."""


def last_row(n_records: int) -> int:
    """The last row drop-downs and formats cover for a sheet of ``n_records``."""
    return max(MIN_LAST_ROW, n_records + 1 + EXTRA_ROWS)


def write_input_workbook(path: str | Path, settings: Mapping[str, Any],
                         tables: Mapping[str, Records], *, all_sheets: bool = False,
                         guide: bool = True,
                         extra_sheets: Mapping[str, Records] | None = None,
                         setting_notes: Mapping[str, str] | None = None) -> Path:
    """Write an input workbook to ``path`` (atomically) and return the path.

    ``settings``: key -> value; every schema key is written, the missing
    ones with their default (required ones blank), then any unknown keys.
    ``tables``: sheet -> records (dicts or a DataFrame); columns beyond the
    schema's are written after them with a grey header.  Optional sheets
    are written when given, or always with ``all_sheets``.
    ``guide``: write the ``Guide`` sheet first.
    ``extra_sheets``: sheet -> records written after the input sheets,
    e.g. ``Sources``; the reader does not use them.  A non-schema sheet
    given in ``tables`` is treated the same way.
    ``setting_notes``: key -> a note put before the key's description.
    """
    if SETTINGS_SHEET in tables:
        raise ValueError("give the settings through the settings argument, not tables")
    extras = {name: records for name, records in tables.items() if name not in SHEET_BY_NAME}
    extras.update(extra_sheets or {})
    for name in extras:
        if name in SHEET_BY_NAME or name in (GUIDE_SHEET, LISTS_SHEET):
            raise ValueError(f"extra sheet {name!r} would replace the planner's own sheet")

    book = _Book(guide=guide)
    book.add_settings(settings, setting_notes or {})
    for sheet in SHEETS:
        given = tables.get(sheet.name)
        if sheet.name == SETTINGS_SHEET or (given is None and not (sheet.required or all_sheets)):
            continue
        book.add_input_sheet(sheet, _records(given))
    for name, records in extras.items():
        book.add_extra_sheet(name, _records(records))
    book.finish()

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save_atomically(book.workbook, path)


def write_template(path: str | Path) -> Path:
    """The empty, documented input workbook of ``planner template``.

    Every sheet with its headers, Settings filled with every key and its
    default, and the planning years pre-filled (:data:`TEMPLATE_SETTINGS`).
    """
    return write_input_workbook(path, TEMPLATE_SETTINGS, {}, all_sheets=True,
                                setting_notes=TEMPLATE_NOTES)


def _records(given: Records | None) -> list[Mapping[str, Any]]:
    if given is None:
        return []
    if isinstance(given, pd.DataFrame):
        return given.to_dict("records")
    return list(given)


def _identifier_text(value: Any) -> Any:
    """Identifiers are text: ``59`` and ``59.0`` both become ``"59"``."""
    value = plain(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class _Written:
    """Where a sheet's columns landed, for the drop-downs that point at them."""

    worksheet: Worksheet
    columns: dict[str, int]
    n_records: int

    def range_of(self, column: str, end: int | None = None) -> str:
        letter = get_column_letter(self.columns[column])
        stop = last_row(self.n_records) if end is None else end
        return f"{quote_sheetname(self.worksheet.title)}!${letter}$2:${letter}${stop}"


SCENARIO_SHEET_LIST = "scenario_sheet"
COLUMNS_LIST = "columns_"
EDITABLE_SHEETS = tuple(s.name for s in SHEETS if s.name != SCENARIOS_SHEET)
"""The sheets a Scenarios row can edit (Settings: its keys)."""


@dataclass
class _Book:
    """The workbook being written: sheets first, drop-downs once all exist."""

    guide: bool
    workbook: Workbook = field(default_factory=Workbook)
    written: dict[str, _Written] = field(default_factory=dict)
    vocabularies: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workbook.remove(self.workbook.active)
        if self.guide:
            add_guide(self.workbook)

    # -- sheets -------------------------------------------------------------

    def add_settings(self, given: Mapping[str, Any], notes: Mapping[str, str]) -> None:
        sheet = SHEET_BY_NAME[SETTINGS_SHEET]
        ws = self._new_sheet(sheet.name, TAB_REQUIRED)
        _write_header(ws, sheet, [c.name for c in sheet.columns])
        rows: list[tuple[str, Any, str | None]] = []
        for column in SETTINGS:
            value = given.get(column.name)
            if plain(value) is None:
                value = column.default
            note = describe.setting_note(column)
            if notes.get(column.name):
                note = f"{notes[column.name]} {note}"
            rows.append((column.name, value, note))
        for key, value in given.items():
            if key not in SETTING_BY_KEY:
                rows.append((key, value, notes.get(key)))
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, (key, value, shown_note) in enumerate(rows, start=2):
            put(ws.cell(r, 1), key).number_format = "@"
            if key in SETTING_BY_KEY and SETTING_BY_KEY[key].required:
                ws.cell(r, 1).font = BOLD_FONT
            put(ws.cell(r, 2), value)
            put(ws.cell(r, 3), shown_note).alignment = wrap
            for c in (1, 2):
                ws.cell(r, c).alignment = Alignment(vertical="top")
        ws.column_dimensions["A"].number_format = "@"
        ws.column_dimensions["A"].width = max(text_width(r[0]) for r in rows) + 4
        ws.column_dimensions["B"].width = min(
            MAX_WIDTH, max(14, *(text_width(r[1]) + 2 for r in rows)))
        ws.column_dimensions["C"].width = 100
        ws.freeze_panes = "A2"
        self.written[sheet.name] = _Written(ws, {"key": 1, "value": 2, "note": 3}, len(rows))
        for r, (key, _, _) in enumerate(rows, start=2):
            setting = SETTING_BY_KEY.get(key)
            if setting is not None and setting.kind is Kind.BOOLEAN:
                _add_list(ws, f"B{r}", '"TRUE,FALSE"', style="warning",
                          title="TRUE or FALSE", message=f"{key} is TRUE or FALSE.")

    def add_input_sheet(self, sheet: Sheet, records: list[Mapping[str, Any]]) -> None:
        names = [c.name for c in sheet.columns]
        extra = list(dict.fromkeys(k for r in records for k in r
                                   if k not in sheet.column_by_name and k != ROW))
        header = names + extra
        ws = self._new_sheet(sheet.name, TAB_REQUIRED if sheet.required else TAB_OPTIONAL)
        _write_header(ws, sheet, header)
        identifiers = {c.name for c in sheet.columns if c.kind is Kind.IDENTIFIER}
        for r, record in enumerate(records, start=2):
            for c, name in enumerate(header, start=1):
                value = record.get(name)
                if name in identifiers:
                    cell = put(ws.cell(r, c), _identifier_text(value))
                    cell.number_format = "@"
                else:
                    put(ws.cell(r, c), value)
        for c, name in enumerate(header, start=1):
            letter = get_column_letter(c)
            if name in identifiers:
                ws.column_dimensions[letter].number_format = "@"
            ws.column_dimensions[letter].width = _width(name, (r.get(name) for r in records))
        for column in sheet.columns:
            if column.vocabulary:
                words = self.vocabularies.setdefault(column.vocabulary, set())
                words.update(str(w).strip() for r in records
                             if (w := _identifier_text(r.get(column.name))) and str(w).strip())
        ws.freeze_panes = "B2" if len(header) > 6 else "A2"
        self.written[sheet.name] = _Written(
            ws, {name: c for c, name in enumerate(header, start=1)}, len(records))

    def add_extra_sheet(self, name: str, records: list[Mapping[str, Any]]) -> None:
        header = list(dict.fromkeys(k for r in records for k in r if k != ROW))
        ws = self._new_sheet(name, TAB_AUXILIARY)
        for c, title in enumerate(header, start=1):
            style_header(put(ws.cell(1, c), title), required=False, extra=True)
            ws.column_dimensions[get_column_letter(c)].width = _width(
                title, (r.get(title) for r in records))
        for r, record in enumerate(records, start=2):
            for c, title in enumerate(header, start=1):
                put(ws.cell(r, c), record.get(title))
        ws.freeze_panes = "A2"

    def finish(self) -> None:
        """Write the Lists sheet, the defined names and every drop-down."""
        lists = self._lists_sheet()
        for name, written in self.written.items():
            if name == SETTINGS_SHEET:
                _add_list(written.worksheet, f"A2:A{last_row(written.n_records)}",
                          lists["setting_key"], style="stop", title="Unknown setting",
                          message="Pick a setting from the list (see the Guide).")
                continue
            self._dropdowns(SHEET_BY_NAME[name], written, lists)
        self.workbook.active = 0  # the Guide (or Settings); only it selected, never grouped
        for index, ws in enumerate(self.workbook.worksheets):
            ws.sheet_view.tabSelected = index == 0

    # -- drop-downs ---------------------------------------------------------

    def _lists_sheet(self) -> dict[str, str]:
        """Fill ``Lists`` (skills in use, setting keys); return list -> formula."""
        ws = self._new_sheet(LISTS_SHEET, TAB_AUXILIARY)
        columns: list[tuple[str, list[str], bool, str]] = [
            (vocabulary, sorted(words, key=str.casefold), True,
             f"The {vocabulary} values offered by the drop-down lists. Add one here to "
             "offer it in the lists; the planner does not read this sheet.")
            for vocabulary, words in sorted(self.vocabularies.items())
        ]
        columns.append(("setting_key", list(describe.setting_keys()), False,
                        "The keys of the Settings sheet."))
        columns.append((SCENARIO_SHEET_LIST, list(EDITABLE_SHEETS), False,
                        "The sheets a Scenarios row can edit."))
        for name in EDITABLE_SHEETS:
            keys = (list(describe.setting_keys()) if name == SETTINGS_SHEET
                    else [c.name for c in SHEET_BY_NAME[name].columns])
            columns.append((f"{COLUMNS_LIST}{name}", keys, False,
                            f"The columns of {name} a Scenarios row can edit (the keys, for "
                            "Settings)."))
        formulas: dict[str, str] = {}
        for c, (title, values, growing, comment) in enumerate(columns, start=1):
            header = put(ws.cell(1, c), title)
            style_header(header, required=False, extra=True)
            header.comment = _comment(comment)
            for r, value in enumerate(values, start=2):
                put(ws.cell(r, c), value).number_format = "@"
            letter = get_column_letter(c)
            ws.column_dimensions[letter].number_format = "@"
            ws.column_dimensions[letter].width = _width(title, values)
            written = _Written(ws, {title: c}, len(values))
            end = None if growing else len(values) + 1
            formulas[title] = self._define(f"list_{title}", written.range_of(title, end))
        ws.freeze_panes = "A2"
        return formulas

    def _define(self, name: str, reference: str) -> str:
        self.workbook.defined_names[name] = DefinedName(name, attr_text=reference)
        return name

    def _dropdowns(self, sheet: Sheet, written: _Written, lists: Mapping[str, str]) -> None:
        ws = written.worksheet
        for column in sheet.columns:
            letter = get_column_letter(written.columns[column.name])
            cells = f"{letter}2:{letter}{last_row(written.n_records)}"
            if sheet.name == SCENARIOS_SHEET and column.name in ("sheet", "column",
                                                                  "where_column"):
                self._scenario_dropdown(ws, written, column.name, cells, lists)
            elif column.references:
                target = IDENTIFIER_SHEETS[column.references]
                source = self.written.get(target.name)
                if source is None or target.identifier is None:
                    continue  # optional sheet not written: nothing to offer
                name = f"list_{target.identifier}"
                if name not in self.workbook.defined_names:
                    self._define(name, source.range_of(target.identifier))
                _add_list(ws, cells, name, style="warning",
                          title=f"Not in {target.name}",
                          message=f"{column.name} must be a {target.identifier} of the "
                                  f"{target.name} sheet; planner validate reports any other "
                                  "value. Add the row there first.")
            elif column.vocabulary:
                _add_list(ws, cells, lists[column.vocabulary], style="information",
                          title=f"New {column.vocabulary}",
                          message=f"Not on the Lists sheet yet; add it there to offer it in "
                                  f"the {column.vocabulary} drop-downs.")
            elif column.kind is Kind.BOOLEAN:
                _add_list(ws, cells, '"TRUE,FALSE"', style="warning",
                          title="TRUE or FALSE", message=f"{column.name} is TRUE or FALSE.")
            elif column.choices:
                literal = _literal_list(column.choices)
                if literal is None:
                    raise ValueError(f"{sheet.name}.{column.name}: choices too long for a "
                                     "drop-down literal; give them a Lists column")
                _add_list(ws, cells, literal, style="stop", title=f"Not a {column.name}",
                          message=f"{column.name} is one of: {', '.join(column.choices)}.")

    def _scenario_dropdown(self, ws: Worksheet, written: _Written, name: str, cells: str,
                           lists: Mapping[str, str]) -> None:
        """Scenarios: the sheets a row can edit, then the columns of the sheet chosen on the
        same row (a list named after the sheet, looked up with INDIRECT)."""
        if name == "sheet":
            _add_list(ws, cells, lists[SCENARIO_SHEET_LIST], style="warning",
                      title="Not an input sheet",
                      message="sheet is one of the input sheets (see the Lists sheet); "
                              "planner validate reports any other value.")
            return
        sheet_cell = f"${get_column_letter(written.columns['sheet'])}2"
        _add_list(ws, cells, f'INDIRECT("list_{COLUMNS_LIST}"&{sheet_cell})', style="warning",
                  title="Not a column of that sheet",
                  message=f"{name} is a column of the sheet chosen on this row (for "
                          "Settings, a key); planner validate reports any other value.")

    def _new_sheet(self, title: str, tab_color: str) -> Worksheet:
        ws = self.workbook.create_sheet(title)
        ws.sheet_properties.tabColor = tab_color
        return ws


def _literal_list(choices: Iterable[str]) -> str | None:
    """``"set,scale,add"`` (quoted, as the file format wants) or None if unfit."""
    items = list(choices)
    if any("," in c or '"' in c for c in items):
        return None
    literal = ",".join(items)
    return f'"{literal}"' if len(literal) <= LITERAL_LIST_LIMIT else None


def _add_list(ws: Worksheet, cells: str, formula: str, *, style: str, title: str,
              message: str) -> None:
    """A drop-down list on ``cells``; ``style`` is what a value off the list gets.

    ``stop`` refuses it, ``warning`` asks, ``information`` only tells.
    """
    validation = DataValidation(type="list", formula1=formula, allow_blank=True,
                                showErrorMessage=True, errorStyle=style,
                                errorTitle=title[:32], error=message[:255])
    validation.add(cells)
    ws.add_data_validation(validation)


def _write_header(ws: Worksheet, sheet: Sheet, header: list[str]) -> None:
    for c, name in enumerate(header, start=1):
        cell = put(ws.cell(1, c), name)
        column = sheet.column_by_name.get(name)
        if column is None:
            style_header(cell, required=False, extra=True)
            cell.comment = _comment("Not a column of the planner: kept and reported by "
                                    "planner validate, not used.")
            continue
        style_header(cell, required=column.required)
        cell.comment = _comment(describe.column_comment(column))


def _comment(text: str) -> Comment:
    lines = sum(1 + text_width(line) // 48 for line in text.splitlines())
    return Comment(text, "planner", height=max(60, 16 * lines + 12), width=320)


def _width(header: str, values: Iterable[Any]) -> float:
    widest = text_width(header) + 3  # room for the comment marker
    for i, value in enumerate(values):
        if i >= WIDTH_SAMPLE:
            break
        widest = max(widest, text_width(plain(value)) + 2)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest)))

