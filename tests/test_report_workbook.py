"""The results workbook re-read by pandas and openpyxl holds what the results hold."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.explain import Explanations
from planner.report import NO_PLAN_SHEETS, PLAN_SHEETS, RunRecord, write_results
from planner.report.sheets import MARGINAL_VALUES_PENDING
from planner.results import SUMMARY_METRICS
from tests.report_instances import fixed_run


@pytest.fixture(scope="module")
def book(regional_solved, tmp_path_factory) -> Path:
    data, solution, results = regional_solved
    path = tmp_path_factory.mktemp("out") / "regional__baseline.xlsx"
    return write_results(path, data, results, fixed_run(data, solution))


@pytest.fixture(scope="module")
def sheets(book) -> dict[str, pd.DataFrame]:
    return pd.read_excel(book, sheet_name=None)


def assert_same_table(sheet: pd.DataFrame, table: pd.DataFrame, columns: list[str],
                      rename: dict[str, str] | None = None) -> None:
    """Sheet columns equal the table's: numbers numerically, text as text."""
    rename = rename or {}
    assert len(sheet) == len(table)
    for column in columns:
        got = sheet[rename.get(column, column)].reset_index(drop=True)
        want = table[column].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(want):
            np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=1e-12,
                                       atol=1e-9, err_msg=column)
        else:
            assert got.fillna("").astype(str).tolist() == want.fillna("").astype(str).tolist(), \
                column


def test_every_sheet_is_there_in_order_overview_first_then_summary(book, sheets) -> None:
    assert list(sheets) == list(PLAN_SHEETS)
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[:2] == ["Overview", "Summary"]
    assert list(sheets)[-1] == "Guide"


def test_summary_has_every_spec_metric_with_the_results_values(regional_solved, sheets) -> None:
    _, solution, results = regional_solved
    summary = sheets["Summary"]
    assert list(summary.columns) == ["metric", "value", "note"]
    metrics = summary["metric"].tolist()
    for name in SUMMARY_METRICS:
        assert name in metrics, name
    for s in solution.stages:
        assert f"stage_{s.stage}" in metrics
    assert metrics == results.summary["metric"].tolist() + ["wall_seconds"]
    got = dict(zip(summary["metric"], summary["value"]))
    assert got["wall_seconds"] == pytest.approx(1.25)  # the run record's figure
    for name, want in zip(results.summary["metric"], results.summary["value"]):
        if isinstance(want, (str, bool)):
            assert got[name] == want
        else:
            assert float(got[name]) == pytest.approx(float(want), rel=1e-12, abs=1e-12), name


def test_summary_values_are_numbers_not_text(book) -> None:
    ws = openpyxl.load_workbook(book)["Summary"]
    for metric, value in ws.iter_rows(min_row=2, max_col=2):
        if metric.value in ("scenario", "status"):
            assert value.data_type == "s"
        elif metric.value == "interrupted":
            assert value.data_type == "b" and value.value is False
        else:
            assert value.data_type == "n", metric.value
            assert isinstance(value.value, (int, float))


def test_sessions_are_the_running_ones_with_the_results_values(regional_solved, sheets) -> None:
    _, _, results = regional_solved
    running = results.sessions[results.sessions["sessions"] > 0]
    assert 0 < len(running) < len(results.sessions)  # zero rows are left out
    assert_same_table(sheets["Sessions"], running,
                      ["offer_id", "org_id", "organisation", "territory_id", "family_id",
                       "year", "completion_year", "sessions", "learners", "fill_percent",
                       "cost_eur", "trainer_hours_per_year", "modules", "mobility_cost_eur"],
                      rename={"year": "start_year"})
    assert {"territory", "family"} <= set(sheets["Sessions"].columns)


def test_flows_coverage_trainers_programmes_organisations_equal_the_tables(regional_solved,
                                                                          sheets) -> None:
    _, _, results = regional_solved
    assert_same_table(sheets["Flows"], results.flows,
                      ["territory_id", "offer_id", "org_id", "org_territory_id", "family_id",
                       "year", "completion_year", "learners", "placed_people", "minutes",
                       "learner_minutes"],
                      rename={"territory_id": "home_territory_id", "minutes": "travel_minutes",
                              "year": "start_year"})
    assert_same_table(sheets["Coverage"], results.coverage, list(results.coverage.columns))
    assert_same_table(sheets["Trainers"], results.trainers, list(results.trainers.columns))
    assert_same_table(sheets["Programmes"], results.programmes,
                      list(results.programmes.columns))
    assert_same_table(sheets["Organisations"], results.sites, list(results.sites.columns))


def test_trainers_carry_the_cost_of_hires(regional_solved, sheets) -> None:
    _, _, results = regional_solved
    assert sheets["Trainers"]["hire_cost_eur"].sum() == pytest.approx(
        results.hires["cost_eur"].sum())


