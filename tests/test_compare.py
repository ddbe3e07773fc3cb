"""``planner compare``: any result workbooks, the first as base; everything else refused.

Small instances: the tiny one over two inputs (different demand), and a
tiny sweep whose comparison ``planner compare`` must reproduce from the
result workbooks alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main
from tests.helpers import BASE, tiny_workbook
from tests.workbooks import summary

FAST = ["--no-explain", "-q"]


def tiny_input(path: Path, people: float, scenarios: list[dict] | None = None) -> Path:
    return tiny_workbook(
        path, Trainers=[r for r in BASE["Trainers"] if r["year"] == 2025],
        Demand=[dict(BASE["Demand"][0], people=people),
                {"territory_id": "C", "family_id": "F", "year": 2025, "people": 7.0}],
        **({"Scenarios": scenarios} if scenarios else {}))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Result workbooks of two inputs (both scenarios named baseline), and an input."""
    folder = tmp_path_factory.mktemp("cmp")
    north = tiny_input(folder / "north.xlsx", 10.0)
    south = tiny_input(folder / "south.xlsx", 80.0)
    for path in (north, south):
        assert main(["solve", str(path), "-o", str(folder), *FAST]) == 0
    return folder / "north__baseline.xlsx", folder / "south__baseline.xlsx", north


def test_two_result_workbooks_of_different_inputs(results: tuple[Path, Path, Path],
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    north, south, _ = results
    out = tmp_path / "both.xlsx"
    assert main(["compare", str(north), str(south), "-o", str(out)]) == 0
    assert "comparison of 2 runs (base: baseline)" in capsys.readouterr().err
    table = pd.read_excel(out, sheet_name="Summary").set_index("metric")
    label = "baseline (south__baseline)"  # same scenario name: the file tells them apart
    assert list(table.columns) == ["baseline", label, f"{label} - baseline"]
    a, b = summary(north), summary(south)
    for metric in ("demand_people", "unmet_people", "coverage_percent", "cost_eur"):
        assert table.loc[metric, "baseline"] == pytest.approx(a[metric])
        assert table.loc[metric, f"{label} - baseline"] == pytest.approx(b[metric] - a[metric])
    # 70 more people in A, and 5 sessions x 10 seats = 50 a year: 30 more unmet
    assert b["unmet_people"] - a["unmet_people"] == pytest.approx(30.0)
    unmet = pd.read_excel(out, sheet_name="Unmet").set_index(["territory_id", "family_id"])
    assert unmet.loc[("A", "F"), f"{label} - baseline"] == pytest.approx(30.0)
    assert unmet.loc[("C", "F"), "baseline"] == pytest.approx(7.0)  # 143 km away: unreachable
    status = pd.read_excel(out, sheet_name="Status")
    assert list(status["result_workbook"]) == [str(north), str(south)]


def test_the_default_output_is_beside_the_first_workbook(results: tuple[Path, Path, Path]
                                                         ) -> None:
    north, south, _ = results
    assert main(["compare", str(north), str(south), "-q"]) == 0
    assert (north.parent / "comparison.xlsx").exists()


def test_an_input_workbook_given_by_mistake_is_refused(results: tuple[Path, Path, Path],
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    north, _, north_input = results
    out = tmp_path / "c.xlsx"
    assert main(["compare", str(north), str(north_input), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{north_input} is an input workbook (it has the sheets Settings, Territories, " \
           "Offers, Demand)" in err
    assert "planner solve" in err and not out.exists()


def test_missing_unrelated_and_comparison_workbooks_are_each_named(
        results: tuple[Path, Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    north, south, _ = results
    comparison = tmp_path / "cmp.xlsx"
    assert main(["compare", str(north), str(south), "-o", str(comparison), "-q"]) == 0
    other = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(other, sheet_name="Data", index=False)
    notes = tmp_path / "notes.xlsx"
    pd.DataFrame({"metric": ["x"], "amount": [1]}).to_excel(notes, sheet_name="Summary",
                                                            index=False)
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    out = tmp_path / "c.xlsx"
    assert main(["compare", str(north), str(tmp_path / "nope.xlsx"), str(other), str(notes),
                 str(comparison), str(text), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "5 files are not usable" in err
    assert "nope.xlsx: no such file" in err
    assert "other.xlsx has no Summary sheet, so it is not a result workbook" in err
    assert "notes.xlsx: its Summary sheet has no metric and value columns" in err
    assert "cmp.xlsx is a comparison workbook, not a result workbook" in err
    assert "text.xlsx: not an Excel workbook" in err
    assert not out.exists()


def test_fewer_than_two_files_and_an_output_over_a_compared_file(
        results: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    north, south, _ = results
    assert main(["compare", str(north)]) == 2
    assert "needs at least two result workbooks, 1 given" in capsys.readouterr().err
    before = north.read_bytes()
    assert main(["compare", str(north), str(south), "-o", str(north)]) == 2
    assert "is one of the workbooks compared" in capsys.readouterr().err
    assert north.read_bytes() == before


def test_compare_rebuilds_the_sweep_comparison_from_its_workbooks(tmp_path: Path) -> None:
    path = tiny_input(tmp_path / "t.xlsx", 30.0, scenarios=[
        {"scenario": "more_seats", "sheet": "Offers", "column": "seats", "operation": "add",
         "value": 2},
        {"scenario": "closer", "sheet": "Settings", "column": "max_travel_minutes",
         "operation": "set", "value": 200},
        {"scenario": "broken", "sheet": "Offers", "column": "seats", "operation": "scale",
         "value": "x"}])
    out = tmp_path / "out"
    assert main(["solve", str(path), "-o", str(out), "--all-scenarios", *FAST]) == 0
    files = [out / f"t__{n}.xlsx" for n in ("baseline", "more_seats", "closer")]
    assert main(["compare", *map(str, files), "-o", str(tmp_path / "again.xlsx"), "-q"]) == 0
    swept = pd.read_excel(out / "t__comparison.xlsx", sheet_name=None)
    again = pd.read_excel(tmp_path / "again.xlsx", sheet_name=None)
    keep = ["metric", "baseline", "more_seats", "closer", "more_seats - baseline",
            "closer - baseline"]
    timing = swept["Summary"]["metric"].isin(["solve_seconds", "wall_seconds"])
    pd.testing.assert_frame_equal(swept["Summary"].loc[~timing, keep],
                                  again["Summary"].loc[~timing, keep])
    pd.testing.assert_frame_equal(swept["Unmet"][again["Unmet"].columns], again["Unmet"])
    edits = pd.read_excel(out / "t__comparison.xlsx", sheet_name="Edits", dtype=str)
    pd.testing.assert_frame_equal(
        edits[edits["run"] != "broken"].reset_index(drop=True),
        pd.read_excel(tmp_path / "again.xlsx", sheet_name="Edits", dtype=str))
    assert edits["value"].tolist() == ["2", "200", "x"]
    assert list(swept["Status"]["status"]) == ["optimal", "optimal", "optimal", "invalid"]
    assert summary(out / "t__closer.xlsx")["unmet_people"] == 0  # C is reachable at 200 min
