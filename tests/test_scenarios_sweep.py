"""``planner solve --all-scenarios`` / ``--scenario``: every workbook, the comparison, exit codes.

One serial sweep of the regional instance (4 scenarios that solve, one
infeasible, one invalid) is shared by the module; ``--workers 2`` and a
Dask ``LocalCluster`` (marked slow) must give the same values as it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.cli import main
from planner.comparison.summary import RunSummary
from planner.errors import InfeasibleError, InputError, PlannerError, SolverError
from planner.scenarios import runs
from planner.scenarios.sweep import sweep_exit_code
from planner.status import Status
from planner.xlsx import OutputRefused
from tests.helpers import BASE, tiny_workbook
from tests.scenario_instances import FAILED, FAST, SOLVED, plan_values
from tests.workbooks import summary


@pytest.fixture(scope="module")
def serial(regional_scenarios_input: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    assert main(["solve", str(regional_scenarios_input), "-o", str(out), "--all-scenarios",
                 *FAST]) == 0
    return out


def test_one_workbook_per_run_and_the_comparison(serial: Path) -> None:
    names = {p.name for p in serial.iterdir()}
    expected = {f"regional__{n}.xlsx" for n in ["baseline", *SOLVED, "committed_too_much",
                                                  "comparison"]}
    assert names == expected  # the invalid scenario writes nothing
    for name in SOLVED:
        metrics = summary(serial / f"regional__{name}.xlsx")
        assert metrics["scenario"] == name and metrics["status"] == "optimal"
    edits = pd.read_excel(serial / "regional__seats_16.xlsx", sheet_name="Edits")
    assert edits.loc[0, ["sheet", "column", "operation", "rows_changed"]].tolist() == [
        "Offers", "seats", "set", 13]
    assert edits.loc[0, "change"] == "12 -> 16"
    assert "Edits" not in pd.ExcelFile(serial / "regional__baseline.xlsx").sheet_names


def test_comparison_deltas_equal_the_individual_workbooks(serial: Path) -> None:
    book = serial / "regional__comparison.xlsx"
    assert pd.ExcelFile(book).sheet_names == ["Summary", "Charts", "Unmet", "Edits", "Status"]
    table = pd.read_excel(book, sheet_name="Summary").set_index("metric")
    base = summary(serial / "regional__baseline.xlsx")
    for name in SOLVED:
        own = summary(serial / f"regional__{name}.xlsx")
        for metric in ("unmet_people", "coverage_percent", "cost_eur", "stage_unmet",
                       "trained_people", "sessions_total"):
            assert table.loc[metric, name] == pytest.approx(own[metric], rel=1e-12)
            assert table.loc[metric, f"{name} - baseline"] == pytest.approx(
                own[metric] - base[metric], rel=1e-9, abs=1e-9)
    for name in FAILED:
        assert table.loc["status", name] == FAILED[name][0]
        assert pd.isna(table.loc["unmet_people", name])
        assert pd.isna(table.loc["unmet_people", f"{name} - baseline"])
    seats = table.loc["unmet_people", "seats_16 - baseline"]
    assert seats < -100  # more seats per session: much less unmet demand

    unmet = pd.read_excel(book, sheet_name="Unmet")
    total = unmet[unmet["territory_id"] == "Total"].iloc[0]
    pairs = unmet[unmet["territory_id"] != "Total"].set_index(["territory_id", "family_id"])
    base_long = _unmet_long(serial / "regional__baseline.xlsx")
    for name in SOLVED:
        long = _unmet_long(serial / f"regional__{name}.xlsx")
        assert len(long) == len(pairs) == 17
        for key, value in long.items():
            assert pairs.loc[key, name] == pytest.approx(value, abs=1e-9)
            assert pairs.loc[key, f"{name} - baseline"] == pytest.approx(
                value - base_long[key], abs=1e-9)
        assert total[name] == pytest.approx(summary(
            serial / f"regional__{name}.xlsx")["unmet_people"], rel=1e-9)
        assert total[f"{name} - baseline"] == pytest.approx(
            table.loc["unmet_people", f"{name} - baseline"], abs=1e-6)
    assert pairs["committed_too_much"].isna().all()


def _unmet_long(path: Path) -> dict[tuple[str, str], float]:
    """The long table of a result workbook's Unmet sheet (beside the matrix)."""
    frame = pd.read_excel(path, sheet_name="Unmet")
    return {(t, f): float(u) for t, f, u in zip(frame["territory_id.1"], frame["family_id"],
                                                frame["unmet_people"]) if isinstance(t, str)}


