"""The input workbook writer and ``planner template``: what a planner opens.

The template must carry the schema exactly (row 1 = column names), guide
the planner (Guide sheet, header comments, drop-downs) and survive the
round trip: filled with openpyxl, read by pandas, LibreOffice and the
planner's own reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.cli import main
from planner.data import load
from planner.data.schema import (
    AUXILIARY_SHEETS, IDENTIFIER_SHEETS, SETTINGS, SHEET_BY_NAME, SHEETS, Kind,
)
from planner.data.write.inputbook import (
    LITERAL_LIST_LIMIT, MIN_LAST_ROW, TEMPLATE_SETTINGS, last_row, write_input_workbook,
    write_template,
)
from tests import libreoffice

SCHEMA_SHEETS = [s.name for s in SHEETS]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "my_region.xlsx"
    assert main(["template", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def template(template_path: Path) -> LoadedWorkbook:
    return load_workbook(template_path)


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def validation_at(ws: Worksheet, cell: str) -> DataValidation | None:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) <= 1, f"{ws.title}!{cell} has {len(found)} validations"
    return found[0] if found else None


def list_range(book: LoadedWorkbook, formula: str) -> str:
    """The range a list validation offers (its defined name resolved)."""
    return book.defined_names[formula].attr_text


def column_letter(ws: Worksheet, name: str) -> str:
    return get_column_letter(header(ws).index(name) + 1)


# -- structure ---------------------------------------------------------------

def test_guide_first_then_every_schema_sheet_then_lists(template: LoadedWorkbook) -> None:
    assert template.sheetnames == ["Guide", *SCHEMA_SHEETS, "Lists"]
    assert template.active.title == "Guide"
    assert {"Guide", "Lists"} <= set(AUXILIARY_SHEETS)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_row_1_is_exactly_the_schema_columns(template: LoadedWorkbook, sheet: Any) -> None:
    ws = template[sheet.name]
    assert header(ws) == [c.name for c in sheet.columns]
    assert ws.freeze_panes in ("A2", "B2")
    for cell in ws[1]:
        assert cell.font.bold and cell.fill.fgColor.rgb not in (None, "00000000")
        comment = cell.comment.text
        column = sheet.column(cell.value)
        assert column.description in comment
        if column.unit:
            assert column.unit in comment
        assert ("Required" in comment) == column.required


def test_only_settings_has_rows(template: LoadedWorkbook) -> None:
    for name in SCHEMA_SHEETS[1:]:
        assert template[name].max_row == 1, name


def test_settings_holds_every_key_with_its_default_and_description(
        template: LoadedWorkbook) -> None:
    rows = list(template["Settings"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.name for c in SETTINGS]
    for (key, value, note), column in zip(rows, SETTINGS):
        expected = TEMPLATE_SETTINGS.get(key, column.default)
        assert value == expected, key
        assert column.description in note
    boolean_cell = template["Settings"][f"B{2 + [c.name for c in SETTINGS].index('integer_sessions')}"]
    assert boolean_cell.data_type == "b" and "TRUE" in boolean_cell.number_format
    notes = {r[0]: r[2] for r in rows}
    assert "Pre-filled with 2025" in notes["first_year"]
    assert "Pre-filled with 2030" in notes["last_year"]


def test_identifier_columns_are_text_formatted(template: LoadedWorkbook) -> None:
    for sheet in SHEETS:
        ws = template[sheet.name]
        for column in sheet.columns:
            letter = column_letter(ws, column.name)
            is_text = ws.column_dimensions[letter].number_format == "@"
            assert is_text == (column.kind is Kind.IDENTIFIER), f"{sheet.name}.{column.name}"


def test_written_identifiers_are_text_cells_with_text_format(tmp_path: Path) -> None:
    path = write_input_workbook(
        tmp_path / "ids.xlsx", {"first_year": 2025, "last_year": 2030},
        {"Territories": pd.DataFrame({"territory_id": [2, 59.0], "name": ["Aisne", "Nord"],
                                      "department": ["02", 59]})})
    ws = load_workbook(path)["Territories"]
    assert [ws["A2"].value, ws["A3"].value, ws["C2"].value, ws["C3"].value] == [
        "2", "59", "02", "59"]
    for ref in ("A2", "A3", "C2", "C3"):
        assert ws[ref].data_type == "s" and ws[ref].number_format == "@"


# -- drop-downs --------------------------------------------------------------

@pytest.mark.parametrize("sheet, column", [
    (s.name, c.name) for s in SHEETS for c in s.columns if c.references],
    ids=lambda v: v)
def test_references_offer_the_referenced_identifiers(template: LoadedWorkbook, sheet: str,
                                                     column: str) -> None:
    ws = template[sheet]
    letter = column_letter(ws, column)
    references = SHEET_BY_NAME[sheet].column(column).references
    assert references is not None
    target = IDENTIFIER_SHEETS[references]
    assert target.identifier is not None
    validation = validation_at(ws, f"{letter}2")
    assert validation_at(ws, f"{letter}{MIN_LAST_ROW}") is validation
    assert validation is not None and validation.type == "list"
    id_letter = column_letter(template[target.name], target.identifier)
    assert list_range(template, validation.formula1) == (
        f"'{target.name}'!${id_letter}$2:${id_letter}${MIN_LAST_ROW}")


@pytest.mark.parametrize("sheet", [s.name for s in SHEETS
                                   if any(c.vocabulary == "skill" for c in s.columns)])
def test_skill_columns_offer_the_lists_skills(template: LoadedWorkbook, sheet: str) -> None:
    ws = template[sheet]
    validation = validation_at(ws, f"{column_letter(ws, 'skill')}2")
    assert validation is not None
    assert list_range(template, validation.formula1) == f"'Lists'!$A$2:$A${MIN_LAST_ROW}"
    assert template["Lists"]["A1"].value == "skill"
    assert validation.errorStyle == "information"  # a new skill is allowed


def test_settings_keys_booleans_and_choices_have_lists(template: LoadedWorkbook) -> None:
    settings = template["Settings"]
    keys = validation_at(settings, "A2")
    assert keys is not None and keys.errorStyle == "stop"
    lists = template["Lists"]
    key_range = list_range(template, keys.formula1)
    assert key_range == f"'Lists'!$B$2:$B${len(SETTINGS) + 1}"
    assert [c.value for c in lists["B"][1:len(SETTINGS) + 1]] == [c.name for c in SETTINGS]
    booleans = [c.name for c in SETTINGS if c.kind is Kind.BOOLEAN]
    assert booleans
    for row in range(2, len(SETTINGS) + 2):
        validation = validation_at(settings, f"B{row}")
        if settings[f"A{row}"].value in booleans:
            assert validation is not None and validation.formula1 == '"TRUE,FALSE"'
        else:
            assert validation is None
    scenarios = template["Scenarios"]
    operation = validation_at(scenarios, f"{column_letter(scenarios, 'operation')}2")
    assert operation is not None and operation.formula1 == '"set,scale,add"'


def test_every_list_is_a_defined_range_or_a_short_quoted_literal(
        template: LoadedWorkbook) -> None:
    seen = 0
    for ws in template.worksheets:
        for validation in ws.data_validations.dataValidation:
            seen += 1
            formula = validation.formula1
            assert validation.type == "list" and validation.allow_blank
            assert not validation.showDropDown  # True would *hide* the arrow in Excel
            if formula.startswith('"'):
                assert formula.endswith('"') and len(formula) <= LITERAL_LIST_LIMIT + 2
                assert '"' not in formula[1:-1]
            elif formula.startswith("INDIRECT("):  # Scenarios: the columns of a row's sheet
                prefix = formula.split('"')[1]
                names = [n for n in template.defined_names if n.startswith(prefix)]
                assert len(names) == len(SHEETS) - 1  # every sheet but Scenarios
                for name in names:
                    reference = list_range(template, name)
                    assert reference.split("!")[0].strip("'") in template.sheetnames
            else:
                reference = list_range(template, formula)
                sheet_name = reference.split("!")[0].strip("'")
                assert sheet_name in template.sheetnames
    assert seen >= 15


def test_dropdowns_and_sources_reach_1000_rows_past_the_data(tmp_path: Path) -> None:
    territories = [{"territory_id": f"T{i:04d}", "name": f"T{i}"} for i in range(1500)]
    demand = [{"territory_id": "T0001", "family_id": "F", "year": 2025 + i % 6, "people": 1}
              for i in range(1200)]
    path = write_input_workbook(tmp_path / "big.xlsx", {"first_year": 2025, "last_year": 2030},
                                {"Territories": territories, "Demand": demand})
    book = load_workbook(path)
    assert last_row(1500) == 2501 and last_row(3) == MIN_LAST_ROW
    assert book.defined_names["list_territory_id"].attr_text == "'Territories'!$A$2:$A$2501"
    validation = validation_at(book["Demand"], "A2")
    assert validation is not None and validation_at(book["Demand"], "A2201") is validation
    assert validation_at(book["Demand"], "A2202") is None


def test_lists_sheet_holds_the_distinct_skills_in_use(tmp_path: Path) -> None:
    path = write_input_workbook(
        tmp_path / "skills.xlsx", {"first_year": 2025, "last_year": 2030},
        {"Offers": [{"offer_id": "P1", "skill": "maintenance"},
                    {"offer_id": "P2", "skill": " electrochemistry "}],
         "Trainers": [{"territory_id": "A", "skill": "maintenance", "year": 2025},
                      {"territory_id": "A", "skill": "Automation", "year": 2025}]})
    lists = load_workbook(path)["Lists"]
    skills = [c.value for c in lists["A"][1:] if c.value is not None]
    assert skills == ["Automation", "electrochemistry", "maintenance"]


# -- the Guide ---------------------------------------------------------------

def guide_sections(book: LoadedWorkbook) -> dict[str, list[str]]:
    """Guide column A grouped under each section title (bold, large)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for (cell,) in book["Guide"].iter_rows(min_col=1, max_col=1):
        if cell.value is None:
            continue
        if cell.font.bold and cell.font.size and cell.font.size > 12:
            current = str(cell.value)
            sections[current] = []
        elif current:
            sections[current].append(str(cell.value))
    return sections


