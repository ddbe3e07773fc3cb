"""Multi-year programmes and cohorts already in training (SPEC revision 2), by hand.

Each instance is small enough to solve on paper; the comments give the
computation.  Every solve also checks the invariants (running cohorts within
trainer and site hours, coverage from completers) and that each stage value
is recomputed from the result tables (``helpers.solve_checked``).
"""

from __future__ import annotations

import pytest

from planner.data import presolve_checks
from planner.data.check.validate import check_tables
from planner.explain.unmet import unmet_reasons
from planner.results import IN_TRAINING, PLAN
from tests.helpers import offer, solve_checked, stage, tiny
from tests.report_instances import regional_data


def trainers(hours: float, years: range = range(2025, 2031)) -> list[dict]:
    return [{"territory_id": "A", "skill": "s", "year": y, "available_hours": hours}
            for y in years]


def demand(people: float, year: int) -> list[dict]:
    return [{"territory_id": "A", "family_id": "F", "year": year, "people": people}]


def test_a_two_year_programme_started_in_the_last_year_counts_for_nothing() -> None:
    # 2025-2026, one session of 10 a year, 20 people needed by 2026. One year long: both
    # years' sessions count (unmet 0). Two years long: the 2025 session completes at the
    # end of 2026 (10 placed); the 2026 one completes in 2027, after the plan: unmet 10.
    settings = {"last_year": 2026}
    one = tiny(settings, Offers=[offer(max_sessions_per_year=1)], Demand=demand(20, 2026),
               Trainers=trainers(1000, range(2025, 2027)))
    solution, _ = solve_checked(one)
    assert stage(solution, "unmet") == pytest.approx(0)
    two = tiny(settings, Offers=[offer(max_sessions_per_year=1, duration_years=2)],
               Demand=demand(20, 2026), Trainers=trainers(1000, range(2025, 2027)))
    solution, results = solve_checked(two)
    assert stage(solution, "unmet") == pytest.approx(10)
    sessions = results.sessions.set_index("year")
    assert sessions.loc[2025, "completion_year"] == 2026
    assert sessions.loc[2026, "completion_year"] == 2027
    # the 2026 start counts for nothing, so the cost stage does not start it
    assert sessions.loc[2026, "sessions"] == 0
    assert results.metric("trained_people") == pytest.approx(10)
    assert results.metric("started_people") == pytest.approx(10)


def test_running_cohorts_bind_the_trainer_pool() -> None:
    # 2025-2027, 100 trainer hours a session and a year, 150 hours a year: one session can
    # run at a time. One year long: a session a year, 30 trained for 30 people. Two years
    # long: a 2025 start runs in 2025-2026, a 2026 start in 2026-2027; at most one of them
    # (2026 holds both), so 10 complete by 2027: unmet 20.
    settings = {"last_year": 2027}
    rows = dict(Demand=demand(30, 2027), Trainers=trainers(150, range(2025, 2028)))
    solution, _ = solve_checked(tiny(settings, Offers=[offer()], **rows))
    assert stage(solution, "unmet") == pytest.approx(0)
    solution, results = solve_checked(tiny(settings, Offers=[offer(duration_years=2)], **rows))
    assert stage(solution, "unmet") == pytest.approx(20)
    used = results.trainers.set_index("year")["used_hours"]
    assert used.max() == pytest.approx(100) and (used <= 150).all()
    running = results.running.set_index("year")["sessions_running_plan"]
    assert running.max() == pytest.approx(1)


def test_an_in_training_cohort_completing_in_the_first_year_covers_demand() -> None:
    # 2025 only; 10 people needed. A two-year programme started in 2025 completes in 2026:
    # nothing. The cohort that started in 2024 (8 learners) completes at the end of 2025:
    # 8 placed, unmet 2. It runs in 2025: 100 of the 150 trainer hours.
    data = tiny(Offers=[offer(duration_years=2)], Demand=demand(10, 2025),
                Trainers=trainers(150, range(2025, 2026)),
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 8}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(2)
    assert results.trainers["used_hours"].sum() == pytest.approx(100)
    pipeline = results.pipeline.set_index("source")
    assert pipeline.loc[IN_TRAINING, "completing_people"] == pytest.approx(8)
    assert PLAN not in pipeline.index  # nothing the plan starts in 2025 is worth it
    assert results.metric("trained_people") == pytest.approx(8)
    assert results.metric("started_people") == pytest.approx(0)


def test_a_completion_rate_of_half_halves_the_placements() -> None:
    # One session of 10, completion 0.5: 5 complete and are placed; 10 needed: unmet 5.
    data = tiny(Offers=[offer(max_sessions_per_year=1, completion_rate=0.5)],
                Demand=demand(10, 2025), Trainers=trainers(1000, range(2025, 2026)))
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(5)
    assert results.metric("started_people") == pytest.approx(10)
    assert results.metric("trained_people") == pytest.approx(5)
    assert results.metric("placed_people") == pytest.approx(5)


