"""``planner example OUT.xlsx [--scale N] [--force]``: write the Hauts-de-France example.

The example is generated, not copied: the same command gives the same
workbook values on every machine (``inputs/hauts_de_france_2030.xlsx`` is
its output).  ``--scale N`` replicates it as N neighbouring regions, a
benchmark instance (N = 10-13 is France-sized).  An existing file is
never overwritten without ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.errors import InputError
from planner.example.build import build_example
from planner.example.scale import scale_example
from planner.example.writer import write_example

DESCRIPTION = """\
Write the Hauts-de-France 2030 example input workbook: the 24 zones d'emploi,
314 training organisations with the OPCO 2i study's mix, the 7 job families'
recruitment needs and the gigafactories' ramp-ups, Electro'Mob, scarce
maintenance and electrochemistry trainers, five scenarios, and a Sources sheet
naming where every figure comes from.
"""


def _scale(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of regions, got {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"the scale must be at least 1, got {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "example", help="write the Hauts-de-France example input workbook",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", metavar="OUT.xlsx", help="workbook to write")
    parser.add_argument("--scale", type=_scale, default=1, metavar="N",
                        help="replicate the region N times side by side, with travel across "
                             "the borders (a benchmark instance; default 1)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite OUT.xlsx if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.output)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: the example is an Excel workbook",
                         advice="Give a file name ending in .xlsx, e.g. "
                                "planner example my_example.xlsx")
    if path.is_dir():
        raise InputError(f"{path} is a folder", advice="Give a file name ending in .xlsx.")
    if path.exists() and not args.force:
        raise InputError(f"{path} already exists; nothing was written",
                         advice="Add --force to overwrite it, or choose another file name.")
    example = build_example()
    if args.scale > 1:
        example = scale_example(example, args.scale)
    write_example(path, example)
    t = example.tables
    what = ("the Hauts-de-France 2030 example" if args.scale == 1
            else f"the Hauts-de-France example replicated as {args.scale} regions")
    print(f"wrote {path}: {what}\n"
          f"  {len(t['Territories'])} territories, {len(t['Organisations'])} organisations, "
          f"{len(t['Offers'])} offers, {len(t['Demand'])} demand rows, "
          f"{len(t['Scenarios'])} scenario rows\n"
          f"next: planner validate {path}\n"
          f"      planner solve {path}")
    return 0
