"""The reader against the content pitfalls of RELIABILITY.md: each asserts the located issue."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.table import Table

from planner.data import inspect, load
from planner.data.read.raw_workbook import normalise_header, read_workbook
from planner.data.tables import ROW, Settings, planning_data
from planner.errors import InputError, Issue
from tests.workbooks import (SETTINGS, TABLES, edit, records, with_cached_values,
                             with_saved_xml, write)


def only(issues: list[Issue], rule: str) -> Issue:
    found = [i for i in issues if i.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got {found or issues}"
    return found[0]


def rules(issues: list[Issue]) -> set[str]:
    return {str(i.rule) for i in issues}


def test_valid_workbook_loads_into_the_same_tables_as_planning_data(tmp_path: Path) -> None:
    data = load(write(tmp_path))
    expected = planning_data(SETTINGS, TABLES)
    assert data.settings == expected.settings
    assert data.settings == Settings(first_year=2025, last_year=2026,
                                     objective_stages=("unmet", "cost"))
    assert data.warnings == ()
    assert data.source == str(tmp_path / "input.xlsx")
    for name, frame in expected.tables.items():
        pd.testing.assert_frame_equal(data.tables[name].drop(columns=ROW),
                                      frame.drop(columns=ROW), check_dtype=True)
    assert data.demand[ROW].tolist() == [2, 3]


def test_department_02_kept_as_text_cell_and_as_number_formatted_00(tmp_path: Path) -> None:
    def number_formatted(wb: Workbook) -> None:
        cell = wb["Territories"]["C3"]  # B's department, written as the text "62"
        cell.value = 2
        cell.number_format = "00"

    data = load(edit(write(tmp_path), number_formatted))
    assert data.territories["department"].tolist() == ["02", "02"]


def test_numbers_as_text_are_read_with_a_located_warning(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"][0]["people"] = "3,5"          # French decimal comma
    tables["Demand"][1]["people"] = "1\u202f234,5"  # narrow no-break space thousands
    tables["Offers"][0]["seats"] = "30"
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is not None
    assert data.demand["people"].tolist() == [3.5, 1234.5]
    assert data.offers["seats"].tolist() == [30.0]
    found = {(i.sheet, i.row, i.column, i.cell, i.value) for i in issues
             if i.rule == "number-as-text"}
    assert found == {("Demand", 2, "people", "D2", "3,5"),
                     ("Demand", 3, "people", "D3", "1\u202f234,5"),
                     ("Offers", 2, "seats", "G2", "30")}
    assert all(not i.is_error for i in issues)
    assert data.warnings and all(i.rule == "number-as-text" for i in data.warnings)


def test_ambiguous_or_wrong_numbers_are_errors_naming_the_cell(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"][0]["people"] = "1,234"
    tables["Offers"][0]["seats"] = 3.5
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is None
    found = sorted((i.sheet, i.row, i.column, i.cell, i.value) for i in issues if i.rule == "type")
    assert found == [("Demand", 2, "people", "D2", "1,234"), ("Offers", 2, "seats", "G2", 3.5)]
    people = [i for i in issues if i.cell == "D2"][0]
    assert "ambiguous" in people.message


def test_hidden_sheet_that_is_read_gets_a_warning(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: setattr(wb["Travel"], "sheet_state", "hidden"))
    data, issues = inspect(path)
    assert data is not None and len(data.travel) == 1
    issue = only(issues, "sheet-hidden")
    assert (issue.sheet, issue.value, issue.severity.value) == ("Travel", "Travel", "warning")


def test_sheet_names_match_case_and_spaces_and_documentation_sheets_are_silent(
        tmp_path: Path) -> None:
    def rename(wb: Workbook) -> None:
        chart = BarChart()
        chart.add_data(Reference(wb["Demand"], min_col=4, min_row=1, max_row=3),
                       titles_from_data=True)
        del wb["Travel"]
        wb.create_chartsheet("Travel").add_chart(chart)  # a chart sheet holds no data
        wb["JobFamilies"].title = "job families"
        wb["Demand"].title = " DEMAND"
        for name in ("Guide", "Sources", "README", "Lists"):
            (wb[name] if name in wb.sheetnames else wb.create_sheet(name))["A1"] = "for people"
        wb.create_sheet("Demande")["A1"] = "x"

    data, issues = inspect(edit(write(tmp_path), rename))
    assert data is not None and len(data.demand) == 2 and len(data.families) == 1
    assert data.travel.empty
    issue = only(issues, "sheet-unknown")
    assert issue.value == "Demande" and "did you mean 'Demand'?" in issue.message
    assert len(issues) == 1


def test_headers_are_trimmed_normalised_and_spaces_read_as_underscores(tmp_path: Path) -> None:
    def headers(wb: Workbook) -> None:
        ws = wb["Territories"]
        ws["A1"] = " Territory\u00a0ID "
        ws["B1"] = "NAME"
        ws["F1"] = "Max Travel Minutes"
        wb["Organisations"]["E1"] = "Capacity hours (h/year)"

    data = load(edit(write(tmp_path), headers))
    assert data.organisations["capacity_hours"].tolist() == [1000.0]
    assert data.territories["territory_id"].tolist() == ["A", "B"]
    assert data.territories["max_travel_minutes"].tolist()[1] == 45
    assert normalise_header("  Territory\u00a0 ID") == "territory_id"


def test_merged_cells_hiding_data_are_an_error_naming_the_range(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["Demand"].merge_cells("A2:A3"))
    data, issues = inspect(path)
    assert data is None
    issue = only(issues, "merged-cells")
    assert (issue.severity.value, issue.sheet, issue.row, issue.column, issue.cell, issue.value) \
        == ("error", "Demand", 2, "territory_id", "A2", "A")
    assert "A2:A3" in issue.message and "A3" in issue.message


def test_merged_cells_over_a_blank_row_are_a_warning(tmp_path: Path) -> None:
    def merge(wb: Workbook) -> None:
        ws = wb["Demand"]
        ws.insert_rows(3)
        ws.merge_cells("A3:D3")

    data, issues = inspect(edit(write(tmp_path), merge))
    assert data is not None
    issue = only(issues, "merged-cells")
    assert (issue.severity.value, issue.row, issue.cell) == ("warning", 3, "A3")
    assert "A3:D3" in issue.message


def test_blank_rows_are_ignored_and_rows_keep_their_excel_numbers(tmp_path: Path) -> None:
    def spaced(wb: Workbook) -> None:
        ws = wb["Demand"]
        ws.insert_rows(3, amount=2)
        ws["A4"] = "   "  # only spaces: blank
        ws.cell(9, 2).fill = PatternFill("solid", start_color="FFFF00")  # styled, empty

    data, issues = inspect(edit(write(tmp_path), spaced))
    assert issues == []
    assert data is not None and data.demand[ROW].tolist() == [2, 5]


def test_formula_without_saved_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["Demand"].__setitem__("D2", "=20+5"))
    data, issues = inspect(path)
    assert data is None
    issue = only(issues, "formula-no-value")
    assert (issue.sheet, issue.row, issue.column, issue.cell) == ("Demand", 2, "people", "D2")
    assert "D2" in issue.message
    assert "open and save the file in Excel or LibreOffice" in issue.message
    assert "required" not in rules(issues)  # the blank it leaves is not reported twice


def test_formula_with_saved_value_is_read(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["Demand"].__setitem__("D2", "=20+5"))
    data, issues = inspect(with_cached_values(path, {"20+5": "25"}))
    assert issues == []
    assert data is not None and data.demand["people"].tolist() == [25.0, 10.0]


def test_formula_with_an_empty_text_result_is_a_blank_cell(tmp_path: Path) -> None:
    formula = 'IF(1,"","x")'
    path = edit(write(tmp_path), lambda wb: wb["Offers"].__setitem__("E2", f"={formula}"))
    saved = with_saved_xml(path, {f'<c r="E2"><f>{formula}</f><v /></c>':
                                  f'<c r="E2" t="str"><f>{formula}</f><v></v></c>'})
    data, issues = inspect(saved)
    assert issues == [] and data is not None and data.offers["level"].tolist() == [None]


def test_excel_error_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["Demand"].__setitem__("D3", "#DIV/0!"))
    data, issues = inspect(path)
    issue = only(issues, "excel-error")
    assert (issue.sheet, issue.row, issue.column, issue.cell, issue.value) == \
        ("Demand", 3, "people", "D3", "#DIV/0!")


def _demand_as_table_under_a_title(wb: Workbook) -> None:
    del wb["Demand"]
    ws = wb.create_sheet("Demand")
    ws["A1"] = "Recruitment needs 2025-2026 (source: OPCO 2i)"
    ws.merge_cells("A1:F1")
    ws.append([])
    rows: list[list[Any]] = [["territory_id", "family_id", "year", "people"],
            ["A", "F", 2026, 25], ["B", "F", 2026, 10]]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=2):
            ws.cell(r, c, value)
    ws.add_table(Table(displayName="DemandTable", ref="B3:E5"))
    ws["B8"] = "note: figures are estimates"
    ws["G4"] = "checked"


def test_excel_table_under_a_title_row_is_read_from_the_table(tmp_path: Path) -> None:
    data, issues = inspect(edit(write(tmp_path), _demand_as_table_under_a_title))
    assert data is not None
    assert data.demand[["territory_id", "people"]].values.tolist() == [["A", 25.0], ["B", 10.0]]
    assert data.demand[ROW].tolist() == [4, 5]
    outside = sorted((i.severity.value, i.row, i.cell) for i in issues)  # notes are not data
    assert outside == [("warning", 4, "G4"), ("warning", 8, None)]
    assert rules(issues) == {"outside-table"}
    raw = read_workbook(tmp_path / "input.xlsx")
    assert raw.sheets["Demand"].records[0].cells["people"].ref == "E4"


def test_duplicate_headers_are_errors_at_the_second_header_cell(tmp_path: Path) -> None:
    def twice(wb: Workbook) -> None:
        ws = wb["Offers"]
        ws.cell(1, ws.max_column + 1, "Seats ")
        ws.cell(2, ws.max_column, 99)

    data, issues = inspect(edit(write(tmp_path), twice))
    assert data is None
    issue = only(issues, "column-duplicate")
    assert (issue.sheet, issue.row, issue.column, issue.cell) == ("Offers", 1, "seats", "T1")
    assert "G1" in issue.message and "T1" in issue.message


def test_unknown_column_is_warned_about_and_kept_after_the_schema_columns(tmp_path: Path) -> None:
    tables = records()
    tables["Organisations"][0]["Contact person"] = "Mme Dupont"
    data, issues = inspect(write(tmp_path, tables=tables))
    issue = only(issues, "column-unknown")
    assert (issue.sheet, issue.row, issue.column, issue.cell) == \
        ("Organisations", 1, "Contact person", "F1")
    assert data is not None
    assert list(data.organisations.columns)[-2:] == ["Contact person", ROW]
    assert data.organisations["Contact person"].tolist() == ["Mme Dupont"]


def test_values_under_no_header_are_warned_about(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["JobFamilies"].__setitem__("E2", "stray"))
    _, issues = inspect(path)
    issue = only(issues, "column-unnamed")
    assert (issue.sheet, issue.cell) == ("JobFamilies", "E2")


def test_missing_required_columns_are_all_listed(tmp_path: Path) -> None:
    def drop(wb: Workbook) -> None:
        ws = wb["Offers"]
        ws.delete_cols(13)  # max_sessions_per_year
        ws.delete_cols(7)   # seats

    data, issues = inspect(edit(write(tmp_path), drop))
    assert data is None
    missing = sorted((i.sheet, i.row, i.column) for i in issues if i.rule == "column-missing")
    assert missing == [("Offers", 1, "max_sessions_per_year"), ("Offers", 1, "seats")]
    assert "required" not in rules(issues)  # not one more error per row


def test_header_on_a_later_row_gets_a_hint(tmp_path: Path) -> None:
    path = edit(write(tmp_path), lambda wb: wb["JobFamilies"].insert_rows(1, amount=2))
    _, issues = inspect(path)
    hinted = [i for i in issues if i.rule == "column-missing" and i.sheet == "JobFamilies"]
    assert {i.column for i in hinted} == {"family_id", "name"}
    assert all("row 3" in i.message for i in hinted)


def test_one_styled_cell_at_the_last_cell_of_the_sheet_costs_nothing(tmp_path: Path) -> None:
    def far(wb: Workbook) -> None:
        wb["Demand"].cell(1048576, 16384).fill = PatternFill("solid", start_color="FF0000")

    path = edit(write(tmp_path), far)
    started = time.perf_counter()
    data, issues = inspect(path)
    assert time.perf_counter() - started < 5
    assert issues == [] and data is not None and len(data.demand) == 2


@pytest.mark.parametrize("name, content, words", [
    ("empty.xlsx", b"", "empty"),
    ("text.xlsx", b"territory_id;name\n", "not an Excel workbook"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "save it as an Excel workbook"),
    ("missing.xlsx", None, "no such file"),
])
def test_unreadable_files_give_one_line_naming_the_file(tmp_path: Path, name: str,
                                                        content: bytes | None, words: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        load(path)
    assert str(path) in raised.value.message and words in raised.value.message
    assert "\n" not in raised.value.message
    data, issues = inspect(path)
    assert data is None and [i.rule for i in issues] == ["file-unreadable"]


def test_broken_zip_and_xml_entities_are_refused_in_one_line(tmp_path: Path) -> None:
    good = write(tmp_path)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(InputError, match="truncated or damaged"):
        load(truncated)
    hostile = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "b">]><worksheet',
                                          1)
            target.writestr(info, content)
    with pytest.raises(InputError, match="contains DTD/entities"):
        load(hostile)


def test_reading_is_refused_without_defusedxml(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path)
    monkeypatch.setattr("openpyxl.DEFUSEDXML", False)
    with pytest.raises(InputError, match="defusedxml"):
        load(path)


def test_settings_values_typed_as_text_are_read_without_warning(tmp_path: Path) -> None:
    settings = {"first_year": "2025", "last_year": "2026", "max_travel_minutes": "45,5",
                "integer_sessions": "non"}
    data, issues = inspect(write(tmp_path, settings=settings))
    assert issues == [] and data is not None
    assert (data.settings.first_year, data.settings.max_travel_minutes,
            data.settings.integer_sessions) == (2025, 45.5, False)


def test_identifiers_with_odd_spaces_are_trimmed_and_still_match(tmp_path: Path) -> None:
    """``'O '`` with a trailing no-break space is the organisation ``O`` that Offers names."""
    tables = records()
    tables["Organisations"][0]["org_id"] = " O\u00a0"
    tables["Territories"][0]["territory_id"] = "A\u202f"
    tables["Offers"][0]["skill"] = "maintenance "
    data, issues = inspect(write(tmp_path, tables=tables))
    assert issues == [] and data is not None
    assert data.organisations["org_id"].tolist() == ["O"]
    assert data.territories["territory_id"].tolist() == ["A", "B"]
    assert data.offers["skill"].tolist() == ["maintenance"]


def test_every_missing_required_sheet_is_listed(tmp_path: Path) -> None:
    def drop(wb: Workbook) -> None:
        for name in ("JobFamilies", "Demand", "Trainers"):
            wb.remove(wb[name])

    data, issues = inspect(edit(write(tmp_path), drop))
    assert data is None
    missing = sorted(i.sheet for i in issues if i.rule == "sheet-missing")
    assert missing == ["Demand", "JobFamilies", "Trainers"]
    with pytest.raises(InputError) as raised:
        load(tmp_path / "input.xlsx")
    assert {i.sheet for i in raised.value.issues if i.rule == "sheet-missing"} == set(missing)


# --- the streamed reader: what openpyxl's normal mode gave, without its cell objects ------

def test_values_a_merged_range_covers_read_as_blank(tmp_path: Path) -> None:
    """A program may leave values under a merge (A3 here); openpyxl's normal mode empties
    them, and the read-only reader must too."""
    from tests import hostile
    path = edit(write(tmp_path), lambda wb: wb["Demand"].merge_cells("A2:A3"))
    xml = hostile.part(path, hostile.DEMAND_PART)
    assert b'<c r="A3"' not in xml and xml.count(b'<c r="B3"') == 1
    under = xml.replace(b'<c r="B3"', b'<c r="A3" t="inlineStr"><is><t>B</t></is></c><c r="B3"')
    saved = hostile.repack(path, tmp_path / "under.xlsx", replace={hostile.DEMAND_PART: under})
    import openpyxl
    assert openpyxl.load_workbook(saved, read_only=True)["Demand"]["A3"].value == "B"
    data, issues = inspect(saved)
    issue = only(issues, "merged-cells")
    assert (issue.severity.value, issue.cell, issue.value) == ("error", "A2", "A")
    assert "A3" in issue.message and "read as blank" in issue.message
    assert ("Demand", 3, "territory_id") in {(i.sheet, i.row, i.column) for i in issues
                                             if i.rule == "required"}


@pytest.mark.parametrize("body", [
    "<t>PROD</t>", "<t/>", '<t xml:space="preserve">  a b </t>', "",
    "<r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r>", '<t>x</t><rPh sb="0" eb="1"><t>ph</t></rPh>',
    "<r><t/></r><r><t>c</t></r>", "<t>x</t><r><t>y</t></r>"])
def test_inline_text_reads_as_openpyxl_reads_it(body: str) -> None:
    from defusedxml.ElementTree import fromstring
    from openpyxl.cell.text import Text
    from planner.data.read.raw_workbook import inline_text
    node = fromstring(f'<is xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      f'{body}</is>')
    assert inline_text(node) == Text.from_tree(node).content


def test_a_table_part_is_parsed_through_defusedxml(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Read-only mode leaves the table parts to the planner: its parse refuses a DTD too."""
    from planner.data.read import raw_workbook
    from tests import hostile
    path = edit(write(tmp_path), _demand_as_table_under_a_title)
    with zipfile.ZipFile(path) as archive:
        part = next(n for n in archive.namelist() if n.startswith("xl/tables/"))
    attacked = hostile.repack(path, tmp_path / "table_dtd.xlsx", replace={
        part: hostile.with_prolog(hostile.part(path, part),
                                  b'<!DOCTYPE table [<!ENTITY a "b">]>')})
    with pytest.raises(InputError, match="contains DTD/entities"):
        read_workbook(attacked)  # the container check says so first
    monkeypatch.setattr(raw_workbook, "_check_container", lambda path: None)
    with pytest.raises(InputError, match="contains DTD/entities"):
        read_workbook(attacked)  # and defusedxml, were the check skipped


def test_formats_are_kept_only_where_they_are_not_general(tmp_path: Path) -> None:
    def formatted(wb: Workbook) -> None:
        wb["Territories"]["C3"].value = 2
        wb["Territories"]["C3"].number_format = "00"

    raw = read_workbook(edit(write(tmp_path), formatted))
    territories = raw.sheets["Territories"]
    assert territories.formats == {"department": ["General", "00"]}
    assert territories.records[1].cells["department"] == (2, "C3", "00")
    assert "people" not in raw.sheets["Demand"].formats
