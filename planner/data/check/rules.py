"""The rule codes that every input :class:`~planner.errors.Issue` carries.

A rule code is short and stable: tests, programs and the annotated copy's
``Issues`` sheet match on it, so a code is never renamed once released.
``Rule`` is a ``StrEnum``: ``issue.rule == "bounds"`` holds for
``Rule.BOUNDS``.  ``MEANING`` documents each code in one line (the README's
rule table is generated from it).
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    # Opening the file and finding the sheets and columns (read/raw_workbook.py)
    FILE_UNREADABLE = "file-unreadable"
    SHEET_MISSING = "sheet-missing"
    SHEET_AMBIGUOUS = "sheet-ambiguous"
    SHEET_EMPTY = "sheet-empty"
    SHEET_HIDDEN = "sheet-hidden"
    SHEET_UNKNOWN = "sheet-unknown"
    TABLE_SEVERAL = "table-several"
    OUTSIDE_TABLE = "outside-table"
    COLUMN_MISSING = "column-missing"
    COLUMN_DUPLICATE = "column-duplicate"
    COLUMN_UNKNOWN = "column-unknown"
    COLUMN_UNNAMED = "column-unnamed"
    MERGED_CELLS = "merged-cells"
    FORMULA_NO_VALUE = "formula-no-value"
    EXCEL_ERROR = "excel-error"
    # One cell (read/cell_parser.py, applied by check/validate.py)
    TYPE = "type"
    NUMBER_AS_TEXT = "number-as-text"
    REQUIRED = "required"
    # Tables (validate.check_tables)
    BOUNDS = "bounds"
    IMPLAUSIBLE = "implausible"
    INTEGER = "integer"
    CHOICE = "choice"
    DUPLICATE = "duplicate"
    REFERENCE = "reference"
    YEAR_RANGE = "year-range"
    COMMITTED_MAX = "committed-max"
    MIN_LEARNERS_SEATS = "min-learners-seats"
    RAMP_UP_WITHOUT_BASELINE = "ramp-up-without-baseline"
    COORDINATES_MISSING = "coordinates-missing"
    TRAINERS_MISSING = "trainers-missing"
    COHORT_LEARNERS_SEATS = "cohort-learners-seats"
    COHORT_COMPLETED = "cohort-completed"
    PROGRAMME_TOO_LONG = "programme-too-long"
    # Settings (validate)
    SETTING_UNKNOWN = "setting-unknown"
    SETTING_DUPLICATE = "setting-duplicate"
    SETTING_MISSING = "setting-missing"
    SETTING_YEARS = "setting-years"
    SETTING_STAGES = "setting-stages"
    # Infeasibility visible before the solve (check/presolve.py)
    INFEASIBLE_TRAINER_HOURS = "infeasible-trainer-hours"
    INFEASIBLE_SITE_HOURS = "infeasible-site-hours"
    INFEASIBLE_BUDGET = "infeasible-budget"
    INFEASIBLE_RAMP_UP = "infeasible-ramp-up"
    INFEASIBLE_UNREACHABLE = "infeasible-unreachable"
    DEMAND_NO_OFFER = "demand-no-offer"
    DEMAND_NO_ACCESS = "demand-no-access"
    # Scenario edits (planner/scenarios/edits.py), located on the Scenarios row
    SCENARIO_SHEET = "scenario-sheet"
    SCENARIO_COLUMN = "scenario-column"
    SCENARIO_WHERE = "scenario-where"
    SCENARIO_OPERATION = "scenario-operation"
    SCENARIO_VALUE = "scenario-value"
    SCENARIO_NAME = "scenario-name"


MEANING: dict[Rule, str] = {
    Rule.FILE_UNREADABLE: "the file cannot be opened as an .xlsx workbook",
    Rule.SHEET_MISSING: "a required sheet is absent",
    Rule.SHEET_AMBIGUOUS: "two sheets match the same input sheet name",
    Rule.SHEET_EMPTY: "a sheet holds no header or no data rows",
    Rule.SHEET_HIDDEN: "a hidden sheet is read (warning)",
    Rule.SHEET_UNKNOWN: "a sheet that is not part of the input is ignored (warning)",
    Rule.TABLE_SEVERAL: "a sheet holds several Excel tables; one is read (warning)",
    Rule.OUTSIDE_TABLE: "values below or beside the Excel table are ignored (warning)",
    Rule.COLUMN_MISSING: "a required column is absent from the header row",
    Rule.COLUMN_DUPLICATE: "two header cells name the same column",
    Rule.COLUMN_UNKNOWN: "a column that is not part of the input is kept as is (warning)",
    Rule.COLUMN_UNNAMED: "values in a column without a header are ignored (warning)",
    Rule.MERGED_CELLS: "merged cells in the data: error when they hide values, else warning",
    Rule.FORMULA_NO_VALUE: "a formula cell has no saved value",
    Rule.EXCEL_ERROR: "a cell shows an Excel error such as #DIV/0!",
    Rule.TYPE: "a value of the wrong type (text for a number, 3.5 for an integer ...)",
    Rule.NUMBER_AS_TEXT: "a number written as text was read (warning)",
    Rule.REQUIRED: "a required cell is blank",
    Rule.BOUNDS: "a value outside the column's bounds",
    Rule.IMPLAUSIBLE: "a number far beyond any plausible planning figure (the column's "
                      "plausible range), likely a slip, which would also degrade the "
                      "solver's numerics (warning)",
    Rule.INTEGER: "an integer column holds a fractional or infinite value",
    Rule.CHOICE: "a value outside the column's list of choices",
    Rule.DUPLICATE: "two rows share the same key",
    Rule.REFERENCE: "an identifier that the referenced sheet does not hold",
    Rule.YEAR_RANGE: "a year outside first_year .. last_year (InTraining start_year: not "
                     "before first_year)",
    Rule.COHORT_LEARNERS_SEATS: "an InTraining cohort with more learners than its sessions "
                                "seat",
    Rule.COHORT_COMPLETED: "an InTraining cohort completed before first_year: ignored "
                           "(warning)",
    Rule.PROGRAMME_TOO_LONG: "an offer whose sessions cannot complete within the planning "
                             "years, even started in first_year (warning)",
    Rule.COMMITTED_MAX: "committed_sessions_per_year above max_sessions_per_year",
    Rule.MIN_LEARNERS_SEATS: "min_learners above seats",
    Rule.RAMP_UP_WITHOUT_BASELINE: "max_new_sessions_per_year given without "
                                   "baseline_sessions: no ramp-up limit (warning)",
    Rule.COORDINATES_MISSING: "a needed travel time has neither coordinates nor a Travel row",
    Rule.TRAINERS_MISSING: "a trainer pool an offer needs has no Trainers row in a year "
                           "(0 hours assumed; warning)",
    Rule.SETTING_UNKNOWN: "a Settings key that the planner does not know",
    Rule.SETTING_DUPLICATE: "a Settings key given twice",
    Rule.SETTING_MISSING: "a required Settings key is absent",
    Rule.SETTING_YEARS: "first_year after last_year",
    Rule.SETTING_STAGES: "objective_stages names an unknown or repeated stage",
    Rule.INFEASIBLE_TRAINER_HOURS: "committed sessions need more trainer hours than "
                                   "available plus the most hiring can add",
    Rule.INFEASIBLE_SITE_HOURS: "committed sessions need more hours than a site hosts",
    Rule.INFEASIBLE_BUDGET: "committed sessions cost more than a programme's budget",
    Rule.INFEASIBLE_RAMP_UP: "committed sessions beyond what the ramp-up limit allows",
    Rule.INFEASIBLE_UNREACHABLE: "an offer must fill committed sessions but no learner "
                                 "can reach it",
    Rule.DEMAND_NO_OFFER: "demand in a family that no offer teaches (warning)",
    Rule.DEMAND_NO_ACCESS: "a territory's learners can reach no offer (warning)",
    Rule.SCENARIO_SHEET: "a scenario edits a sheet that is not an editable input sheet",
    Rule.SCENARIO_COLUMN: "a scenario edits a column (or Settings key) the sheet does not have",
    Rule.SCENARIO_WHERE: "a scenario's where_column / where_value is unknown, incomplete or "
                         "matches no row",
    Rule.SCENARIO_OPERATION: "scale or add on a column that does not hold amounts",
    Rule.SCENARIO_VALUE: "a scenario's value is not of the edited column's type",
    Rule.SCENARIO_NAME: "a scenario's name would write over another run's result workbook",
}
