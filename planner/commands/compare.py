"""``planner compare A.xlsx B.xlsx ... [-o OUT]``: compare result workbooks, the first as base.

Any result workbooks of ``planner solve`` (scenarios of one input, or
runs of different inputs) become the same comparison workbook as
``planner solve --all-scenarios`` writes: Summary metrics side by side
with the difference from the base (the first file), unmet demand by
territory x family, the scenarios' edits, each run's status, and charts
of the headline changes.

Exit codes: 0 written; 2 when fewer than two files are given, a file is
missing or is not a result workbook (an input workbook, a comparison, an
unrelated file: every such file is named with what it is), or OUT cannot
be written (it is one of the files compared, or open in a spreadsheet).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.comparison.read import read_result
from planner.comparison.summary import RunSummary
from planner.comparison.tables import compare
from planner.comparison.workbook import write_comparison
from planner.errors import InputError
from planner.xlsx import check_target

DEFAULT_NAME = "comparison.xlsx"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare", help="compare result workbooks side by side (the first is the base)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, metavar="RESULT.xlsx",
                        help="result workbooks written by planner solve; the first is the base")
    parser.add_argument("--output", "-o", type=Path, metavar="OUT.xlsx",
                        help=f"comparison workbook to write (default: {DEFAULT_NAME} beside "
                             "the first file)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files: list[Path] = list(args.files)
    if len(files) < 2:
        raise InputError(
            f"planner compare needs at least two result workbooks, {len(files)} given",
            advice="Give the base first, then the runs to compare with it, e.g. "
                   "`planner compare outputs/x__baseline.xlsx outputs/x__more_trainers.xlsx`.")
    target = args.output or files[0].parent / DEFAULT_NAME
    if target.suffix.lower() != ".xlsx":
        raise InputError(f"the comparison must be an .xlsx file, not {target.name}",
                         advice="Give -o a name ending in .xlsx.")
    for path in files:
        if path.exists() and target.exists() and path.samefile(target):
            raise InputError(f"{target} is one of the workbooks compared: the comparison never "
                             "replaces them", advice="Give -o another file name.")
    check_target(target, inputs=files)
    runs: list[RunSummary] = []
    problems: list[str] = []
    for path in files:
        try:
            runs.append(read_result(path))
        except InputError as exc:
            problems.append(exc.message)
    if problems:
        plural = "s are" if len(problems) > 1 else " is"
        raise InputError(f"{len(problems)} file{plural} not usable:\n"
                         + "\n".join(f"  {p}" for p in problems),
                         advice="Compare result workbooks written by `planner solve` (the "
                                "base first); nothing was written.")
    comparison = compare(runs)
    written = write_comparison(target, comparison, inputs=files)
    if not args.quiet:
        base = runs[0]
        print(f"comparison of {len(runs)} runs (base: {comparison.labels[0]}): {written}",
              file=sys.stderr)
        width = max(len(label) for label in comparison.labels)
        for label, one in zip(comparison.labels, runs):
            print(f"  {label:<{width}}  {_line(one, base)}", file=sys.stderr)
    return 0


def _line(run: RunSummary, base: RunSummary) -> str:
    if not run.solved:
        return f"{run.status.upper()} (no plan)"
    unmet, coverage = run.metric("unmet_people"), run.metric("coverage_percent")
    text = f"{run.status}; unmet {_n(unmet)} people, coverage {_n(coverage, '.1f')} %"
    base_unmet = base.metric("unmet_people") if base.solved else None
    if run is not base and unmet is not None and base_unmet is not None:
        text += f" ({unmet - base_unmet:+,.0f} people vs base)"
    return text


def _n(value: float | None, fmt: str = ",.0f") -> str:
    return "?" if value is None else format(value, fmt)
