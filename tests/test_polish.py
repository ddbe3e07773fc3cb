"""Polish (issue 13): sessions and hires fixed at a stage's plan, the stage's LP over the rest.

Two territories, each with an organisation running one session of 10 seats, 10 people
to train in each; 5 minutes to the home territory's site, 50 to the other's.  The unmet
stage's plan sends each territory's learners to the other site (as good as any plan for
unmet demand), and the travel stage's search stops at once on that plan, as a time
limit would stop it on a large instance: polishing moves everyone home, 1,000 -> 100
learner-minutes, with the same sessions.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.config import SolveOptions
from planner.status import Status
from tests.helpers import offer, solve_checked, tiny
from tests.test_verify import LyingEngine, _lying

TWO = dict(
    Organisations=[{"org_id": "OA", "name": "A site", "territory_id": "A"},
                   {"org_id": "OB", "name": "B site", "territory_id": "B"}],
    Offers=[offer(offer_id="PA", org_id="OA", max_sessions_per_year=1),
            offer(offer_id="PB", org_id="OB", max_sessions_per_year=1)],
    Demand=[{"territory_id": t, "family_id": "F", "year": 2025, "people": 10} for t in "AB"],
    Trainers=[{"territory_id": t, "skill": "s", "year": 2025, "available_hours": 1000}
              for t in "AB"],
    Travel=[{"from_territory": a, "to_territory": b, "minutes": 5 if a == b else 50}
            for a in "AB" for b in "AB"],
)


def _crossed(answer, engine):
    """The unmet stage's plan with A's learners at B's site and B's at A's."""
    x = answer.values.copy()
    for j, v in enumerate(engine.compiled.columns):
        if v.parent_component().name == "Learners":
            home, offer_id, _ = v.index()
            x[j] = 10.0 if offer_id != f"P{home}" else 0.0
        elif v.parent_component().name == "Sessions":
            x[j] = 1.0
    return replace(answer, values=x, objective=float(engine._costs @ x))


def _stop_at_start(answer, engine):
    """The search stopped at once: its start back, as a time limit would leave it."""
    x = engine._start.copy()
    return replace(answer, status=Status.FEASIBLE, highs_status="Time limit reached",
                   values=x, objective=float(engine._costs @ x), bound=0.0)


class Remembering(LyingEngine):
    def set_costs(self, costs: np.ndarray) -> None:
        self._costs = costs
        super().set_costs(costs)

    def set_start(self, values: np.ndarray) -> None:
        self._start = values.copy()
        super().set_start(values)


@pytest.fixture
def remembering(monkeypatch: pytest.MonkeyPatch):
    _lying(monkeypatch, {1: _crossed, 2: _stop_at_start})
    monkeypatch.setattr("planner.solve.stages.HighsEngine", Remembering)


def test_polish_moves_learners_home_with_the_same_sessions(remembering) -> None:
    data = tiny({"objective_stages": "unmet,travel"}, **TWO)
    solution, results = solve_checked(data)
    travel = solution.stage("travel")
    assert travel.polished_from == pytest.approx(1000)  # 20 learners x 50 minutes
    assert travel.objective == pytest.approx(100)       # 20 learners x 5 minutes
    assert travel.verification.passed and travel.status is Status.FEASIBLE
    assert dict(zip(results.sessions["offer_id"], results.sessions["sessions"])) == {
        "PA": 1, "PB": 1}
    flows = results.flows.set_index("territory_id")["offer_id"].to_dict()
    assert flows == {"A": "PA", "B": "PB"}
    assert solution.stage("unmet").objective == pytest.approx(0)  # its bound is kept


def test_without_polish_the_stopped_search_keeps_its_plan(remembering) -> None:
    data = tiny({"objective_stages": "unmet,travel"}, **TWO)
    solution, _ = solve_checked(data, SolveOptions(polish=False))
    assert solution.stage("travel").objective == pytest.approx(1000)
    assert solution.stage("travel").polished_from is None


def test_where_both_are_optimal_the_levers_change_no_stage_value(regional_solved) -> None:
    """Goal 4 of issue 13: the shared budget and its shares, polishing, no root restart
    and the search steps left out leave an optimal solve as it was."""
    data, levers, _ = regional_solved
    defaults = (("mip_allow_restart", True), ("mip_heuristic_run_rens", True),
                ("mip_allow_cut_separation_at_nodes", True),
                ("mip_heuristic_run_root_reduced_cost", True))
    plain, _ = solve_checked(data, SolveOptions(
        polish=False, shared_budget=False, stage_shares=(), highs_options=defaults))
    assert [s.status for s in levers.stages] == [Status.OPTIMAL] * len(levers.stages)
    assert [s.status for s in plain.stages] == [Status.OPTIMAL] * len(plain.stages)
    for a, b in zip(levers.stages, plain.stages):
        tolerance = data.settings.mip_gap * max(1.0, abs(b.objective)) + 1e-6
        assert (a.stage, a.objective) == (b.stage, pytest.approx(b.objective, abs=tolerance))


@pytest.mark.parametrize("name", ["mip_allow_restart", "mip_heuristic_run_rens",
                                  "mip_allow_cut_separation_at_nodes",
                                  "mip_heuristic_run_root_reduced_cost"])
def test_the_search_steps_measured_worse_are_off_unless_asked(name: str) -> None:
    """Issue 13: no root restart, no RENS, no cuts below the root, no root reduced-cost
    heuristic (measured on the example and at N = 3 and 10, bench/results.md); a setting
    of the planner's own HiGHS options still wins."""
    from planner.model import build_model
    from planner.solve import HighsEngine
    from planner.solve.compiled import compile_model
    def value(options: SolveOptions) -> bool:
        got = HighsEngine(compiled, options, 10.0, 0.0).highs.getOptionValue(name)
        return got[1] if isinstance(got, tuple) else got  # (status, value) before 1.16

    compiled = compile_model(build_model(tiny(**TWO)))
    assert value(SolveOptions()) is False
    assert value(SolveOptions(highs_options=((name, True),))) is True


@pytest.mark.parametrize("shares, expected", [
    ((), {"unmet": 10.0, "travel": 20.0}),                # equal: half, then all left
    ((("travel", 3.0),), {"unmet": 5.0, "travel": 20.0}),  # a quarter, then all left
])
def test_a_mip_stage_gets_its_share_of_the_time_left(shares, expected) -> None:
    """The budget is time_limit x stages (20 s here); each stage gets its weight's share
    of what is left (the tiny stages use almost none of theirs)."""
    data = tiny({"objective_stages": "unmet,travel", "time_limit_seconds": 10}, **TWO)
    solution, _ = solve_checked(data, SolveOptions(stage_shares=shares))
    assert {s.stage: s.time_limit for s in solution.stages} == pytest.approx(expected, abs=0.5)


def test_a_mip_weighs_timeliness_up_and_cost_down() -> None:
    from planner.config import STAGE_SHARES
    assert dict(STAGE_SHARES) == {"unmet": 1.25, "timeliness": 2.0, "cost": 0.5, "travel": 1.0}
    assert SolveOptions().stage_shares == STAGE_SHARES
