"""The schema in a planner's words, shared by every place that explains it.

The header comments and the ``Guide`` sheet of the input workbook, and the
README's input reference, all say the same things about a column: its
type, unit, whether it is required or what a blank means, its allowed
values, what it refers to and an example.  Wording lives here once so the
three never drift apart.
"""

from __future__ import annotations

from planner.data.schema import IDENTIFIER_SHEETS, SETTINGS, STAGE_MEANING, Column, Kind, Sheet
from planner.words import as_written

KIND_LABEL: dict[Kind, str] = {
    Kind.IDENTIFIER: "identifier (text)",
    Kind.TEXT: "text",
    Kind.INTEGER: "whole number",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "TRUE / FALSE",
    Kind.YEAR: "year",
}


def kind_text(column: Column) -> str:
    """``"whole number"``, ``"identifier (text)"`` ..."""
    return KIND_LABEL[column.kind]


def requirement_text(column: Column) -> str:
    """``"required"``, ``"default 1"``, ``"blank = unlimited"`` or ``"optional"``."""
    if column.required:
        return "required"
    if column.default is not None:
        return f"default {column.default_text}"
    if column.blank_means:
        return f"blank = {column.blank_means}"
    return "optional"


def references_text(column: Column) -> str:
    """``"Territories.territory_id"`` when the column names another sheet's row."""
    if not column.references:
        return ""
    target = IDENTIFIER_SHEETS[column.references]
    return f"{target.name}.{target.identifier}"


def example_text(column: Column) -> str:
    if column.example is None:
        return ""
    if isinstance(column.example, bool):
        return "TRUE" if column.example else "FALSE"
    return as_written(column.example)


def limits_text(column: Column) -> str:
    """The bounds, then when a value gets a warning: ``>= 0; a warning above 1e+07``."""
    return "; ".join(t for t in (column.bounds_text, column.plausible_text) if t)


def sheet_status(sheet: Sheet) -> str:
    return "required" if sheet.required else "optional"


def column_comment(column: Column) -> str:
    """The text of a header cell's comment: everything needed to fill the column."""
    lines = [column.description]
    lines.append(f"Type: {kind_text(column)}." + (f" Unit: {column.unit}." if column.unit else ""))
    lines.append(requirement_text(column).capitalize() + ".")
    allowed = limits_text(column)
    if allowed:
        lines.append(f"Allowed: {allowed}.")
    if column.references:
        lines.append(f"Must name a row of {column.references} "
                     f"({references_text(column)}): pick it from the list.")
    example = example_text(column)
    if example:
        lines.append(f"Example: {example}")
    return "\n".join(lines)


def setting_meaning(column: Column) -> str:
    """What a setting does; for ``objective_stages`` also what each stage means."""
    if column.name == "objective_stages":
        stages = "; ".join(f"{k} = {v}" for k, v in STAGE_MEANING.items())
        return f"{column.description} Stages: {stages}."
    return column.description


def setting_note(column: Column) -> str:
    """The ``note`` written next to a setting on the Settings sheet."""
    facts = [kind_text(column) + (f" in {column.unit}" if column.unit else ""),
             requirement_text(column)]
    if limits_text(column):
        facts.append(limits_text(column))
    return f"{setting_meaning(column)} ({'; '.join(facts)})"


def setting_keys() -> tuple[str, ...]:
    return tuple(c.name for c in SETTINGS)