def test_unmet_matrix_with_totals_and_the_reasons_beside_it(regional_solved, sheets,
                                                           book) -> None:
    data, _, results = regional_solved
    sheet = sheets["Unmet"]
    from planner.report.sheets import short_labels
    headers = short_labels(list(data.families["family_id"]),
                           dict(zip(data.families["family_id"], data.families["name"])))
    matrix = sheet.dropna(subset=["territory_id"])
    body = matrix[matrix["territory_id"] != "Total"].set_index("territory_id")
    unmet = results.unmet
    for (t, j), value in unmet.set_index(["territory_id", "family_id"])["unmet_people"].items():
        assert body.loc[t, headers[j]] == pytest.approx(value, abs=1e-9)
    # a pair without demand is blank, not 0
    assert pd.isna(body.loc["BEA", headers["QHSE"]])
    total = matrix[matrix["territory_id"] == "Total"].iloc[0]
    assert total["total_people"] == pytest.approx(unmet["unmet_people"].sum())
    np.testing.assert_allclose(body["total_people"],
                               unmet.groupby("territory_id")["unmet_people"].sum()
                               .reindex(body.index), atol=1e-9)
    # ordered by unmet: territories (rows) and families (columns), the most first
    assert body["total_people"].is_monotonic_decreasing
    family_totals = [total[headers[j]] for j in headers if headers[j] in total.index]
    order = [c for c in sheet.columns if c in headers.values()]
    assert [total[c] for c in order] == sorted(family_totals, reverse=True)
    # short headers, whole people shown, a white-to-red scale on the family cells
    assert all(len(h) <= 40 for h in headers.values())
    ws = openpyxl.load_workbook(book)["Unmet"]
    assert ws["C2"].number_format == "#,##0"
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any(r.type == "colorScale" for r in rules)
    # the long table: one row per (territory, family), largest unmet first, with its reason
    long = sheet[["territory_id.1", "family_id", "unmet_people", "reason"]].dropna(
        subset=["family_id"])
    assert len(long) == len(unmet)
    assert long["unmet_people"].is_monotonic_decreasing
    assert long["unmet_people"].sum() == pytest.approx(unmet["unmet_people"].sum())


def test_marginal_values_sheet_says_they_come_later(sheets) -> None:
    assert sheets["MarginalValues"]["note"].tolist() == [MARGINAL_VALUES_PENDING]


def test_marginal_values_when_given_are_written_as_ranked(regional_solved, tmp_path) -> None:
    data, solution, results = regional_solved
    from planner.explain.marginal import marginal_values, relax_unmet
    ranked = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    path = write_results(tmp_path / "mv.xlsx", data, results, fixed_run(data, solution),
                         explanations=Explanations(pd.Series("", index=results.unmet.index),
                                                   ranked), draw_map=False)
    got = pd.read_excel(path, sheet_name="MarginalValues")
    assert len(ranked) > 0
    blank_as_nan = ranked.astype(object).where(ranked != "", np.nan)
    pd.testing.assert_frame_equal(got.astype(object), blank_as_nan, check_dtype=False)


