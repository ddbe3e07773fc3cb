"""Every input rule, collected, each problem located (sheet, Excel row, column, value).

Two layers, so that scenario edits can be checked by exactly the same rules:

- **Cells** (:func:`parse_sheet`, :func:`parse_settings`): the raw cells of
  the workbook become typed records, with a located issue for every value
  of the wrong type (and a warning for numbers typed as text).
- **Tables** (:func:`check_tables`): required values, bounds, integers,
  choices, unique keys, references to other sheets, years inside the plan,
  the cross-column and cross-sheet rules, and the Settings' own rules.  They
  run on typed tables (one ``DataFrame`` per sheet, with ``_row``) and a
  :class:`Settings`, never on the workbook, so they hold for edited data.

Every rule is driven from :mod:`planner.data.schema`; the few rules that
relate two columns are listed in ``AT_MOST`` below.  No rule stops the
others.  Issues from the table layer name sheet, row and column; the
caller fills in the cell reference (:meth:`RawWorkbook.locate`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from planner.data.check.rules import Rule
from planner.data.read.cell_parser import clean_text, is_blank, parse_value, parser_for
from planner.data.read.raw_workbook import RawSheet, RawWorkbook, normalise_header
from planner.data.schema import (
    DEMAND_SHEET, IN_TRAINING_SHEET, OFFERS_SHEET, ORGANISATIONS_SHEET, SETTINGS, SETTINGS_SHEET,
    SETTING_BY_KEY, SHEETS, SHEET_BY_NAME, STAGES, TERRITORIES_SHEET, TRAINERS_SHEET,
    TRAVEL_SHEET, Column, Kind, Sheet,
)
from planner.data.tables import ROW, Settings, parse_stages, typed_columns
from planner.errors import Issue, error, warning
from planner.words import (as_written, counted, did_you_mean, listed, row_number, unwrapped,
                           year_span)

AT_MOST: tuple[tuple[str, str, str, Rule], ...] = (
    (OFFERS_SHEET, "committed_sessions_per_year", "max_sessions_per_year", Rule.COMMITTED_MAX),
    (OFFERS_SHEET, "min_learners", "seats", Rule.MIN_LEARNERS_SEATS),
)
"""(sheet, column, column it may not exceed, rule): located at the first column."""

SUGGEST_AMONG = 5000
"""Above this many identifiers, no "did you mean" (it would cost more than it helps)."""


# --- cells -> typed records -----------------------------------------------------------

@dataclass
class ParsedSheet:
    """A sheet's cells, typed, column by column: ``columns`` holds, for each schema column
    read and each kept unknown column, one value per record (``None`` where blank or
    unusable); ``rows`` the records' Excel rows."""

    columns: dict[str, list[Any]] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)


def parse_sheet(sheet: Sheet, raw: RawSheet | None) -> tuple[ParsedSheet, list[Issue]]:
    """Typed values (schema columns, kept unknown columns, rows) and the cell issues.

    Column by column, without a dict per record: a 200,000-row sheet costs
    a list per column.
    """
    if raw is None:
        return ParsedSheet(), []
    issues: list[Issue] = []
    parsed = ParsedSheet(rows=list(raw.rows))
    for column in sheet.columns:
        if column.name in raw.values:
            parsed.columns[column.name] = _parse_column(sheet, column, raw, issues)
    for name in raw.unknown:
        parsed.columns[name] = [clean_text(value) if isinstance(value, str) else value
                                for value in raw.values[name]]
    return parsed, issues


def _parse_column(sheet: Sheet, column: Column, raw: RawSheet,
                  issues: list[Issue]) -> list[Any]:
    parse = parser_for(column.kind)
    name = column.name
    formats = raw.formats.get(name)
    typed: list[Any] = []
    for i, value in enumerate(raw.values[name]):
        if value is None:
            typed.append(None)
            continue
        parsed = parse(value, "General" if formats is None else formats[i])
        if parsed.problem:
            issues.append(error(sheet.name, raw.rows[i], name, value, Rule.TYPE,
                                parsed.problem, cell=raw.cell(name, i).ref))
            typed.append(None)
            continue
        if parsed.note:
            issues.append(warning(sheet.name, raw.rows[i], name, value, Rule.NUMBER_AS_TEXT,
                                  parsed.note, cell=raw.cell(name, i).ref))
        typed.append(_canonical_choice(column, parsed.value))
    return typed


