"""Instances small enough to solve by hand, each asserting its optimum.

Every solve also asserts the plan invariants and the reconciliation of the
stage values with the result tables (``helpers.solve_checked``).
"""

from __future__ import annotations

import pytest

from tests.helpers import TERRITORIES, offer, solve_checked, stage, tiny


def sessions_of(results, offer_id: str = "P") -> dict[int, float]:
    s = results.sessions
    rows = s[s["offer_id"] == offer_id]
    return dict(zip(rows["year"], rows["sessions"]))


def test_seats_bind_and_leave_demand_unmet() -> None:
    # 25 people, 2 sessions of 10 seats at most: 20 trained, 5 unmet.
    data = tiny(Offers=[offer(max_sessions_per_year=2)],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 25}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(5)
    assert sessions_of(results) == {2025: 2}
    assert results.sessions["learners"].sum() == pytest.approx(20)


def test_minimum_fill_makes_the_cheaper_session_not_worth_opening() -> None:
    # 5 people. P1: 100 EUR a session but at least 8 learners at 50 EUR each -> 500.
    # P2: 200 EUR a session, no minimum -> 200 + 5 x 50 = 450.
    # Without the minimum P1 would cost 100 + 5 x 50 = 350 and win.
    p1 = offer(offer_id="P1", cost_per_session=100, cost_per_learner=50, min_learners=8)
    p2 = offer(offer_id="P2", cost_per_session=200, cost_per_learner=50)
    demand = [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 5}]
    solution, results = solve_checked(tiny(Offers=[p1, p2], Demand=demand))
    assert stage(solution, "unmet") == pytest.approx(0)
    assert stage(solution, "cost") == pytest.approx(450)
    assert sessions_of(results, "P1") == {2025: 0}
    assert sessions_of(results, "P2") == {2025: 1}

    p1_free = dict(p1, min_learners=0)
    solution, results = solve_checked(tiny(Offers=[p1_free, p2], Demand=demand))
    assert stage(solution, "cost") == pytest.approx(350)
    assert sessions_of(results, "P1") == {2025: 1}


def test_minimum_fill_holds_learners_up_even_beyond_demand() -> None:
    # 3 people but a session needs 8 learners: the model trains 8 (learners are not
    # capped by demand, SPEC 4.1), paying for 5 who are not needed.
    data = tiny(Offers=[offer(min_learners=8, cost_per_learner=10)],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 3}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(0)
    assert stage(solution, "cost") == pytest.approx(80)
    assert results.sessions["learners"].sum() == pytest.approx(8)


def test_ramp_up_limits_the_second_year() -> None:
    # Baseline 1 session, at most +1 a year: 2 sessions in 2025, 3 in 2026 -> 50 trained
    # for 60 people. Without the limit, 10 sessions would cover everyone.
    settings = {"last_year": 2026}
    demand = [{"territory_id": "A", "family_id": "F", "year": 2026, "people": 60}]
    data = tiny(settings, Offers=[offer(baseline_sessions=1, max_new_sessions_per_year=1)],
                Demand=demand)
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(10)
    assert sessions_of(results) == {2025: 2, 2026: 3}

    solution, _ = solve_checked(tiny(settings, Offers=[offer()], Demand=demand))
    assert stage(solution, "unmet") == pytest.approx(0)


def test_ramp_up_needs_a_baseline() -> None:
    # max_new without baseline_sessions: SPEC 4.2.4 applies the limit only with both.
    settings = {"last_year": 2026}
    demand = [{"territory_id": "A", "family_id": "F", "year": 2026, "people": 60}]
    solution, _ = solve_checked(tiny(settings, Offers=[offer(max_new_sessions_per_year=1)],
                                     Demand=demand))
    assert stage(solution, "unmet") == pytest.approx(0)


