"""The invariant checker catches broken plans (so its silence means something)."""

from __future__ import annotations

from planner.invariants import plan_violations
from tests.helpers import offer, solve_checked, tiny


def solved():
    orgs = [{"org_id": "O", "name": "Org", "territory_id": "A", "capacity_hours": 300}]
    data = tiny(Organisations=orgs, Offers=[offer(min_learners=5, max_sessions_per_year=3)],
                Demand=[{"territory_id": t, "family_id": "F", "year": 2025, "people": 12}
                        for t in ("A", "B")])
    return solve_checked(data)


def test_a_sound_plan_has_no_violation() -> None:
    solution, results = solved()
    assert plan_violations(solution, results) == []


def test_learners_beyond_seats_are_caught() -> None:
    solution, results = solved()
    results.sessions.loc[0, "learners"] += 50
    assert any("exceed seats" in v for v in plan_violations(solution, results))


def test_learners_below_minimum_fill_are_caught() -> None:
    solution, results = solved()
    results.sessions.loc[0, "learners"] = 1
    assert any("below min_learners" in v for v in plan_violations(solution, results))


def test_site_hours_beyond_capacity_are_caught() -> None:
    solution, results = solved()
    results.running.loc[0, "trainer_hours"] = 301
    assert any("above capacity" in v for v in plan_violations(solution, results))


def test_a_flow_beyond_the_travel_limit_is_caught() -> None:
    solution, results = solved()
    results.flows.loc[0, "territory_id"] = "C"  # 159 minutes from A
    assert any("exceeds the travel limit" in v for v in plan_violations(solution, results))


def test_a_shortfall_below_demand_minus_placed_is_caught() -> None:
    solution, results = solved()
    results.coverage.loc[0, "shortfall_people"] += 5
    assert any("below demand minus placed" in v for v in plan_violations(solution, results))


def test_a_stage_bound_broken_by_the_final_plan_is_caught() -> None:
    solution, results = solved()
    results.coverage.loc[results.coverage.index[-1], "shortfall_people"] += 3
    violations = plan_violations(solution, results)
    assert any(v.startswith("stage unmet") for v in violations)
