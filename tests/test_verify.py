"""SPEC 4.6: every stage's answer is checked against the compiled model before it is believed.

The checks are driven here by answers made wrong on purpose (a wrong
status, a wrong objective, a point that breaks a row, a fractional
integer), so the logic is tested whatever HiGHS version is installed.
The last tests replay what highspy 1.16.0 did: an "optimal" cost stage
at 400 with a bound of 30, where the optimum is 80.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from planner.cli import main
from planner.config import SolveOptions
from planner.data.write.inputbook import write_input_workbook
from planner.model import build_model
from planner.solve import Answer, HighsEngine, compile_model, solve
from planner.solve import stages as stages_module
from planner.solve.verify import verify
from planner.status import Status
from tests.helpers import BASE, offer, solve_checked, stage, tiny

MIN_FILL = {"Offers": [offer(min_learners=8, cost_per_learner=10)],
            "Demand": [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 3}]}
"""3 people, a session needs 8 learners at 10 EUR: unmet 0 and cost 80 (8 learners)."""


def _min_fill_input(folder: Path) -> Path:
    tables = {k: v for k, v in BASE.items() if k != "settings"}
    tables["Trainers"] = [r for r in tables["Trainers"] if r["year"] == 2025]
    return write_input_workbook(folder / "tiny.xlsx", BASE["settings"], {**tables, **MIN_FILL})


def _solved_stage(data, stage_name: str, lp: bool = False):
    """The compiled model, its engine after solving the stages before ``stage_name``,
    and the answer of ``stage_name``'s own run."""
    if lp:
        data = data.with_settings(integer_sessions=False)
    compiled = compile_model(build_model(data))
    engine = HighsEngine(compiled, SolveOptions(lp_method="simplex"), 60, 0.0)
    for name in data.settings.objective_stages:
        costs = compiled.stage_vector(name)
        engine.set_costs(costs)
        answer = engine.run()
        if name == stage_name:
            return compiled, engine, costs, answer
        engine.add_stage_bound(name, costs, float(costs @ answer.values) + 1e-6)
    raise AssertionError(stage_name)


def _verify(compiled, engine, costs, answer):
    return verify(compiled, engine.stage_rows, costs, 0.0, answer,
                  integer=engine.integer_now, gap_asked=0.0)


def _failed(result) -> set[str]:
    return {c.name for c in result.failed}


def test_a_true_optimum_passes_every_check() -> None:
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    result = _verify(compiled, engine, costs, answer)
    assert result.passed, result.describe()
    assert [c.name for c in result.checks] == ["integrality", "rows", "bounds", "objective",
                                               "bound"]
    assert result.objective == pytest.approx(80) and result.gap == 0.0


def test_highspy_1_16_answer_fails_on_its_objective_and_its_bound() -> None:
    """The point of the unmet stage (cost 400) returned as 'optimal' with objective and
    bound 30 (what highspy 1.16.0 said): feasible, but neither the objective nor the
    status holds."""
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    claimed = _claim_400(answer, engine)
    assert float(costs @ claimed.values) == pytest.approx(400)
    result = _verify(compiled, engine, costs, claimed)
    assert not result.passed
    assert _failed(result) == {"objective", "bound"}, result.describe()
    bound = next(c for c in result.checks if c.name == "bound")
    assert bound.figure == pytest.approx(370 / 400)
    assert "called optimal: objective 400, bound 30" in bound.where


def test_a_point_that_breaks_a_row_is_named() -> None:
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    x = answer.values.copy()
    for j, v in enumerate(compiled.columns):  # 5 more learners from A, placed: 13 in 10 seats
        if v.parent_component().name in ("Learners", "Placed") and v.index()[0] == "A":
            x[j] += 5.0
    result = _verify(compiled, engine, costs, replace(answer, values=x,
                                                      objective=float(costs @ x)))
    assert "rows" in _failed(result)
    rows = next(c for c in result.checks if c.name == "rows")
    assert "SeatLimit" in rows.where and rows.figure > 1e-6


def test_a_fractional_integer_and_a_broken_bound_are_caught() -> None:
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    x = answer.values.copy()
    sessions = [j for j, v in enumerate(compiled.columns) if v.parent_component().name == "Sessions"]
    x[sessions[0]] = 0.5
    result = _verify(compiled, engine, costs, replace(answer, values=x))
    integrality = next(c for c in result.checks if c.name == "integrality")
    assert not integrality.passed and integrality.figure == pytest.approx(0.5)
    assert "Sessions" in integrality.where
    x = answer.values.copy()
    x[sessions[0]] = 6.0  # max_sessions_per_year is 5
    result = _verify(compiled, engine, costs, replace(answer, values=x,
                                                      objective=float(costs @ x)))
    assert "bounds" in _failed(result)


