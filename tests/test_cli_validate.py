"""``planner validate``: the report, the exit codes, and the annotated copy."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.xlsx import put
from tests.workbooks import edit, records, write


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


FORMULA_TEXT = '=HYPERLINK("http://x")'


def invalid(folder: Path) -> Path:
    """Errors at Offers G2 (seats) and B2 (org_id), a warning at Demand D2 (people).

    The org_id in B2 is the text ``=HYPERLINK(...)``: it looks like a formula
    and must stay text wherever the annotated copy writes it.
    """
    tables = records()
    tables["Offers"][0]["seats"] = "twelve"
    tables["Demand"][0]["people"] = "3,5"
    path = write(folder, tables=tables, name="invalid.xlsx")
    return edit(path, lambda wb: put(wb["Offers"]["B2"], FORMULA_TEXT))


def test_valid_workbook_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == f"{path}: valid, no problem found"


def test_warnings_alone_still_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tables = records()
    tables["Demand"][0]["people"] = "25"
    assert main(["validate", str(write(tmp_path, tables=tables))]) == 0
    out = capsys.readouterr().out
    assert "warning  row 2, column people (D2), value '25': number written as text" in out
    assert out.strip().endswith("valid, with 0 errors, 1 warning")


def test_errors_exit_2_with_a_report_grouped_by_sheet(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = invalid(tmp_path)
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    lines = out.splitlines()
    offers = lines.index("Offers: 2 errors, 0 warnings")
    assert lines[offers + 1].startswith(
        "  error    row 2, column seats (G2), value 'twelve': 'twelve' is not a number")
    assert lines[offers + 1].endswith("[type]")
    assert "Demand: 0 errors, 1 warning" in lines
    assert lines.index("Offers: 2 errors, 0 warnings") < lines.index("Demand: 0 errors, 1 warning")
    assert lines[-1] == (f"{path}: NOT VALID: 2 errors, 1 warning; correct the errors and run "
                         "planner validate again")


def test_long_runs_of_one_rule_are_cut_unless_all(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    tables = records()
    tables["Demand"] = [{"territory_id": "A", "family_id": "F", "year": 2026, "people": str(n)}
                        for n in range(12)]
    tables["Demand"] = [dict(r, territory_id=f"T{n}") for n, r in enumerate(tables["Demand"])]
    path = write(tmp_path, tables=tables)
    main(["validate", str(path)])
    out = capsys.readouterr().out
    assert out.count("  error    ") == 10 and "  ... and 2 more [reference]" in out
    main(["validate", str(path), "--all"])
    assert capsys.readouterr().out.count("  error    ") == 12


def test_unreadable_file_exits_2_without_traceback(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "not an Excel workbook (.xlsx)" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_annotate_marks_cells_and_lists_issues_without_touching_the_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = invalid(tmp_path)
    before = sha256(path)
    out = tmp_path / "marked.xlsx"
    assert main(["validate", str(path), "--annotate", str(out)]) == 2
    assert sha256(path) == before
    assert f"annotated copy: {out}" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == path.stat().st_mode & 0o777  # like any saved file
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Issues" and wb.active.title == "Issues"

    seats = wb["Offers"]["G2"]
    assert seats.value == "twelve" and seats.fill.fgColor.rgb.endswith("FFC7CE")
    assert seats.comment.text == ("error: 'twelve' is not a number: write a number such as 12 "
                                  "or 3,5 [type]")
    people = wb["Demand"]["D2"]
    assert people.fill.fgColor.rgb.endswith("FFEB9C")
    assert people.comment.text.startswith("warning: number written as text '3,5', read as 3.5")
    assert wb["Demand"]["A2"].comment is None and wb["Offers"]["A2"].comment is None
    org = wb["Offers"]["B2"]
    assert (org.value, org.data_type) == (FORMULA_TEXT, "s") and "[reference]" in org.comment.text
    assert wb["Offers"].sheet_properties.tabColor.rgb.endswith("C00000")
    assert wb["Demand"].sheet_properties.tabColor.rgb.endswith("FFC000")

    issues = wb["Issues"]
    assert [c.value for c in issues[1]] == ["sheet", "row", "column", "cell", "value",
                                            "severity", "rule", "message"]
    assert issues.freeze_panes == "A2" and issues.auto_filter.ref == "A1:H4"
    rows = [[c.value for c in r] for r in issues.iter_rows(min_row=2)]
    assert [r[:7] for r in rows] == [
        ["Offers", 2, "seats", "G2", "twelve", "error", "type"],
        ["Offers", 2, "org_id", "B2", FORMULA_TEXT, "error", "reference"],
        ["Demand", 2, "people", "D2", "3,5", "warning", "number-as-text"]]
    assert issues["E3"].data_type == "s"  # the formula-looking value stays text
    assert issues["D2"].hyperlink.location == "'Offers'!G2"


def test_annotate_refuses_the_input_itself_also_through_a_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = invalid(tmp_path)
    before = sha256(path)
    assert main(["validate", str(path), "--annotate", str(path)]) == 2
    link = tmp_path / "link.xlsx"
    os.symlink(path, link)
    assert main(["validate", str(path), "--annotate", str(link)]) == 2
    err = capsys.readouterr().err
    assert err.count("is the input workbook itself") == 2
    assert sha256(path) == before


def test_annotating_an_annotated_copy_replaces_its_issues_sheet(tmp_path: Path) -> None:
    path = invalid(tmp_path)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    main(["validate", str(path), "--annotate", str(first)])
    assert main(["validate", str(first), "--annotate", str(second)]) == 2
    wb = load_workbook(second)
    assert wb.sheetnames.count("Issues") == 1 and wb["Issues"].max_row == 4


# --- the Scenarios sheet, checked as a solve would apply it (issue 15) ----------------

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "hauts_de_france_2030.xlsx"


def test_validate_reports_broken_scenarios_with_their_rows(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    """Two mistakes a planner makes: a column name off by a letter, and a territory's name
    where its code is expected. Both located on their Scenarios rows, with what to write."""
    def add_rows(wb) -> None:
        ws = wb["Scenarios"]
        header = [c.value for c in ws[1]]
        for values in (("typo", "Trainers", "available_hour", None, None, "scale", "1.2"),
                       ("by_name", "Trainers", "available_hours", "territory_id", "Abbeville",
                        "scale", "1.2")):
            row = ws.max_row + 1
            for name, value in zip(("scenario", "sheet", "column", "where_column",
                                    "where_value", "operation", "value"), values):
                put(ws.cell(row, header.index(name) + 1), value)

    path = tmp_path / "example.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    edit(path, add_rows)
    rows = load_workbook(path)["Scenarios"].max_row
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert f"row {rows - 1}, column column" in out
    assert "did you mean 'available_hours'?" in out
    assert f"row {rows}, column where_value" in out
    assert "'Abbeville' is the name of Territories 3201" in out and "write 3201" in out
    assert "valid, no problem found" not in out


def test_the_template_offers_sheets_and_their_columns_in_scenarios(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path)]) == 0
    wb = load_workbook(path)
    rules = {str(dv.sqref).split(":")[0][0]: dv.formula1
             for dv in wb["Scenarios"].data_validations.dataValidation}
    header = {c.value: c.column_letter for c in wb["Scenarios"][1]}
    assert rules[header["sheet"]] == "list_scenario_sheet"
    assert rules[header["column"]] == f'INDIRECT("list_columns_"&${header["sheet"]}2)'
    assert rules[header["where_column"]] == rules[header["column"]]
    assert rules[header["operation"]] == '"set,scale,add"'
    lists = wb["Lists"]
    columns = {c.value: c.column for c in lists[1]}
    trainers = [lists.cell(r, columns["columns_Trainers"]).value for r in range(2, 6)]
    assert trainers == ["territory_id", "skill", "year", "available_hours"]
    assert str(wb.defined_names["list_columns_Trainers"].attr_text) == "'Lists'!$J$2:$J$5"


# --- floods and large workbooks (RELIABILITY "200,000 rows breaking one rule") ----------

def _long_run(folder: Path, count: int) -> Path:
    """``count`` Demand rows naming territories that do not exist: one rule, many rows."""
    tables = records()
    tables["Demand"] = [{"territory_id": f"T{n}", "family_id": "F", "year": 2026,
                         "people": 1} for n in range(count)]
    return write(folder, tables=tables)


def test_the_report_says_where_the_rest_of_a_long_run_is(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    main(["validate", str(_long_run(tmp_path, 1200))])
    lines = capsys.readouterr().out.splitlines()
    assert "Demand: 1 200 errors, 0 warnings" in lines
    assert "  ... and 1 190 more [reference] in rows 12..1201 (--all lists them; --annotate "\
           "OUT.xlsx marks the first 1 000 in a copy)" in lines


def test_the_annotated_copy_marks_and_lists_the_first_of_a_rule_and_sums_up_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.data.write import annotate
    monkeypatch.setattr(annotate, "ANNOTATED_PER_RULE", 5)
    path, out = _long_run(tmp_path, 12), tmp_path / "marked.xlsx"
    assert main(["validate", str(path), "--annotate", str(out)]) == 2
    wb = load_workbook(out)
    rows = [[c.value for c in r] for r in wb["Issues"].iter_rows(min_row=2)]
    assert [r[:4] for r in rows[:5]] == [["Demand", r, "territory_id", f"A{r}"]
                                         for r in range(2, 7)]
    assert rows[5][:7] == ["Demand", 7, "territory_id", None, None, "error", "reference"]
    assert rows[5][7] == ("... and 7 more [reference] in rows 7..13, neither marked nor listed "
                          "here: `planner validate FILE --all` lists every one")
    assert len(rows) == 6 and wb["Issues"].auto_filter.ref == "A1:H7"
    assert wb["Issues"]["D7"].hyperlink is None
    demand = wb["Demand"]
    assert [demand[f"A{r}"].comment is not None for r in (2, 6, 7, 13)] == [True, True, False,
                                                                            False]
    assert demand.sheet_properties.tabColor.rgb.endswith("C00000")


def _described(path: Path) -> dict[str, Any]:
    """What an annotated copy holds, sheet by sheet, as openpyxl reads it back."""
    wb = load_workbook(path)
    found: dict[str, Any] = {"sheets": wb.sheetnames,
                             "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        cells = {}
        for (r, c), cell in ws._cells.items():
            if cell.value is None and not cell.has_style and cell.comment is None:
                continue
            cells[(r, c)] = (cell.value, cell.data_type, cell.number_format, cell.font.b,
                             cell.fill.fgColor.rgb, cell.alignment.wrap_text, cell.quotePrefix,
                             cell.border.bottom.style, cell.comment and cell.comment.text,
                             cell.hyperlink and (cell.hyperlink.location, cell.hyperlink.target))
        found[ws.title] = {
            "state": ws.sheet_state, "freeze": ws.freeze_panes, "cells": cells,
            "tab": ws.sheet_properties.tabColor and ws.sheet_properties.tabColor.rgb,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "columns": sorted((k, d.width, d.hidden, d.number_format)
                              for k, d in ws.column_dimensions.items()),
            "rows": sorted((k, d.height, d.hidden) for k, d in ws.row_dimensions.items()
                           if d.height or d.hidden),
            "validations": sorted((str(v.sqref), v.formula1, v.type)
                                  for v in ws.data_validations.dataValidation),
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "formatting": sorted((str(cf.sqref), len(cf.rules)) for cf in ws.conditional_formatting),
            "filter": ws.auto_filter.ref, "print": (ws.print_options.gridLines, ws.print_area)}
    return found


def _rich(folder: Path) -> Path:
    """The invalid workbook with a table under a title, merged cells, a formula with its
    saved value, comments, links, conditional formatting, a date, a hidden sheet and row."""
    import datetime
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink
    from tests.test_reader import _demand_as_table_under_a_title
    from tests.workbooks import with_cached_values

    def enrich(wb: Any) -> None:
        _demand_as_table_under_a_title(wb)
        ws = wb["Organisations"]
        ws.merge_cells("B2:C3")
        ws["E2"] = "=1000+0"
        ws["G5"].comment = Comment("a note on an empty cell", "someone")
        ws["B2"].hyperlink = "https://example.org/site"
        ws["A1"].hyperlink = Hyperlink(ref="A1", location="'Offers'!A1")
        ws.conditional_formatting.add("E2:E9", CellIsRule(
            operator="greaterThan", formula=["500"], fill=PatternFill("solid", start_color="FFFF00")))
        wb["Travel"].sheet_state = "hidden"
        wb["Territories"]["F3"].value = datetime.datetime(2026, 1, 2)
        wb["Territories"]["F3"].number_format = "yyyy-mm-dd"
        wb["Programmes"].row_dimensions[3].hidden = True

    return with_cached_values(edit(invalid(folder), enrich), {"1000+0": "1000"})


def test_a_large_workbook_is_copied_as_it_is_read_into_the_same_annotated_copy(
        tmp_path: Path) -> None:
    """Above NORMAL_COPY_BYTES of sheet XML the copy is streamed (forced here on a small
    workbook): the same values, styles, marks, comments and sheet features."""
    from planner.data import inspect
    from planner.data.write.annotate import annotate_workbook
    path = _rich(tmp_path)
    _, issues = inspect(path)
    assert {"type", "merged-cells", "outside-table", "sheet-hidden"} <= {i.rule for i in issues}
    normal = annotate_workbook(path, tmp_path / "normal.xlsx", issues)
    streamed = annotate_workbook(path, tmp_path / "streamed.xlsx", issues, stream_above=0)
    held, copied = _described(normal), _described(streamed)
    assert copied == held
    assert copied["Organisations"]["cells"][(2, 5)][:2] == ("=1000+0", "f")
    assert copied["Offers"]["cells"][(2, 7)][4].endswith("FFC7CE")  # seats, marked


def test_a_streamed_copy_says_what_it_leaves_out(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference
    from planner.data import inspect
    from planner.data.write.annotate import annotate_workbook

    def chart(wb: Any) -> None:
        ws = wb["Demand"]
        bars = BarChart()
        bars.add_data(Reference(ws, min_col=4, min_row=1, max_row=3), titles_from_data=True)
        ws.add_chart(bars, "H2")

    path = edit(invalid(tmp_path), chart)
    _, issues = inspect(path)
    out = annotate_workbook(path, tmp_path / "streamed.xlsx", issues, stream_above=0)
    last = [c.value for c in list(load_workbook(out)["Issues"].iter_rows())[-1]]
    assert last[5] == "note" and "not the charts of the original" in last[7]
