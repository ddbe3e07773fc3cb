"""The README's input reference is generated from the schema and kept current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.docs import COMMAND, END, HEADING, START, current_block, input_reference, main
from planner.docs import replace_block
from planner.data.schema import SETTINGS, SHEETS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_input_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert current_block(text) == input_reference(), (
        f"README.md's input reference is out of date with planner/data/schema.py; "
        f"refresh it with: .venv/bin/{COMMAND}")


def test_readme_keeps_its_commands_first_and_the_reference_under_its_heading() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("make demo") < text.index(HEADING) < text.index(START)
    assert text.index("make test") < text.index(HEADING)


def test_reference_has_a_table_per_sheet_with_every_column_and_setting() -> None:
    reference = input_reference()
    for sheet in SHEETS:
        section = reference.split(f"### {sheet.name}\n", 1)[1].split("\n### ", 1)[0]
        for column in sheet.columns:
            assert f"| `{column.name}` |" in section, f"{sheet.name}.{column.name}"
    settings = reference.split("#### Settings keys", 1)[1]
    for column in SETTINGS:
        assert f"| `{column.name}` |" in settings
    assert "| `territory_id` | identifier (text) |  | required |  | " in reference
    assert "`Territories.territory_id`" in reference
    assert "| h/year |" in reference


def test_table_cells_escape_pipes() -> None:
    row = next(line for line in input_reference().splitlines()
               if line.startswith("| `operation` |"))
    assert "set \\| scale \\| add" in row
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7  # as many as the header: the escaped pipes did not split


def test_replace_block_is_idempotent_and_adds_the_heading_when_missing() -> None:
    block = input_reference()
    fresh = replace_block("# Title\n\nmake demo\n", block)
    assert fresh.startswith("# Title\n\nmake demo\n\n## Input reference\n\n" + START)
    assert replace_block(fresh, block) == fresh
    assert current_block(fresh) == block
    stale = fresh.replace("| `seats` |", "| `places` |")
    assert replace_block(stale, block) == fresh
    with pytest.raises(ValueError, match="only one of the markers"):
        replace_block(f"text {START} no end", block)


def test_command_updates_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# R\n\n{HEADING}\n\n{START}\nSTALE-TEXT\n{END}\n\nafter\n", encoding="utf-8")
    assert main([str(readme), "--check"]) == 1
    assert COMMAND in capsys.readouterr().err
    assert main([str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.endswith(f"{END}\n\nafter\n") and "STALE-TEXT" not in text
    assert main([str(readme), "--check"]) == 0
    assert main([str(readme)]) == 0
    assert "already current" in capsys.readouterr().out
