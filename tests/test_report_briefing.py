"""The result workbook as a briefing: Overview, explained columns, Guide, formats, map.

On the regional instance with its explanations (unmet reasons, marginal
values): every figure the Overview quotes is the results' own, every
header carries its declared meaning, and the map is drawn on the region's
borders with labels that do not collide.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.explain import Explanations
from planner.explain.marginal import marginal_values, relax_unmet
from planner.explain.unmet import unmet_reasons
from planner.report import PLAN_SHEETS, write_results
from planner.report.columns import SHEET_BY_NAME, column_note, guide_rows
from planner.report.overview import overview, overview_lines, trust_text
from planner.report.territory_map import render_map
from tests.report_instances import fixed_run, regional


@pytest.fixture(scope="module")
def explained():
    data, solution, results = regional()
    relaxation = relax_unmet(solution)
    explanations = Explanations(unmet_reasons(solution, results, relaxation),
                                marginal_values(solution, results, relaxation,
                                                travel_territories=2))
    return data, solution, results, explanations


@pytest.fixture(scope="module")
def book(explained, tmp_path_factory) -> Path:
    data, solution, results, explanations = explained
    path = tmp_path_factory.mktemp("brief") / "r.xlsx"
    return write_results(path, data, results, fixed_run(data, solution),
                         explanations=explanations)


def test_the_overview_is_first_and_says_what_the_console_says(explained, book) -> None:
    data, solution, results, explanations = explained
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:2] == ["Overview", "Summary"]
    ws = wb["Overview"]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2, max_col=2)
            if r[0].value and r[0].value != "Every sheet"]
    lines = overview_lines(results, fixed_run(data, solution), explanations, data)
    assert [f"{topic}: {says}" for topic, says in rows] == lines


def test_the_overview_quotes_the_results_figures(explained) -> None:
    data, solution, results, explanations = explained
    run = fixed_run(data, solution)
    by_topic = {line.topic: line for line in overview(results, run, explanations, data)}
    m = dict(zip(results.summary["metric"], results.summary["value"]))
    covered = by_topic["Covered by 2030"].says
    assert covered.startswith(f"{m['coverage_percent']:.1f} % of the demand")
    assert f"{m['unmet_people']:,.0f} still untrained" in covered
    assert f"of {m['demand_people']:,.0f} people" in covered
    # the programme's targets, met or not, with the Programmes figures
    programme = results.programmes.iloc[0]
    line = by_topic[programme["name"]].says
    assert f"{programme['modules_delivered']:,.0f} modules of 900" in line
    met = programme["modules_shortfall"] <= 1e-6 and programme["persons_shortfall"] <= 1e-6
    assert line.startswith("targets met" if met else "targets NOT met")
    # the limits worth relaxing first are the MarginalValues' first rows, in order
    relax = [line for line in overview(results, run, explanations, data)
             if line.topic.startswith("Worth relaxing")]
    table = explanations.marginal_values
    assert len(relax) == min(3, int((table["unmet_weighted_reduction"] > 0).sum()))
    for line, (_, row) in zip(relax, table.iterrows()):
        assert line.says.startswith(f"{row['what']}: +")
        assert f"removes {row['unmet_weighted_reduction']:,.1f} weighted" in line.says
    # one trust line per stage, in its own unit
    trust = [line for line in overview(results, run, explanations, data)
             if line.topic.startswith("Trust")]
    assert [t.topic.split(": ")[1].split(" ")[0] for t in trust] == [
        s.stage for s in solution.stages]
    assert "weighted people" in by_topic["Trust: unmet (headline)"].says
    # the main causes add up to all the unmet people
    shares = [float(x) for x in re.findall(r"(\d+) %", by_topic["What limits it"].says)]
    assert sum(shares) == pytest.approx(100, abs=len(shares))


def test_a_stage_with_a_gap_says_how_far_in_its_unit() -> None:
    from planner.solve import StageResult
    from planner.status import Status
    stage = StageResult(stage="unmet", status=Status.FEASIBLE, objective=23_953.6,
                        bound=23_933.0, gap=0.00086, solver_seconds=15.0, highs_status="")
    assert trust_text(stage) == ("feasible, 23,954 weighted people: proven within 0.09 %, "
                                 "about 21 weighted people.")
    stopped = dataclasses.replace(stage, bound=None, gap=None)
    assert "no bound proven" in trust_text(stopped)
    met = StageResult(stage="targets", status=Status.OPTIMAL, objective=0.0, bound=0.0,
                      gap=0.0, solver_seconds=0.2, highs_status="")
    assert trust_text(met) == "optimal: every programme target met."
    missed = dataclasses.replace(met, objective=0.25, bound=0.25)
    assert trust_text(missed) == "optimal, 0.2500 of a programme target (shares summed): " \
        "proven optimal."


def test_every_header_carries_its_declared_meaning(book) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == list(PLAN_SHEETS)
    for ws in wb.worksheets:
        for c in ws[1]:
            if c.value is None:
                continue
            assert c.comment is not None, f"{ws.title}.{c.value} has no comment"
            assert c.font.name == "Calibri" and c.font.bold, (ws.title, c.value)
            if SHEET_BY_NAME[ws.title].columns and any(
                    col.name == c.value for col in SHEET_BY_NAME[ws.title].columns):
                assert c.comment.text == column_note(ws.title, c.value)


def test_the_guide_lists_every_sheet_and_column(book) -> None:
    guide = pd.read_excel(book, sheet_name="Guide", dtype=str, keep_default_na=False)
    assert list(guide.columns) == ["sheet", "column", "meaning", "unit"]
    assert len(guide) == len(guide_rows())
    for name in PLAN_SHEETS:
        assert name in set(guide["sheet"]), name
    sheets = pd.read_excel(book, sheet_name=None)
    listed = set(zip(guide["sheet"], guide["column"]))
    for name, frame in sheets.items():
        if name == "Unmet":
            continue  # its family columns are explained as one guide row
        for column in frame.columns:
            if str(column).startswith("Unnamed"):
                continue
            assert (name, re.sub(r"\.\d+$", "", str(column))) in listed, (name, column)


def test_whole_people_show_no_decimals_and_fractions_do(book, explained) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["Sessions"]
    header = {c.value: c.column_letter for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        learners = ws[f"{header['learners']}{row}"]
        whole = abs(learners.value - round(learners.value)) < 1e-6
        assert learners.number_format == ("#,##0" if whole else "#,##0.00")
    summary = {r[0].value: r[1] for r in wb["Summary"].iter_rows(min_row=2, max_col=2)}
    assert summary["unmet_people"].number_format == "#,##0"
    assert summary["demand_people"].number_format == "#,##0"
    assert summary["coverage_percent"].number_format == '0.0"%"'
    marginal = wb["MarginalValues"]
    header = {c.value: c.column_letter for c in marginal[1]}
    assert marginal[f"{header['unmet_weighted_reduction']}2"].number_format in (
        "#,##0", "#,##0.00")


def test_the_map_is_drawn_on_the_regions_borders_with_labels_that_do_not_collide(
        explained) -> None:
    data, _, results, _ = explained
    unmet = results.unmet.groupby("territory_id")["unmet_people"].sum()
    drawn = render_map(data.territories, unmet, data.organisations, last_year=2030)
    assert drawn.base_map and drawn.png is not None
    assert any("Natural Earth" in n for n in drawn.notes)
    boxes = [box for _, box in drawn.labels]
    assert len(boxes) == len(data.territories)  # six towns: room for every label
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])
            assert not overlap, (a, b)


def test_territories_elsewhere_get_a_schematic_map_that_says_so(explained) -> None:
    data, _, results, _ = explained
    moved = data.territories.copy()
    moved["longitude"] = pd.to_numeric(moved["longitude"]) + 20.0  # far from the region
    unmet = results.unmet.groupby("territory_id")["unmet_people"].sum()
    drawn = render_map(moved, unmet, data.organisations, last_year=2030)
    assert drawn.png is not None and not drawn.base_map
    assert drawn.notes[0].startswith("Schematic map")


def test_organisations_are_counted_per_zone_in_the_labels(explained) -> None:
    data, _, results, _ = explained
    unmet = results.unmet.groupby("territory_id")["unmet_people"].sum()
    drawn = render_map(data.territories, unmet, data.organisations, last_year=2030)
    assert any("counted per zone" in n for n in drawn.notes)
    from planner.report import overview_lines as exported
    assert exported is overview_lines  # the command line imports it from planner.report


def test_the_shipped_boundaries_are_small_and_licensed() -> None:
    from importlib import resources
    files = resources.files("planner.report").joinpath("files")
    geojson = files.joinpath("hauts_de_france.geojson").read_bytes()
    assert len(geojson) < 100_000
    licence = files.joinpath("BOUNDARIES.md").read_text(encoding="utf-8")
    assert "public domain" in licence and "Natural Earth" in licence
    from planner.report.boundaries import load_base_map
    region = [a.code for a in load_base_map() if a.in_region]
    assert region == ["FR-02", "FR-59", "FR-60", "FR-62", "FR-80"]
