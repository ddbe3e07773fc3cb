"""One small workbook per validation rule; each asserts sheet, row, column and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.data import check_tables, inspect
from planner.data.check.rules import MEANING, Rule
from planner.data.tables import planning_data
from planner.errors import Issue
from tests.workbooks import SETTINGS, edit, records, write


def issues_of(tmp_path: Path, tables: dict[str, list[dict[str, Any]]] | None = None,
              settings: dict[str, Any] | None = None) -> list[Issue]:
    """Issues of the valid workbook with some sheets (or the settings) replaced."""
    _, found = inspect(write(tmp_path, settings=settings, tables=records(**(tables or {}))))
    return found


def located(issues: list[Issue], rule: str) -> list[tuple[Any, ...]]:
    return sorted(((i.severity.value, i.sheet, i.row, i.column, i.cell, i.value)
                   for i in issues if i.rule == rule), key=str)


def changed(sheet: str, index: int, **values: Any) -> dict[str, list[dict[str, Any]]]:
    tables = records()
    tables[sheet][index].update(values)
    return {sheet: tables[sheet]}


def test_every_rule_code_is_documented() -> None:
    assert set(MEANING) == set(Rule)


def test_required_sheet_missing(tmp_path: Path) -> None:
    _, issues = inspect(edit(write(tmp_path), lambda wb: wb.remove(wb["JobFamilies"])))
    assert located(issues, "sheet-missing") == [("error", "JobFamilies", None, None, None, None)]
    assert "family_id, name, weight" in issues[0].message


def test_optional_sheet_absent_is_fine_but_a_reference_to_it_is_an_error(tmp_path: Path) -> None:
    tables = records()
    del tables["Programmes"]
    _, issues = inspect(write(tmp_path, tables=tables))
    assert located(issues, "reference") == [
        ("error", "Offers", 2, "programme_id", "F2", "EM")]
    assert "missing or empty" in issues[0].message and "leave the cell blank" in issues[0].message


def test_required_value_blank(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, changed("Organisations", 0, name=None))
    assert located(issues, "required") == [
        ("error", "Organisations", 2, "name", "B2", None)]


def test_wrong_types(tmp_path: Path) -> None:
    tables = records()
    tables["Offers"][0]["seats"] = "twelve"
    tables["Demand"][1]["year"] = 2026.5
    tables["JobFamilies"][0]["weight"] = True
    issues = issues_of(tmp_path, tables)
    assert located(issues, "type") == [
        ("error", "Demand", 3, "year", "C3", 2026.5),
        ("error", "JobFamilies", 2, "weight", "C2", True),
        ("error", "Offers", 2, "seats", "G2", "twelve")]


@pytest.mark.parametrize("sheet, column, value, cell", [
    ("Offers", "seats", 0, "G2"),
    ("Offers", "placement_rate", 1.2, "Q2"),
    ("Territories", "latitude", 91, "D2"),
    ("Demand", "people", -5, "D2"),
    ("TrainerHiring", "hours_per_trainer", 0, "D2"),
])
def test_bounds_from_the_schema(tmp_path: Path, sheet: str, column: str, value: float,
                                cell: str) -> None:
    issues = issues_of(tmp_path, changed(sheet, 0, **{column: value}))
    assert located(issues, "bounds") == [("error", sheet, 2, column, cell, value)]


def test_duplicate_identifiers(tmp_path: Path) -> None:
    tables = records()
    tables["Territories"].append({"territory_id": "A", "name": "Again", "latitude": 50,
                                  "longitude": 3})
    issues = issues_of(tmp_path, tables)
    assert located(issues, "duplicate") == [("error", "Territories", 4, "territory_id", "A4", "A")]
    assert "row 2" in [i for i in issues if i.rule == "duplicate"][0].message


def test_duplicate_demand_and_trainers_rows(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"].append({"territory_id": "A", "family_id": "F", "year": 2026, "people": 3})
    tables["Trainers"].append({"territory_id": "A", "skill": "maintenance", "year": 2025,
                               "available_hours": 50})
    issues = issues_of(tmp_path, tables)
    assert located(issues, "duplicate") == [
        ("error", "Demand", 4, "territory_id, family_id, year", "A4", "A, F, 2026"),
        ("error", "Trainers", 4, "territory_id, skill, year", "A4", "A, maintenance, 2025")]
    demand = [i for i in issues if i.rule == "duplicate" and i.sheet == "Demand"][0]
    assert "row 2" in demand.message and "territory, family and year" in demand.message


def test_references_to_other_sheets(tmp_path: Path) -> None:
    tables = records()
    tables["Offers"][0]["family_id"] = "f"
    tables["Travel"][0]["to_territory"] = "Z"
    issues = issues_of(tmp_path, tables)
    assert located(issues, "reference") == [
        ("error", "Offers", 2, "family_id", "C2", "f"),
        ("error", "Travel", 2, "to_territory", "B2", "Z")]
    family = [i for i in issues if i.column == "family_id"][0]
    assert "did you mean 'F'?" in family.message


def test_years_outside_the_plan(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"][0]["year"] = 2031
    tables["Trainers"][0]["year"] = 2024
    issues = issues_of(tmp_path, tables)
    assert located(issues, "year-range") == [
        ("error", "Demand", 2, "year", "C2", 2031),
        ("error", "Trainers", 2, "year", "C2", 2024)]
    assert "2025..2026" in issues[0].message


def test_committed_above_max_and_min_learners_above_seats(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, changed("Offers", 0, committed_sessions_per_year=4,
                                           min_learners=11))
    assert located(issues, "committed-max") == [
        ("error", "Offers", 2, "committed_sessions_per_year", "N2", 4)]
    assert located(issues, "min-learners-seats") == [
        ("error", "Offers", 2, "min_learners", "H2", 11)]


def test_ramp_up_limit_without_baseline_is_a_warning(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, changed("Offers", 0, max_new_sessions_per_year=1,
                                         baseline_sessions=None))
    assert located(issues, "ramp-up-without-baseline") == [
        ("warning", "Offers", 2, "max_new_sessions_per_year", "P2", 1)]
    issues = issues_of(tmp_path, changed("Offers", 0, max_new_sessions_per_year=1,
                                         baseline_sessions=2))
    assert located(issues, "ramp-up-without-baseline") == []


def test_scenario_operation_must_be_set_scale_or_add(tmp_path: Path) -> None:
    scenarios = [{"scenario": "more", "sheet": "Trainers", "column": "available_hours",
                  "operation": "Scale", "value": 1.2},
                 {"scenario": "more", "sheet": "Trainers", "column": "available_hours",
                  "operation": "multiply", "value": 1.2}]
    data, issues = inspect(write(tmp_path, tables=records(Scenarios=scenarios)))
    assert located(issues, "choice") == [("error", "Scenarios", 3, "operation", "F3", "multiply")]


def test_settings_unknown_duplicate_wrong_type_and_bounds(tmp_path: Path) -> None:
    # write_input_workbook writes one row per key: a duplicate needs a second spelling
    settings = {**SETTINGS, "max_travel": 30, "Mip Gap": 0.1, "mip_gap": 0.2,
                "integer_sessions": "perhaps", "time_limit_seconds": 0}
    issues = issues_of(tmp_path, settings=settings)
    assert located(issues, "setting-unknown") == [
        ("error", "Settings", 5, "key", "A5", "max_travel")]
    assert "did you mean 'max_travel_minutes'?" in [
        i for i in issues if i.rule == "setting-unknown"][0].message
    assert located(issues, "setting-duplicate") == [
        ("error", "Settings", 7, "key", "A7", "mip_gap")]
    assert located(issues, "type") == [("error", "Settings", 8, "value", "B8", "perhaps")]
    assert located(issues, "bounds") == [("error", "Settings", 9, "value", "B9", 0)]


def test_settings_missing_years_and_years_in_the_wrong_order(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, settings={"last_year": 2026})
    assert located(issues, "setting-missing") == [
        ("error", "Settings", None, "key", None, None)]
    assert "first_year" in issues[0].message
    issues = issues_of(tmp_path, settings={"first_year": 2026, "last_year": 2025})
    assert located(issues, "setting-years") == [("error", "Settings", 3, "value", "B3", 2025)]


def test_objective_stages_known_and_not_repeated(tmp_path: Path) -> None:
    issues = issues_of(tmp_path, settings={**SETTINGS, "objective_stages": "unmet, costs, unmet"})
    found = [i for i in issues if i.rule == "setting-stages"]
    assert [(i.row, i.cell, i.value) for i in found] == [(4, "B4", "unmet,costs,unmet")] * 2
    assert "costs" in found[0].message and "unmet" in found[1].message


def test_territory_without_coordinates_where_travel_is_needed(tmp_path: Path) -> None:
    tables = records()
    tables["Territories"][1].update(latitude=None)  # B: learners there need B -> A
    tables["Travel"] = [{"from_territory": "A", "to_territory": "B", "minutes": 20}]
    issues = issues_of(tmp_path, tables)
    assert located(issues, "coordinates-missing") == [
        ("error", "Territories", 3, "latitude", "D3", None)]
    assert "B -> A" in issues[0].message


def test_territory_without_coordinates_is_fine_when_travel_gives_the_times(tmp_path: Path) -> None:
    tables = records()
    tables["Territories"][1].update(latitude=None, longitude=None)
    data, issues = inspect(write(tmp_path, tables=tables))  # Travel gives B -> A
    assert issues == [] and data is not None


def test_trainer_pool_without_a_row_some_year_is_a_warning(tmp_path: Path) -> None:
    tables = records()
    tables["Trainers"] = tables["Trainers"][:1]  # 2026 missing
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is not None
    assert located(issues, "trainers-missing") == [
        ("warning", "Offers", 2, "skill", "D2", "maintenance")]
    assert "2026" in issues[0].message and "0 trainer hours assumed" in issues[0].message


def test_problems_are_all_reported_not_just_the_first(tmp_path: Path) -> None:
    tables = records()
    tables["Offers"][0].update(seats=-1, org_id="nobody", placement_rate=0)
    tables["Demand"][0]["year"] = 1999
    issues = issues_of(tmp_path, tables)
    assert sorted(str(i.rule) for i in issues) == [
        "bounds", "bounds", "min-learners-seats", "reference", "year-range"]


def test_check_tables_runs_on_edited_typed_tables_without_a_workbook() -> None:
    data = planning_data(SETTINGS, records())
    assert check_tables(data.settings, data.tables) == []
    edited = data.copy()
    edited.tables["Offers"].loc[0, "seats"] = 14.4  # a scale 1.2 edit
    edited.tables["Offers"].loc[0, "committed_sessions_per_year"] = 20
    edited.tables["Demand"].loc[1, "territory_id"] = "Nowhere"
    found = {(i.rule, i.sheet, i.column, i.value) for i in check_tables(edited.settings,
                                                                        edited.tables)}
    assert found == {("integer", "Offers", "seats", 14.4),
                     ("committed-max", "Offers", "committed_sessions_per_year", 20),
                     ("reference", "Demand", "territory_id", "Nowhere")}
    late = edited.with_settings(first_year=2027, max_travel_minutes=0)
    rules = {str(i.rule) for i in check_tables(late.settings, late.tables)}
    assert {"setting-years", "bounds", "year-range"} <= rules


# --- magnitudes far beyond any planning figure (RELIABILITY "Measured in December 2026") ---

def test_magnitudes_far_beyond_any_planning_figure_are_located_warnings(tmp_path: Path) -> None:
    """1e15 people, 1e300 trainer hours, 1e-12 hours a session: allowed, but each warned
    about where it is, with its value, why it is suspicious and what to do."""
    tables = records()
    tables["Demand"][0]["people"] = 1e15
    tables["Trainers"][1]["available_hours"] = 1e300
    tables["Offers"][0]["trainer_hours_per_session"] = 1e-12
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is not None, [i for i in issues if i.is_error]  # warnings, not errors
    assert located(issues, "implausible") == sorted([
        ("warning", "Demand", 2, "people", "D2", 1e15),
        ("warning", "Trainers", 3, "available_hours", "D3", 1e300),
        ("warning", "Offers", 2, "trainer_hours_per_session", "I2", 1e-12)], key=str)
    said = {i.column: i.message for i in issues if i.rule == "implausible"}
    assert said["people"].startswith("people = 1e+15 people: more than the population of "
                                     "the Earth, far above any plausible planning figure "
                                     "(at most 1e+07 people expected)")
    assert said["available_hours"].startswith("available_hours = 1e+300 h/year: far above")
    assert said["trainer_hours_per_session"].startswith(
        "trainer_hours_per_session = 1e-12 h/session: less than a second, far below any "
        "plausible planning figure (at least 1e-06 h/session expected)")
    for message in said.values():
        assert "degrades the solver's numerics" in message and "check the cell" in message
    assert {i.column for i in data.warnings if i.rule == "implausible"} == set(said)


def test_zero_and_ordinary_figures_are_not_implausible(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"][0]["people"] = 0  # 0 is allowed and plausible; only (0, 1e-06) is odd
    tables["Trainers"][0]["available_hours"] = 99_000_000
    tables["Programmes"][0]["budget"] = 25e6
    data, issues = inspect(write(tmp_path, tables=tables))
    assert data is not None and not [i for i in issues if i.rule == "implausible"], issues


def test_tiny_but_allowed_and_huge_settings_and_costs_say_what_to_do(tmp_path: Path) -> None:
    tables = records()
    tables["Demand"][1]["people"] = 1e-9
    tables["Programmes"][0]["budget"] = 1e18
    settings = {**SETTINGS, "average_speed_kmh": 1e9}
    issues = issues_of(tmp_path, tables, settings)
    assert located(issues, "implausible") == sorted([
        ("warning", "Demand", 3, "people", "D3", 1e-9),
        ("warning", "Programmes", 2, "budget", "E2", 1e18),
        ("warning", "Settings", 5, "value", "B5", 1e9)], key=str)
    said = {i.column: i.message for i in issues if i.rule == "implausible"}
    assert "write 0 if none is meant" in said["people"]
    assert "more than the world's yearly output" in said["budget"]
    assert said["value"].startswith("average_speed_kmh = 1e+09 km/h: far above")


def test_edited_data_is_held_to_the_same_plausible_ranges() -> None:
    """A scenario scaling a column by a million is checked like a workbook."""
    data = planning_data(SETTINGS, records())
    data.tables["Demand"].loc[0, "people"] = 25e9
    issues = check_tables(data.settings, data.tables)
    assert located(issues, "implausible") == [
        ("warning", "Demand", None, "people", None, 25e9)]


def test_every_plausible_range_is_stated_in_words() -> None:
    from planner.data.schema import SETTING_BY_KEY, SHEET_BY_NAME
    people = SHEET_BY_NAME["Demand"].column("people")
    assert people.plausible_text == "a warning above 1e+07 or in (0, 1e-06)"
    per_session = SHEET_BY_NAME["Offers"].column("trainer_hours_per_session")
    assert per_session.plausible_text == "a warning above 100000 or below 1e-06"
    assert SHEET_BY_NAME["Offers"].column("placement_rate").plausible_text == \
        "a warning below 1e-06"
    assert SETTING_BY_KEY["detour_factor"].plausible_text == "a warning above 100"
    for sheet in SHEET_BY_NAME.values():
        for column in sheet.columns:
            if column.unit and column.unit != "deg" and column.kind.value in ("number",
                                                                               "integer"):
                assert column.plausible is not None, f"{sheet.name}.{column.name}"