def _canonical_choice(column: Column, value: Any) -> Any:
    """``Scale`` -> ``scale``: choices are matched regardless of case."""
    if column.choices and isinstance(value, str):
        for choice in column.choices:
            if value.casefold() == choice.casefold():
                return choice
    return value


@dataclass
class SettingsFound:
    """The Settings sheet, typed: values by key, the row of each key, and the issues."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def parse_settings(raw: RawSheet | None) -> SettingsFound:
    """Read the key/value rows: unknown, duplicate, mistyped and missing keys are located."""
    found = SettingsFound()
    if raw is None:
        return found
    for record in raw.records:
        key_cell = record.cells.get("key")
        value_cell = record.cells.get("value")
        value = None if value_cell is None else value_cell.value
        key = None if key_cell is None or is_blank(key_cell.value) else normalise_header(
            key_cell.value)
        if key is None:
            if not is_blank(value):
                found.issues.append(error(
                    SETTINGS_SHEET, record.row, "key", None, Rule.REQUIRED,
                    "a setting value without a key: write the setting's name in column key",
                    cell=None if key_cell is None else key_cell.ref))
            continue
        if _settings_key_problem(found, key, record.row, key_cell.value if key_cell else key,
                                 key_cell.ref if key_cell else None):
            continue
        found.rows[key] = record.row
        _parse_setting_value(found, SETTING_BY_KEY[key], record.row, value_cell)
    if raw.records or "key" in raw.letters:
        for column in SETTINGS:
            if column.required and column.name not in found.rows:
                found.issues.append(error(
                    SETTINGS_SHEET, None, "key", None, Rule.SETTING_MISSING,
                    f"Settings has no {column.name} (required): add a row with key "
                    f"{column.name} and its value (e.g. {column.example})"))
    return found


def _settings_key_problem(found: SettingsFound, key: str, row: int, shown: Any,
                          ref: str | None) -> bool:
    if key not in SETTING_BY_KEY:
        hint = did_you_mean(key, SETTING_BY_KEY) or (
            f"the settings are {', '.join(SETTING_BY_KEY)}")
        found.issues.append(error(SETTINGS_SHEET, row, "key", shown, Rule.SETTING_UNKNOWN,
                                  f"unknown setting {shown!r}: {hint}", cell=ref))
        return True
    if key in found.rows:
        found.issues.append(error(
            SETTINGS_SHEET, row, "key", shown, Rule.SETTING_DUPLICATE,
            f"the setting {key} is given twice (rows {found.rows[key]} and {row}): keep "
            f"one row", cell=ref))
        return True
    return False


def _parse_setting_value(found: SettingsFound, column: Column, row: int, cell: Any) -> None:
    value = None if cell is None else cell.value
    ref = None if cell is None else cell.ref
    if is_blank(value):
        if column.required:
            found.issues.append(error(SETTINGS_SHEET, row, "value", None, Rule.REQUIRED,
                                      f"{column.name} has no value: write it (e.g. "
                                      f"{column.example})", cell=ref))
        return
    parsed = parse_value(column.kind, value, cell.number_format)
    if parsed.problem:
        found.issues.append(error(SETTINGS_SHEET, row, "value", value, Rule.TYPE,
                                  f"{column.name}: {parsed.problem}", cell=ref))
        return
    # no "number written as text" warning: the value column is text by contract
    found.values[column.name] = parsed.value


def build_settings(values: Mapping[str, Any]) -> Settings | None:
    """Typed Settings, or ``None`` when first_year or last_year is unusable."""
    if values.get("first_year") is None or values.get("last_year") is None:
        return None
    return Settings.from_values(values)


def typed_tables(raw: RawWorkbook) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """One typed table per input sheet (absent optional sheets empty) and the cell issues."""
    tables: dict[str, pd.DataFrame] = {}
    issues: list[Issue] = []
    for sheet in SHEETS:
        if sheet.name == SETTINGS_SHEET:
            continue
        parsed, found = parse_sheet(sheet, raw.sheets.get(sheet.name))
        tables[sheet.name] = typed_columns(sheet.name, parsed.columns, parsed.rows)
        issues.extend(found)
    return tables, issues


# --- settings rules ----------------------------------------------------------------------

def check_settings(values: Mapping[str, Any] | Settings,
                   rows: Mapping[str, int] | None = None) -> list[Issue]:
    """Bounds, year order and stage names of typed setting values (a Settings or a dict)."""
    if isinstance(values, Settings):
        values = asdict(values)
    rows = rows or {}
    issues: list[Issue] = []
    for column in SETTINGS:
        value = values.get(column.name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            problem = bounds_problem(column, float(value))
            if problem:
                issues.append(error(SETTINGS_SHEET, rows.get(column.name), "value", value,
                                    Rule.BOUNDS, f"{column.name} {as_written(value)} {problem}"))
                continue
            odd = implausible_problem(column, float(value))
            if odd:
                issues.append(warning(SETTINGS_SHEET, rows.get(column.name), "value", value,
                                      Rule.IMPLAUSIBLE, odd))
    first, last = values.get("first_year"), values.get("last_year")
    if first is not None and last is not None and first > last:
        issues.append(error(SETTINGS_SHEET, rows.get("last_year"), "value", last,
                            Rule.SETTING_YEARS,
                            f"last_year {last} is before first_year {first}: the plan needs "
                            "first_year <= last_year"))
    stages = values.get("objective_stages")
    if stages is not None:
        issues.extend(_stage_issues(stages, rows.get("objective_stages")))
    return issues


def _stage_issues(stages: Any, row: int | None) -> list[Issue]:
    names = parse_stages(stages) if isinstance(stages, str) else tuple(stages)
    shown = stages if isinstance(stages, str) else ",".join(stages)
    issues = []
    unknown = [n for n in names if n not in STAGES]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if not names:
        issues.append(error(SETTINGS_SHEET, row, "value", shown, Rule.SETTING_STAGES,
                            f"objective_stages names no stage: list some of {', '.join(STAGES)}"))
    if unknown:
        issues.append(error(SETTINGS_SHEET, row, "value", shown, Rule.SETTING_STAGES,
                            f"objective_stages: unknown stage {', '.join(unknown)}: the stages "
                            f"are {', '.join(STAGES)}"))
    if repeated:
        issues.append(error(SETTINGS_SHEET, row, "value", shown, Rule.SETTING_STAGES,
                            f"objective_stages names {', '.join(repeated)} more than once: "
                            "name each stage once"))
    return issues


EARTH_POPULATION = 8.2e9
WORLD_OUTPUT_EUR = 1e14
"""Yardsticks a message may compare an implausible figure with (people, EUR a year)."""
PEOPLE_UNITS = ("people", "persons", "learners", "learners/session")


def implausible_problem(column: Column, value: float) -> str | None:
    """Why ``value`` is beyond the column's plausible range, and what to do; else ``None``.

    Such a value is allowed (a warning, not an error: a planner may mean it),
    but it is most likely a slip of a digit or a unit, and a magnitude far
    from the others' degrades the solver's numerics.
    """
    if column.plausible is None or not math.isfinite(value):
        return None
    low, high = column.plausible
    size = abs(value)
    unit = f" {column.unit}" if column.unit and column.unit != "share" else ""
    shown = f"{column.name} = {value:g}{unit}"
    advice = "check the cell (a slip of a digit or of the unit?) and"
    if size > high:
        yardstick = _yardstick(column, size)
        return (f"{shown}: {yardstick + ', ' if yardstick else ''}far above any plausible "
                f"planning figure (at most {high:g}{unit} expected), and a magnitude this large "
                f"degrades the solver's numerics: {advice} correct it; keep it only if it is "
                "meant")
    if 0 < size < low:
        zero = column.minimum is None or (column.minimum <= 0 and not column.above)
        todo = "write 0 if none is meant, or correct it" if zero else "correct it"
        tiny = "less than a second, " if column.unit.startswith("h") and size < 1 / 3600 else ""
        return (f"{shown}: {tiny}far below any plausible planning figure (at least "
                f"{low:g}{unit} expected), and a magnitude this small beside the others "
                f"degrades the solver's numerics: {advice} {todo}")
    return None


def _yardstick(column: Column, size: float) -> str:
    if column.unit in PEOPLE_UNITS and size > EARTH_POPULATION:
        return "more than the population of the Earth"
    if column.unit.startswith("EUR") and size > WORLD_OUTPUT_EUR:
        return "more than the world's yearly output"
    return ""


def bounds_problem(column: Column, value: float) -> str | None:
    """What is wrong with ``value`` against the column's bounds, in words, else ``None``."""
    unit = f" {column.unit}" if column.unit and column.unit not in ("share", "deg") else ""
    low, high = column.minimum, column.maximum
    too_low = low is not None and (value <= low if column.above else value < low)
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return None
    if low is not None and high is not None:
        left = "above" if column.above else "at least"
        return f"must be {left} {as_written(low)} and at most {as_written(high)}{unit}"
    if low is not None:
        return f"must be {'above' if column.above else 'at least'} {as_written(low)}{unit}"
    return f"must be at most {as_written(high)}{unit}"


