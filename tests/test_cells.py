"""The per-kind cell parser: what is read, what is read with a warning, what is refused."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest

from planner.data.read.cell_parser import parse_value, zero_pad_width
from planner.data.schema import Kind


@pytest.mark.parametrize("text, number", [
    ("30", 30.0), ("3,14", 3.14), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5),
    ("1\u202f234", 1234.0), ("0,500", 0.5), ("12,3456", 12.3456), ("1,234.5", 1234.5),
    ("1.234,5", 1234.5), ("1.234.567", 1234567.0), ("-2,5", -2.5), ("\u22122,5", -2.5),
    ("80 %", 0.8), ("1e-6", 1e-6), (" 7 ", 7.0),
])
def test_unambiguous_numeric_text_is_read_with_a_warning(text: str, number: float) -> None:
    parsed = parse_value(Kind.NUMBER, text)
    assert parsed.problem is None and parsed.value == pytest.approx(number)
    assert parsed.note is not None and "number written as text" in parsed.note


@pytest.mark.parametrize("value, words", [
    ("1,234", "ambiguous"), ("1.234", "ambiguous"), ("12 34", "not a number"),
    ("abc", "not a number"), ("inf", "not a number"), ("nan", "not a number"),
    (math.inf, "not a finite number"), (math.nan, None), (True, "yes/no value"),
    (datetime(2026, 1, 1), "a date"),
])
def test_numbers_refused(value: Any, words: str | None) -> None:
    parsed = parse_value(Kind.NUMBER, value)
    if words is None:  # NaN is a blank cell, never a number
        assert parsed.value is None and parsed.problem is None
    else:
        assert parsed.value is None and words in (parsed.problem or "")


def test_numeric_cells_need_no_warning() -> None:
    assert parse_value(Kind.NUMBER, 3.5) == (3.5, None, None)
    assert parse_value(Kind.INTEGER, 3.0) == (3, None, None)
    assert parse_value(Kind.INTEGER, 3.0000000000000004).value == 3  # a formula's 0.1*30


def test_integers_and_years() -> None:
    assert "not a whole number" in (parse_value(Kind.INTEGER, 3.5).problem or "")
    assert parse_value(Kind.INTEGER, "4").value == 4
    assert parse_value(Kind.YEAR, 2026.0).value == 2026
    assert "between 1900 and 2200" in (parse_value(Kind.YEAR, 20266).problem or "")
    assert "not a year" in (parse_value(Kind.YEAR, 2026.5).problem or "")
    assert "a date" in (parse_value(Kind.YEAR, datetime(1905, 7, 18)).problem or "")


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (1, True), (0.0, False), ("TRUE", True), ("faux", False),
    ("Oui", True), ("non", False), ("yes", True), ("No", False), ("vrai", True), ("1", True),
])
def test_booleans(value: Any, expected: bool) -> None:
    assert parse_value(Kind.BOOLEAN, value).value is expected


def test_boolean_refused() -> None:
    assert "TRUE or FALSE" in (parse_value(Kind.BOOLEAN, "maybe").problem or "")


@pytest.mark.parametrize("value, number_format, expected", [
    ("02", "@", "02"), (2, "00", "02"), (2.0, "General", "2"), (59350, "00000", "59350"),
    (2, "[$-40C]000", "002"), (3216.5, "General", "3216.5"), (" OF 001\u00a0", "General", "OF 001"),
    ("Lille\u00a0Métropole", "General", "Lille Métropole"),
])
def test_identifiers_are_text_and_keep_zero_padding(value: Any, number_format: str,
                                                    expected: str) -> None:
    assert parse_value(Kind.IDENTIFIER, value, number_format).value == expected


def test_identifier_turned_into_a_date_is_refused() -> None:
    parsed = parse_value(Kind.IDENTIFIER, datetime(2026, 1, 2))
    assert parsed.value is None and "format the column as text" in (parsed.problem or "")


def test_zero_pad_width() -> None:
    assert [zero_pad_width(f) for f in ("00", "000", "General", "0", "0.00", "@", '"0"0')] == \
        [2, 3, 0, 1, 0, 0, 2]


def test_text_from_numbers_and_booleans() -> None:
    assert parse_value(Kind.TEXT, 1.2).value == "1.2"
    assert parse_value(Kind.TEXT, 2025.0).value == "2025"
    assert parse_value(Kind.TEXT, True).value == "TRUE"
    assert parse_value(Kind.TEXT, "   ").value is None
