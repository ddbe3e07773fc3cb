"""A real client: LibreOffice opens the results workbook and sees the values we wrote.

Skipped, saying why, where ``soffice`` is not installed; under CI it must
run (``.ci/run`` installs libreoffice-calc-nogui; see :mod:`tests.libreoffice`).
soffice exits 0 even when it could not load a file, so the test checks
that the CSVs exist and hold the values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.explain import Explanations
from planner.explain.marginal import marginal_values, relax_unmet
from planner.explain.unmet import unmet_reasons
from planner.report import PLAN_SHEETS, write_results
from planner.report.overview import overview_lines
from tests import libreoffice
from tests.report_instances import HOSTILE, fixed_run, regional


def explained(hostile: bool) -> Explanations:
    _, solution, results = regional(hostile=hostile)
    relaxation = relax_unmet(solution)
    return Explanations(unmet_reasons(solution, results, relaxation),
                        marginal_values(solution, results, relaxation, travel_territories=2))


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    libreoffice.soffice()  # skip (or fail under CI) before any work
    data, solution, results = regional(hostile=True)
    folder = tmp_path_factory.mktemp("lo")
    book = write_results(folder / "result.xlsx", data, results, fixed_run(data, solution),
                         explanations=explained(hostile=True))
    out = folder / "csv"
    libreoffice.convert([book], libreoffice.CSV_FILTER, out, folder=folder)
    csvs = {p.stem.removeprefix("result-"): p for p in out.glob("result-*.csv")}
    return book, csvs


def test_libreoffice_reads_every_sheet(converted) -> None:
    book, csvs = converted
    wanted = set(pd.read_excel(book, sheet_name=None))
    assert wanted <= set(csvs), f"LibreOffice did not export {wanted - set(csvs)}"


def test_libreoffice_sees_the_summary_values(converted) -> None:
    _, csvs = converted
    _, _, results = regional(hostile=True)
    summary = pd.read_csv(csvs["Summary"], dtype={"value": str}, keep_default_na=False)
    got = dict(zip(summary["metric"], summary["value"]))
    for name, want in zip(results.summary["metric"], results.summary["value"]):
        if isinstance(want, bool):
            assert got[name] == ("TRUE" if want else "FALSE"), name
        elif isinstance(want, str):
            assert got[name] == want, name
        else:
            assert float(got[name]) == pytest.approx(float(want), rel=1e-9, abs=1e-9), name


def test_libreoffice_keeps_formula_looking_text_as_text(converted) -> None:
    _, csvs = converted
    sessions = pd.read_csv(csvs["Sessions"], dtype=str, keep_default_na=False)
    assert HOSTILE["org_name"] in set(sessions["organisation"])
    assert HOSTILE["offer_id"] in set(sessions["offer_id"])
    programmes = pd.read_csv(csvs["Programmes"], dtype=str, keep_default_na=False)
    assert programmes["name"].tolist() == [HOSTILE["programme_name"]]
    summary = pd.read_csv(csvs["Summary"], dtype=str, keep_default_na=False)
    assert summary.loc[summary["metric"] == "scenario", "value"].item() == HOSTILE["scenario"]


def test_libreoffice_sees_the_session_numbers(converted) -> None:
    _, csvs = converted
    _, _, results = regional(hostile=True)
    running = results.sessions[results.sessions["sessions"] > 0].reset_index(drop=True)
    sessions = pd.read_csv(csvs["Sessions"])
    for column in ("sessions", "learners", "fill_percent", "cost_eur"):
        assert sessions[column].to_numpy() == pytest.approx(running[column].to_numpy(),
                                                            rel=1e-9), column


def test_libreoffice_imports_the_charts_as_charts_and_the_map_as_a_picture(
        converted, tmp_path: Path) -> None:
    """Saved as .ods, the workbook holds LibreOffice's own bar charts and the map's PNG.

    A chart LibreOffice could not read would be dropped or kept as an empty
    frame; here each chart object must carry its bar chart with its data.
    """
    import re
    import zipfile

    book, _ = converted
    libreoffice.convert([book], "ods", tmp_path, folder=tmp_path)
    with zipfile.ZipFile(tmp_path / "result.ods") as ods:
        names = ods.namelist()
        charts = [ods.read(n).decode() for n in names
                  if re.fullmatch(r"Object \d+/content\.xml", n)]
        pictures = [n for n in names if n.startswith("Pictures/") and n.endswith(".png")]
    assert len(charts) == 2, names
    for chart in charts:
        assert 'chart:class="chart:bar"' in chart
        assert chart.count("<chart:series") == 1
        # the series' values came along: at least one cell of numbers
        assert re.search(r'office:value-type="float" office:value="[0-9.]+"', chart)
    assert len(pictures) == 1
    # the charts' categories are short names (no family name runs across the chart)
    for chart in charts:
        categories = re.findall(r'<table:table-row><table:table-cell office:value-type='
                                r'"string"><text:p>([^<]*)</text:p>', chart)
        assert categories and all(len(c) <= 28 for c in categories), categories


def test_libreoffice_opens_the_overview_first_with_the_consoles_words(converted) -> None:
    book, csvs = converted
    assert {"Overview", "Guide"} <= set(csvs)
    data, solution, results = regional(hostile=True)
    overview = pd.read_csv(csvs["Overview"], dtype=str, keep_default_na=False)
    assert list(overview.columns) == ["topic", "says", "see"]
    lines = overview_lines(results, fixed_run(data, solution), explained(hostile=True), data)
    shown = [f"{t}: {s}" for t, s in zip(overview["topic"], overview["says"])
             if t and t != "Every sheet"]
    assert shown == lines
    # the programme's name is input text (#N/A): LibreOffice shows it as text, not an error
    assert HOSTILE["programme_name"] in set(overview["topic"])
    guide = pd.read_csv(csvs["Guide"], dtype=str, keep_default_na=False)
    assert set(PLAN_SHEETS) <= set(guide["sheet"])


def test_libreoffice_keeps_every_header_comment(converted, tmp_path: Path) -> None:
    """Saved again by LibreOffice, every header still carries its meaning."""
    import openpyxl

    book, _ = converted
    again = libreoffice.converted_xlsx([book], tmp_path / "out", folder=tmp_path)[book]
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames == list(PLAN_SHEETS)
    for ws in wb.worksheets:
        for c in ws[1]:
            if c.value is not None:
                assert c.comment is not None and c.comment.text.strip(), (ws.title, c.value)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    """A sweep of the tiny input with two scenarios: its comparison workbook."""
    libreoffice.soffice()
    from planner.cli import main
    from tests.test_compare import FAST, tiny_input
    folder = tmp_path_factory.mktemp("cmp")
    path = tiny_input(folder / "t.xlsx", 80.0, scenarios=[
        {"scenario": "more_seats", "sheet": "Offers", "column": "seats", "operation": "add",
         "value": 2},
        {"scenario": "fewer_seats", "sheet": "Offers", "column": "seats", "operation": "add",
         "value": -2}])
    assert main(["solve", str(path), "-o", str(folder), "--all-scenarios", *FAST]) == 0
    return folder / "t__comparison.xlsx"


def test_libreoffice_draws_the_comparison_sorted_with_two_coloured_series(
        comparison: Path, tmp_path: Path) -> None:
    import re
    import zipfile

    libreoffice.convert([comparison], libreoffice.CSV_FILTER, tmp_path, folder=tmp_path)
    charts_csv = pd.read_csv(tmp_path / "t__comparison-Charts.csv")
    change = charts_csv["unmet_change_people"].tolist()
    assert change == sorted(change)  # the most improved first
    assert charts_csv["run"].tolist()[0] == "more_seats"
    assert "Offers.seats: add 2" in charts_csv.set_index("run").loc["more_seats", "edits"]
    assert "cost_per_person_covered_eur" in charts_csv.columns
    libreoffice.convert([comparison], "ods", tmp_path, folder=tmp_path)
    with zipfile.ZipFile(tmp_path / "t__comparison.ods") as ods:
        charts = [ods.read(n).decode() for n in ods.namelist()
                  if re.fullmatch(r"Object \d+/content\.xml", n)]
    assert len(charts) == 3
    for chart in charts:
        assert 'chart:class="chart:bar"' in chart
        assert chart.count("<chart:series") == 2  # better and worse, two colours
        assert "#63be7b" in chart.lower() and "#f8696b" in chart.lower()
