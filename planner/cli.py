"""The ``planner`` command line: parse, call the library, render, exit code.

Exit codes (SPEC section 2): 0 solved or valid; 2 invalid input; 3
infeasible (with a diagnosis); 4 solver failure or no solution in time;
1 an internal error (a bug: please report it with the input).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Sequence

from planner import __version__
from planner.commands import COMMANDS
from planner.errors import PlannerError
from planner.interrupt import EXIT_CODE, INTERRUPT, Interrupted

DESCRIPTION = """\
Plan training sessions so that as little 2030 recruitment demand as
possible is left unmet, under site capacity, trainer, access and budget
limits.

Workflow:
  planner template my_region.xlsx        an empty, documented input workbook
  planner example  my_example.xlsx       the Hauts-de-France example, filled in
  planner validate my_region.xlsx        every problem, with sheet, row, column
  planner solve    my_region.xlsx        writes outputs/my_region__baseline.xlsx
  planner solve    my_region.xlsx --all-scenarios
                                         every scenario + a comparison workbook
  planner compare  a.xlsx b.xlsx         compare result workbooks

Exit codes: 0 done, 2 invalid input, 3 infeasible, 4 solver failure.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        with INTERRUPT.handling():
            return int(args.run(args))
    except PlannerError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader of the output left (`planner validate x | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as exc:
        why = str(exc) if isinstance(exc, Interrupted) and str(exc) else "interrupted"
        print(f"\nplanner: {why}; nothing was written.", file=sys.stderr)
        return EXIT_CODE
    except Exception as exc:  # a bug: say so plainly, keep the details for the report
        print(f"planner: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the planner, not in your workbook. Please report it with "
              "the input file; set PLANNER_DEBUG=1 to see the details.", file=sys.stderr)
        if os.environ.get("PLANNER_DEBUG"):
            traceback.print_exc()
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
