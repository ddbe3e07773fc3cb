"""Explanations: infeasibility named row by row, unmet reasons, marginal values."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.data import presolve_checks
from planner.data.check.rules import Rule
from planner.explain.infeasible import diagnose
from planner.explain.marginal import marginal_values, relax_unmet
from planner.explain.unmet import unmet_reasons
from planner.model import build_model
from planner.solve import StageStatus, solve
from tests.helpers import TERRITORIES, offer, solve_checked, tiny


def infeasible(data):
    solution = solve(build_model(data))
    assert solution.stages[-1].status is StageStatus.INFEASIBLE
    assert not solution.usable
    return diagnose(solution)


def kinds(diagnosis) -> set[str]:
    return {limit.kind for limit in diagnosis.limits}


def cells(diagnosis) -> set[tuple[str, str]]:
    table = diagnosis.table()
    return set(zip(table["sheet"], table["column"]))


def test_committed_sessions_beyond_trainer_hours() -> None:
    d = infeasible(tiny(Offers=[offer(committed_sessions_per_year=3)],
                        Trainers=[{"territory_id": "A", "skill": "s", "year": 2025,
                                   "available_hours": 250}]))
    assert "irreducible infeasible subset" in d.method
    assert kinds(d) == {"trainer pool", "committed sessions"}
    assert cells(d) == {("Trainers", "available_hours"),
                        ("Offers", "committed_sessions_per_year")}
    text = d.text()
    assert "needing 300 trainer hours of s in Alpha (A)" in text
    assert "250 h available" in text


def test_committed_sessions_beyond_site_capacity() -> None:
    d = infeasible(tiny(Offers=[offer(committed_sessions_per_year=3)],
                        Organisations=[{"org_id": "O", "name": "Org", "territory_id": "A",
                                        "capacity_hours": 200}]))
    assert cells(d) == {("Organisations", "capacity_hours"),
                        ("Offers", "committed_sessions_per_year")}
    assert "hosts at most 200 trainer-led hours" in d.text()


def test_committed_costs_beyond_budget() -> None:
    d = infeasible(tiny(Offers=[offer(committed_sessions_per_year=3, cost_per_session=1000,
                                      programme_id="G")],
                        Programmes=[{"programme_id": "G", "name": "G", "budget": 2500}]))
    assert cells(d) == {("Programmes", "budget"), ("Offers", "committed_sessions_per_year")}
    assert "budget of 2 500 EUR" in d.text()


def test_committed_sessions_beyond_ramp_up() -> None:
    d = infeasible(tiny(Offers=[offer(committed_sessions_per_year=4, baseline_sessions=1,
                                      max_new_sessions_per_year=2)]))
    assert kinds(d) == {"ramp-up", "committed sessions"}
    assert ("Offers", "baseline_sessions") in cells(d)


def test_minimum_fill_with_no_learner_within_reach() -> None:
    territories = [TERRITORIES[0], dict(TERRITORIES[2], max_travel_minutes=1e-3)]
    d = infeasible(tiny(Territories=territories,
                        Organisations=[{"org_id": "O", "name": "Org", "territory_id": "C"}],
                        Offers=[offer(committed_sessions_per_year=1, min_learners=5)],
                        Trainers=[{"territory_id": "C", "skill": "s", "year": 2025,
                                   "available_hours": 1000}]))
    assert kinds(d) == {"minimum fill", "committed sessions"}
    assert "learners can come from no territory" in d.text()


def test_whole_numbers_conflict_names_the_chain_of_limits() -> None:
    # Two committed sessions need 200 h; 150 h are there and half a hire would do, but
    # a hire costs 1,000 EUR against a 600 EUR budget.
    d = infeasible(tiny(
        Offers=[offer(committed_sessions_per_year=2)],
        Trainers=[{"territory_id": "A", "skill": "s", "year": 2025, "available_hours": 150}],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "cost_per_trainer_year": 1000,
                        "programme_id": "G"}],
        Programmes=[{"programme_id": "G", "name": "G", "budget": 600}]))
    assert "feasibility relaxation" in d.method
    assert {"committed sessions", "trainer pool", "budget"} <= kinds(d)


def test_presolve_conflicts_come_first() -> None:
    # the conflicts the loader hands over: what presolve_checks finds in this very data
    data = tiny(Offers=[offer(committed_sessions_per_year=3)],
                Trainers=[{"territory_id": "A", "skill": "s", "year": 2025,
                           "available_hours": 250}])
    conflicts = presolve_checks(data)
    assert [i.rule for i in conflicts] == [Rule.INFEASIBLE_TRAINER_HOURS]
    d = diagnose(solve(build_model(data)), conflicts)
    assert d.method == "pre-solve checks of the input"
    assert d.table()[["sheet", "column", "value"]].values.tolist() == [
        ["Offers", "committed_sessions_per_year", 3]]
    assert "300 trainer hours" in d.text()


def marginal_instance():
    # Fitters in A: 50 people, trainers 250 h (2.5 sessions in the LP), no hire possible.
    # Welders in C: 10 people; the only welding offer is in B, 151 minutes from C, whose
    # limit is 150 minutes: 15 more minutes would reach it.
    territories = [dict(t) for t in TERRITORIES]
    territories[2]["max_travel_minutes"] = 150
    return tiny(
        JobFamilies=[{"family_id": "F", "name": "Fitters"}, {"family_id": "W", "name": "Welders"}],
        Organisations=[{"org_id": "O", "name": "Org", "territory_id": "A"},
                       {"org_id": "O2", "name": "Org 2", "territory_id": "B"}],
        Offers=[offer(), offer(offer_id="P2", org_id="O2", family_id="W", skill="w")],
        Territories=territories,
        Trainers=[{"territory_id": "A", "skill": "s", "year": 2025, "available_hours": 250},
                  {"territory_id": "B", "skill": "w", "year": 2025, "available_hours": 1000}],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 0,
                        "hours_per_trainer": 120}],
        Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 50},
                {"territory_id": "C", "family_id": "W", "year": 2025, "people": 10}])


def test_marginal_values_of_a_trainer_and_of_travel_minutes() -> None:
    solution, results = solve_checked(marginal_instance())
    relaxation = relax_unmet(solution)
    assert relaxation is not None
    assert relaxation.objective == pytest.approx(25 + 10)  # LP: 2.5 sessions, C unreachable
    table = marginal_values(solution, results, relaxation).set_index("limit")
    # one trainer-hour = 0.1 learner (10 seats / 100 h); 250 more hours would train the
    # other 25 fitters (the range), so one trainer (120 h) is within it: 12 people
    pool = table.loc["trainer pool"]
    assert pool["value_per_unit"] == pytest.approx(0.1)
    assert pool["holds_up_to"] == pytest.approx(250)
    assert pool["step"] == pytest.approx(120)
    assert pool["unmet_weighted_reduction"] == pytest.approx(12)
    assert pool["current_value"] == pytest.approx(250)  # every row says what it is now
    assert pool["unit"] == "trainer hours a year" and pool["years"] == "2025"
    # hiring is at its maximum (0 a year): one more hire a year, 120 h, also 12; the range
    # is the 25 fitters' 250 h, 2.08 hires
    hires = table.loc["hiring maximum"]
    assert hires["unmet_weighted_reduction"] == pytest.approx(12)
    assert hires["holds_up_to"] == pytest.approx(250 / 120)
    travel = table.loc["travel limit"]
    assert travel["unmet_weighted_reduction"] == pytest.approx(10)
    assert travel["what"] == "travel limit of Gamma (C)"
    assert travel["current_value"] == 150 and travel["step"] == 15
    assert list(table["rank"]) == [1, 2, 3]
    # each ranked row names the Scenarios row that tests it
    assert travel[["test_sheet", "test_column", "test_where_column", "test_where_value",
                   "test_operation", "test_value"]].tolist() == [
        "Territories", "max_travel_minutes", "territory_id", "C", "add", 15]
    # the solve's HiGHS model is restored: still a MIP with every stage bound
    assert solution.compiled.integer.any()


def test_marginal_values_of_sessions_budget_and_site_hours() -> None:
    demand = [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 100}]
    orgs = [{"org_id": "O", "name": "Org", "territory_id": "A"},
            {"org_id": "O2", "name": "Org 2", "territory_id": "A", "capacity_hours": 250},
            {"org_id": "O3", "name": "Org 3", "territory_id": "A"}]
    offers = [offer(max_sessions_per_year=2),
              offer(offer_id="P2", org_id="O2"),
              offer(offer_id="P3", org_id="O3", programme_id="G", cost_per_session=1000)]
    data = tiny(Organisations=orgs, Offers=offers, Demand=demand,
                Programmes=[{"programme_id": "G", "name": "G", "budget": 1500}])
    solution, results = solve_checked(data)
    relaxation = relax_unmet(solution)
    # LP: P 2 sessions + P2 2.5 (250 h) + P3 1.5 (1,500 EUR) = 60 learners -> 40 unmet
    assert relaxation.objective == pytest.approx(40)
    table = marginal_values(solution, results, relaxation, travel_territories=0)
    by = table.set_index("limit")
    assert by["value_per_unit"].to_dict() == pytest.approx(
        {"budget": 0.01, "offer maximum": 10.0, "site capacity": 0.1})
    # the budget's value holds until P3 reaches its 5 sessions: 3,500 EUR more; the
    # 10,000 EUR step is beyond it, so the step is 2,000 EUR (20 people, 100 EUR each)
    budget = by.loc["budget"]
    assert budget["holds_up_to"] == pytest.approx(3500)
    assert budget["step"] == 2000 and budget["unmet_weighted_reduction"] == pytest.approx(20)
    assert budget["step_cost_eur"] == 2000 and budget["cost_per_person_eur"] == pytest.approx(100)
    assert budget["current_value"] == 1500
    # one more session of P (max 2): 10 people, holding for 4 more (the 40 unmet)
    assert by.loc["offer maximum", "holds_up_to"] == pytest.approx(4)
    assert by.loc["offer maximum", "current_value"] == 2
    # 100 more site hours at O2: one session, 10 people; P2 reaches its maximum at +250 h
    assert by.loc["site capacity", "unmet_weighted_reduction"] == pytest.approx(10)
    assert by.loc["site capacity", "holds_up_to"] == pytest.approx(250)
    assert table["rank"].tolist() == [1, 2, 3]


def test_a_step_beyond_the_range_is_cut_to_a_round_number_within_it() -> None:
    from planner.explain.marginal import nice_floor
    assert [nice_floor(v) for v in (3500, 810, 1.0, 0.137, 0.0)] == [2000, 500, 1, 0.1, 0]


def test_tied_limits_are_one_row() -> None:
    # five offers at their maximum of one session, each worth the same 10 people
    offers = [offer(offer_id=f"P{i}", max_sessions_per_year=1) for i in range(5)]
    data = tiny(Offers=offers,
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 80}])
    solution, results = solve_checked(data)
    table = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["limits"] == 5 and row["what"].startswith("5 offers, each worth the same: ")
    assert row["unmet_weighted_reduction"] == pytest.approx(10)


def test_unmet_reasons_name_the_limit_or_the_distance() -> None:
    solution, results = solve_checked(marginal_instance())
    reasons = unmet_reasons(solution, results, relax_unmet(solution))
    by = dict(zip(results.unmet["territory_id"], reasons))
    assert by["A"] == ("Mainly trainer hours of 1 pool (s trainers in Alpha (A) (hiring at its "
                       "maximum) in 2025, 10.0 people per extra session)")

    assert by["C"].startswith("no offer within reach: the nearest offer of this family is in "
                              "Beta (B), 151.3 min away; the travel limit is 150 min")


def test_unmet_reasons_without_any_offer_of_the_family() -> None:
    data = tiny(JobFamilies=[{"family_id": "F", "name": "Fitters"},
                             {"family_id": "X", "name": "Other"}],
                Demand=[{"territory_id": "A", "family_id": "X", "year": 2025, "people": 5}])
    solution, results = solve_checked(data)
    reasons = unmet_reasons(solution, results)
    assert reasons.tolist() == ["no offer within reach: no offer teaches this family"]


def test_no_reason_where_nothing_is_unmet() -> None:
    solution, results = solve_checked(tiny())
    assert unmet_reasons(solution, results).tolist() == [""]


def test_marginal_values_add_up_over_the_years_of_a_limit() -> None:
    # Two years, 250 trainer hours each (2.5 sessions in the LP), 100 people needed by
    # the end of 2026: each year's extra trainer (120 h) trains 12 more people.
    data = tiny({"last_year": 2026},
                Trainers=[{"territory_id": "A", "skill": "s", "year": y, "available_hours": 250}
                          for y in (2025, 2026)],
                TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 0,
                                "hours_per_trainer": 120}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2026, "people": 100}])
    solution, results = solve_checked(data)
    table = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    row = table.set_index("limit").loc["trainer pool"]
    assert row["years"] == "2025-2026"
    assert row["value_per_unit"] == pytest.approx(0.2)  # 0.1 a year, both years at once
    assert row["unmet_weighted_reduction"] == pytest.approx(24)  # one trainer, both years
    assert row["rows"] == ""  # built from records: no Excel rows


def test_unmet_reasons_group_offers_at_their_maximum() -> None:
    offers = [offer(offer_id=f"P{i}", max_sessions_per_year=1) for i in range(5)]
    data = tiny(Offers=offers,
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 80}])
    solution, results = solve_checked(data)
    reason = unmet_reasons(solution, results, relax_unmet(solution)).iloc[0]
    assert reason == ("Mainly the maximum of 5 offers within reach (the largest: P0 in 2025, "
                      "10.0 people per extra session)")
    from planner.explain.unmet import main_cause
    assert main_cause(reason) == "offer maximum"


def test_travel_probes_widen_one_territory_at_a_time() -> None:
    # C and D (both 151 minutes from the welding offer in B, limit 150) each need 10
    # welders: 15 more minutes for one of them is worth 10, not 20.
    data = marginal_instance()
    territories = data.tables["Territories"]
    d_row = territories.iloc[[2]].assign(territory_id="D", name="Delta", _row=None)
    data.tables["Territories"] = pd.concat([territories, d_row], ignore_index=True)
    demand = data.tables["Demand"]
    data.tables["Demand"] = pd.concat(
        [demand, demand.iloc[[1]].assign(territory_id="D", _row=None)], ignore_index=True)
    solution, results = solve_checked(data)
    table = marginal_values(solution, results, relax_unmet(solution))
    travel = table[table["limit"] == "travel limit"]
    assert len(travel) == 1  # the two probes are worth the same: one row of tied limits
    row = travel.iloc[0]
    assert row["limits"] == 2 and row["unmet_weighted_reduction"] == pytest.approx(10)
    assert "travel limit of Delta (D)" in row["what"] and "Gamma (C)" in row["what"]


def test_an_lp_keeps_the_unmet_stage_as_its_relaxation() -> None:
    # With fractional sessions the unmet stage's own solve is the relaxation: its duals
    # are kept, and give the same values as re-solving the relaxation afterwards.
    data = marginal_instance().with_settings(integer_sessions=False)
    solution, results = solve_checked(data)
    assert solution.unmet_lp is not None
    kept = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    solution.unmet_lp = None
    resolved = marginal_values(solution, results, relax_unmet(solution), travel_territories=0)
    pd.testing.assert_frame_equal(kept, resolved)
    assert kept.set_index("limit").loc["trainer pool", "unmet_weighted_reduction"] == \
        pytest.approx(12)


@pytest.mark.parametrize("integer", [True, False])
def test_travel_probes_start_from_the_relaxations_basis_and_agree_with_cold_ones(
        integer: bool) -> None:
    from planner.explain.marginal import _TravelProbe

    data = marginal_instance().with_settings(integer_sessions=integer)
    solution, _ = solve_checked(data)
    relaxation = relax_unmet(solution)
    warm = _TravelProbe(solution, relaxation, {"C": 165.0})
    assert warm.start is not None  # the mapped basis was accepted by HiGHS
    cold = _TravelProbe(solution, relaxation, {"C": 165.0})
    cold.start = None
    assert warm.unmet_with_wider_limit("C") == pytest.approx(25)  # C's 10 welders reached
    assert cold.unmet_with_wider_limit("C") == pytest.approx(25)
    # with C's new flows held at zero the start basis is optimal: no pivot, where a
    # solve from scratch (presolve off, or it would solve this tiny LP alone) needs some
    highs = warm.engine.highs
    highs.setOptionValue("presolve", "off")
    highs.clearSolver()
    warm.engine.run()
    assert highs.getInfo().simplex_iteration_count > 0
    highs.setBasis(warm.start)
    warm.engine.run()
    assert highs.getInfo().simplex_iteration_count == 0
