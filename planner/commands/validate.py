"""``planner validate FILE [--annotate OUT.xlsx]``: every problem of an input workbook.

Prints the issues grouped by sheet (errors, then warnings), each with its
row, column, cell and value, then a one-line summary; a file that cannot
be read at all (not an .xlsx, damaged, hostile) gets one line naming it
and saying what to do.  Exit code 0 when
the workbook is valid (warnings allowed), 2 when it has errors or cannot
be read.  ``--annotate`` also writes a copy of the workbook with every
problem cell marked and an ``Issues`` sheet; the input is never modified.
Each row of the Scenarios sheet is checked as a solve would apply it (sheet,
column, where_column, where_value, operation, value), located on its row.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.data import inspect
from planner.data.write.annotate import annotate_workbook, check_target
from planner.data.check.issue_report import LIMIT, format_report
from planner.data.check.rules import Rule
from planner.errors import has_errors
from planner.scenarios.edits import check_scenarios

EXIT_VALID = 0
EXIT_INVALID = 2


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "validate", help="check an input workbook and list every problem",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, metavar="FILE", help="input workbook (.xlsx)")
    parser.add_argument("--annotate", type=Path, metavar="OUT.xlsx",
                        help="write a copy of FILE with each problem cell marked and commented")
    parser.add_argument("--all", action="store_true",
                        help=f"list every issue (default: at most {LIMIT} of a kind per sheet)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.annotate is not None:
        check_target(args.file, args.annotate)  # refuse a bad target before any work
    data, issues = inspect(args.file)
    unreadable = [i for i in issues if i.rule == Rule.FILE_UNREADABLE]
    if unreadable:  # one line: the file, what is wrong with it, what to do
        print(unreadable[0].message)
        if args.annotate is not None:
            print(f"no annotated copy: {args.file} could not be read")
        return EXIT_INVALID
    if data is not None and not has_errors(issues):
        issues = issues + check_scenarios(data)  # as a solve would apply them
    print(format_report(issues, args.file, limit=None if args.all else LIMIT))
    if args.annotate is not None:
        print(f"annotated copy: {annotate_workbook(args.file, args.annotate, issues)}")
    return EXIT_INVALID if has_errors(issues) else EXIT_VALID