@pytest.mark.parametrize("lead, unmet, teaching", [
    (0, 0, None),        # up to 2 + 3 + 4 sessions: everyone trained (hires not unique)
    (1, 10, [0, 1, 2]),  # every hire made: 1 + 2 + 3 sessions = 60 trained of 70
    (2, 30, [0, 0, 1]),  # 1 + 1 + 2 sessions = 40 trained
])
def test_a_hire_teaches_only_after_its_lead_time(lead: int, unmet: float,
                                                 teaching: list[float] | None) -> None:
    # 100 trainer hours a year = 1 session; one hire a year adds 100 hours from year + lead.
    data = tiny(
        {"last_year": 2027, "objective_stages": "unmet,cost"},
        Trainers=[{"territory_id": "A", "skill": "s", "year": y, "available_hours": 100}
                  for y in (2025, 2026, 2027)],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "lead_years": lead,
                        "cost_per_trainer_year": 1000}],
        Demand=[{"territory_id": "A", "family_id": "F", "year": 2027, "people": 70}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(unmet)
    trainers = results.trainers.sort_values("year")
    if teaching is not None:
        assert trainers["hired_trainers_teaching"].tolist() == pytest.approx(teaching)
    # a hire that could not teach before last_year is never made
    hires = results.hires
    assert set(hires["year"]) == {y for y in (2025, 2026, 2027) if y + lead <= 2027}


def test_hire_cost_runs_from_hiring_year_to_last_year() -> None:
    # 15 people needed in 2025, 1 session a year from available hours: to train them
    # in time (timeliness), one hire in 2025 (lead 0) gives a second session in 2025.
    # It is paid from 2025 to 2026: 1000 x 2 = 2000.
    data = tiny(
        {"last_year": 2026, "objective_stages": "unmet,timeliness,cost"},
        Trainers=[{"territory_id": "A", "skill": "s", "year": y, "available_hours": 100}
                  for y in (2025, 2026)],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "lead_years": 0,
                        "cost_per_trainer_year": 1000}],
        Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 15}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(0)
    assert stage(solution, "timeliness") == pytest.approx(0)
    assert stage(solution, "cost") == pytest.approx(2000)
    assert results.hires.set_index("year")["hired"].to_dict() == {2025: 1, 2026: 0}


@pytest.mark.parametrize("rate, unmet", [(1.0, 6), (0.8, 8), (0.5, 11)])
def test_placement_rate_scales_coverage(rate: float, unmet: float) -> None:
    # One session of 10 learners for 16 people: 10 x rate are placed.
    data = tiny(Offers=[offer(max_sessions_per_year=1, placement_rate=rate)],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 16}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(unmet)
    assert results.unmet["placed_people"].sum() == pytest.approx(10 * rate)


def test_budget_binds() -> None:
    # 2,500 EUR at 1,000 EUR a session and 20 EUR a learner: 2 sessions (2,400 EUR).
    data = tiny(Offers=[offer(cost_per_session=1000, cost_per_learner=20, programme_id="G")],
                Programmes=[{"programme_id": "G", "name": "G", "budget": 2500}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 50}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(30)
    assert sessions_of(results) == {2025: 2}
    assert results.programmes.loc[0, "cost_eur"] == pytest.approx(2400)


def test_budget_pays_hires_of_its_programme() -> None:
    # The hire (3,000 EUR) is charged to G, whose budget is 2,999: no hire, 1 session.
    data = tiny(
        Trainers=[{"territory_id": "A", "skill": "s", "year": 2025, "available_hours": 100}],
        TrainerHiring=[{"territory_id": "A", "skill": "s", "max_new_per_year": 1,
                        "hours_per_trainer": 100, "cost_per_trainer_year": 3000,
                        "programme_id": "G"}],
        Programmes=[{"programme_id": "G", "name": "G", "budget": 2999}],
        Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 20}])
    solution, _ = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(10)