# --- table rules -----------------------------------------------------------------------------

def check_tables(settings: Settings | None, tables: Mapping[str, pd.DataFrame],
                 settings_rows: Mapping[str, int] | None = None) -> list[Issue]:
    """Every rule on typed tables: run at load time and again after scenario edits.

    ``settings`` ``None`` (first_year or last_year unusable) skips the rules
    that need the planning years.  ``settings_rows`` locates Settings issues.
    """
    issues: list[Issue] = []
    if settings is not None:
        issues.extend(check_settings(settings, settings_rows))
    for sheet in SHEETS:
        frame = tables.get(sheet.name)
        if frame is None or not len(frame):
            continue
        for column in sheet.columns:
            if column.name in frame.columns:
                issues.extend(_column_issues(sheet, column, frame))
        if sheet.key:
            issues.extend(_duplicate_issues(sheet, frame))
    issues.extend(_reference_issues(tables))
    issues.extend(_at_most_issues(tables))
    issues.extend(_ramp_up_warnings(tables))
    if settings is not None:
        issues.extend(_year_issues(settings, tables))
        issues.extend(_trainer_pool_warnings(settings, tables))
        issues.extend(_programme_issues(settings, tables))
    issues.extend(_coordinate_issues(tables))
    return issues


def _column_issues(sheet: Sheet, column: Column, frame: pd.DataFrame) -> list[Issue]:
    """Required, finite, integer, bounds and choices of one column."""
    series = frame[column.name]
    rows = frame[ROW].to_numpy()
    issues: list[Issue] = []
    blank = series.isna().to_numpy()
    if column.required and blank.any():
        told = (f"{column.name} is blank but required ("
                f"{column.description.rstrip('.').lower()}): fill the cell")
        for i in np.flatnonzero(blank):
            issues.append(error(sheet.name, row_number(rows[i]), column.name, None, Rule.REQUIRED,
                                told))
    if column.kind in (Kind.NUMBER, Kind.INTEGER, Kind.YEAR):
        issues.extend(_number_issues(sheet, column, series, rows))
    if column.choices:
        told = f"{column.name} must be one of {', '.join(column.choices)}"
        for i in np.flatnonzero(~blank & ~series.isin(column.choices).to_numpy()):
            issues.append(error(sheet.name, row_number(rows[i]), column.name, series.iat[i],
                                Rule.CHOICE, told))
    return issues


