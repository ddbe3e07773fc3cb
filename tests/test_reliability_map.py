"""Every row of ../shared/RELIABILITY.md and the tests that hold it to its expectation.

The map is checked both ways: each row of the document's tables is here
(so a new row needs a test before it can land), and each test named here
exists (so a renamed test cannot silently drop a row).
"""

from __future__ import annotations

import importlib
import re

import pytest

from tests.shared import SHARED

HOSTILE = "tests.test_hostile_inputs"
READER = "tests.test_reader"
SOLVE = "tests.test_cli_solve"
SAFE = "tests.test_report_safe"
CELLS = "tests.test_report_cells"
VERIFY = "tests.test_verify"

MAP: dict[str, list[str]] = {
    # Hostile or broken workbooks (test_hostile_inputs runs each file through validate
    # and solve: cases billion_laughs ... styled_far_cell)
    "XML entities (billion laughs, quadratic blowup, external entity)": [
        f"{HOSTILE}::test_validate_refuses_in_one_line_quickly",
        f"{HOSTILE}::test_solve_refuses_in_one_line_quickly_and_writes_nothing",
        f"{HOSTILE}::test_every_part_openpyxl_parses_goes_through_defusedxml",
        f"{HOSTILE}::test_defusedxml_refusals_read_like_the_planners_own",
        f"{READER}::test_reading_is_refused_without_defusedxml"],
    "zip bomb (1 MB file, 300 MB+ of sheet XML)": [
        f"{HOSTILE}::test_validate_refuses_in_one_line_quickly",
        f"{HOSTILE}::test_small_repetitive_parts_and_big_honest_sheets_pass"],
    "one styled empty cell at XFD1048576": [
        f"{READER}::test_one_styled_cell_at_the_last_cell_of_the_sheet_costs_nothing",
        f"{HOSTILE}::test_validate_refuses_in_one_line_quickly",
        f"{HOSTILE}::test_formulas_far_apart_are_read_without_walking_their_bounding_box"],
    "not a zip, empty, truncated, an .xls, an encrypted file, broken sheet XML, no "
    "workbook.xml": [
        f"{HOSTILE}::test_validate_refuses_in_one_line_quickly",
        f"{HOSTILE}::test_solve_refuses_in_one_line_quickly_and_writes_nothing",
        f"{HOSTILE}::test_a_file_without_read_permission_is_refused",
        f"{READER}::test_unreadable_files_give_one_line_naming_the_file",
        "tests.test_cli_validate::test_unreadable_file_exits_2_without_traceback"],
    "a required sheet or column missing": [
        "tests.test_validate::test_required_sheet_missing",
        f"{READER}::test_every_missing_required_sheet_is_listed",
        f"{READER}::test_missing_required_columns_are_all_listed"],
    # Content pitfalls
    "formula without cached value (file written by a program, not saved by Excel)": [
        f"{READER}::test_formula_without_saved_value_is_an_error_naming_the_cell",
        f"{READER}::test_formula_with_saved_value_is_read",
        "tests.test_libreoffice_inputs::"
        "test_formulas_without_values_are_refused_then_accepted_once_recalculated"],
    "hidden sheets": [f"{READER}::test_hidden_sheet_that_is_read_gets_a_warning"],
    "merged cells": [
        f"{READER}::test_merged_cells_hiding_data_are_an_error_naming_the_range",
        f"{READER}::test_merged_cells_over_a_blank_row_are_a_warning"],
    "data in an Excel table under a title row": [
        f"{READER}::test_excel_table_under_a_title_row_is_read_from_the_table"],
    '"30" as text, "3,14", "1 234,5"': [
        f"{READER}::test_numbers_as_text_are_read_with_a_located_warning",
        f"{READER}::test_ambiguous_or_wrong_numbers_are_errors_naming_the_cell"],
    "department `02` as a number": [
        f"{READER}::test_department_02_kept_as_text_cell_and_as_number_formatted_00",
        "tests.test_cells::test_identifiers_are_text_and_keep_zero_padding"],
    "`'Plant '`, non-breaking spaces, duplicate headers (`capacity.1`)": [
        f"{READER}::test_identifiers_with_odd_spaces_are_trimmed_and_still_match",
        f"{READER}::test_headers_are_trimmed_normalised_and_spaces_read_as_underscores",
        f"{READER}::test_duplicate_headers_are_errors_at_the_second_header_cell"],
    # Outputs
    "input text starting with `=` (e.g. `=HYPERLINK(...)`)": [
        f"{CELLS}::test_formula_or_error_looking_text_is_a_protected_string",
        f"{CELLS}::test_input_text_stays_text_in_every_sheet",
        f"{SOLVE}::test_formula_looking_text_stays_text_end_to_end",
        "tests.test_report_libreoffice::test_libreoffice_keeps_formula_looking_text_as_text"],
    "NaN / infinity": [
        f"{CELLS}::test_no_nan_or_infinity_in_any_cell",
        f"{CELLS}::test_nan_in_a_result_table_becomes_an_empty_cell",
        f"{CELLS}::test_infinity_in_a_result_table_stops_the_write_and_keeps_the_old_file"],
    "crash while writing": [
        f"{SAFE}::test_a_crash_while_saving_keeps_the_previous_file_and_leaves_no_temporary",
        f"{SAFE}::test_a_crash_while_building_keeps_the_previous_file",
        f"{SAFE}::test_a_process_killed_while_writing_leaves_the_previous_file"],
    "output path is the input (also through a link), or the output is open (`~$name.xlsx`, "
    "`.~lock.name.xlsx#`)": [
        f"{SAFE}::test_writing_over_the_input_is_refused",
        f"{SAFE}::test_writing_over_the_input_through_a_symlink_is_refused",
        f"{SAFE}::test_writing_over_the_input_through_a_hard_link_is_refused",
        f"{SAFE}::test_an_open_workbook_is_refused_with_what_to_do",
        f"{SOLVE}::test_writing_over_the_input_through_a_link_is_refused",
        f"{SOLVE}::test_an_open_result_workbook_is_not_overwritten"],
    "same input twice": [f"{SOLVE}::test_same_input_twice_gives_the_same_values"],
    # Solver outcomes
    "infeasible": [
        f"{SOLVE}::test_infeasible_exits_3_with_a_diagnosis_sheet",
        f"{SOLVE}::test_infeasible_beyond_presolve_is_explained_from_the_iis"],
    "unbounded": [f"{SOLVE}::test_an_unbounded_stage_is_never_written_as_a_plan"],
    "time limit with incumbent": [
        f"{SOLVE}::test_a_limit_stopping_the_search_writes_a_flagged_plan",
        f"{SOLVE}::test_a_plan_stopped_by_a_limit_exits_0_with_a_warning_and_its_gap"],
    "time limit, no incumbent": [f"{SOLVE}::test_no_solution_in_time_exits_4_with_advice"],
    # Measured in December 2026
    "a fresh install takes the newest solver (highspy 1.16.0, released after 1.15.1 passed "
    "every test)": [
        "tests.test_lock::test_the_installed_versions_are_the_locked_ones",
        "tests.test_lock::test_the_make_targets_install_from_the_lock",
        f"{VERIFY}::test_highspy_1_16_answer_fails_on_its_objective_and_its_bound",
        f"{VERIFY}::test_a_failed_check_is_solved_again_cold_and_the_true_optimum_kept",
        f"{VERIFY}::test_when_cold_fails_too_presolve_is_switched_off",
        f"{VERIFY}::test_a_stage_that_never_passes_is_unverified_and_nothing_is_written",
        f"{VERIFY}::test_with_highs_default_tolerance_the_real_solver_is_checked_too",
        f"{VERIFY}::test_the_minimum_fill_instance_costs_80_through_the_command_line"],
    "Ctrl-C during a stage": [
        "tests.test_interrupt::test_ctrl_c_during_a_stage_keeps_the_best_plan_and_exits_130",
        "tests.test_interrupt::test_a_second_ctrl_c_exits_at_once_and_writes_nothing",
        "tests.test_interrupt::test_an_interrupt_before_any_plan_leaves_no_plan"],
    "SIGINT to a child started in the background by a non-interactive shell": [
        "tests.test_interrupt::test_ctrl_c_during_a_stage_keeps_the_best_plan_and_exits_130",
        "tests.test_interrupt::test_ctrl_c_while_reading_stops_at_once"],
    "200,000 rows breaking one rule": [
        "tests.test_floods::test_validate_summarises_200000_duplicates_in_bounded_memory",
        "tests.test_floods::test_solve_refuses_200000_duplicates_in_bounded_memory",
        "tests.test_floods::"
        "test_annotated_copy_of_200000_duplicates_is_summed_up_in_bounded_memory",
        "tests.test_cli_validate::test_the_report_says_where_the_rest_of_a_long_run_is",
        "tests.test_cli_validate::"
        "test_the_annotated_copy_marks_and_lists_the_first_of_a_rule_and_sums_up_the_rest",
        "tests.test_cli_validate::"
        "test_a_large_workbook_is_copied_as_it_is_read_into_the_same_annotated_copy",
        f"{READER}::test_values_a_merged_range_covers_read_as_blank",
        f"{READER}::test_a_table_part_is_parsed_through_defusedxml"],
    "magnitudes such as 1e15 people, 1e300 hours, 1e-12 hours a session": [
        "tests.test_validate::"
        "test_magnitudes_far_beyond_any_planning_figure_are_located_warnings",
        "tests.test_validate::test_zero_and_ordinary_figures_are_not_implausible",
        "tests.test_validate::test_tiny_but_allowed_and_huge_settings_and_costs_say_what_to_do",
        "tests.test_validate::test_edited_data_is_held_to_the_same_plausible_ranges"],
    "a LibreOffice `.ods` input": [
        f"{HOSTILE}::test_validate_refuses_in_one_line_quickly",
        f"{HOSTILE}::test_solve_refuses_in_one_line_quickly_and_writes_nothing"],
}
"""RELIABILITY.md row (its first cell, as written) -> the tests that check it."""

