"""``planner solve`` through the command line: exit codes, the workbook, its safety."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.config import SolveOptions
from planner.data import load
from planner.data.write.inputbook import write_input_workbook
from planner.pipeline import Clock, solve_data
from planner.report import PLAN_SHEETS
from planner.results import SUMMARY_METRICS
from tests.helpers import BASE, tiny_workbook
from tests.report_instances import HOSTILE, regional_spec
from tests.workbooks import summary


@pytest.fixture(scope="module")
def solved(regional_input: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["solve", str(regional_input), "--output-dir", str(out), "-q"]) == 0
    return out / "regional__baseline.xlsx"


def tiny_input(folder: Path, **changes: list[dict]) -> Path:
    return tiny_workbook(folder / "tiny.xlsx", **changes)


def test_solved_workbook_has_every_sheet_and_metric(solved: Path) -> None:
    sheets = pd.read_excel(solved, sheet_name=None)
    assert set(PLAN_SHEETS) <= set(sheets)
    metrics = summary(solved)
    assert set(SUMMARY_METRICS) <= set(metrics)
    assert {"stage_targets", "stage_unmet", "stage_cost"} <= set(metrics)
    assert metrics["status"] == "optimal"
    assert float(metrics["wall_seconds"]) > 0


def test_workbook_values_equal_the_model(solved: Path, regional_input: Path) -> None:
    from tests.helpers import solve_checked
    _, results = solve_checked(load(regional_input))
    metrics = summary(solved)
    for name in ("stage_unmet", "stage_cost", "unmet_people", "demand_people", "cost_eur",
                 "trained_people", "sessions_total", "trainers_hired"):
        expected = results.metric(name)
        assert float(metrics[name]) == pytest.approx(float(expected), rel=1e-9, abs=1e-6), name
    sessions = pd.read_excel(solved, sheet_name="Sessions")
    running = results.sessions[results.sessions["sessions"] > 0]
    assert sessions["sessions"].sum() == pytest.approx(running["sessions"].sum())
    assert sessions["cost_eur"].sum() == pytest.approx(running["cost_eur"].sum())
    unmet = pd.read_excel(solved, sheet_name="Unmet")
    total = unmet.loc[unmet["territory_id"] == "Total", "total_people"].iloc[0]
    assert total == pytest.approx(results.unmet["unmet_people"].sum())


def _run_values(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet's values, without what measures the run itself (times, date, path)."""
    sheets = pd.read_excel(path, sheet_name=None)
    summary = sheets["Summary"]
    sheets["Summary"] = summary[~summary["metric"].str.endswith("seconds")]
    run = sheets["Run"]
    sheets["Run"] = run[~run["key"].str.endswith("seconds")
                        & ~run["key"].isin(("started_at", "input_path"))]
    return sheets


def test_same_input_twice_gives_the_same_values(regional_input: Path, solved: Path,
                                                tmp_path: Path) -> None:
    """SPEC 5: every value of every sheet, exactly (the run's times and date aside)."""
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path), "-q"]) == 0
    first = _run_values(solved)
    again = _run_values(tmp_path / "regional__baseline.xlsx")
    assert list(first) == list(again)
    for sheet in first:
        pd.testing.assert_frame_equal(first[sheet], again[sheet], check_exact=True, obj=sheet)
    assert sum(first[sheet].size for sheet in first) > 1000
    assert len(first["Sessions"]) and len(first["Flows"]) and len(first["MarginalValues"])
    assert "stage.2.unmet.check.rows" in set(first["Run"]["key"])