def _number_issues(sheet: Sheet, column: Column, series: pd.Series,
                   rows: np.ndarray) -> list[Issue]:
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    issues: list[Issue] = []
    known = ~np.isnan(values)
    infinite = known & np.isinf(values)
    for i in np.flatnonzero(infinite):
        issues.append(error(sheet.name, row_number(rows[i]), column.name, values[i], Rule.TYPE,
                            f"{column.name} must be a finite number"))
    finite = known & ~infinite
    if column.kind in (Kind.INTEGER, Kind.YEAR):
        fractional = finite & (np.abs(values - np.round(values)) > 1e-9 * np.maximum(
            1.0, np.abs(values)))
        for i in np.flatnonzero(fractional):
            issues.append(error(sheet.name, row_number(rows[i]), column.name, values[i],
                                Rule.INTEGER,
                                f"{column.name} {as_written(values[i])} must be a whole number"))
    low, high = column.minimum, column.maximum
    bad = np.zeros(len(values), dtype=bool)
    if low is not None:
        bad |= finite & ((values <= low) if column.above else (values < low))
    if high is not None:
        bad |= finite & (values > high)
    for i in np.flatnonzero(bad):
        issues.append(error(sheet.name, row_number(rows[i]), column.name, unwrapped(values[i]),
                            Rule.BOUNDS, f"{column.name} {as_written(values[i])} "
                            f"{bounds_problem(column, float(values[i]))}"))
    if column.plausible is not None:
        size = np.abs(np.where(finite & ~bad, values, 0.0))
        low, high = column.plausible
        for i in np.flatnonzero((size > high) | ((size > 0) & (size < low))):
            issues.append(warning(sheet.name, row_number(rows[i]), column.name,
                                  unwrapped(values[i]), Rule.IMPLAUSIBLE,
                                  implausible_problem(column, float(values[i]))))
    return issues


