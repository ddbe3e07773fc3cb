"""From a workbook path to validated planning data: read, type, check, pre-check.

:func:`inspect` never raises for a problem of the input: it returns the
data (when usable) and every issue, located.  :func:`load` is what the
solver's path uses: the data, or an :class:`InputError` carrying every
issue.
"""

from __future__ import annotations

from pathlib import Path

from planner.data.check.issue_report import sorted_issues
from planner.data.check.presolve import presolve_checks
from planner.data.check.rules import Rule
from planner.data.check.validate import (build_settings, check_settings, check_tables,
                                         parse_settings, typed_tables)
from planner.data.read.raw_workbook import RawWorkbook, read_workbook
from planner.data.schema import SETTINGS_SHEET
from planner.data.tables import PlanningData
from planner.derived import derive
from planner.errors import InputError, Issue, error, has_errors

PRESOLVE_PREFIX = "infeasible-"


def inspect(path: str | Path) -> tuple[PlanningData | None, list[Issue]]:
    """Every problem of the workbook at ``path``, and the data when it is usable.

    The data is ``None`` when the workbook breaks the input contract; it is
    returned (with the issues) when the only errors are pre-solve
    infeasibilities (``infeasible-*``), which concern a well-formed input.
    """
    try:
        raw = read_workbook(path)
    except InputError as exc:
        return None, [error(None, None, None, None, Rule.FILE_UNREADABLE, exc.message)]
    return _checked(raw)


def load(path: str | Path) -> PlanningData:
    """The planning data of the workbook at ``path``; :class:`InputError` on any error.

    An unreadable file raises the reader's own one-line error; an invalid
    one an error carrying every issue (``InputError.issues``).
    """
    data, issues = _checked(read_workbook(path))
    errors = [i for i in sorted_issues(issues) if i.is_error]
    if data is None or errors:
        first = errors[0]
        where = f" at {first.location()}" if first.location() else ""
        plural = "s" if len(errors) != 1 else ""
        raise InputError(f"{path}: {len(errors)} error{plural} in the input; the first{where}: "
                         f"{first.message}", issues,
                         advice=f"Run `planner validate {path}` to list every problem, "
                                "or add `--annotate marked.xlsx` to see them in a copy of "
                                "the workbook.")
    return data


def check_workbook(raw: RawWorkbook) -> tuple[PlanningData | None, list[Issue]]:
    """:func:`inspect` after the reading: type, check and pre-check a read workbook."""
    return _checked(raw)


def _checked(raw: RawWorkbook) -> tuple[PlanningData | None, list[Issue]]:
    issues, data = _validated(raw)
    if data is not None:
        data.derived = derive(data)
        issues = issues + [raw.locate(i) for i in presolve_checks(data, data.derived)]
        data.warnings = tuple(i for i in issues if not i.is_error)
    return data, issues


def _validated(raw: RawWorkbook) -> tuple[list[Issue], PlanningData | None]:
    """Type the sheets and run every table rule; the data only if there is no error."""
    found = parse_settings(raw.sheets.get(SETTINGS_SHEET))
    tables, cell_issues = typed_tables(raw)
    settings = build_settings(found.values)
    early = raw.issues + found.issues + cell_issues
    if settings is None:
        later = check_settings(found.values, found.rows) + check_tables(None, tables)
    else:
        later = check_tables(settings, tables, found.rows)
    pending = early + _not_repeated(early, later, raw)
    del later, early
    issues = _located(pending, raw)
    if settings is None or has_errors(issues):
        return issues, None
    return issues, PlanningData(settings, tables, source=str(raw.path))


def _not_repeated(early: list[Issue], later: list[Issue], raw: RawWorkbook) -> list[Issue]:
    """Table issues minus those a cell error or a missing column already explains.

    A cell that could not be read is blank in the typed table: "required"
    there would repeat the type error; a missing column would give one
    "required" per row.
    """
    explained = {(i.sheet, i.row, i.column) for i in early if i.is_error}
    missing = {(name, column) for name, sheet in raw.sheets.items() for column in sheet.missing}
    return [i for i in later
            if (i.sheet, i.row, i.column) not in explained and (i.sheet, i.column) not in missing]


def _located(issues: list[Issue], raw: RawWorkbook) -> list[Issue]:
    """Every issue with its cell reference; ``issues`` is emptied as it goes, so that a
    flood of 200,000 issues is never held twice (unlocated and located)."""
    issues.reverse()
    located = []
    while issues:
        located.append(raw.locate(issues.pop()))
    return located