def test_costs_count_the_planning_years_only() -> None:
    # 2025-2026; a three-year programme, one committed session a year, 1,000 EUR a session
    # and a year, no learners needed (no demand, minimum fill 0). The 2025 start runs in
    # 2025 and 2026 (2027 is after the plan): 2,000; the 2026 start: 1,000. A cohort that
    # started in 2024 (1 session, 5 learners at 10 EUR a year) runs in 2025 and 2026:
    # 2 x 1,000 + 2 x 5 x 10 = 2,100. Total 5,100.
    data = tiny({"last_year": 2026},
                Offers=[offer(duration_years=3, committed_sessions_per_year=1,
                              cost_per_session=1000, cost_per_learner=10)],
                Demand=demand(0, 2025), Trainers=trainers(1000, range(2025, 2027)),
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 5}])
    solution, results = solve_checked(data)
    assert stage(solution, "cost") == pytest.approx(5100)
    sessions = results.sessions.set_index("year")
    assert sessions.loc[2025, "session_cost_eur"] == pytest.approx(2000)
    assert sessions.loc[2026, "session_cost_eur"] == pytest.approx(1000)
    assert results.metric("cost_eur") == pytest.approx(5100)


def test_in_training_costs_count_in_their_programme_budget() -> None:
    # The cohort of the test above costs 2,100 in the plan's years; with a budget of 2,500
    # the programme has 400 left: no committed session (2,000 for the 2025 start) fits.
    base = dict(Demand=demand(0, 2025), Trainers=trainers(1000, range(2025, 2027)),
                Programmes=[{"programme_id": "G", "name": "G", "budget": 2500}],
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 5}])
    data = tiny({"last_year": 2026},
                Offers=[offer(duration_years=3, committed_sessions_per_year=1,
                              cost_per_session=1000, cost_per_learner=10, programme_id="G")],
                **base)
    issues = [i for i in presolve_checks(data) if i.rule == "infeasible-budget"]
    assert len(issues) == 1
    assert "cohorts already in training cost 2 100 EUR" in issues[0].message


def test_a_target_is_met_by_completers_only() -> None:
    # 2025-2026, persons target 15, one session of 10 a year, two years long: only the
    # 2025 start completes within the plan (10 persons); the 2026 start does not count,
    # nor do the 10 learners of a cohort already in training: target shortfall 5 / 15.
    rows = dict(Demand=demand(0, 2025), Trainers=trainers(1000, range(2025, 2027)),
                Programmes=[{"programme_id": "G", "name": "G", "persons_target": 15}],
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 10}])
    settings = {"last_year": 2026, "objective_stages": "targets,cost"}
    solution, results = solve_checked(tiny(settings, Offers=[offer(
        max_sessions_per_year=1, duration_years=2, programme_id="G")], **rows))
    assert stage(solution, "targets") == pytest.approx(5 / 15)
    programme = results.programmes.iloc[0]
    assert programme["persons_trained"] == pytest.approx(10)
    # one year long, both years' sessions count: 20 >= 15
    solution, _ = solve_checked(tiny(settings, Offers=[offer(
        max_sessions_per_year=1, programme_id="G")], **rows))
    assert stage(solution, "targets") == pytest.approx(0)


def test_defaults_give_the_values_of_revision_1() -> None:
    """Stage values of the regional instance before multi-year programmes existed
    (solved on the commit before them), with no new column and no InTraining sheet."""
    data = regional_data()
    solution, _ = solve_checked(data)
    assert {s.stage: s.objective for s in solution.stages} == pytest.approx(
        {"targets": 0.0, "unmet": 1706.2000000000003, "cost": 1764528.9099411764}, rel=1e-9)
    solution, _ = solve_checked(data.with_settings(integer_sessions=False))
    assert {s.stage: s.objective for s in solution.stages} == pytest.approx(
        {"targets": 0.0, "unmet": 1706.2000000000003, "cost": 1755674.0451078434}, rel=1e-9)


# --- validation and explanations -------------------------------------------

def _rules(data, sheet: str | None = None) -> dict[str, list]:
    found: dict[str, list] = {}
    for issue in check_tables(data.settings, data.tables):
        if sheet is None or issue.sheet == sheet:
            found.setdefault(issue.rule, []).append(issue)
    return found