def test_a_dual_bound_above_the_objective_is_refused() -> None:
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    result = _verify(compiled, engine, costs, replace(answer, bound=90.0))
    assert _failed(result) == {"bound"}
    assert "lies above the objective" in result.failed[0].where


def test_a_plan_stopped_by_a_limit_reports_the_recomputed_gap() -> None:
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost")
    result = _verify(compiled, engine, costs, replace(answer, status=Status.FEASIBLE,
                                                      bound=60.0))
    assert result.passed and result.gap == pytest.approx(0.25)  # (80 - 60) / 80
    no_bound = _verify(compiled, engine, costs, replace(answer, status=Status.FEASIBLE,
                                                        bound=None))
    assert no_bound.passed and no_bound.gap is None
    claimed = _verify(compiled, engine, costs, replace(answer, bound=None))
    assert _failed(claimed) == {"bound"}  # an optimum without any bound is not proven


def test_an_lp_optimum_is_proven_by_its_own_duals() -> None:
    """For an LP the bound comes from HiGHS's row duals (weak duality), computed here."""
    compiled, engine, costs, answer = _solved_stage(tiny(**MIN_FILL), "cost", lp=True)
    result = _verify(compiled, engine, costs, answer)
    assert result.passed, result.describe()
    # fractional sessions: 0.3 session holds the 3 learners (at least 8 x 0.3 = 2.4)
    assert result.objective == pytest.approx(30, abs=1e-4)
    assert result.bound == pytest.approx(result.objective, abs=1e-6)
    # without duals nothing is proven; with zero duals the bound is far below
    assert _failed(_verify(compiled, engine, costs, replace(answer, row_dual=None))) == {"bound"}
    zero = replace(answer, row_dual=np.zeros_like(answer.row_dual))
    assert _failed(_verify(compiled, engine, costs, zero)) == {"bound"}


# --- the stage loop with an engine that lies ---------------------------------

Tamper = Callable[[Answer, HighsEngine], Answer]


class LyingEngine(HighsEngine):
    """Runs HiGHS, then alters the answer of the MIP runs named in ``script`` (by run
    number; the LP runs that polish a stage's plan are not counted)."""

    script: dict[int, Tamper] = {}
    runs: list[tuple[bool, str]] = []
    """(had a start, presolve option) of every run, in order."""

    def set_start(self, values: np.ndarray) -> None:
        self._started = True
        super().set_start(values)

    def run(self, time_limit: float | None = None, watch: object = None) -> Answer:
        if not self.integer_now:
            return super().run(time_limit, watch)
        started = getattr(self, "_started", False)
        self._started = False
        LyingEngine.runs.append((started, self.presolve))
        answer = super().run(time_limit, watch)
        tamper = LyingEngine.script.get(len(LyingEngine.runs))
        return answer if tamper is None else tamper(answer, self)


def _lying(monkeypatch: pytest.MonkeyPatch, script: dict[int, Tamper]) -> None:
    monkeypatch.setattr(stages_module, "HighsEngine", LyingEngine)
    LyingEngine.script = script
    LyingEngine.runs = []


def _claim_400(answer: Answer, engine: HighsEngine) -> Answer:
    """What highspy 1.16.0 answered: a feasible plan costing 400 (five sessions, 40
    learners from A), called optimal with objective and bound 30."""
    x = answer.values.copy()
    for j, v in enumerate(engine.compiled.columns):
        name = v.parent_component().name
        if name == "Sessions":
            x[j] = 5.0
        elif name in ("Learners", "Placed"):
            x[j] = 40.0 if v.index()[0] == "A" else 0.0
        elif name == "Shortfall":
            x[j] = 0.0
    return replace(answer, status=Status.OPTIMAL, values=x, objective=30.0, bound=30.0)


def _say_infeasible(answer: Answer, engine: HighsEngine) -> Answer:
    return Answer(Status.INFEASIBLE, "Infeasible", answer.seconds)


def _no_solution(answer: Answer, engine: HighsEngine) -> Answer:
    return Answer(Status.NO_SOLUTION, "Time limit reached", answer.seconds)


def test_a_failed_check_is_solved_again_cold_and_the_true_optimum_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _lying(monkeypatch, {2: _claim_400})  # run 1: unmet; run 2: cost, with a start
    solution, results = solve_checked(tiny(**MIN_FILL))
    assert stage(solution, "cost") == pytest.approx(80)
    cost = solution.stage("cost")
    assert cost.status is Status.OPTIMAL and cost.verification.passed
    assert len(cost.attempts) == 2 and cost.attempts[1] == "cold"
    assert cost.attempts[0].startswith("as started (failed: objective FAILED")
    assert LyingEngine.runs[1][0] is True and LyingEngine.runs[2][0] is False  # cold: no start