def test_guide_documents_every_sheet_column_and_setting(template: LoadedWorkbook) -> None:
    sections = guide_sections(template)
    assert {"What this workbook is for", "How to fill it", "What to do next",
            "Sheets"} <= set(sections)
    assert [s.name for s in SHEETS] == [n for n in sections["Sheets"] if n in SHEET_BY_NAME]
    for sheet in SHEETS:
        status = "required" if sheet.required else "optional"
        listed = sections[f"{sheet.name} ({status})"]
        for column in sheet.columns:
            assert column.name in listed, f"Guide misses {sheet.name}.{column.name}"
    keys = next(v for k, v in sections.items() if k.startswith("Settings keys"))
    assert [c.name for c in SETTINGS] == keys[keys.index("Key") + 1:]


def test_guide_explains_filling_in_a_planners_words(template: LoadedWorkbook) -> None:
    text = " ".join(str(c.value) for row in template["Guide"].iter_rows() for c in row
                    if c.value is not None)
    for phrase in ("One row is", "decimal comma", "02 stays 02", "blank",
                   "planner validate", "planner solve", "Lists sheet"):
        assert phrase in text, phrase
    for column in (c for s in SHEETS for c in s.columns):
        assert column.description in text
    guide = template["Guide"]
    assert guide.column_dimensions["B"].width >= 50
    assert any(c.alignment.wrap_text for row in guide.iter_rows() for c in row)