def test_programme_target_shortfall() -> None:
    # At most 20 persons (2 sessions) and 40 modules (2 a learner) against targets of
    # 30 persons and 50 modules: 10/30 + 10/50.
    data = tiny({"objective_stages": "targets,unmet,cost"},
                Offers=[offer(max_sessions_per_year=2, programme_id="G", modules_per_learner=2)],
                Programmes=[{"programme_id": "G", "name": "G", "persons_target": 30,
                             "modules_target": 50}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 5}])
    solution, results = solve_checked(data)
    assert stage(solution, "targets") == pytest.approx(10 / 30 + 10 / 50)
    row = results.programmes.iloc[0]
    assert row["persons_shortfall"] == pytest.approx(10)
    assert row["modules_shortfall"] == pytest.approx(10)


def test_travel_limit_excludes_a_far_organisation_and_a_territory_can_override_it() -> None:
    demand = [{"territory_id": "C", "family_id": "F", "year": 2025, "people": 10}]
    solution, results = solve_checked(tiny(Demand=demand))
    assert stage(solution, "unmet") == pytest.approx(10)  # C is 159 minutes from A
    assert results.flows.empty

    far = [dict(t) for t in TERRITORIES]
    far[2]["max_travel_minutes"] = 200
    solution, results = solve_checked(tiny(Territories=far, Demand=demand))
    assert stage(solution, "unmet") == pytest.approx(0)
    assert results.flows["minutes"].iloc[0] == pytest.approx(159.3, abs=0.1)


def test_travel_sheet_overrides_the_estimate_in_its_direction() -> None:
    demand = [{"territory_id": "C", "family_id": "F", "year": 2025, "people": 10}]
    travel = [{"from_territory": "C", "to_territory": "A", "minutes": 30}]
    solution, results = solve_checked(tiny(Demand=demand, Travel=travel))
    assert stage(solution, "unmet") == pytest.approx(0)
    assert results.flows["minutes"].tolist() == [30]


def test_lexicographic_order_changes_the_plan() -> None:
    demand = [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 10}]
    offers = [offer(cost_per_session=1000)]
    first, results = solve_checked(tiny({"objective_stages": "unmet,cost"},
                                        Offers=offers, Demand=demand))
    assert (stage(first, "unmet"), stage(first, "cost")) == pytest.approx((0, 1000))
    second, results = solve_checked(tiny({"objective_stages": "cost,unmet"},
                                         Offers=offers, Demand=demand))
    assert (stage(second, "cost"), stage(second, "unmet")) == pytest.approx((0, 10))
    assert results.sessions["sessions"].sum() == 0


def test_lp_and_mip_give_different_optima() -> None:
    # 15 people, 10 seats, 1,000 EUR a session: 2 whole sessions or 1.5 fractional ones.
    demand = [{"territory_id": "A", "family_id": "F", "year": 2025, "people": 15}]
    offers = [offer(cost_per_session=1000)]
    mip, _ = solve_checked(tiny(Offers=offers, Demand=demand))
    lp, results = solve_checked(tiny({"integer_sessions": False}, Offers=offers, Demand=demand))
    assert stage(mip, "cost") == pytest.approx(2000)
    assert stage(lp, "cost") == pytest.approx(1500)
    assert results.sessions["sessions"].sum() == pytest.approx(1.5)


