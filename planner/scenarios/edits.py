"""Apply one scenario's rows of the ``Scenarios`` sheet to a copy of the base data.

A scenario is the rows sharing one ``scenario`` name (SPEC 3).  Each row is
one declarative edit, applied in sheet order to a copy of the base typed
tables, so a later row sees what an earlier one did:

- ``set`` replaces the value, parsed as the edited column's kind by the
  same cell parser as the workbook (:func:`planner.data.read.cell_parser.parse_value`);
- ``scale`` multiplies, ``add`` adds: numeric columns only (``add`` also
  shifts a year).  A blank numeric cell means "unlimited" or "none" and
  stays blank; a whole-number column gets the result rounded to the
  nearest whole number.  Both are said in the edit log;
- ``where_column`` / ``where_value`` keep the rows whose column *equals*
  the value: identifiers and text compared as trimmed text (identifiers are
  case-sensitive, as everywhere in the input), numbers numerically, years
  as years.  Blank ``where_column`` means every row.

``sheet`` = ``Settings`` edits a setting: ``column`` is the key (e.g.
``max_travel_minutes``), without a where filter.

Nothing is evaluated: a value is a value, never a formula, a query or code.
The edited data then goes through exactly the rules of a workbook
(:func:`planner.data.check_tables`, then
:func:`planner.data.presolve_checks`).  Every problem is an
:class:`~planner.errors.Issue` located on the Scenarios row that caused it
(or, for a rule broken by the edited data, on the row whose edit touched
the offending cell), so a planner knows which row of which sheet to fix.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from planner.data import check_tables, presolve_checks
from planner.data.check.rules import Rule
from planner.data.read.cell_parser import parse_value
from planner.data.read.raw_workbook import match_sheets, normalise_header
from planner.data.schema import (EDIT_LOG_COLUMNS, SCENARIOS_SHEET, SETTING_BY_KEY,
                                  SETTINGS_SHEET, SHEET_BY_NAME, Column, Kind, Sheet)
from planner.data.tables import ROW, PlanningData, Settings
from planner.derived import derive
from planner.errors import InputError, Issue, error, warning
from planner.words import SHOWN, as_written, did_you_mean, listed, row_number
from planner.xlsx import COMPARISON, output_path

OPERATIONS = ("set", "scale", "add")
AMOUNTS = (Kind.NUMBER, Kind.INTEGER)
"""Kinds ``scale`` applies to; ``add`` also applies to years."""


@dataclass(frozen=True)
class Edit:
    """One row of the Scenarios sheet, as typed by the reader (text cells)."""

    scenario: str
    row: int | None
    """Excel row of the Scenarios sheet (``None`` for generated data)."""
    sheet: str
    column: str
    where_column: str | None
    where_value: str | None
    operation: str
    value: str | None

    @property
    def where(self) -> str:
        if self.where_column is None and self.where_value is None:
            return "every row"
        return f"{self.where_column or '(blank)'} = {self.where_value or '(blank)'}"


@dataclass
class ScenarioData:
    """A scenario's edited, validated data, ready for :func:`planner.pipeline.solve_data`."""

    name: str
    data: PlanningData
    log: pd.DataFrame
    presolve_conflicts: list[Issue] = field(default_factory=list)
    """Infeasibility visible in the edited data (the solve refuses it with a diagnosis)."""
    warnings: list[Issue] = field(default_factory=list)
    """Warnings of the edited data that the base did not have."""


class ScenarioInvalid(InputError):
    """A scenario cannot be solved: its rows or the data they make break the contract (exit 2).

    ``issues`` are located on the Scenarios rows; ``log`` is the edit log,
    with the problem of each refused row.
    """

    def __init__(self, scenario: str, issues: Sequence[Issue], log: pd.DataFrame) -> None:
        prefix = f"scenario {scenario!r}: "
        lines = "\n".join(f"  {issue.location()}: {issue.message.removeprefix(prefix)}"
                          for issue in issues[:SHOWN])
        more = f"\n  ... and {len(issues) - SHOWN} more" if len(issues) > SHOWN else ""
        rows = sorted({i.row for i in issues if i.row is not None})
        where = f" (Scenarios row{'s' if len(rows) > 1 else ''} "
        where = where + ", ".join(str(r) for r in rows) + ")" if rows else ""
        super().__init__(
            f"scenario {scenario!r} is invalid{where}: {len(issues)} problem"
            f"{'s' if len(issues) != 1 else ''}:\n{lines}{more}", issues,
            advice="Correct the Scenarios rows named above (sheet, column, where_column, "
                   "where_value, operation, value) and run again; the base and the other "
                   "scenarios are not affected.")
        self.scenario = scenario
        self.log = log