def test_run_sheet_records_input_hash_settings_versions_and_stages(
        regional_solved, tmp_path) -> None:
    data, solution, results = regional_solved
    source = tmp_path / "input.xlsx"
    source.write_bytes(b"not really a workbook, but bytes to hash")
    run = RunRecord.create(source, data, solution, wall_seconds=3.5)
    path = write_results(tmp_path / "out" / "r.xlsx", data, results, run, draw_map=False)
    rows = pd.read_excel(path, sheet_name="Run")
    values = dict(zip(rows["key"], rows["value"]))
    import hashlib
    assert values["input_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert values["input_path"] == str(source.resolve())
    assert values["scenario"] == "baseline"
    for key, value in data.settings.as_rows():
        assert f"setting.{key}" in values
    for name in ("planner", "pyomo", "highspy", "pandas", "openpyxl", "numpy", "python"):
        assert isinstance(values[f"version.{name}"], str)
    for k, s in enumerate(solution.stages, start=1):
        assert values[f"stage.{k}.{s.stage}.status"] == s.status.value
        assert values[f"stage.{k}.{s.stage}.objective"] == pytest.approx(s.objective)
        assert f"stage.{k}.{s.stage}.solver_seconds" in values
    assert values["wall_seconds"] == pytest.approx(3.5)
    assert "T" in values["started_at"]  # ISO 8601


def test_the_same_results_give_the_same_values(regional_solved, tmp_path) -> None:
    data, solution, results = regional_solved
    run = fixed_run(data, solution)
    a = pd.read_excel(write_results(tmp_path / "a.xlsx", data, results, run), sheet_name=None)
    b = pd.read_excel(write_results(tmp_path / "b.xlsx", data, results, run), sheet_name=None)
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_human_touches_frozen_headers_formats_filters_widths_shading(book) -> None:
    wb = openpyxl.load_workbook(book)
    for name in ("Coverage", "Sessions", "Flows", "Trainers", "Organisations"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 6
    sessions = wb["Sessions"]
    header = {c.value: c.column_letter for c in sessions[1]}
    assert sessions[f"{header['cost_eur']}2"].number_format == "#,##0"
    assert sessions[f"{header['fill_percent']}2"].number_format == '0.0"%"'
    assert sessions[f"{header['start_year']}2"].number_format == "General"  # never 2,030
    assert sessions[f"{header['cost_eur']}2"].data_type == "n"
    coverage = wb["Coverage"]
    header = {c.value: c.column_letter for c in coverage[1]}
    letter = header["covered_percent"]
    ranges = [str(r.sqref) for r in coverage.conditional_formatting]
    assert any(r.startswith(f"{letter}2:") for r in ranges)
    rule = next(iter(coverage.conditional_formatting)).rules[0]
    assert rule.type == "colorScale"
    assert wb["Unmet"].freeze_panes == "C2"


def test_normal_mode_writes_the_same_values(regional_solved, tmp_path, sheets) -> None:
    data, solution, results = regional_solved
    path = write_results(tmp_path / "normal.xlsx", data, results, fixed_run(data, solution),
                         write_only=False)
    normal = pd.read_excel(path, sheet_name=None)
    assert list(normal) == list(sheets)
    for name in normal:
        pd.testing.assert_frame_equal(normal[name], sheets[name], check_exact=True)


def test_a_run_without_plan_writes_summary_diagnosis_and_run_only(
        regional_solved, tmp_path) -> None:
    data, _, _ = regional_solved
    run = RunRecord.create(None, data, None, status="infeasible", wall_seconds=0.5)
    run.stages = [replace_stage("targets", "optimal", 0.0), replace_stage("unmet", "infeasible")]
    diagnosis = pd.DataFrame({
        "sheet": ["Offers", "Organisations"], "row": [5, 3],
        "column": ["committed_sessions_per_year", "capacity_hours"], "value": [4, 200],
        "message": ["=committed sessions need 480 h", "site capacity is 200 h"]})
    path = write_results(tmp_path / "fail.xlsx", data, None, run, diagnosis=diagnosis)
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == list(NO_PLAN_SHEETS)
    summary = dict(zip(sheets["Summary"]["metric"], sheets["Summary"]["value"]))
    assert summary["scenario"] == "baseline"
    assert summary["status"] == "infeasible"
    assert summary["stage_targets"] == 0
    assert "stage_unmet" in summary and pd.isna(summary["stage_unmet"])
    pd.testing.assert_frame_equal(sheets["Diagnosis"], diagnosis, check_dtype=False)
    ws = openpyxl.load_workbook(path)["Diagnosis"]
    assert ws["E2"].data_type == "s" and ws["E2"].value == "=committed sessions need 480 h"
    assert "Run" in sheets


def replace_stage(stage: str, status: str, objective: float | None = None):
    from planner.solve import StageResult
    from planner.status import Status
    return StageResult(stage=stage, status=Status(status), objective=objective, bound=None,
                       gap=None, solver_seconds=0.01, highs_status="")


def test_run_sheet_shows_settings_as_typed(book) -> None:
    ws = openpyxl.load_workbook(book)["Run"]
    cells = {row[0].value: row[1] for row in ws.iter_rows(min_row=2, max_col=2)}
    assert cells["setting.first_year"].value == 2029
    assert cells["setting.first_year"].number_format == "General"  # not 2,029
    assert cells["setting.stage_tolerance"].number_format == "General"  # not 0.00
    assert cells["wall_seconds"].number_format == "#,##0.00"


def test_a_stage_without_a_finite_bound_is_recorded_empty(regional_solved, tmp_path) -> None:
    """A MIP stopped by its time limit before any bound: -inf must not reach a cell."""
    from types import SimpleNamespace

    from planner.solve import StageStatus
    from planner.solve.stages import StageResult
    data, solution, results = regional_solved
    stage = StageResult(stage="unmet", status=StageStatus.FEASIBLE, objective=12.0,
                        bound=-np.inf, gap=np.inf, solver_seconds=300.0,
                        highs_status="Time limit reached", attempts=("as started",))
    stopped = SimpleNamespace(stages=[stage], status=StageStatus.FEASIBLE, build_seconds=1.0,
                              handoff_seconds=0.5, lp_method="simplex")
    run = RunRecord.create(None, data, stopped)  # type: ignore[arg-type]
    rows = {key: value for key, value, _ in run.rows()}
    assert rows["stage.1.unmet.bound"] is None and rows["stage.1.unmet.gap"] is None
    path = write_results(tmp_path / "r.xlsx", data, results, run, draw_map=False)
    values = dict(pd.read_excel(path, sheet_name="Run")[["key", "value"]].values)
    assert pd.isna(values["stage.1.unmet.bound"]) and values["status"] == "feasible"


def test_package_versions_name_every_package_and_python() -> None:
    from planner.report import package_versions
    versions = package_versions()
    assert set(versions) >= {"planner", "pyomo", "highspy", "pandas", "openpyxl", "numpy",
                             "python"}
    assert package_versions(("surely-not-installed-pkg",))["surely-not-installed-pkg"] == \
        "not installed"