def test_when_cold_fails_too_presolve_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    _lying(monkeypatch, {2: _claim_400, 3: _claim_400})
    solution, _ = solve_checked(tiny(**MIN_FILL))
    cost = solution.stage("cost")
    assert stage(solution, "cost") == pytest.approx(80)
    assert [a.split(" (")[0] for a in cost.attempts] == ["as started", "cold",
                                                          "cold, no presolve"]
    assert [presolve for _, presolve in LyingEngine.runs[1:]] == [True, True, False]


def test_a_stage_that_never_passes_is_unverified_and_nothing_is_written(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture) -> None:
    _lying(monkeypatch, {2: _claim_400, 3: _claim_400, 4: _claim_400})
    solution = solve(build_model(tiny(**MIN_FILL)))
    assert not solution.usable and solution.status is Status.UNVERIFIED
    assert solution.stage("cost").status is Status.UNVERIFIED
    assert "objective FAILED" in solution.stage("cost").highs_status

    _lying(monkeypatch, {2: _claim_400, 3: _claim_400, 4: _claim_400})
    path = _min_fill_input(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["solve", str(path), "--output-dir", str(out), "-q"]) == 4
    err = capsys.readouterr().err
    assert "stage 'cost': the solver's answer failed the planner's checks" in err
    assert "bound FAILED" in err and "cold, no presolve" in err
    assert not out.exists() or not any(out.iterdir())


def test_a_later_stage_called_infeasible_is_a_failed_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The previous stage's plan satisfies every row of the next: 'infeasible' is wrong."""
    _lying(monkeypatch, {2: _say_infeasible})
    solution, _ = solve_checked(tiny(**MIN_FILL))
    cost = solution.stage("cost")
    assert cost.status is Status.OPTIMAL and stage(solution, "cost") == pytest.approx(80)
    assert "previous stage's plan satisfies every row" in cost.attempts[0]


def test_a_later_stage_without_a_plan_keeps_the_previous_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _lying(monkeypatch, {2: _no_solution})
    solution, results = solve_checked(tiny(**MIN_FILL))
    cost = solution.stage("cost")
    assert cost.status is Status.FEASIBLE and cost.kept_previous
    assert cost.gap is None and solution.status is Status.FEASIBLE
    assert stage(solution, "unmet") == pytest.approx(0)  # the unmet stage's plan, verified
    assert cost.objective == pytest.approx(float(results.sessions["cost_eur"].sum()))


def test_the_minimum_fill_instance_costs_80_through_the_command_line(tmp_path: Path) -> None:
    """The instance highspy 1.16.0 got wrong (400 called optimal), end to end."""
    from tests.workbooks import summary
    path = _min_fill_input(tmp_path)
    assert main(["solve", str(path), "--output-dir", str(tmp_path), "-q"]) == 0
    metrics = summary(tmp_path / "tiny__baseline.xlsx")
    assert metrics["status"] == "optimal"
    assert float(metrics["stage_cost"]) == pytest.approx(80)
    assert float(metrics["cost_eur"]) == pytest.approx(80)


def test_with_highs_default_tolerance_the_real_solver_is_checked_too() -> None:
    """HiGHS's default MIP feasibility tolerance is where highspy 1.16.0 answered 400 as
    optimal for this instance (the planner tightens it): whatever the installed version
    answers, the stage ends at 80 and a retried run names the check that failed."""
    options = SolveOptions(highs_options=(("mip_feasibility_tolerance", 1e-6),))
    solution, _ = solve_checked(tiny(**MIN_FILL), options)
    cost = solution.stage("cost")
    assert stage(solution, "cost") == pytest.approx(80) and cost.verification.passed
    for attempt in cost.attempts[:-1]:
        assert "(failed: " in attempt and ("objective FAILED" in attempt
                                           or "bound FAILED" in attempt)


def test_the_solver_banner_stays_off_the_console_unless_verbose(tmp_path: Path) -> None:
    import subprocess
    import sys
    path = _min_fill_input(tmp_path)
    quiet = subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "-o",
                            str(tmp_path / "q"), "-q"], capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    normal = subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "-o",
                             str(tmp_path / "n")], capture_output=True, text=True)
    assert normal.returncode == 0
    assert "Running HiGHS" not in normal.stdout + normal.stderr
    assert "Copyright" not in normal.stdout + normal.stderr
    verbose = subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "-o",
                              str(tmp_path / "v"), "--verbose"], capture_output=True, text=True)
    assert verbose.returncode == 0 and "Running HiGHS" in verbose.stdout + verbose.stderr