# -- text stays text, writing is atomic --------------------------------------

FORMULA_LIKE = ['=HYPERLINK("http://evil.example","click")', "+33 1 23", "-5 places",
                "@home", "=1+1"]


def test_formula_looking_text_is_written_as_text(tmp_path: Path) -> None:
    path = write_input_workbook(
        tmp_path / "hostile.xlsx",
        {"first_year": 2025, "last_year": 2030, "scenario_name": "=cmd|' /C calc'!A0"},
        {"Organisations": [{"org_id": f"=O{i}", "name": text, "territory_id": "A",
                            "my_column": text} for i, text in enumerate(FORMULA_LIKE)]},
        extra_sheets={"Sources": [{"figure": "x", "source": "=SUM(A1:A9)"}]})
    book = load_workbook(path)
    ws = book["Organisations"]
    for i, text in enumerate(FORMULA_LIKE, start=2):
        for ref in (f"A{i}", f"B{i}", f"F{i}"):
            assert ws[ref].data_type == "s", ref
        assert (ws[f"A{i}"].value, ws[f"B{i}"].value, ws[f"F{i}"].value) == (
            f"=O{i - 2}", text, text)
        assert ws[f"B{i}"].quotePrefix  # Excel keeps it text when the planner edits it
    assert book["Settings"]["B2"].value == "=cmd|' /C calc'!A0"
    assert book["Sources"]["B2"].data_type == "s"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"the planner's previous work")

    def broken_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_template(path)
    assert path.read_bytes() == b"the planner's previous work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    monkeypatch.undo()
    write_template(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    assert load_workbook(path).sheetnames[0] == "Guide"


def test_optional_sheets_only_when_given_and_guide_optional(tmp_path: Path) -> None:
    path = write_input_workbook(tmp_path / "min.xlsx", {"first_year": 2025, "last_year": 2030},
                                {"Programmes": []}, guide=False)
    names = load_workbook(path).sheetnames
    assert names == [s.name for s in SHEETS if s.required or s.name == "Programmes"] + ["Lists"]
    with pytest.raises(ValueError, match="settings argument"):
        write_input_workbook(tmp_path / "x.xlsx", {}, {"Settings": []})
    with pytest.raises(ValueError, match="planner's own sheet"):
        write_input_workbook(tmp_path / "x.xlsx", {}, {}, extra_sheets={"Lists": []})


def test_unknown_columns_and_keys_are_kept(tmp_path: Path) -> None:
    path = write_input_workbook(
        tmp_path / "extra.xlsx", {"first_year": 2025, "last_year": 2030, "colour": "blue"},
        {"JobFamilies": pd.DataFrame({"family_id": ["F"], "name": ["F"], "comment": ["mine"],
                                      "_row": [7]})})
    book = load_workbook(path)
    assert header(book["JobFamilies"]) == ["family_id", "name", "weight", "comment"]
    assert book["JobFamilies"]["D1"].font.italic
    assert list(book["Settings"].iter_rows(values_only=True))[-1][:2] == ("colour", "blue")


# -- round trips -------------------------------------------------------------

def test_template_round_trips_through_pandas(template_path: Path) -> None:
    frames = pd.read_excel(template_path, sheet_name=None)
    assert list(frames) == ["Guide", *SCHEMA_SHEETS, "Lists"]
    for sheet in SHEETS:
        assert list(frames[sheet.name].columns) == [c.name for c in sheet.columns]
    settings = frames["Settings"].set_index("key")["value"]
    assert list(settings.index) == [c.name for c in SETTINGS]
    assert settings["first_year"] == 2025 and settings["last_year"] == 2030


def fill(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    """Type rows under the template's header, as a planner would (styles kept)."""
    names = header(ws)
    for r, row in enumerate(rows, start=ws.max_row + 1):
        for name, value in row.items():
            ws.cell(r, names.index(name) + 1, value)


SMALL_PLAN: dict[str, list[dict[str, Any]]] = {
    "Territories": [
        {"territory_id": "3216", "name": "Lille", "department": "59",
         "latitude": 50.63, "longitude": 3.07},
        {"territory_id": "0201", "name": "Saint-Quentin", "department": "02",
         "latitude": 49.85, "longitude": 3.29, "max_travel_minutes": 90},
    ],
    "JobFamilies": [{"family_id": "MAINT", "name": "Exploitation et maintenance",
                     "weight": 2}],
    "Organisations": [{"org_id": "OF001", "name": "Lycée Baggio",
                       "type": "Lycée pro / GRETA / CFA", "territory_id": "3216",
                       "capacity_hours": 2000}],
    "Offers": [{"offer_id": "OF001-MAINT", "org_id": "OF001", "family_id": "MAINT",
                "skill": "maintenance", "programme_id": "ELECTROMOB", "seats": 12,
                "trainer_hours_per_session": 140, "max_sessions_per_year": 6,
                "cost_per_session": 12000}],
    "Demand": [{"territory_id": t, "family_id": "MAINT", "year": y, "people": 20}
               for t in ("3216", "0201") for y in (2025, 2026)],
    "Trainers": [{"territory_id": "3216", "skill": "maintenance", "year": y,
                  "available_hours": 560} for y in (2025, 2026)],
    "TrainerHiring": [{"territory_id": "3216", "skill": "maintenance",
                       "max_new_per_year": 1, "hours_per_trainer": 810, "lead_years": 1,
                       "cost_per_trainer_year": 60000, "programme_id": "ELECTROMOB"}],
    "Programmes": [{"programme_id": "ELECTROMOB", "name": "Electro'Mob",
                    "modules_target": 50, "persons_target": 40, "budget": 500000}],
    "Travel": [{"from_territory": "0201", "to_territory": "3216", "minutes": 85}],
    "Scenarios": [{"scenario": "more_trainers", "sheet": "Trainers",
                   "column": "available_hours", "operation": "scale", "value": 1.2}],
}


@pytest.fixture()
def filled_template(template_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "filled.xlsx"
    shutil.copy(template_path, path)
    book = load_workbook(path)
    settings = book["Settings"]
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "last_year":
            row[1].value = 2026
    for sheet, rows in SMALL_PLAN.items():
        fill(book[sheet], rows)
    fill(book["Lists"], [{"skill": "maintenance"}])
    book.save(path)
    return path


def test_filled_template_keeps_its_styling_and_drop_downs(filled_template: Path,
                                                          template: LoadedWorkbook) -> None:
    book = load_workbook(filled_template)
    assert book.sheetnames == template.sheetnames
    for ws in book.worksheets:
        assert (len(ws.data_validations.dataValidation)
                == len(template[ws.title].data_validations.dataValidation))
    assert book["Territories"]["C3"].value == "02"
    frames = pd.read_excel(filled_template, sheet_name=None, dtype=object)
    for sheet, rows in SMALL_PLAN.items():
        assert len(frames[sheet]) == len(rows), sheet


def test_filled_template_validates(filled_template: Path) -> None:
    data = load(filled_template)
    assert data.settings.first_year == 2025 and data.settings.last_year == 2026
    assert list(data.territories["territory_id"]) == ["3216", "0201"]
    assert list(data.territories["department"]) == ["59", "02"]
    assert len(data.offers) == 1 and len(data.demand) == 4


# -- the command ---------------------------------------------------------------

def test_template_command_refuses_to_overwrite_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.xlsx"
    assert main(["template", str(path)]) == 0
    out = capsys.readouterr().out
    assert "planner validate" in out and "planner solve" in out
    path.write_bytes(b"planner's own work")
    assert main(["template", str(path)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert path.read_bytes() == b"planner's own work"
    assert main(["template", str(path), "--force"]) == 0
    assert load_workbook(path).sheetnames[0] == "Guide"


@pytest.mark.parametrize("name, message", [
    ("missing/folder/out.xlsx", "does not exist"),
    ("out.xls", "does not end in .xlsx"),
])
def test_template_command_refuses_bad_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            name: str, message: str) -> None:
    assert main(["template", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_template_help_says_what_to_do_next(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["template", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "planner validate" in text and "planner solve" in text and "--force" in text


# -- LibreOffice (only where it is installed) ---------------------------------

@pytest.fixture()
def soffice() -> Iterator[str]:
    yield libreoffice.soffice()  # a skip saying why, or a failure under CI


def test_libreoffice_opens_the_template(soffice: str, template_path: Path,
                                        tmp_path: Path) -> None:
    out = tmp_path / "lo"
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(template_path)],
        capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    converted = out / template_path.name
    assert result.returncode == 0 and converted.exists(), result.stderr
    book = load_workbook(converted)
    assert book.sheetnames == ["Guide", *SCHEMA_SHEETS, "Lists"]
    assert {"list_territory_id", "list_skill", "list_setting_key"} <= set(book.defined_names)
    offers = book["Offers"]
    assert len(offers.data_validations.dataValidation) == 4
    assert offers.column_dimensions["A"].number_format == "@"
    assert [c.value for c in offers[1]] == [c.name for c in SHEET_BY_NAME["Offers"].columns]