REAL_CLIENT = ["tests.test_report_libreoffice::test_libreoffice_reads_every_sheet",
               "tests.test_libreoffice_inputs::"
               "test_the_filled_template_saved_by_libreoffice_loads_the_same_data"]
"""The section "The real client check" (prose, not a table)."""


def _rows(text: str) -> list[str]:
    """First cells of the document's table rows (headers and rules left out)."""
    rows = []
    for block in re.split(r"\n(?!\|)", text):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        for line in lines[2:]:  # header, then |---|
            rows.append(line.split("|")[1].strip())
    return rows


def test_every_row_of_reliability_md_has_tests() -> None:
    path = SHARED / "RELIABILITY.md"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared is not beside the repository")
    rows = _rows(path.read_text(encoding="utf-8"))
    assert rows, "no table rows found in RELIABILITY.md"
    assert set(rows) == set(MAP), {"without tests": set(rows) - set(MAP),
                                   "no longer in RELIABILITY.md": set(MAP) - set(rows)}


@pytest.mark.parametrize("node", sorted({n for ns in MAP.values() for n in ns} | set(REAL_CLIENT)))
def test_each_mapped_test_exists(node: str) -> None:
    module, name = node.split("::")
    assert callable(getattr(importlib.import_module(module), name, None)), node
