"""Native charts point at the right cells; the map is drawn, or skipped with a note."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image as PILImage

from planner.report import write_results
from planner.report.territory_map import render_map
from tests.report_instances import fixed_run, regional, regional_data


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    data, solution, results = regional()
    path = tmp_path_factory.mktemp("charts") / "r.xlsx"
    return write_results(path, data, results, fixed_run(data, solution))


def test_charts_sheet_has_the_unmet_and_coverage_bar_charts(book) -> None:
    data, _, results = regional()
    wb = openpyxl.load_workbook(book)
    ws = wb["Charts"]
    assert len(ws._charts) == 2
    unmet, coverage = ws._charts
    n_territories = results.unmet["territory_id"].nunique()
    n_families = results.unmet["family_id"].nunique()

    assert unmet.tagname == "barChart" and unmet.type == "bar"
    assert unmet.series[0].val.numRef.f == f"'Charts'!$C$2:$C${n_territories + 1}"
    assert unmet.series[0].cat.numRef.f == f"'Charts'!$B$2:$B${n_territories + 1}"
    assert coverage.type == "bar"  # horizontal: the family names read along the bars
    assert coverage.series[0].val.numRef.f == f"'Charts'!$H$2:$H${n_families + 1}"
    assert coverage.series[0].cat.numRef.f == f"'Charts'!$G$2:$G${n_families + 1}"
    assert coverage.y_axis.scaling.min == 0 and coverage.y_axis.scaling.max == 100
    for chart in (unmet, coverage):  # recent Excel hides axes without an explicit delete=0
        assert chart.x_axis.delete is False and chart.y_axis.delete is False

    # the referenced cells hold what the charts claim: sorted unmet, coverage in %
    assert ws["B1"].value == "territory" and ws["C1"].value == "unmet_people"
    values = [ws[f"C{r}"].value for r in range(2, n_territories + 2)]
    assert values == sorted(values, reverse=True)
    assert sum(values) == pytest.approx(results.unmet["unmet_people"].sum())
    names = dict(zip(data.territories["territory_id"], data.territories["name"]))
    by_territory = results.unmet.groupby("territory_id")["unmet_people"].sum()
    assert ws["B2"].value == names[by_territory.idxmax()]
    assert ws["H1"].value == "covered_percent" and ws["G1"].value == "family_label"
    # the chart's categories are short names; the least covered family on top
    labels = [ws[f"G{r}"].value for r in range(2, n_families + 2)]
    assert all(len(label) <= 28 for label in labels)
    covered = [ws[f"H{r}"].value for r in range(2, n_families + 2)]
    assert covered == sorted(covered)
    for r in range(2, n_families + 2):
        family = ws[f"F{r}"].value
        rows = results.unmet[results.unmet["family_id"] == family]
        want = 100 * (1 - rows["unmet_people"].sum() / rows["demand_people"].sum())
        assert ws[f"H{r}"].value == pytest.approx(want)


def test_the_map_is_embedded_when_territories_have_coordinates(book) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["Map"]
    assert len(ws._images) == 1
    picture = PILImage.open(io.BytesIO(ws._images[0]._data()))
    assert picture.format == "PNG" and picture.size[0] >= 600
    assert ws["A1"].value == "note" and "Zones shaded by unmet people" in ws["A2"].value
    assert "Natural Earth" in ws["A2"].value  # the borders' source and licence


def test_the_map_is_skipped_with_a_note_without_coordinates(tmp_path) -> None:
    _, solution, results = regional()
    data = regional_data(coordinates=False)
    path = write_results(tmp_path / "r.xlsx", data, results, fixed_run(data, solution))
    ws = openpyxl.load_workbook(path)["Map"]
    assert ws._images == []
    assert ws["A2"].value.startswith("No map: no territory has a latitude and longitude")
    assert len(openpyxl.load_workbook(path)["Charts"]._charts) == 2  # charts need no map


def test_territories_missing_coordinates_are_listed(tmp_path) -> None:
    data, solution, results = regional()
    territories = data.territories.copy()
    territories.loc[territories["territory_id"] == "AMI", ["latitude", "longitude"]] = np.nan
    data = replace(data, tables=dict(data.tables, Territories=territories))
    path = write_results(tmp_path / "r.xlsx", data, results, fixed_run(data, solution))
    ws = openpyxl.load_workbook(path)["Map"]
    assert len(ws._images) == 1
    notes = [c.value for c in ws["A"] if c.value]
    assert any(n.startswith("Not on the map") and "AMI" in n for n in notes)


def test_the_same_input_draws_the_same_map() -> None:
    data, _, results = regional()
    unmet = results.unmet.groupby("territory_id")["unmet_people"].sum()
    a = render_map(data.territories, unmet, data.organisations, last_year=2030)
    b = render_map(data.territories, unmet, data.organisations, last_year=2030)
    assert a.png == b.png and a.notes == b.notes
    assert a.base_map  # the six towns are in Hauts-de-France: drawn on its borders


def test_a_map_with_nothing_unmet_still_draws_the_territories() -> None:
    data, _, _ = regional()
    unmet = pd.Series(0.0, index=data.territories["territory_id"])
    drawn = render_map(data.territories, unmet, data.organisations, last_year=2030)
    assert drawn.png is not None and drawn.png[:4] == b"\x89PNG"


def test_draw_map_false_leaves_a_note(tmp_path) -> None:
    data, solution, results = regional()
    path = write_results(tmp_path / "r.xlsx", data, results, fixed_run(data, solution),
                         draw_map=False)
    ws = openpyxl.load_workbook(path)["Map"]
    assert ws._images == [] and "switched off" in ws["A2"].value
