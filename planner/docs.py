"""The README's input reference, generated from the schema.

``python -m planner.docs README.md`` rewrites the block between
:data:`START` and :data:`END` (adding it under ``## Input reference`` when
missing); ``--check`` only says whether it is current.  A test compares
the README with :func:`input_reference`, so the table cannot drift from
the contract that the reader, the validation and the template follow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, Sequence

from planner.data import describe
from planner.data.schema import AUXILIARY_SHEETS, SETTINGS, SETTINGS_SHEET, SHEETS, Column, Sheet

START = "<!-- input-reference:start -->"
END = "<!-- input-reference:end -->"
HEADING = "## Input reference"
COMMAND = "python -m planner.docs README.md"


def input_reference() -> str:
    """The markdown between the markers (without them), ending in a newline."""
    parts = [
        f"<!-- Generated from planner/data/schema.py by `{COMMAND}`; edit the schema, "
        "not this block. -->",
        "",
        "Row 1 of each sheet holds the column names (matched case-insensitively after "
        "trimming; order is free). Blank optional cells take the default; identifiers "
        "are text; numbers may use a decimal comma. `planner template FILE.xlsx` writes "
        "an empty workbook with these sheets, a Guide sheet and drop-down lists.",
        "",
        _table(("sheet", "required", "one row is", "what it holds"),
               ((f"[`{s.name}`](#{s.name.lower()})", "yes" if s.required else "no",
                 s.row_meaning, s.description) for s in SHEETS)),
        "",
        "Sheets the planner never reads as input:",
        "",
        *(f"- `{name}`: {what}." for name, what in AUXILIARY_SHEETS.items()),
    ]
    for sheet in SHEETS:
        parts += ["", f"### {sheet.name}", "", _sheet_paragraph(sheet), "",
                  _columns_table(sheet.columns)]
        if sheet.name == SETTINGS_SHEET:
            parts += ["", "#### Settings keys", "",
                      "One row of the Settings sheet per key; a missing key or a blank "
                      "value takes the default.", "", _settings_table()]
    return "\n".join(parts) + "\n"


def _sheet_paragraph(sheet: Sheet) -> str:
    text = f"**{describe.sheet_status(sheet).capitalize()}.** {sheet.description}"
    if sheet.details:
        text += f" {sheet.details}"
    if sheet.row_meaning:
        text += f" One row is {sheet.row_meaning}."
    if sheet.key:
        text += f" Unique: {', '.join(f'`{k}`' for k in sheet.key)}."
    return text


def _columns_table(columns: Iterable[Column]) -> str:
    return _table(
        ("column", "type", "unit", "required / default", "bounds", "references",
         "description"),
        ((f"`{c.name}`", describe.kind_text(c), c.unit, describe.requirement_text(c),
          describe.limits_text(c), _references(c), c.description) for c in columns))


def _settings_table() -> str:
    return _table(
        ("key", "type", "unit", "required / default", "bounds", "description"),
        ((f"`{c.name}`", describe.kind_text(c), c.unit, describe.requirement_text(c),
          describe.limits_text(c), describe.setting_meaning(c)) for c in SETTINGS))


def _references(column: Column) -> str:
    if column.references:
        return f"`{describe.references_text(column)}`"
    return ""


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [_row(header), "|" + "|".join("---" for _ in header) + "|"]
    lines += [_row(r) for r in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(value: object) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def replace_block(text: str, block: str) -> str:
    """``text`` with the reference block replaced (or appended under its heading)."""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        return f"{head}{START}\n{block}{END}{tail}"
    if START in text or END in text:
        raise ValueError(f"the README has only one of the markers {START} and {END}; "
                         "fix or remove it")
    return f"{text.rstrip()}\n\n{HEADING}\n\n{START}\n{block}{END}\n"


def current_block(text: str) -> str | None:
    """The block now between the markers, or None when they are missing."""
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0].removeprefix("\n")


def update_readme(path: str | Path) -> bool:
    """Rewrite ``path``'s input reference; return whether anything changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    new = replace_block(text, input_reference())
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.docs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("readme", type=Path, help="the README to update, e.g. README.md")
    parser.add_argument("--check", action="store_true",
                        help="only check: exit 1 if the block is out of date")
    args = parser.parse_args(argv)
    if args.check:
        current = current_block(args.readme.read_text(encoding="utf-8"))
        if current == input_reference():
            return 0
        print(f"{args.readme}: the input reference is out of date; run `{COMMAND}`.",
              file=sys.stderr)
        return 1
    changed = update_readme(args.readme)
    print(f"{args.readme}: input reference {'updated' if changed else 'already current'}.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
