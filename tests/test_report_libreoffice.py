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

from planner.report import write_results
from tests import libreoffice
from tests.report_instances import HOSTILE, fixed_run, regional


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    libreoffice.soffice()  # skip (or fail under CI) before any work
    data, solution, results = regional(hostile=True)
    folder = tmp_path_factory.mktemp("lo")
    book = write_results(folder / "result.xlsx", data, results, fixed_run(data, solution))
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