def test_failed_scenarios_are_recorded_with_status_reason_and_edits(serial: Path) -> None:
    book = serial / "regional__comparison.xlsx"
    status = pd.read_excel(book, sheet_name="Status").set_index("run")
    assert status.loc["baseline", ["role", "status", "exit_code"]].tolist() == [
        "base", "optimal", 0]
    for name, (state, code) in FAILED.items():
        assert status.loc[name, ["status", "exit_code"]].tolist() == [state, code]
    assert "Scenarios row 7" in status.loc["negative_seats", "message"]
    assert "seats -2 must be above 0" in status.loc["negative_seats", "message"]
    assert "committed" in status.loc["committed_too_much", "message"]
    infeasible = pd.ExcelFile(status.loc["committed_too_much", "result_workbook"])
    assert infeasible.sheet_names == ["Summary", "Diagnosis", "Run", "Edits"]
    edits = pd.read_excel(book, sheet_name="Edits").set_index("run")
    assert "seats -2 must be above 0" in edits.loc["negative_seats", "problem"]
    assert edits.loc["prod_demand_plus_20pct", "where"] == "family_id = PROD"
    charts = pd.read_excel(book, sheet_name="Charts").set_index("run")
    assert charts.loc["seats_16", "unmet_change_people"] == pytest.approx(
        pd.read_excel(book, sheet_name="Summary").set_index("metric").loc[
            "unmet_people", "seats_16 - baseline"])
    assert np.isnan(charts.loc["negative_seats", "unmet_change_people"])
    base = charts[charts["edits"] == "the base: no edit"]
    assert len(base) == 1  # the base against itself: exactly nothing, not float noise
    assert (base[["unmet_change_people", "coverage_change_points", "cost_change_EUR"]]
            .to_numpy() == 0.0).all()


def test_the_comparison_has_native_charts_of_the_headline_changes(serial: Path) -> None:
    from openpyxl import load_workbook
    ws = load_workbook(serial / "regional__comparison.xlsx")["Charts"]
    titles = ["".join(r.t for p in c.title.tx.rich.p for r in (p.r or [])) for c in ws._charts]
    assert len(titles) == 3 and "Unmet demand" in titles[0] and "covered" in titles[1]


def test_workers_2_give_the_same_values_as_the_serial_sweep(
        regional_scenarios_input: Path, serial: Path, tmp_path: Path) -> None:
    code = main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--all-scenarios",
                 "--workers", "2", *FAST])
    assert code == 0
    assert plan_values(tmp_path) == plan_values(serial)
    status = pd.read_excel(tmp_path / "regional__comparison.xlsx", sheet_name="Status")
    assert list(status["status"]) == list(pd.read_excel(
        serial / "regional__comparison.xlsx", sheet_name="Status")["status"])


# Slow (a cluster of worker processes, 6 s): make bench runs it. make test keeps the engine's
# Dask path (test_scenarios_engines, an in-process cluster) and the real solve in worker
# processes (--workers 2, just above).
@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_values_as_the_serial_sweep(
        regional_scenarios_input: Path, serial: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        code = main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--all-scenarios",
                     "--dask-scheduler", cluster.scheduler_address, *FAST])
    assert code == 0
    assert plan_values(tmp_path) == plan_values(serial)
    status = pd.read_excel(tmp_path / "regional__comparison.xlsx", sheet_name="Status")
    assert dict(zip(status["run"], status["status"]))["committed_too_much"] == "infeasible"


def test_one_scenario_alone(regional_scenarios_input: Path, serial: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--scenario",
                 "access_45", *FAST]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["regional__access_45.xlsx"]
    mine = summary(tmp_path / "regional__access_45.xlsx")
    theirs = summary(serial / "regional__access_45.xlsx")
    assert mine["unmet_people"] == theirs["unmet_people"]
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--scenario",
                 "committed_too_much", *FAST]) == 3
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--scenario",
                 "negative_seats", *FAST]) == 2
    err = capsys.readouterr().err
    assert "Scenarios, row 7, column value" in err and "seats -2" in err


