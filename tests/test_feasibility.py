"""Pre-solve checks: infeasibility visible in the data, told with the rows involved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.data import inspect, presolve_checks
from planner.data.tables import PlanningData, planning_data
from tests.workbooks import SETTINGS, records, write


def data_with(**changes: dict[str, Any]) -> PlanningData:
    """The valid instance with some columns of the first row of some sheets changed."""
    tables = records()
    for sheet, values in changes.items():
        tables[sheet][0].update(values)
    return planning_data(SETTINGS, tables)


def found(data: PlanningData) -> list[tuple[Any, ...]]:
    return [(i.rule, i.severity.value, i.sheet, i.row, i.column, i.value)
            for i in presolve_checks(data)]


def test_the_valid_instance_passes_every_check() -> None:
    assert found(data_with()) == []


def test_committed_sessions_beyond_trainer_hours_and_hiring() -> None:
    # 2 sessions x 100 h = 200 h needed; 150 h available; hires teach from 2026 only
    data = data_with(Trainers={"available_hours": 150}, Offers={"committed_sessions_per_year": 2})
    issues = presolve_checks(data)
    assert found(data) == [("infeasible-trainer-hours", "error", "Offers", None,
                            "committed_sessions_per_year", 2.0)]
    assert issues[0].message.startswith(
        "offer P commits 2 sessions a year needing 200 trainer hours of maintenance in Aisne "
        "in 2025; Trainers gives 150 hours and hiring can add at most 0 by then")


def test_several_committed_offers_of_one_pool_are_named_together() -> None:
    # P commits 1 session, P2 2 more of the same pool: 300 h needed, 250 h available
    tables = records()
    tables["Offers"].append(dict(tables["Offers"][0], offer_id="P2",
                                 committed_sessions_per_year=2, baseline_sessions=2))
    tables["Organisations"][0].update(capacity_hours=None)
    tables["Programmes"][0].update(budget=None)
    tables["Trainers"] = [dict(row, available_hours=250) for row in tables["Trainers"]]
    issues = [i for i in presolve_checks(planning_data(SETTINGS, tables))
              if i.rule == "infeasible-trainer-hours"]
    assert issues and issues[0].message.startswith(
        "offers P (1), P2 (2) commit 3 sessions a year needing 300 trainer hours")


def test_hiring_with_lead_time_counts_from_the_year_hires_can_teach() -> None:
    # 2026: 200 h (Trainers) + 1 hire x 800 h (hired 2025, lead 1) covers 3 x 100 h
    tables = records()
    tables["Offers"][0].update(committed_sessions_per_year=3)
    tables["Organisations"][0].update(capacity_hours=None)
    tables["Programmes"][0].update(budget=None)
    tables["Trainers"] = [{"territory_id": "A", "skill": "maintenance", "year": 2025,
                           "available_hours": 300},
                          {"territory_id": "A", "skill": "maintenance", "year": 2026,
                           "available_hours": 0}]
    assert found(planning_data(SETTINGS, tables)) == []
    tables["TrainerHiring"][0].update(lead_years=2)
    issue = presolve_checks(planning_data(SETTINGS, tables))[0]
    assert issue.rule == "infeasible-trainer-hours"
    assert "in 2026; Trainers gives 0 hours and hiring can add at most 0 by then" in issue.message


def test_committed_sessions_beyond_site_capacity() -> None:
    data = data_with(Organisations={"capacity_hours": 50})
    assert found(data) == [("infeasible-site-hours", "error", "Organisations", None,
                            "capacity_hours", 50)]
    assert "can host 50 trainer hours a year, but its offers commit 100 (P 1 x 100 h)" in \
        presolve_checks(data)[0].message


def test_committed_sessions_beyond_a_programme_budget() -> None:
    # 1 session a year x (1000 EUR + 2 learners x 300 EUR) x 2 years = 3 200 EUR
    data = data_with(Programmes={"budget": 3000}, Offers={"cost_per_learner": 300})
    assert found(data) == [("infeasible-budget", "error", "Programmes", None, "budget", 3000)]
    assert "cost at least 3 200 EUR over 2 years" in presolve_checks(data)[0].message
    assert found(data_with(Programmes={"budget": 3200}, Offers={"cost_per_learner": 300})) == []


def test_committed_sessions_beyond_the_ramp_up() -> None:
    data = data_with(Offers={"committed_sessions_per_year": 3, "baseline_sessions": 0,
                             "max_new_sessions_per_year": 2},
                     Trainers={"available_hours": 1000})
    issues = [i for i in presolve_checks(data) if i.rule == "infeasible-ramp-up"]
    assert [(i.sheet, i.column, i.value) for i in issues] == [
        ("Offers", "committed_sessions_per_year", 3)]
    assert "at most 2 in 2025" in issues[0].message


def test_offer_that_must_fill_sessions_but_that_nobody_can_reach() -> None:
    data = data_with(Territories={"latitude": 43.3, "longitude": 5.4},  # the offer in Marseille
                     Travel={"minutes": 500})
    data.tables["Territories"].loc[:, "max_travel_minutes"] = 10.0  # and 15 min intra > 10
    rules = {i.rule for i in presolve_checks(data)}
    assert "infeasible-unreachable" in rules
    data.tables["Offers"].loc[0, "min_learners"] = 0.0
    assert "infeasible-unreachable" not in {i.rule for i in presolve_checks(data)}


def test_demand_in_a_family_no_offer_teaches_is_a_warning() -> None:
    tables = records()
    tables["JobFamilies"].append({"family_id": "G", "name": "Logistique"})
    tables["Demand"].append({"territory_id": "A", "family_id": "G", "year": 2026, "people": 7})
    data = planning_data(SETTINGS, tables)
    assert found(data) == [("demand-no-offer", "warning", "JobFamilies", None, "family_id", "G")]
    assert "7 people of G (Logistique)" in presolve_checks(data)[0].message


def test_territory_whose_learners_reach_no_offer_is_a_warning() -> None:
    data = data_with(Travel={"minutes": 50})  # B -> A 50 minutes, B's limit 45
    assert found(data) == [("demand-no-access", "warning", "Territories", None,
                            "max_travel_minutes", 45)]
    assert "10 people of B (Bapaume)" in presolve_checks(data)[0].message
    assert "nearest offer is 50 minutes away" in presolve_checks(data)[0].message


def test_presolve_issues_from_a_workbook_point_at_cells(tmp_path: Path) -> None:
    tables = records()
    tables["Organisations"][0]["capacity_hours"] = 50
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is not None  # well-formed: the data is returned with the infeasibility
    assert [(i.rule, i.sheet, i.row, i.column, i.cell) for i in issues] == [
        ("infeasible-site-hours", "Organisations", 2, "capacity_hours", "E2")]
