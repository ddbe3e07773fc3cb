"""A first hand-solved instance: seats and trainer hours bind."""

from planner.data.tables import planning_data
from planner.model import build_model
from planner.solve import StageStatus, solve


def test_two_year_plan_uses_trainer_hours_and_carries_learners_forward() -> None:
    # Demand 35 people in 2026 (25 in A, 10 in B, B within reach of A's organisation).
    # 10 seats per session, 100 trainer hours per session, 200 h a year -> at most
    # 2 sessions a year; training in 2025 counts for 2026, so 4 sessions cover it.
    data = planning_data(
        {"first_year": 2025, "last_year": 2026, "objective_stages": "unmet,cost"},
        {
            "Territories": [{"territory_id": "A", "name": "A", "latitude": 50, "longitude": 3},
                            {"territory_id": "B", "name": "B", "latitude": 50,
                             "longitude": 3.1}],
            "JobFamilies": [{"family_id": "F", "name": "F"}],
            "Organisations": [{"org_id": "O", "name": "O", "territory_id": "A"}],
            "Offers": [{"offer_id": "P", "org_id": "O", "family_id": "F", "skill": "s",
                        "seats": 10, "trainer_hours_per_session": 100,
                        "max_sessions_per_year": 3, "cost_per_session": 1000}],
            "Demand": [{"territory_id": "A", "family_id": "F", "year": 2026, "people": 25},
                       {"territory_id": "B", "family_id": "F", "year": 2026, "people": 10}],
            "Trainers": [{"territory_id": "A", "skill": "s", "year": y, "available_hours": 200}
                         for y in (2025, 2026)],
        })
    solution = solve(build_model(data))
    assert [s.status for s in solution.stages] == [StageStatus.OPTIMAL] * 2
    assert solution.stage("unmet").objective == 0
    assert solution.stage("cost").objective == 4000