def test_in_training_rows_are_checked_and_located() -> None:
    data = tiny(Offers=[offer(duration_years=2)],
                InTraining=[{"offer_id": "P", "start_year": 2025, "sessions": 1,
                             "learners": 5, "_row": 2},
                            {"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 11, "_row": 3},
                            {"offer_id": "P", "start_year": 2020, "sessions": 1,
                             "learners": 5, "_row": 4},
                            {"offer_id": "Q", "start_year": 2024, "sessions": 1.5,
                             "learners": 5, "_row": 5}])
    found = _rules(data, "InTraining")
    [year] = found["year-range"]
    assert (year.sheet, year.row, year.column, year.value) == ("InTraining", 2, "start_year",
                                                               2025)
    assert "must be before first_year 2025" in year.message
    [seats] = found["cohort-learners-seats"]
    assert (seats.row, seats.column, seats.value) == (3, "learners", 11)
    assert "which seats 10 a session (at most 10)" in seats.message
    [done] = found["cohort-completed"]
    assert (done.row, done.severity.value) == (4, "warning")
    assert "completed at the end of 2021, before first_year 2025" in done.message
    assert [(i.row, i.column) for i in found["reference"]] == [(5, "offer_id")]
    assert [(i.row, i.column) for i in found["integer"]] == [(5, "sessions")]


def test_new_offer_columns_are_checked_and_a_programme_too_long_is_a_warning() -> None:
    data = tiny(Offers=[offer(duration_years=0, _row=2),
                        offer(offer_id="P2", completion_rate=1.5, _row=3),
                        offer(offer_id="P3", duration_years=2, _row=4)])
    found = _rules(data, "Offers")
    assert [(i.row, i.column) for i in found["bounds"]] == [(2, "duration_years"),
                                                           (3, "completion_rate")]
    [long] = found["programme-too-long"]
    assert (long.row, long.column, long.severity.value) == (4, "duration_years", "warning")
    assert "completes at the end of 2026, after last_year 2025" in long.message


def test_cohorts_needing_more_trainer_hours_than_exist_name_their_rows() -> None:
    data = tiny({"last_year": 2026}, Offers=[offer(duration_years=3)],
                Trainers=trainers(150, range(2025, 2027)),
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 2,
                             "learners": 10, "_row": 7}])
    [issue] = [i for i in presolve_checks(data) if i.rule == "infeasible-trainer-hours"]
    assert (issue.sheet, issue.row, issue.column) == ("InTraining", 7, "sessions")
    assert "a cohort already in training needs 200 hours (InTraining rows 7)" in issue.message
    assert "Trainers gives 150 hours" in issue.message


def test_an_unmet_cell_whose_offers_cannot_complete_in_time_says_so() -> None:
    # 2029-2030, a three-year programme: a session started in 2029 completes in 2031.
    settings = {"first_year": 2029, "last_year": 2030}
    data = tiny(settings, Offers=[offer(duration_years=3)], Demand=demand(10, 2030),
                Trainers=trainers(1000, range(2029, 2031)))
    solution, results = solve_checked(data)
    reasons = unmet_reasons(solution, results)
    assert reasons.iloc[0] == (
        "no offer within reach can complete in time: P is a 3-year programme and must start "
        "by 2028 to count for 2030, before the planning starts in 2029")


# --- scenario edits on the new columns and sheet ------------------------------

def test_scenarios_edit_durations_completion_rates_and_cohorts() -> None:
    from planner.scenarios.edits import apply_scenario

    def row(k: int, sheet: str, column: str, operation: str, value: str,
            where: tuple[str, str] | None = None) -> dict:
        return {"scenario": "longer", "sheet": sheet, "column": column, "operation": operation,
                "value": value, "where_column": where[0] if where else None,
                "where_value": where[1] if where else None, "_row": k}

    data = tiny({"last_year": 2026},
                Offers=[offer(), offer(offer_id="P2")], Demand=demand(10, 2026),
                Trainers=trainers(1000, range(2025, 2027)),
                InTraining=[{"offer_id": "P", "start_year": 2024, "sessions": 1,
                             "learners": 8}],
                Scenarios=[row(2, "Offers", "duration_years", "set", "2", ("offer_id", "P2")),
                           row(3, "Offers", "completion_rate", "scale", "0,9"),
                           row(4, "InTraining", "learners", "add", "2")])
    edited = apply_scenario(data, "longer").data
    offers = edited.offers.set_index("offer_id")
    assert offers.loc["P2", "duration_years"] == 2 and offers.loc["P", "duration_years"] == 1
    assert offers["completion_rate"].tolist() == pytest.approx([0.9, 0.9])
    assert edited.in_training["learners"].tolist() == [10]
    assert edited.derived is not None and edited.derived.offers["P2"].duration_years == 2
    # the base is untouched
    assert data.offers["duration_years"].tolist() == [1, 1]
    assert data.in_training["learners"].tolist() == [8]
