"""Text stays text, numbers stay numbers, no NaN or infinity reaches a cell."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from planner.report import UnwritableValue, write_results
from planner.report.cells import cell, column_cells, plain
from tests.report_instances import HOSTILE, fixed_run, regional


@pytest.fixture()
def ws():
    return Workbook(write_only=True).create_sheet("S")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "=1+1", "+33 Lens", "-OF1",
                                  "@SUM(A1)", "#N/A", "#REF!", "="])
def test_formula_or_error_looking_text_is_a_protected_string(ws, text) -> None:
    c = cell(ws, text)
    assert isinstance(c, Cell)
    assert c.data_type == "s"
    assert c.value == text
    assert c.quotePrefix


def test_ordinary_values_need_no_cell_object(ws) -> None:
    assert cell(ws, "Lille") == "Lille"
    assert cell(ws, np.int64(3)) == 3 and type(cell(ws, np.int64(3))) is int
    assert type(cell(ws, np.float64(2.5))) is float
    assert cell(ws, np.bool_(True)) is True


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, pd.NaT, np.float32("nan")])
def test_missing_values_are_empty_cells(ws, missing) -> None:
    assert cell(ws, missing) is None
    assert cell(ws, missing, "#,##0") is None


@pytest.mark.parametrize("infinite", [math.inf, -math.inf, np.inf, np.float32("-inf")])
def test_infinity_is_refused(ws, infinite) -> None:
    with pytest.raises(UnwritableValue):
        cell(ws, infinite)
    with pytest.raises(UnwritableValue, match="row 3"):
        list(column_cells(ws, pd.Series([1.0, infinite]), "#,##0"))


def test_characters_xml_cannot_hold_are_dropped_and_text_is_capped(ws) -> None:
    assert plain("Li\x00l\x1fle") == "Lille"
    assert len(plain("x" * 40_000)) == 32_767


def test_unknown_objects_are_refused_not_written_as_their_repr(ws) -> None:
    with pytest.raises(UnwritableValue):
        cell(ws, object())


def test_a_number_with_a_format_is_a_numeric_cell(ws) -> None:
    c = cell(ws, 1234.5, "#,##0.00")
    assert isinstance(c, Cell) and c.data_type == "n" and c.number_format == "#,##0.00"
    cells = list(column_cells(ws, pd.Series([1.0, np.nan, 3.0]), "#,##0"))
    assert cells[1] is None and cells[0].value == 1.0 and cells[2].number_format == "#,##0"
    ints = list(column_cells(ws, pd.Series([2029, None], dtype="Int64"), "0"))
    assert ints[0].value == 2029 and type(ints[0].value) is int and ints[1] is None


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    data, solution, results = regional(hostile=True)
    path = tmp_path_factory.mktemp("hostile") / "hostile.xlsx"
    return write_results(path, data, results, fixed_run(data, solution))


def test_input_text_stays_text_in_every_sheet(hostile_book) -> None:
    """Every hostile string from the input is, wherever it lands, a string cell."""
    wb = openpyxl.load_workbook(hostile_book)
    hostile = set(HOSTILE.values())
    found: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    pytest.fail(f"formula in {ws.title}!{c.coordinate}: {c.value!r}")
                if c.value in hostile:
                    assert c.data_type == "s", (ws.title, c.coordinate)
                    assert c.quotePrefix, (ws.title, c.coordinate)
                    found.setdefault(ws.title, set()).add(c.value)
    assert HOSTILE["org_name"] in found["Sessions"] and HOSTILE["org_name"] in found[
        "Organisations"]
    assert HOSTILE["territory_name"] in found["Unmet"]
    assert HOSTILE["territory_name"] in found["Coverage"]
    assert HOSTILE["territory_name"] in found["Flows"]
    assert HOSTILE["family_name"] in found["Unmet"]  # a matrix header
    assert HOSTILE["family_name"] in found["Charts"]
    assert HOSTILE["offer_id"] in found["Sessions"] and HOSTILE["offer_id"] in found["Flows"]
    assert HOSTILE["org_type"] in found["Organisations"]
    assert HOSTILE["skill"] in found["Trainers"] and HOSTILE["skill"] in found["Sessions"]
    assert HOSTILE["programme_name"] in found["Programmes"]
    assert HOSTILE["scenario"] in found["Summary"] and HOSTILE["scenario"] in found["Run"]


def test_hostile_text_reads_back_unchanged_with_pandas(hostile_book) -> None:
    sessions = pd.read_excel(hostile_book, sheet_name="Sessions")
    assert HOSTILE["org_name"] in set(sessions["organisation"])
    programmes = pd.read_excel(hostile_book, sheet_name="Programmes", keep_default_na=False)
    assert programmes["name"].tolist() == [HOSTILE["programme_name"]]


def test_no_nan_or_infinity_in_any_cell(hostile_book) -> None:
    wb = openpyxl.load_workbook(hostile_book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, float):
                    assert math.isfinite(c.value), (ws.title, c.coordinate)
                if isinstance(c.value, str):
                    assert c.value.lower() not in ("nan", "inf", "-inf", "infinity"), (
                        ws.title, c.coordinate)


def test_nan_in_a_result_table_becomes_an_empty_cell(tmp_path) -> None:
    data, solution, results = regional()
    sessions = results.sessions.copy()
    running = sessions.index[sessions["sessions"] > 0]
    sessions.loc[running[0], "fill_percent"] = np.nan
    path = write_results(tmp_path / "nan.xlsx", data, replace(results, sessions=sessions),
                         fixed_run(data, solution), draw_map=False)
    ws = openpyxl.load_workbook(path)["Sessions"]
    header = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{header['fill_percent']}2"].value is None


def test_infinity_in_a_result_table_stops_the_write_and_keeps_the_old_file(tmp_path) -> None:
    data, solution, results = regional()
    target = tmp_path / "out.xlsx"
    write_results(target, data, results, fixed_run(data, solution), draw_map=False)
    before = target.read_bytes()
    flows = results.flows.copy()
    flows.loc[flows.index[3], "learners"] = np.inf
    with pytest.raises(UnwritableValue, match=r"sheet Flows, column learners: row 5"):
        write_results(target, data, replace(results, flows=flows), fixed_run(data, solution),
                      draw_map=False)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