class _Refused(Exception):
    """An edit that cannot apply, located at a column of its Scenarios row."""

    def __init__(self, column: str, value: Any, rule: Rule, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.value = value
        self.rule = rule
        self.message = message


@dataclass
class _Touch:
    """What an applied edit changed: the sheet, column and Excel rows."""

    edit: Edit
    sheet: str
    column: str
    rows: set[Any]


# --- which scenarios, which rows --------------------------------------------------

def scenario_names(data: PlanningData) -> list[str]:
    """Scenario names in the order they first appear in the Scenarios sheet."""
    names: list[str] = []
    for name in data.scenarios["scenario"].tolist():
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def scenario_edits(data: PlanningData, name: str) -> list[Edit]:
    """The rows of scenario ``name``, in sheet order."""
    frame = data.scenarios
    edits = []
    for record in frame.to_dict("records"):
        if not isinstance(record["scenario"], str) or record["scenario"].strip() != name:
            continue
        edits.append(Edit(
            scenario=name, row=row_number(record.get(ROW)), sheet=_text(record["sheet"]) or "",
            column=_text(record["column"]) or "", where_column=_text(record["where_column"]),
            where_value=_text(record["where_value"]),
            operation=(_text(record["operation"]) or "").lower(), value=_text(record["value"])))
    return edits


def unknown_scenario_message(data: PlanningData, name: str) -> str:
    """``--scenario NAME`` for a name the workbook does not have, with the names it has."""
    names = scenario_names(data)
    if not names:
        return (f"there is no scenario {name!r}: the workbook has no Scenarios rows; add rows "
                "to its Scenarios sheet (one edit a row) or solve the base without --scenario")
    hint = did_you_mean(name, names)
    hint = f"; {hint}" if hint else ""
    return (f"there is no scenario {name!r} in the Scenarios sheet{hint}. The scenarios are: "
            + ", ".join(names))


def name_conflict(data: PlanningData, name: str, output_dir: str = ".",
                  input_path: str = "input.xlsx") -> str | None:
    """Why ``name``'s result workbook would replace another run's, else ``None``.

    Result workbooks are named ``<stem>__<scenario>.xlsx`` with unsafe
    characters replaced, compared regardless of case (Windows and macOS
    file names are): ``Access 45`` and ``access_45`` are the same file.
    """
    def file_of(scenario: str) -> str:
        return output_path(output_dir, input_path, scenario).name.casefold()

    mine = file_of(name)
    if mine == file_of(COMPARISON):
        return (f"scenario {name!r} would write DIR/<input>__comparison.xlsx, the comparison "
                "workbook of --all-scenarios: rename the scenario")
    base = data.settings.scenario_name
    if file_of(base) == mine:
        return (f"scenario {name!r} has the base's name (Settings scenario_name {base!r}), so "
                "its result workbook would replace the base's: rename the scenario")
    for other in scenario_names(data):
        if other == name:
            return None
        if file_of(other) == mine:
            return (f"scenario {name!r} and scenario {other!r} would write the same result "
                    f"workbook ({output_path(output_dir, input_path, name).name}): give them "
                    "names that differ in letters or digits")
    return None


# --- applying ---------------------------------------------------------------------------

def apply_scenario(base: PlanningData, name: str) -> ScenarioData:
    """Scenario ``name`` applied to a copy of ``base`` and validated like an input.

    Raises :class:`ScenarioInvalid` (every problem, located on the
    Scenarios rows) when a row cannot apply or the edited data breaks a
    rule.  ``base`` is never modified.
    """
    edits = scenario_edits(base, name)
    if not edits:
        raise InputError(unknown_scenario_message(base, name))
    data = base.copy()
    settings_values = _settings_values(base.settings)
    settings_rows: dict[str, int] = {}
    touches: list[_Touch] = []
    log: list[dict[str, Any]] = []
    issues: list[Issue] = []
    conflict = name_conflict(base, name)
    if conflict:
        issues.append(error(SCENARIOS_SHEET, edits[0].row, "scenario", name, Rule.SCENARIO_NAME,
                            conflict))
    for edit in edits:
        try:
            if _is_settings(edit.sheet):
                line = _settings_edit(settings_values, edit)
                if edit.row is not None:  # locates a Settings rule broken by this edit
                    settings_rows[normalise_header(edit.column)] = edit.row
            else:
                line, touch = _table_edit(data.tables, edit)
                touches.append(touch)
        except _Refused as refused:
            issue = error(SCENARIOS_SHEET, edit.row, refused.column, refused.value, refused.rule,
                          f"scenario {name!r}: {refused.message}")
            issues.append(issue)
            line = _log_line(edit, 0, "", refused.message)
        log.append(line)
    log_frame = pd.DataFrame(log, columns=list(EDIT_LOG_COLUMNS))
    if issues:
        raise ScenarioInvalid(name, issues, log_frame)

    settings_values["scenario_name"] = name
    settings = Settings.from_values(settings_values)
    data.settings = settings
    found = check_tables(settings, data.tables, settings_rows)
    errors = [_blame(i, name, edits, touches) for i in found if i.is_error]
    if errors:
        raise ScenarioInvalid(name, errors, _with_problems(log_frame, errors))
    data.derived = derive(data)
    checks = presolve_checks(data, data.derived)
    known = {_key(i) for i in base.warnings}
    warnings = [i for i in found + checks if not i.is_error and _key(i) not in known]
    data.warnings = tuple(i for i in found + checks if not i.is_error)
    return ScenarioData(name, data, log_frame,
                        presolve_conflicts=[i for i in checks if i.is_error], warnings=warnings)


def check_scenarios(base: PlanningData) -> list[Issue]:
    """Every scenario of ``base`` applied as a solve would apply it: the problems, located.

    An invalid scenario gives its errors (on its Scenarios rows, with "did
    you mean"); a scenario whose edited data shows a conflict before any
    solve gives a warning on its first row (the solve would diagnose it).
    """
    issues: list[Issue] = []
    for name in scenario_names(base):
        try:
            edited = apply_scenario(base, name)
        except ScenarioInvalid as invalid:
            issues.extend(invalid.issues)
            continue
        first = scenario_edits(base, name)[0].row
        for conflict in edited.presolve_conflicts:
            issues.append(warning(
                SCENARIOS_SHEET, first, "scenario", name, conflict.rule,
                f"scenario {name!r} makes the limits conflict, so it would be infeasible: "
                f"{conflict.location()}: {conflict.message}"))
    return issues


def _is_settings(sheet: str) -> bool:
    return SETTINGS_SHEET in match_sheets([sheet]).titles


def _settings_values(settings: Settings) -> dict[str, Any]:
    values = asdict(settings)
    values["objective_stages"] = ",".join(settings.objective_stages)
    return values


def _settings_edit(values: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """Edit one setting in ``values`` (re-validated afterwards like the Settings sheet)."""
    if edit.where_column is not None or edit.where_value is not None:
        which = "where_column" if edit.where_column is not None else "where_value"
        raise _Refused(which, getattr(edit, which), Rule.SCENARIO_WHERE,
                       "Settings holds one value per key: leave where_column and where_value "
                       "blank and write the key in column")
    key = normalise_header(edit.column)
    if key not in SETTING_BY_KEY:
        hint = did_you_mean(key, SETTING_BY_KEY) or "the keys are " + ", ".join(SETTING_BY_KEY)
        raise _Refused("column", edit.column, Rule.SCENARIO_COLUMN,
                       f"Settings has no key {edit.column!r}; {hint}")
    if key == "scenario_name":
        raise _Refused("column", edit.column, Rule.SCENARIO_COLUMN,
                       "a scenario's scenario_name is its own name (column scenario): remove "
                       "this row, or rename the scenario")
    column = SETTING_BY_KEY[key]
    before = pd.Series([values[key]], dtype=object)
    after, notes = _new_values(column, before, edit, where=SETTINGS_SHEET)
    values[key] = after[0]
    return _log_line(edit, _changed(before.tolist(), after), _change(
        column, before.tolist(), list(after), notes), "",
                     sheet=SETTINGS_SHEET, column=column.name)


def _table_edit(tables: dict[str, pd.DataFrame], edit: Edit) -> tuple[dict[str, Any], _Touch]:
    """Apply one edit to ``tables`` in place; its log line and what it touched."""
    sheet = _input_sheet(edit.sheet)
    column = _schema_column(sheet, edit.column, "column")
    frame = tables[sheet.name]
    if not len(frame):
        raise _Refused("sheet", edit.sheet, Rule.SCENARIO_WHERE,
                       f"the {sheet.name} sheet has no rows: there is nothing to edit")
    mask = _where_mask(sheet, frame, edit, tables)
    before = frame.loc[mask, column.name]
    after, notes = _new_values(column, before, edit, where=sheet.name)
    if column.kind is Kind.YEAR:
        frame[column.name] = frame[column.name].astype("Int64")
        frame.loc[mask, column.name] = pd.array(after, dtype="Int64")
        if not frame[column.name].isna().any():
            frame[column.name] = frame[column.name].astype("int64")
    elif column.kind in AMOUNTS:
        frame.loc[mask, column.name] = np.asarray(after, dtype=float)
    else:
        frame.loc[mask, column.name] = pd.Series(after, index=before.index, dtype=object)
    touch = _Touch(edit, sheet.name, column.name, set(frame.loc[mask, ROW].tolist()))
    change = _change(column, before.tolist(), after, notes)
    line = _log_line(edit, _changed(before.tolist(), after), change, "", sheet=sheet.name,
                     column=column.name)
    return line, touch


def _input_sheet(text: str) -> Sheet:
    found = match_sheets([text])
    names = list(found.titles)
    if names == [SCENARIOS_SHEET]:
        raise _Refused("sheet", text, Rule.SCENARIO_SHEET,
                       "a scenario cannot edit the Scenarios sheet itself")
    if names:
        return SHEET_BY_NAME[names[0]]
    editable = [s for s in SHEET_BY_NAME if s != SCENARIOS_SHEET]
    hint = did_you_mean(text, editable)
    hint = f"; {hint}" if hint else ""
    kind = "a documentation sheet, not input data" if found.documentation else (
        "not an input sheet")
    raise _Refused("sheet", text, Rule.SCENARIO_SHEET,
                   f"{text!r} is {kind}{hint}. The sheets a scenario can edit are "
                   + ", ".join(editable))


def _schema_column(sheet: Sheet, text: str | None, role: str) -> Column:
    key = normalise_header(text or "")
    if key in sheet.column_by_name:
        return sheet.column_by_name[key]
    names = [c.name for c in sheet.columns]
    hint = did_you_mean(key, names)
    hint = f"{hint} " if hint else ""
    raise _Refused(role, text, Rule.SCENARIO_COLUMN,
                   f"{sheet.name} has no column {text!r}: {hint}its columns are "
                   + ", ".join(names))


def _where_mask(sheet: Sheet, frame: pd.DataFrame, edit: Edit,
                tables: dict[str, pd.DataFrame] | None = None) -> np.ndarray:
    """The rows the edit applies to (every row without a filter)."""
    if edit.where_column is None:
        if edit.where_value is not None:
            raise _Refused("where_column", None, Rule.SCENARIO_WHERE,
                           f"where_value {edit.where_value!r} is given without where_column: "
                           "name the column to filter on, or clear where_value")
        return np.ones(len(frame), dtype=bool)
    column = _schema_column(sheet, edit.where_column, "where_column")
    if edit.where_value is None:
        raise _Refused("where_value", None, Rule.SCENARIO_WHERE,
                       f"where_column {column.name} is given but where_value is blank: write "
                       "the value the rows must have")
    parsed = parse_value(column.kind, edit.where_value)
    if parsed.problem or parsed.value is None:
        raise _Refused("where_value", edit.where_value, Rule.SCENARIO_WHERE,
                       f"where_value for {sheet.name}.{column.name} ({_kind_text(column)}): "
                       f"{parsed.problem}")
    series = frame[column.name]
    if column.kind in (Kind.NUMBER, Kind.INTEGER, Kind.YEAR):
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        mask = np.isclose(values, float(parsed.value), rtol=1e-12, atol=1e-12)
    else:
        mask = (series == parsed.value).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        raise _Refused("where_value", edit.where_value, Rule.SCENARIO_WHERE,
                       f"no row of {sheet.name} has {column.name} = {parsed.value!r}"
                       f"{_name_hint(sheet, column, str(parsed.value), tables)}"
                       f"{_value_hint(str(parsed.value), series)}")
    return mask


def _name_hint(sheet: Sheet, column: Column, value: str,
               tables: dict[str, pd.DataFrame] | None) -> str:
    """Where an identifier is asked and a name was written: the identifier of that name."""
    named = column.references or (sheet.name if sheet.identifier == column.name else None)
    frame = None if tables is None or named is None else tables.get(named)
    if frame is None or "name" not in frame.columns:
        return ""
    key = SHEET_BY_NAME[named].identifier
    found = [k for k, n in zip(frame[key], frame["name"])
             if isinstance(n, str) and n.strip().casefold() == value.strip().casefold()]
    if not found:
        return ""
    return (f": {value!r} is the name of {named} {', '.join(map(str, found))}; where_value "
            f"takes the identifier ({key}), write {found[0]}")


def _value_hint(value: str, series: pd.Series) -> str:
    """A cheap "did you mean" among the values the column holds, else a few of them."""
    values = [str(v) for v in pd.unique(series.dropna())]
    hint = did_you_mean(value, values)
    if hint:
        return f" ({hint})"
    if not values:
        return " (the column is blank in every row)"
    return f" (it holds {listed(values)})"


def _new_values(column: Column, before: pd.Series, edit: Edit, *,
                where: str) -> tuple[list[Any], list[str]]:
    """The edited values of ``before`` and the notes for the log (blanks, rounding)."""
    if edit.operation not in OPERATIONS:
        raise _Refused("operation", edit.operation, Rule.SCENARIO_OPERATION,
                       f"operation must be one of {', '.join(OPERATIONS)}")
    if edit.value is None:
        raise _Refused("value", None, Rule.SCENARIO_VALUE, "value is blank: write the value "
                       "to set, the factor to scale by or the amount to add")
    name = f"{where}.{column.name}" if where != SETTINGS_SHEET else column.name
    if edit.operation == "set":
        parsed = parse_value(column.kind, edit.value)
        if parsed.problem or parsed.value is None:
            raise _Refused("value", edit.value, Rule.SCENARIO_VALUE,
                           f"{name} takes {_kind_text(column)}: {parsed.problem}")
        return [parsed.value] * len(before), []
    allowed = AMOUNTS + ((Kind.YEAR,) if edit.operation == "add" else ())
    if column.kind not in allowed:
        what = "years" if column.kind is Kind.YEAR else _kind_text(column)
        use = "add to shift a year, or set" if column.kind is Kind.YEAR else "use set"
        raise _Refused("operation", edit.operation, Rule.SCENARIO_OPERATION,
                       f"{edit.operation} applies to amounts, and {name} holds {what}: {use}")
    amount_kind = Kind.INTEGER if column.kind is Kind.YEAR else Kind.NUMBER
    parsed = parse_value(amount_kind, edit.value)
    if parsed.problem or parsed.value is None:
        what = "a factor" if edit.operation == "scale" else "an amount"
        raise _Refused("value", edit.value, Rule.SCENARIO_VALUE,
                       f"{edit.operation} needs {what}: {parsed.problem}")
    amount = parsed.value
    after: list[Any] = []
    blanks = rounded = 0
    for value in before.tolist():
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            blanks += 1
            after.append(None if column.kind is Kind.YEAR else math.nan)
            continue
        result = value * amount if edit.operation == "scale" else value + amount
        if column.kind is Kind.YEAR:
            after.append(int(result))
        elif column.kind is Kind.INTEGER:
            whole = _round_half_away(result)
            rounded += whole != _tidy(result)
            after.append(float(whole))
        else:
            after.append(_tidy(result))
    notes = []
    if blanks:
        meaning = f" ({column.blank_means})" if column.blank_means else ""
        notes.append(f"{blanks} blank cell{'s' if blanks > 1 else ''}{meaning} left blank")
    if rounded:
        notes.append(f"{rounded} value{'s' if rounded > 1 else ''} rounded to the nearest "
                     "whole number")
    return after, notes


def _round_half_away(value: float) -> int:
    """Nearest whole number, halves away from zero (2.5 -> 3), as a planner rounds."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def _tidy(value: float) -> float:
    """``1080.0000000000002`` -> ``1080.0``: the binary noise of a product, not a figure."""
    return float(f"{float(value):.15g}")


def _kind_text(column: Column) -> str:
    return {
        Kind.IDENTIFIER: "an identifier", Kind.TEXT: "text", Kind.INTEGER: "a whole number",
        Kind.NUMBER: "a number", Kind.BOOLEAN: "TRUE or FALSE", Kind.YEAR: "a year",
    }[column.kind]


# --- the edit log ------------------------------------------------------------------------

def _log_line(edit: Edit, rows: int, change: str, problem: str, *, sheet: str | None = None,
              column: str | None = None) -> dict[str, Any]:
    """One line of the edit log; ``sheet`` / ``column`` as resolved (else as typed)."""
    return {"scenario": edit.scenario, "scenarios_row": edit.row, "sheet": sheet or edit.sheet,
            "column": column or edit.column, "where": edit.where, "operation": edit.operation,
            "value": edit.value, "rows_changed": rows, "change": change or None,
            "problem": problem or None}


def _changed(before: list[Any], after: list[Any]) -> int:
    """Rows whose value the edit changed (a blank left blank, or 45 set to 45, did not)."""
    return sum(not (a == b or (_blank(a) and _blank(b))) for a, b in zip(before, after))


def _change(column: Column, before: list[Any], after: list[Any], notes: list[str]) -> str:
    """``900 -> 1080``, ``900..1800 -> 1080..2160``, ``'LIL' -> 'LEN'``, with notes."""
    parts = list(notes)
    if any(not _blank(v) for v in list(before) + list(after)):
        quiet = bool(notes)  # a note already says what happened to the blanks
        parts.insert(0, f"{_values_text(column, before, quiet)} -> "
                        f"{_values_text(column, after, quiet)}")
    return "; ".join(parts)


def _values_text(column: Column, values: Sequence[Any], quiet_blanks: bool = False) -> str:
    known = [v for v in values if not _blank(v)]
    if not known:
        return "blank"
    if column.kind in (Kind.NUMBER, Kind.INTEGER, Kind.YEAR):
        low, high = min(known), max(known)
        blank = " and blanks" if len(known) < len(values) and not quiet_blanks else ""
        shown = as_written(low) if low == high else f"{as_written(low)}..{as_written(high)}"
        return shown + blank
    if column.kind is Kind.BOOLEAN:
        distinct = list(dict.fromkeys("TRUE" if v else "FALSE" for v in known))
        return distinct[0] if len(distinct) == 1 else "TRUE and FALSE"
    distinct = list(dict.fromkeys(str(v) for v in known))
    if len(distinct) == 1:
        return repr(distinct[0])
    return f"{len(distinct)} values ({listed([repr(v) for v in distinct], 3)})"


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# --- issues of the edited data -----------------------------------------------------------

def _blame(issue: Issue, name: str, edits: list[Edit], touches: list[_Touch]) -> Issue:
    """A rule broken by the edited data, located on the Scenarios row that caused it.

    The row is the last edit that changed the offending cell; failing
    that, the last that changed that row, that column, that sheet; and a
    Settings rule is blamed on the last Settings edit.  When none did (a
    reference broken from another sheet), every row of the scenario is
    named.
    """
    if issue.sheet == SETTINGS_SHEET:
        settings_edits = [e for e in edits if _is_settings(e.sheet)]
        culprits = [e for e in settings_edits if e.row == issue.row] or settings_edits[-1:]
        where = f"Settings {issue.message}"
    else:
        same_sheet = [t for t in touches if t.sheet == issue.sheet]
        row_known = issue.row is not None
        ranked = (
            [t for t in same_sheet if t.column == issue.column and row_known
             and issue.row in t.rows],
            [t for t in same_sheet if row_known and issue.row in t.rows],
            [t for t in same_sheet if t.column == issue.column],
            same_sheet,
        )
        culprits = next(([group[-1].edit] for group in ranked if group), [])
        where = f"{issue.location()}: {issue.message}" if issue.location() else issue.message
    if not culprits:
        culprits = edits
    edit = culprits[-1]
    rows = ", ".join(str(e.row) for e in culprits if e.row is not None)
    after = "after this edit" if len(culprits) == 1 else f"after its edits (rows {rows})"
    return error(SCENARIOS_SHEET, edit.row, "value", edit.value, issue.rule,
                 f"scenario {name!r}: {after} ({edit.sheet}.{edit.column} {edit.operation} "
                 f"{edit.value}, {edit.where}), {where}")


def _with_problems(log: pd.DataFrame, issues: list[Issue]) -> pd.DataFrame:
    """The log with each row's first problem found in the edited data."""
    log = log.copy()
    for issue in reversed(issues):
        prefix = f"scenario {log['scenario'].iat[0]!r}: " if len(log) else ""
        message = issue.message.removeprefix(prefix)
        log.loc[log["scenarios_row"] == issue.row, "problem"] = message
    return log


def _key(issue: Issue) -> tuple[Any, ...]:
    return issue.sheet, issue.row, issue.column, issue.rule


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None
