"""LibreOffice as the planner's editor: inputs it saves are read back right.

(b) The template, filled, with a formula in a numeric cell, saved by
LibreOffice (xlsx -> xlsx) loads into the same planning data as the same
template with the value typed in.
(c) A workbook whose formulas openpyxl wrote (no saved values) is refused
by ``planner validate`` naming the cell; once LibreOffice has recalculated
it (profile setting ``OOXMLRecalcMode`` = always) it is accepted, and a
stale saved value (xlsxwriter's 0) is replaced by the right one.

Both files go through one soffice call.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.data import load
from planner.data.tables import ROW
from planner.errors import InputError
from tests import libreoffice
from tests.test_template import SMALL_PLAN, fill
from tests.workbooks import edit, with_cached_values, write

FORMULA_CELL = "D2"
"""Demand people of the first row, in both workbooks."""


def _filled_template(template: Path, target: Path, people: Any) -> Path:
    shutil.copy(template, target)
    book = load_workbook(target)
    for row in book["Settings"].iter_rows(min_row=2):
        if row[0].value == "last_year":
            row[1].value = 2026
    for sheet, rows in SMALL_PLAN.items():
        fill(book[sheet], rows)
    fill(book["Lists"], [{"skill": "maintenance"}])
    demand = book["Demand"]
    assert demand["A1"].value == "territory_id" and demand["D1"].value == "people"
    demand[FORMULA_CELL] = people
    book.save(target)
    return target


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    libreoffice.soffice()  # skip (or fail under CI) before any work
    folder = tmp_path_factory.mktemp("lo_inputs")
    template = folder / "template.xlsx"
    assert main(["template", str(template)]) == 0
    typed = _filled_template(template, folder / "typed.xlsx", 10)
    filled = _filled_template(template, folder / "filled.xlsx", "=2*5")

    def formulas(wb: Any) -> None:
        wb["Demand"][FORMULA_CELL] = "=20+5"
        wb["Demand"]["D3"] = "=2+2"

    written = edit(write(folder, name="formulas.xlsx"), formulas)
    # D3 as xlsxwriter saves it: a formula with a stale cached 0
    stale = with_cached_values(written, {"2+2": "0"})
    saved = libreoffice.converted_xlsx([filled, stale], folder / "lo", folder=folder,
                                       recalculate=True)
    return {"typed": typed, "filled": filled, "filled_lo": saved[filled],
            "formulas": stale, "formulas_lo": saved[stale]}


def test_the_filled_template_saved_by_libreoffice_loads_the_same_data(books: dict) -> None:
    expected = load(books["typed"])
    got = load(books["filled_lo"])
    assert got.settings == expected.settings
    assert got.demand["people"].tolist()[0] == 10.0  # the formula's value, saved by LibreOffice
    assert got.territories["territory_id"].tolist() == ["3216", "0201"]
    assert got.territories["department"].tolist() == ["59", "02"]
    for name, frame in expected.tables.items():
        pd.testing.assert_frame_equal(got.tables[name].drop(columns=ROW),
                                      frame.drop(columns=ROW), check_dtype=True, obj=name)
    assert [i.rule for i in got.warnings] == [i.rule for i in expected.warnings]


def test_the_filled_template_with_a_formula_is_refused_before_libreoffice(books: dict) -> None:
    with pytest.raises(InputError, match=f"the formula in {FORMULA_CELL} has no saved value"):
        load(books["filled"])


def test_formulas_without_values_are_refused_then_accepted_once_recalculated(
        books: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(books["formulas"])]) == 2
    out = capsys.readouterr().out
    assert f"({FORMULA_CELL})" in out and "the formula in D2 has no saved value" in out
    assert "open and save the file in Excel or LibreOffice" in out
    assert main(["validate", str(books["formulas_lo"])]) == 0
    assert capsys.readouterr().out.strip().endswith("valid, no problem found")
    data = load(books["formulas_lo"])
    assert data.demand["people"].tolist() == [25.0, 4.0]  # D3's stale 0 recalculated
