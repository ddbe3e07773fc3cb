"""Issues as a planner reads them: grouped by sheet, errors first, one line each.

Used by ``planner validate`` (and by any command that has to show why an
input was refused).  Each line gives the row, column, cell and value, the
message, and the rule code in brackets.  A long run of the same rule in
one sheet (200,000 copies of a row break one rule 200,000 times) is cut
after ``limit`` lines with the count of the rest, the rows they span and
where to see them: ``--all``, or the annotated copy, which marks and lists
the first :data:`ANNOTATED_PER_RULE` of a rule in a sheet and sums up the
rest (:mod:`planner.data.write.annotate`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Sequence

from planner.data.schema import SHEETS
from planner.errors import Issue
from planner.words import number

WORKBOOK = "(workbook)"
LIMIT = 10
ANNOTATED_PER_RULE = 1000
"""Issues of one rule in one sheet that the annotated copy marks and lists one by one."""


def counts(issues: Sequence[Issue]) -> str:
    """``3 errors, 1 warning``."""
    errors = sum(i.is_error for i in issues)
    warnings = len(issues) - errors
    return f"{number(errors)} error{'s' if errors != 1 else ''}, " \
           f"{number(warnings)} warning{'s' if warnings != 1 else ''}"


def summary_line(issues: Sequence[Issue], source: str | Path) -> str:
    """The last line of the report: valid or not, and what to do."""
    if any(i.is_error for i in issues):
        return (f"{source}: NOT VALID: {counts(issues)}; correct the errors and run "
                "planner validate again")
    if issues:
        return f"{source}: valid, with {counts(issues)}"
    return f"{source}: valid, no problem found"


def format_issue(issue: Issue) -> str:
    """``error    row 7, column year (C7), value 2031: year 2031 is outside ... [year-range]``."""
    where = []
    if issue.row is not None:
        where.append(f"row {issue.row}")
    if issue.column:
        where.append(f"column {issue.column}" + (f" ({issue.cell})" if issue.cell else ""))
    elif issue.cell:
        where.append(issue.cell)
    if issue.value is not None:
        where.append(f"value {issue.value!r}")
    prefix = ", ".join(where)
    return f"{issue.severity.value:<8} {prefix + ': ' if prefix else ''}{issue.message} " \
           f"[{issue.rule}]"


_ORDER = {name: i for i, name in enumerate([WORKBOOK] + [s.name for s in SHEETS])}


def sorted_issues(issues: Sequence[Issue]) -> list[Issue]:
    """Workbook-level issues, then sheet by sheet in input order; errors before warnings."""
    return sorted(issues, key=lambda i: (_ORDER.get(i.sheet or WORKBOOK, len(_ORDER)),
                                         i.sheet or "", not i.is_error, i.row or 0))


def format_report(issues: Sequence[Issue], source: str | Path, limit: int | None = LIMIT) -> str:
    """The whole report: a heading per sheet, errors then warnings, and the summary line."""
    if not issues:
        return summary_line(issues, source)
    by_sheet: dict[str, list[Issue]] = defaultdict(list)
    for issue in sorted_issues(issues):
        by_sheet[issue.sheet or WORKBOOK].append(issue)
    lines = [f"{source}: {counts(issues)}"]
    for name, found in by_sheet.items():
        lines.append("")
        lines.append(f"{name}: {counts(found)}")
        lines.extend(_limited(found, limit))
    lines.append("")
    lines.append(summary_line(issues, source))
    return "\n".join(lines)


def _limited(issues: list[Issue], limit: int | None) -> list[str]:
    shown: dict[str, int] = defaultdict(int)
    hidden: dict[str, Cut] = {}
    lines = []
    for issue in issues:
        if limit is not None and shown[issue.rule] >= limit:
            hidden.setdefault(issue.rule, Cut()).add(issue)
            continue
        shown[issue.rule] += 1
        lines.append("  " + format_issue(issue))
    for rule, cut in hidden.items():
        marked = "them" if shown[rule] + cut.count <= ANNOTATED_PER_RULE else \
            f"the first {number(ANNOTATED_PER_RULE)}"
        lines.append(f"  ... and {number(cut.count)} more [{rule}]{cut.rows()} (--all lists "
                     f"them; --annotate OUT.xlsx marks {marked} in a copy)")
    return lines


def first_and_rest(issues: Sequence[Issue], shown: int) -> list[str]:
    """The first ``shown`` issues, then one line per sheet and rule for the rest: how many,
    and the rows they span.  ``planner solve`` quotes an invalid workbook this way
    (``planner validate`` gives the whole report)."""
    ordered = sorted_issues(issues)
    lines = [f"  {issue}" for issue in ordered[:shown]]
    rest: dict[tuple[str, str], Cut] = {}
    for issue in ordered[shown:]:
        rest.setdefault((issue.sheet or WORKBOOK, issue.rule), Cut()).add(issue)
    for (sheet, rule), cut in rest.items():
        where = cut.rows().removeprefix(" in ")
        lines.append(f"  ... and {number(cut.count)} more [{rule}] in {sheet}"
                     + (f", {where}" if where else ""))
    return lines


class Cut:
    """The issues of one rule left out of a list: how many, and the rows they span."""

    def __init__(self) -> None:
        self.count = 0
        self.low: int | None = None
        self.high: int | None = None

    def add(self, issue: Issue) -> None:
        self.count += 1
        if issue.row is not None:
            self.low = issue.row if self.low is None else min(self.low, issue.row)
            self.high = issue.row if self.high is None else max(self.high, issue.row)

    def rows(self) -> str:
        """`` in rows 1043..201032`` (`` in row 7``), or ``""`` when no row is known."""
        if self.low is None:
            return ""
        return f" in row {self.low}" if self.low == self.high else \
            f" in rows {self.low}..{self.high}"
