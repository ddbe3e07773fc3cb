"""Located problems and the errors that carry them to the command line.

Every problem found in an input is an :class:`Issue`: where it is (sheet,
Excel row, column, cell), what was there, which rule it breaks, and what to
do, in the planner's words.  Validation collects issues instead of stopping
at the first; :class:`InputError` carries all of them.  Each error class
owns one :class:`~planner.status.Status`, which carries its exit code of
``planner`` (SPEC section 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Iterable

from planner.status import Status


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One located problem.

    ``row`` is the Excel row number (1-based, as Excel shows it); ``cell``
    is the Excel reference (``C7``) when the problem is a single cell.
    ``rule`` is a short stable code (``bounds``, ``reference`` ...) that
    tests and programs can match; ``message`` is for people.
    """

    severity: Severity
    sheet: str | None
    row: int | None
    column: str | None
    value: Any
    rule: str
    message: str
    cell: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        where = ", ".join(parts)
        if self.cell:
            where += f" (cell {self.cell})"
        return where

    def __str__(self) -> str:
        where = self.location()
        shown = "" if self.value is None else f" [value: {self.value!r}]"
        prefix = f"{where}: " if where else ""
        return f"{self.severity.value}: {prefix}{self.message}{shown}"


def error(sheet: str | None, row: int | None, column: str | None, value: Any,
          rule: str, message: str, cell: str | None = None) -> Issue:
    return Issue(Severity.ERROR, sheet, row, column, value, rule, message, cell)


def warning(sheet: str | None, row: int | None, column: str | None, value: Any,
            rule: str, message: str, cell: str | None = None) -> Issue:
    return Issue(Severity.WARNING, sheet, row, column, value, rule, message, cell)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.is_error for i in issues)


class PlannerError(Exception):
    """Base of the errors the command line turns into an exit code.

    Each class owns the :class:`~planner.status.Status` of a run it ends
    (a scenario sweep writes it), and the status its exit code; a raiser
    may name a more precise status (``SolverError(..., status=Status.UNVERIFIED)``).
    """

    status: Status = Status.INTERNAL

    def __init__(self, message: str, advice: str = "", *, status: Status | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice
        if status is not None:
            self.status = status

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    def __str__(self) -> str:
        return f"{self.message}\n{self.advice}" if self.advice else self.message


class InputError(PlannerError):
    """The input cannot be used: unreadable, hostile, or invalid (exit 2)."""

    status = Status.INVALID

    def __init__(self, message: str, issues: Iterable[Issue] = (), advice: str = "") -> None:
        super().__init__(message, advice)
        self.issues = tuple(issues)


class InfeasibleError(PlannerError):
    """The hard constraints cannot all hold (exit 3); carries the diagnosis."""

    status = Status.INFEASIBLE

    def __init__(self, message: str, diagnosis: Any = None, advice: str = "") -> None:
        super().__init__(message, advice)
        self.diagnosis = diagnosis


class SolverError(PlannerError):
    """The solver failed or found no usable solution in time (exit 4)."""

    status = Status.NO_SOLUTION