def test_an_unknown_scenario_is_refused_with_the_names(
        regional_scenarios_input: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--scenario",
                 "acess_45", "-q"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'access_45'?" in err
    assert "The scenarios are: access_45, lille_capacity_x2, prod_demand_plus_20pct" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flags", [["--workers", "2"], ["--strict"],
                                   ["--dask-scheduler", "tcp://127.0.0.1:8786"]])
def test_sweep_options_need_all_scenarios(regional_scenarios_input: Path, flags: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(regional_scenarios_input), *flags, "-q"]) == 2
    assert "applies to --all-scenarios only" in capsys.readouterr().err


def test_bad_worker_counts_and_a_missing_dask_extra_are_input_errors(
        regional_scenarios_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--all-scenarios",
                 "--workers", "0", "-q"]) == 2
    assert "--workers must be 1 or more" in capsys.readouterr().err
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)  # not installed
    assert main(["solve", str(regional_scenarios_input), "-o", str(tmp_path), "--all-scenarios",
                 "--dask-scheduler", "tcp://127.0.0.1:8786", "-q"]) == 2
    assert "pip install 'planner[distributed]'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _tiny_input(folder: Path, scenarios: list[dict]) -> Path:
    return tiny_workbook(
        folder / "tiny.xlsx", Trainers=[r for r in BASE["Trainers"] if r["year"] == 2025],
        Organisations=[dict(BASE["Organisations"][0], capacity_hours=300)],
        Offers=[dict(BASE["Offers"][0], committed_sessions_per_year=5)],  # 500 h > 300
        Scenarios=scenarios)


def test_an_infeasible_base_fails_the_sweep_with_its_code_but_the_rest_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _tiny_input(tmp_path, [
        {"scenario": "fewer_commitments", "sheet": "Offers",
         "column": "committed_sessions_per_year", "operation": "set", "value": 2}])
    out = tmp_path / "out"
    assert main(["solve", str(path), "-o", str(out), "--all-scenarios", *FAST]) == 3
    assert summary(out / "tiny__fewer_commitments.xlsx")["status"] == "optimal"
    status = pd.read_excel(out / "tiny__comparison.xlsx", sheet_name="Status")
    assert list(status["status"]) == ["infeasible", "optimal"]
    assert "base 'baseline' failed (infeasible, exit 3)" in capsys.readouterr().err


def test_a_workbook_without_scenarios_is_refused_for_a_sweep(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tiny_workbook(tmp_path / "plain.xlsx",
                         Trainers=[r for r in BASE["Trainers"] if r["year"] == 2025])
    assert main(["solve", str(path), "-o", str(tmp_path / "out"), "--all-scenarios"]) == 2
    assert "has no Scenarios rows" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _run(name: str, status: str, code: int, role: str = "scenario") -> RunSummary:
    return RunSummary(name=name, role=role, status=status, exit_code=code)


def test_sweep_exit_code_policy() -> None:
    base = _run("baseline", "optimal", 0, "base")
    invalid, infeasible = _run("a", "invalid", 2), _run("b", "infeasible", 3)
    lost = _run("c", "internal error", 1)
    assert sweep_exit_code([base, invalid, infeasible]) == 0
    assert sweep_exit_code([base, invalid, infeasible], strict=True) == 3
    assert sweep_exit_code([base, invalid], strict=True) == 2
    assert sweep_exit_code([base, invalid, lost, infeasible], strict=True) == 1
    assert sweep_exit_code([base, _run("d", "optimal", 0)], strict=True) == 0
    assert sweep_exit_code([_run("baseline", "no solution", 4, "base"), invalid]) == 4


@pytest.mark.parametrize("error, status, code", [
    (InputError("bad"), "invalid", 2),
    (OutputRefused("open in Excel"), "not written", 2),
    (InfeasibleError("no plan"), "infeasible", 3),
    (SolverError("time limit"), "no solution", 4),
    (SolverError("checks failed", status=Status.UNVERIFIED), "unverified", 4),
    (PlannerError("?"), "internal error", 1),
])
def test_a_failed_run_takes_its_errors_status_and_exit_code(
        monkeypatch: pytest.MonkeyPatch, error: PlannerError, status: str, code: int) -> None:
    def fail(input_path: str) -> None:
        raise error

    monkeypatch.setattr(runs, "read_base", fail)
    run = runs.solve_task(runs.ScenarioTask("in.xlsx", None, "out"))
    assert (run.status, run.exit_code, run.metrics["status"]) == (status, code, status)
    assert error.exit_code == Status(status).exit_code == code