def _duplicate_issues(sheet: Sheet, frame: pd.DataFrame) -> list[Issue]:
    """Rows whose key an earlier row already has, each pointing at that first row.

    One pass over plain lists; the repeats of one key share one message
    (200,000 copies of a row make 200,000 issues, not 200,000 messages).
    """
    key = list(sheet.key)
    usable = frame.dropna(subset=key)
    repeated = usable.duplicated(subset=key, keep="first").to_numpy()
    if not repeated.any():
        return []
    keys = list(zip(*(usable[k].tolist() for k in key)))
    rows = usable[ROW].tolist()
    first: dict[tuple[Any, ...], Any] = {}
    told: dict[tuple[Any, ...], tuple[Any, str]] = {}
    meaning = f"each row is {sheet.row_meaning}" if sheet.row_meaning else "keys are unique"
    named = ", ".join(key)
    issues = []
    for i, values in enumerate(keys):
        if not repeated[i]:
            first.setdefault(values, rows[i])
            continue
        said = told.get(values)
        if said is None:
            plain = tuple(unwrapped(v) for v in values)
            shown = ", ".join(f"{k} {v}" for k, v in zip(key, plain))
            said = (plain[0] if len(key) == 1 else ", ".join(str(v) for v in plain),
                    f"{shown} already has a row (row {row_number(first[values])}): {meaning}; "
                    "merge the two rows or delete one")
            told[values] = said
        issues.append(error(sheet.name, row_number(rows[i]), named, said[0],
                            Rule.DUPLICATE, said[1]))
    return issues


