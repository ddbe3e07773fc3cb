"""``planner template OUT.xlsx``: an empty, documented input workbook.

Refuses to replace an existing file unless ``--force``, and to write into
a folder that does not exist (a mistyped path should not silently create
folders); both exit 2 with what to do instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.data.write.inputbook import TEMPLATE_SETTINGS, write_template
from planner.errors import InputError

DESCRIPTION = """\
Write an empty input workbook to fill in Excel or LibreOffice: a Guide sheet
that explains every sheet, column and setting, then one sheet per input with
its column names in row 1 (point at a header for its meaning, unit and
default), drop-down lists for identifiers, skills and choices, and the
Settings sheet filled with every key and its default.
"""

EPILOG = """\
next steps:
  1. fill the sheets (the Guide sheet says what one row is on each sheet), and
     set first_year / last_year on the Settings sheet ({first} and {last} are
     only placeholders)
  2. planner validate OUT.xlsx   lists every problem with its sheet, row, column
  3. planner solve OUT.xlsx      writes outputs/OUT__<scenario_name>.xlsx
""".format(first=TEMPLATE_SETTINGS["first_year"], last=TEMPLATE_SETTINGS["last_year"])


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "template", help="write an empty, documented input workbook",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", metavar="OUT.xlsx", type=Path,
                        help="the workbook to write (its folder must exist)")
    parser.add_argument("--force", action="store_true",
                        help="replace OUT.xlsx if it already exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.output
    check_output_path(path, force=args.force)
    try:
        write_template(path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}",
                         advice="Close the file if Excel or LibreOffice has it open, "
                                "and check that you may write in that folder.") from exc
    print(f"Wrote {path}: an empty input workbook; its Guide sheet explains every sheet "
          "and column.\n"
          "Next: fill the sheets, set first_year and last_year on the Settings sheet "
          f"(pre-filled with {TEMPLATE_SETTINGS['first_year']} and "
          f"{TEMPLATE_SETTINGS['last_year']}), then run\n"
          f"  planner validate {path}\n"
          f"  planner solve {path}")
    return 0


def check_output_path(path: Path, *, force: bool) -> None:
    """Refuse, in the planner's words, a path the workbook should not go to."""
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path} does not end in .xlsx",
                         advice=f"Name the workbook with .xlsx, e.g. {path.with_suffix('.xlsx')}.")
    if path.is_dir():
        raise InputError(f"{path} is a folder", advice="Give a file name ending in .xlsx.")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist",
                         advice=f"Create it first (mkdir -p {folder}) or choose another path.")
    if path.exists() and not force:
        raise InputError(f"{path} already exists; it was left as it is",
                         advice="Choose another name, or add --force to replace it.")