def test_site_capacity_binds() -> None:
    data = tiny(Organisations=[{"org_id": "O", "name": "Org", "territory_id": "A",
                                "capacity_hours": 250}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 50}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(30)
    assert results.sites["hours_used"].tolist() == [200]


def test_trainer_pool_is_shared_by_the_offers_of_a_territory() -> None:
    # Two organisations in A share 300 hours of skill s: 3 sessions in all.
    orgs = [{"org_id": "O", "name": "Org", "territory_id": "A"},
            {"org_id": "O2", "name": "Org 2", "territory_id": "A"}]
    offers = [offer(), offer(offer_id="P2", org_id="O2")]
    data = tiny(Organisations=orgs, Offers=offers,
                Trainers=[{"territory_id": "A", "skill": "s", "year": 2025,
                           "available_hours": 300}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": 2025, "people": 50}])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(20)
    assert results.trainers["used_hours"].tolist() == [300]


def test_timeliness_prefers_training_early() -> None:
    # 10 people needed in 2025 and 10 in 2026; one session a year possible.
    demand = [{"territory_id": "A", "family_id": "F", "year": y, "people": 10}
              for y in (2025, 2026)]
    data = tiny({"last_year": 2026, "objective_stages": "unmet,timeliness,cost"},
                Offers=[offer(max_sessions_per_year=1)], Demand=demand)
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(0)
    assert stage(solution, "timeliness") == pytest.approx(0)
    cov = results.coverage.set_index("year")["shortfall_people"]
    assert cov.to_dict() == {2025: 0, 2026: 0}


def test_family_weights_decide_who_is_trained() -> None:
    # One session: 10 seats for 10 fitters (weight 1) and 10 welders (weight 3).
    families = [{"family_id": "F", "name": "Fitters", "weight": 1},
                {"family_id": "W", "name": "Welders", "weight": 3}]
    offers = [offer(max_sessions_per_year=1),
              offer(offer_id="PW", family_id="W", max_sessions_per_year=1)]
    data = tiny(JobFamilies=families, Offers=offers,
                Trainers=[{"territory_id": "A", "skill": "s", "year": 2025,
                           "available_hours": 100}],
                Demand=[{"territory_id": "A", "family_id": j, "year": 2025, "people": 10}
                        for j in ("F", "W")])
    solution, results = solve_checked(data)
    assert stage(solution, "unmet") == pytest.approx(10)
    assert sessions_of(results, "PW") == {2025: 1}


def test_travel_stage_picks_the_nearer_organisation_and_mobility_costs() -> None:
    # B's 10 learners can go to O (in A, 8 minutes away) or O2 (in B, 15 minutes:
    # the intra-territory default); the travel stage prefers O.
    orgs = [{"org_id": "O", "name": "Org", "territory_id": "A"},
            {"org_id": "O2", "name": "Org 2", "territory_id": "B"}]
    offers = [offer(), offer(offer_id="P2", org_id="O2")]
    data = tiny({"objective_stages": "unmet,travel,cost", "mobility_cost_per_minute": 2},
                Organisations=orgs, Offers=offers,
                Trainers=[{"territory_id": t, "skill": "s", "year": 2025,
                           "available_hours": 1000} for t in ("A", "B")],
                Demand=[{"territory_id": "B", "family_id": "F", "year": 2025, "people": 10}])
    solution, results = solve_checked(data)
    minutes = results.flows["minutes"].iloc[0]
    assert results.flows["offer_id"].tolist() == ["P"]
    assert stage(solution, "travel") == pytest.approx(10 * minutes)
    assert minutes == pytest.approx(7.964, abs=1e-3)
    assert stage(solution, "cost") == pytest.approx(2 * 10 * minutes)


def test_shortfalls_carry_no_float_noise() -> None:
    # 0.1 people a year for three years sum to 0.30000000000000004 in floating point;
    # the one learner trained (2027, the only year with trainers) places 0.3 of a person.
    # The shortfall must read 0, not 5.6e-17.
    data = tiny({"last_year": 2027},
                Offers=[offer(seats=1, max_sessions_per_year=1, placement_rate=0.3)],
                Trainers=[{"territory_id": "A", "skill": "s", "year": 2027,
                           "available_hours": 100}],
                Demand=[{"territory_id": "A", "family_id": "F", "year": y, "people": 0.1}
                        for y in (2025, 2026, 2027)])
    _, results = solve_checked(data)
    assert results.coverage["cumulative_demand_people"].iloc[-1] == 0.1 + 0.1 + 0.1
    assert results.unmet["unmet_people"].tolist() == [0.0]