def _reference_issues(tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    issues: list[Issue] = []
    ids_of: dict[str, list[str]] = {}
    for sheet in SHEETS:
        frame = tables.get(sheet.name)
        if frame is None or not len(frame):
            continue
        for column in sheet.columns:
            target = column.references
            if not target or column.name not in frame.columns:
                continue
            if target not in ids_of:
                ids_of[target] = _identifiers(tables, target)
            issues.extend(_broken_references(sheet, column, frame, ids_of[target]))
    return issues


def _identifiers(tables: Mapping[str, pd.DataFrame], sheet_name: str) -> list[str]:
    frame = tables.get(sheet_name)
    identifier = SHEET_BY_NAME[sheet_name].identifier
    if frame is None or identifier is None or identifier not in frame.columns:
        return []
    return [v for v in frame[identifier].tolist() if not is_blank(v)]


def _broken_references(sheet: Sheet, column: Column, frame: pd.DataFrame,
                       ids: list[str]) -> list[Issue]:
    series = frame[column.name]
    target = column.references
    assert target is not None
    identifier = SHEET_BY_NAME[target].identifier
    broken = (series.notna() & ~series.isin(set(ids))).to_numpy()
    issues = []
    blank_ok = "" if column.required else ", or leave the cell blank"
    told: dict[Any, str] = {}  # one message (and one "did you mean" search) per value
    for i in np.flatnonzero(broken):
        value = series.iat[i]
        message = told.get(value)
        if message is None and not ids:
            message = (f"{column.name} {value!r} refers to the {target} sheet, which is missing "
                       f"or empty: add a {target} sheet with a row for {value!r}{blank_ok}")
        elif message is None:
            hint = _suggestion(str(value), ids)
            message = (f"{column.name} {value!r} is not in the {target} sheet (column "
                       f"{identifier}){hint}: correct it or add the row to {target}{blank_ok}")
        told[value] = message
        issues.append(error(sheet.name, row_number(frame[ROW].iat[i]), column.name, value,
                            Rule.REFERENCE, message))
    return issues


def _suggestion(value: str, ids: list[str]) -> str:
    hint = did_you_mean(value, ids) if len(ids) <= SUGGEST_AMONG else ""
    return f" ({hint})" if hint else ""


def _at_most_issues(tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    issues = []
    for sheet_name, column, limit, rule in AT_MOST:
        frame = tables.get(sheet_name)
        if frame is None or not len(frame):
            continue
        low = frame[column].to_numpy(dtype=float, na_value=np.nan)
        high = frame[limit].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = low > high
        for i in np.flatnonzero(bad):
            issues.append(error(sheet_name, row_number(frame[ROW].iat[i]), column,
                                unwrapped(low[i]), rule,
                                f"{column} {as_written(low[i])} is above {limit} "
                                f"{as_written(high[i])}: lower {column} or raise {limit}"))
    return issues


def _ramp_up_warnings(tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """SPEC 4.2.4 limits the ramp-up only when both columns are given: say so."""
    offers = tables.get(OFFERS_SHEET)
    if offers is None or not len(offers):
        return []
    alone = offers["max_new_sessions_per_year"].notna() & offers["baseline_sessions"].isna()
    return [warning(OFFERS_SHEET, row_number(row), "max_new_sessions_per_year", unwrapped(value),
                    Rule.RAMP_UP_WITHOUT_BASELINE,
                    f"offer {offer}: max_new_sessions_per_year limits the growth only from a "
                    "known start: give baseline_sessions (the sessions run the year before "
                    "first_year), or leave both blank")
            for offer, value, row in zip(offers.loc[alone, "offer_id"],
                                         offers.loc[alone, "max_new_sessions_per_year"],
                                         offers.loc[alone, ROW])]


def _year_issues(settings: Settings, tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """Kind ``year`` columns must name a planning year."""
    issues = []
    first, last = settings.first_year, settings.last_year
    for sheet in SHEETS:
        frame = tables.get(sheet.name)
        if frame is None or not len(frame):
            continue
        for column in sheet.columns:
            if column.kind is not Kind.YEAR:
                continue
            years = pd.to_numeric(frame[column.name], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                outside = (years >= first) if column.before_first_year else (
                    (years < first) | (years > last))
            for i in np.flatnonzero(outside):
                told = (f"must be before first_year {first}: a cohort starting in the "
                        "planning years is the plan's to choose (Offers), not InTraining"
                        if column.before_first_year else
                        f"is outside the planning years {first}..{last} (Settings "
                        "first_year, last_year): correct the year or the planning years")
                issues.append(error(
                    sheet.name, row_number(frame[ROW].iat[i]), column.name, unwrapped(years[i]),
                    Rule.YEAR_RANGE, f"{column.name} {as_written(years[i])} {told}"))
    return issues


def _programme_issues(settings: Settings, tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """Multi-year programmes: cohorts within their seats and still running, offers that
    can complete within the planning years."""
    issues: list[Issue] = []
    offers = tables.get(OFFERS_SHEET)
    if offers is None or not len(offers):
        return issues
    first, last = settings.first_year, settings.last_year
    duration = offers.set_index("offer_id")["duration_years"]
    seats = offers.set_index("offer_id")["seats"]
    for offer, d, row in zip(offers["offer_id"], offers["duration_years"], offers[ROW]):
        if pd.notna(d) and first + int(d) - 1 > last:
            issues.append(warning(
                OFFERS_SHEET, row_number(row), "duration_years", unwrapped(d),
                Rule.PROGRAMME_TOO_LONG,
                f"offer {offer} lasts {as_written(d)} years: a session started in {first} "
                f"completes at the end of {first + int(d) - 1}, after last_year {last}, so "
                "none of its learners can count for the demand; its sessions only cost"))
    cohorts = tables.get(IN_TRAINING_SHEET)
    if cohorts is None or not len(cohorts):
        return issues
    for offer, start, sessions, learners, row in zip(
            cohorts["offer_id"], cohorts["start_year"], cohorts["sessions"],
            cohorts["learners"], cohorts[ROW]):
        if offer not in duration.index or pd.isna(start):
            continue
        most = float(sessions) * float(seats[offer]) if pd.notna(sessions) else math.nan
        if pd.notna(learners) and learners > most + 1e-9:
            issues.append(error(
                IN_TRAINING_SHEET, row_number(row), "learners", unwrapped(learners),
                Rule.COHORT_LEARNERS_SEATS,
                f"{as_written(learners)} learners in {counted(sessions, 'session')} of offer "
                f"{offer}, which seats {as_written(seats[offer])} a session (at most "
                f"{as_written(most)}): lower learners or raise sessions"))
        d = duration[offer]
        if pd.notna(d) and int(start) + int(d) - 1 < first:
            issues.append(warning(
                IN_TRAINING_SHEET, row_number(row), "start_year", unwrapped(start),
                Rule.COHORT_COMPLETED,
                f"a cohort of offer {offer} ({counted(d, 'year')}) started in {int(start)} "
                f"completed at the end of {int(start) + int(d) - 1}, before first_year "
                f"{first}: it is ignored; remove the row, or correct start_year or the "
                "offer's duration_years"))
    return issues


def _trainer_pool_warnings(settings: Settings,
                           tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """A (territory, skill) that offers need, without a Trainers row some year: 0 hours."""
    offers, orgs, trainers = (tables.get(n) for n in (OFFERS_SHEET, ORGANISATIONS_SHEET,
                                                       TRAINERS_SHEET))
    if offers is None or orgs is None or not len(offers):
        return []
    org_territory = dict(zip(orgs["org_id"], orgs["territory_id"]))
    have: set[tuple[Any, Any, int]] = set()
    if trainers is not None and len(trainers):
        have = {(t, k, int(y)) for t, k, y in zip(trainers["territory_id"], trainers["skill"],
                                                  trainers["year"]) if not pd.isna(y)}
    pools: dict[tuple[str, str], list[tuple[str, int | None]]] = {}
    for offer, org, skill, most, row in zip(offers["offer_id"], offers["org_id"],
                                            offers["skill"], offers["max_sessions_per_year"],
                                            offers[ROW]):
        territory = org_territory.get(org)
        if territory is None or skill is None or most == 0:
            continue
        pools.setdefault((territory, skill), []).append((offer, row_number(row)))
    issues = []
    for (territory, skill), needing in pools.items():
        missing = [y for y in settings.years if (territory, skill, y) not in have]
        if not missing:
            continue
        names = listed([o for o, _ in needing])
        issues.append(warning(
            OFFERS_SHEET, needing[0][1], "skill", skill, Rule.TRAINERS_MISSING,
            f"no Trainers row for {skill} in territory {territory} in {year_span(missing)}: 0 "
            f"trainer hours assumed for offer {names}; add Trainers rows if trainers exist"))
    return issues


def _coordinate_issues(tables: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """Travel times that neither the Travel sheet nor coordinates can give."""
    terr = tables.get(TERRITORIES_SHEET)
    if terr is None or not len(terr):
        return []
    lat = terr["latitude"].to_numpy(dtype=float, na_value=np.nan)
    lon = terr["longitude"].to_numpy(dtype=float, na_value=np.nan)
    lacking = {t: i for i, t in enumerate(terr["territory_id"])
               if t is not None and (math.isnan(lat[i]) or math.isnan(lon[i]))}
    if not lacking:
        return []
    known = set(terr["territory_id"])
    homes, hosts = _homes_and_hosts(tables, known)
    travel = tables.get(TRAVEL_SHEET)
    given: set[tuple[Any, Any]] = set()
    if travel is not None and len(travel):
        given = set(zip(travel["from_territory"], travel["to_territory"]))
    issues = []
    for territory, i in lacking.items():
        pairs = [(territory, h) for h in hosts if territory in homes] + \
                [(h, territory) for h in homes if territory in hosts]
        missing = [p for p in pairs if p[0] != p[1] and p not in given]
        if not missing:
            continue
        column = "latitude" if math.isnan(lat[i]) else "longitude"
        shown = listed([f"{a} -> {b}" for a, b in sorted(missing)])
        issues.append(error(
            TERRITORIES_SHEET, row_number(terr[ROW].iat[i]), column, None, Rule.COORDINATES_MISSING,
            f"territory {territory} has no {column} and the Travel sheet gives no time for "
            f"{shown}: add its latitude and longitude, or those Travel rows"))
    return issues


def _homes_and_hosts(tables: Mapping[str, pd.DataFrame],
                     known: set[Any]) -> tuple[set[Any], set[Any]]:
    """Territories where learners live (demand > 0) and where offers are taught."""
    demand, offers, orgs = (tables.get(n) for n in (DEMAND_SHEET, OFFERS_SHEET,
                                                     ORGANISATIONS_SHEET))
    homes: set[Any] = set()
    if demand is not None and len(demand):
        people = demand["people"].to_numpy(dtype=float, na_value=np.nan)
        homes = {t for t, p in zip(demand["territory_id"], people) if p > 0} & known
    hosts: set[Any] = set()
    if offers is not None and orgs is not None and len(offers):
        org_territory = dict(zip(orgs["org_id"], orgs["territory_id"]))
        hosts = {org_territory.get(o) for o in offers["org_id"]} & known
    return homes, hosts
