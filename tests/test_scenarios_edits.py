"""Scenario edits on typed tables: each operation, each filter, Settings, and every refusal.

The base is the tiny instance over 2025..2030 (valid as a workbook would
be), with a second offer and a second organisation so filters have
something to tell apart.  Scenarios rows carry the Excel row they would
have (``_row``), so every message can be checked for its location.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from planner.data import check_tables
from planner.data.check.rules import Rule
from planner.scenarios.edits import (ScenarioInvalid, apply_scenario, name_conflict,
                                     scenario_edits, scenario_names, unknown_scenario_message)
from tests.helpers import TERRITORIES, offer, tiny

ORGS = [{"org_id": "O", "name": "Org", "territory_id": "A", "capacity_hours": 1000},
        {"org_id": "Q", "name": "Quay", "territory_id": "B"}]  # Q: blank = unlimited
OFFERS = [offer(), offer(offer_id="P2", org_id="Q", seats=8, cost_per_session=1500.0,
                         max_sessions_per_year=3)]
TRAINERS = [{"territory_id": t, "skill": "s", "year": y, "available_hours": 900.0}
            for t in ("A", "B") for y in range(2025, 2031)]


def base(*rows: dict[str, Any]) -> Any:
    scenarios = [dict(r, _row=k) for k, r in enumerate(rows, start=2)]
    data = tiny({"last_year": 2030}, Organisations=ORGS, Offers=OFFERS, Trainers=TRAINERS,
                Territories=[dict(t, max_travel_minutes=None) for t in TERRITORIES],
                Scenarios=scenarios)
    assert [i for i in check_tables(data.settings, data.tables) if i.is_error] == []
    return data


def edit(scenario: str = "s", sheet: str = "Offers", column: str = "seats",
         operation: str = "set", value: Any = "12", where_column: str | None = None,
         where_value: str | None = None) -> dict[str, Any]:
    return {"scenario": scenario, "sheet": sheet, "column": column, "operation": operation,
            "value": value, "where_column": where_column, "where_value": where_value}


def refused(data: Any, name: str = "s") -> ScenarioInvalid:
    with pytest.raises(ScenarioInvalid) as info:
        apply_scenario(data, name)
    return info.value


# --- operations and filters --------------------------------------------------------------

def test_set_scale_add_give_exact_values_on_the_filtered_rows_only() -> None:
    data = base(edit(column="seats", operation="set", value="14", where_column="offer_id",
                     where_value="P2"),
                edit(column="cost_per_session", operation="scale", value="1,1"),
                edit(column="cost_per_learner", operation="add", value="25.5",
                     where_column="org_id", where_value="O"))
    edited = apply_scenario(data, "s").data
    offers = edited.offers.set_index("offer_id")
    assert offers.loc["P", "seats"] == 10 and offers.loc["P2", "seats"] == 14
    assert offers.loc["P", "cost_per_session"] == 0.0  # 0 x 1.1
    assert offers.loc["P2", "cost_per_session"] == 1650.0  # 1500 x 1.1, no binary noise
    assert offers.loc["P", "cost_per_learner"] == 25.5 and offers.loc["P2", "cost_per_learner"] == 0
    assert data.offers.set_index("offer_id").loc["P2", "seats"] == 8  # the base is untouched
    assert edited.settings.scenario_name == "s"


def test_a_number_filter_compares_numerically_and_a_year_filter_as_a_year() -> None:
    data = base(edit(sheet="Trainers", column="available_hours", operation="scale",
                     value="2", where_column="year", where_value="2027.0"),
                edit(sheet="Offers", column="max_sessions_per_year", operation="add",
                     value="1", where_column="seats", where_value="8,0"))
    edited = apply_scenario(data, "s").data
    hours = edited.trainers.groupby("year")["available_hours"].unique()
    assert list(hours[2027]) == [1800.0] and list(hours[2026]) == [900.0]
    offers = edited.offers.set_index("offer_id")
    assert offers.loc["P2", "max_sessions_per_year"] == 4 and offers.loc["P", "max_sessions_per_year"] == 5


def test_identifier_filter_is_trimmed_text_and_rows_apply_in_order() -> None:
    data = base(edit(sheet="Organisations", column="territory_id", operation="set",
                     value="C", where_column="org_id", where_value="  Q "),
                edit(sheet="Organisations", column="capacity_hours", operation="set",
                     value="500", where_column="territory_id", where_value="C"))
    orgs = apply_scenario(data, "s").data.organisations.set_index("org_id")
    assert orgs.loc["Q", "territory_id"] == "C" and orgs.loc["Q", "capacity_hours"] == 500
    assert orgs.loc["O", "capacity_hours"] == 1000


def test_integer_columns_round_to_the_nearest_whole_number_and_the_log_says_so() -> None:
    data = base(edit(column="seats", operation="scale", value="1.25"),  # 10 -> 12.5 -> 13, 8 -> 10
                edit(column="max_sessions_per_year", operation="add", value="0.4"))
    done = apply_scenario(data, "s")
    offers = done.data.offers.set_index("offer_id")
    assert offers.loc["P", "seats"] == 13 and offers.loc["P2", "seats"] == 10
    assert list(offers["max_sessions_per_year"]) == [5, 3]
    log = done.log.set_index("scenarios_row")
    assert "1 value rounded to the nearest whole number" in log.loc[2, "change"]
    assert log.loc[2, "change"].startswith("8..10 -> 10..13")
    assert log.loc[2, "rows_changed"] == 2
    assert log.loc[3, "rows_changed"] == 0 and "2 values rounded" in log.loc[3, "change"]


def test_a_blank_numeric_cell_stays_blank_under_scale_and_add() -> None:
    data = base(edit(sheet="Organisations", column="capacity_hours", operation="scale",
                     value="2"),
                edit(sheet="Territories", column="max_travel_minutes", operation="add",
                     value="10"))
    done = apply_scenario(data, "s")
    orgs = done.data.organisations.set_index("org_id")
    assert orgs.loc["O", "capacity_hours"] == 2000 and math.isnan(orgs.loc["Q", "capacity_hours"])
    assert done.data.territories["max_travel_minutes"].isna().all()
    log = done.log.set_index("scenarios_row")
    assert log.loc[2, "change"] == "1000 -> 2000; 1 blank cell (unlimited) left blank"
    assert log.loc[3, "change"] == ("3 blank cells (the max_travel_minutes setting) left blank")
    assert log.loc[3, "rows_changed"] == 0


def test_set_fills_a_blank_and_add_shifts_a_year() -> None:
    data = base(edit(sheet="Territories", column="max_travel_minutes", value="45"),
                edit(sheet="Demand", column="year", operation="add", value="2"))
    edited = apply_scenario(data, "s").data
    assert list(edited.territories["max_travel_minutes"]) == [45.0, 45.0, 45.0]
    assert list(edited.demand["year"]) == [2027]


def test_settings_edits_change_the_setting_and_are_revalidated() -> None:
    data = base(edit(sheet="settings", column="Max_Travel_Minutes", operation="scale",
                     value="0.75"),
                edit(sheet="Settings", column="integer_sessions", value="FALSE"),
                edit(sheet="Settings", column="objective_stages", value="unmet, cost, travel"),
                edit("late", sheet="Settings", column="first_year", operation="add", value="1"))
    done = apply_scenario(data, "s")
    s = done.data.settings
    assert (s.max_travel_minutes, s.integer_sessions) == (45.0, False)
    assert s.objective_stages == ("unmet", "cost", "travel")
    assert list(done.log["change"]) == ["60 -> 45", "TRUE -> FALSE",
                                        "'unmet,cost' -> 'unmet, cost, travel'"]
    assert data.settings.max_travel_minutes == 60.0
    # first_year 2026 leaves the 2025 Demand and Trainers rows outside the plan: invalid
    late = refused(data, "late")
    assert {i.rule for i in late.issues} == {Rule.YEAR_RANGE}
    assert all(i.sheet == "Scenarios" and i.row == 5 for i in late.issues)


def test_settings_problems_are_located_on_the_scenarios_row() -> None:
    data = base(edit(sheet="Settings", column="max_travel_minute", value="45"),
                edit(sheet="Settings", column="mip_gap", value="-1"),
                edit(sheet="Settings", column="time_limit_seconds", value="10",
                     where_column="key", where_value="x"),
                edit(sheet="Settings", column="objective_stages", value="unmet,speed"),
                edit(sheet="Settings", column="scenario_name", value="other"))
    issues = {i.row: i for i in refused(data).issues}
    assert issues[2].rule == Rule.SCENARIO_COLUMN and issues[2].column == "column"
    assert "did you mean 'max_travel_minutes'?" in issues[2].message
    assert issues[4].rule == Rule.SCENARIO_WHERE and issues[4].column == "where_column"
    assert issues[6].rule == Rule.SCENARIO_COLUMN and "its own name" in issues[6].message
    assert set(issues) == {2, 4, 6}  # the row-level refusals come first, alone
    data = base(edit(sheet="Settings", column="mip_gap", value="-1"),
                edit(sheet="Settings", column="objective_stages", value="unmet,speed"))
    issues = {i.row: i for i in refused(data).issues}
    assert issues[2].rule == Rule.BOUNDS and "mip_gap -1 must be at least 0" in issues[2].message
    assert issues[3].rule == Rule.SETTING_STAGES and "unknown stage speed" in issues[3].message


# --- refusals, each located on its Scenarios row -------------------------------------------

def test_unknown_sheet_column_and_where_column_are_refused_with_a_suggestion() -> None:
    data = base(edit(sheet="Offer"), edit(column="seat"), edit(where_column="ofer_id",
                                                                where_value="P"),
                edit(sheet="Guide"), edit(sheet="Scenarios", column="value"))
    issues = refused(data).issues
    by_row = {i.row: i for i in issues}
    assert [(i.row, i.column, i.rule) for i in issues] == [
        (2, "sheet", Rule.SCENARIO_SHEET), (3, "column", Rule.SCENARIO_COLUMN),
        (4, "where_column", Rule.SCENARIO_COLUMN), (5, "sheet", Rule.SCENARIO_SHEET),
        (6, "sheet", Rule.SCENARIO_SHEET)]
    assert "did you mean 'Offers'?" in by_row[2].message
    assert "did you mean 'seats'?" in by_row[3].message
    assert "did you mean 'offer_id'?" in by_row[4].message
    assert "documentation sheet" in by_row[5].message
    assert "cannot edit the Scenarios sheet" in by_row[6].message
    assert all(i.sheet == "Scenarios" and "scenario 's'" in i.message for i in issues)
    assert by_row[2].value == "Offer"


def test_a_where_value_matching_no_row_is_refused_with_what_the_column_holds() -> None:
    data = base(edit(where_column="offer_id", where_value="p2"),
                edit(where_column="offer_id", where_value="ZZZ"),
                edit(where_column="seats", where_value="11"),
                edit(where_column="seats", where_value="many"),
                edit(where_column="offer_id"),
                edit(where_value="P"))
    by_row = {i.row: i for i in refused(data).issues}
    assert "no row of Offers has offer_id = 'p2' (did you mean 'P2'? case matters)" \
        in by_row[2].message
    assert "(it holds P, P2)" in by_row[3].message
    assert "no row of Offers has seats = 11" in by_row[4].message
    assert by_row[5].column == "where_value" and "'many' is not a number" in by_row[5].message
    assert by_row[6].column == "where_value" and "where_value is blank" in by_row[6].message
    assert by_row[7].column == "where_column" and "without where_column" in by_row[7].message
    assert {i.rule for i in by_row.values()} == {Rule.SCENARIO_WHERE}


def test_scale_on_text_and_values_of_the_wrong_type_are_refused() -> None:
    data = base(edit(column="skill", operation="scale", value="2"),
                edit(column="seats", value="douze"),
                edit(column="seats", value="12.5"),
                edit(column="cost_per_session", operation="scale", value="=A1*2"),
                edit(sheet="Demand", column="year", operation="scale", value="2"),
                edit(sheet="Demand", column="year", value="20x6"))
    issues = refused(data).issues
    by_row = {i.row: i for i in issues}
    assert (by_row[2].column, by_row[2].rule) == ("operation", Rule.SCENARIO_OPERATION)
    assert "Offers.skill holds an identifier: use set" in by_row[2].message
    assert (by_row[3].column, by_row[3].rule) == ("value", Rule.SCENARIO_VALUE)
    assert "'douze' is not a number" in by_row[3].message
    assert "12.5 is not a whole number" in by_row[4].message
    assert "'=A1*2' is not a number" in by_row[5].message  # never evaluated
    assert "holds years: add to shift a year, or set" in by_row[6].message
    assert by_row[7].column == "value" and "takes a year" in by_row[7].message
    assert len(issues) == 6
    log = refused(data).log
    assert list(log["rows_changed"]) == [0] * 6 and all(log["problem"])


def test_an_edit_that_makes_the_data_invalid_names_scenario_row_and_issue() -> None:
    data = base(edit(column="cost_per_session", operation="add", value="5"),
                edit(column="seats", value="-2", where_column="offer_id", where_value="P2"))
    exc = refused(data)
    assert [(i.sheet, i.row, i.column, i.rule) for i in exc.issues] == [
        ("Scenarios", 3, "value", Rule.BOUNDS), ("Scenarios", 3, "value",
                                                 Rule.MIN_LEARNERS_SEATS)]
    message = exc.issues[0].message
    assert message.startswith("scenario 's': after this edit (Offers.seats set -2, offer_id "
                              "= P2), Offers, column seats: seats -2 must be above 0")
    assert "scenario 's' is invalid (Scenarios row 3)" in str(exc)
    assert exc.exit_code == 2
    problems = exc.log.set_index("scenarios_row")["problem"]
    assert problems[2] is None and "seats -2 must be above 0" in problems[3]


def test_a_broken_reference_is_blamed_on_the_edit_that_caused_it() -> None:
    data = base(edit(sheet="Organisations", column="territory_id", value="Z",
                     where_column="org_id", where_value="Q"))
    [issue] = refused(data).issues
    assert (issue.row, issue.rule) == (2, Rule.REFERENCE)
    assert "territory_id 'Z' is not in the Territories sheet" in issue.message


def test_names_order_edits_and_conflicting_file_names() -> None:
    data = base(edit("b"), edit("a"), edit("b", column="min_learners", value="1"),
                edit("Baseline"), edit("a b"), edit("a_b"), edit("comparison"))
    assert scenario_names(data) == ["b", "a", "Baseline", "a b", "a_b", "comparison"]
    assert [e.row for e in scenario_edits(data, "b")] == [2, 4]
    assert name_conflict(data, "a") is None
    assert "base's name" in name_conflict(data, "Baseline")
    assert name_conflict(data, "a b") is None
    assert "would write the same result workbook" in name_conflict(data, "a_b")
    assert "comparison workbook" in name_conflict(data, "comparison")
    assert refused(data, "a_b").issues[0].rule == Rule.SCENARIO_NAME
    assert "did you mean 'a b'?" in unknown_scenario_message(data, "a  b")
    assert "The scenarios are: b, a, Baseline" in unknown_scenario_message(data, "zzz")


def test_new_warnings_and_presolve_conflicts_of_the_edited_data_are_returned() -> None:
    data = base(edit(column="committed_sessions_per_year", value="5", where_column="offer_id",
                     where_value="P"),
                edit(sheet="Organisations", column="capacity_hours", value="100",
                     where_column="org_id", where_value="O"))
    done = apply_scenario(data, "s")
    assert [i.rule for i in done.presolve_conflicts] == [Rule.INFEASIBLE_SITE_HOURS]