def test_invalid_input_exits_2_and_points_at_validate(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    bad = tiny_input(tmp_path, Offers=[dict(BASE["Offers"][0], seats=-3)])
    assert main(["solve", str(bad), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "planner validate" in err
    assert "Offers, row 2, column seats (cell G2)" in err and "-3" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_infeasible_exits_3_with_a_diagnosis_sheet(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    # committed 3 sessions x 100 h against 250 h: the pre-solve checks see it
    path = tiny_input(tmp_path,
                      Offers=[dict(BASE["Offers"][0], committed_sessions_per_year=3)],
                      Trainers=[{"territory_id": "A", "skill": "s", "year": 2025,
                                 "available_hours": 250}])
    assert main(["solve", str(path), "--output-dir", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "no plan can satisfy the hard limits" in err and "Diagnosis sheet" in err
    book = pd.read_excel(tmp_path / "tiny__baseline.xlsx", sheet_name=None)
    assert list(book) == ["Summary", "Diagnosis", "Run"]
    diagnosis = book["Diagnosis"]
    assert ("Offers", 2) in set(zip(diagnosis["sheet"], diagnosis["row"]))
    assert summary(tmp_path / "tiny__baseline.xlsx")["status"] == "infeasible"


def test_infeasible_beyond_presolve_is_explained_from_the_iis(tmp_path: Path) -> None:
    # Half a hire would do; a whole one breaks the budget: only the solver can see it.
    path = tiny_input(
        tmp_path,
        Offers=[dict(BASE["Offers"][0], committed_sessions_per_year=2)],
        Trainers=[{"territory_id": "A", "skill": "s", "year": 2025, "available_hours": 150}],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "cost_per_trainer_year": 1000,
                        "programme_id": "G"}],
        Programmes=[{"programme_id": "G", "name": "G", "budget": 600}])
    assert main(["solve", str(path), "--output-dir", str(tmp_path), "-q"]) == 3
    diagnosis = pd.read_excel(tmp_path / "tiny__baseline.xlsx", sheet_name="Diagnosis")
    cells = set(zip(diagnosis["sheet"], diagnosis["row"], diagnosis["column"]))
    assert {("Offers", 2, "committed_sessions_per_year"), ("Programmes", 2, "budget"),
            ("TrainerHiring", 2, "max_new_per_year")} <= cells


def test_no_solution_in_time_exits_4_with_advice(regional_input: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    code = main(["solve", str(regional_input), "--output-dir", str(tmp_path),
                 "--time-limit", "0.000001"])
    assert code == 4
    err = capsys.readouterr().err
    assert "no plan was written" in err and "--time-limit" in err and "--mip-gap" in err
    assert not list(tmp_path.glob("*.xlsx"))


STOP_AT_FIRST_PLAN = (("mip_max_improving_sols", 1),)
"""HiGHS stops at its first improving plan: on the regional instance the unmet
stage then ends 'Solution limit reached' with a gap of about 0.5 %, every time
(a time limit does the same, but not deterministically)."""


def test_a_limit_stopping_the_search_writes_a_flagged_plan(regional_input: Path,
                                                           tmp_path: Path) -> None:
    data = load(regional_input)
    options = SolveOptions(highs_options=STOP_AT_FIRST_PLAN)
    outcome = solve_data(data, regional_input, tmp_path / "r.xlsx", options=options,
                         clock=Clock(lambda _: None))
    metrics = summary(tmp_path / "r.xlsx")
    assert outcome.status == "feasible" and metrics["status"] == "feasible"
    assert outcome.warnings and "NOT PROVEN OPTIMAL" in outcome.warnings[0]
    assert float(metrics["mip_gap"]) > 0


def test_a_plan_stopped_by_a_limit_exits_0_with_a_warning_and_its_gap(
        regional_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    import functools

    import planner.commands.solve as command
    monkeypatch.setattr(command, "SolveOptions",
                        functools.partial(SolveOptions, highs_options=STOP_AT_FIRST_PLAN))
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path), "-q"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"planner: warning: NOT PROVEN OPTIMAL: .* gap is \d+\.\d+%", err), err
    book = pd.read_excel(tmp_path / "regional__baseline.xlsx", sheet_name="Summary")
    status = book.loc[book["metric"] == "status"].iloc[0]
    assert status["value"] == "feasible" and status["note"].startswith("NOT PROVEN OPTIMAL")
    gap = float(book.loc[book["metric"] == "mip_gap", "value"].iloc[0])
    assert gap > 0 and f"{gap:.2%}" in status["note"] and f"{gap:.2%}" in err


def test_an_unbounded_stage_is_never_written_as_a_plan(regional_input: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture) -> None:
    """The model cannot be unbounded with valid data; if HiGHS ever says so, no plan."""
    from planner.solve import Answer, HighsEngine, StageStatus
    monkeypatch.setattr(HighsEngine, "run",
                        lambda self, time_limit=None, watch=None: Answer(StageStatus.UNBOUNDED,
                                                             "Unbounded", 0.01))
    previous = tmp_path / "regional__baseline.xlsx"
    previous.write_bytes(b"the previous result")
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path)]) == 4
    err = capsys.readouterr().err
    assert "ended with unbounded" in err and "no plan was written" in err
    assert "report the input" in err and "Traceback" not in err
    assert previous.read_bytes() == b"the previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == [previous.name]


def test_formula_looking_text_stays_text_end_to_end(tmp_path: Path) -> None:
    settings, tables = regional_spec(hostile=True)
    path = write_input_workbook(tmp_path / "hostile.xlsx", settings, tables)
    assert main(["solve", str(path), "--output-dir", str(tmp_path), "-q"]) == 0
    out = next(tmp_path.glob("hostile__*.xlsx"))
    wb = load_workbook(out)
    texts = {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)}
    assert texts[HOSTILE["org_name"]] == "s"
    assert all(kind == "s" for kind in texts.values())


def test_writing_over_the_input_through_a_link_is_refused(regional_input: Path,
                                                          tmp_path: Path) -> None:
    before = regional_input.read_bytes()
    os.symlink(regional_input, tmp_path / "regional__baseline.xlsx")
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path), "-q"]) == 2
    assert regional_input.read_bytes() == before


def test_an_open_result_workbook_is_not_overwritten(regional_input: Path, solved: Path,
                                                    tmp_path: Path) -> None:
    target = tmp_path / "regional__baseline.xlsx"
    target.write_bytes(b"previous result")
    (tmp_path / "~$regional__baseline.xlsx").write_bytes(b"lock")
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path), "-q"]) == 2
    assert target.read_bytes() == b"previous result"


def test_python_dash_m_planner_runs_the_same_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "planner", "solve", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Exit codes" in done.stdout


def test_help_teaches_the_workflow(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for step in ("planner template", "planner validate", "planner solve", "planner compare"):
        assert step in text


def test_negative_time_limit_is_refused(regional_input: Path) -> None:
    assert main(["solve", str(regional_input), "--time-limit", "-1"]) == 2


def test_values_have_no_nan_in_numeric_result_sheets(solved: Path) -> None:
    for sheet in ("Sessions", "Flows", "Trainers"):
        frame = pd.read_excel(solved, sheet_name=sheet)
        numbers = frame.select_dtypes("number").to_numpy(float)
        assert not np.isinf(numbers).any()


def test_lp_flag_solves_the_relaxation(regional_input: Path, tmp_path: Path) -> None:
    assert main(["solve", str(regional_input), "--output-dir", str(tmp_path), "-q",
                 "--lp"]) == 0
    run = pd.read_excel(tmp_path / "regional__baseline.xlsx", sheet_name="Run")
    settings = dict(zip(run["key"], run["value"]))
    assert settings["setting.integer_sessions"] in (False, "FALSE", 0)
    sessions = pd.read_excel(tmp_path / "regional__baseline.xlsx", sheet_name="Sessions")
    assert (sessions["sessions"] % 1 != 0).any()  # fractional sessions: the relaxation
