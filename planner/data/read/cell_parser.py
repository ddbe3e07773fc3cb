"""Parse one cell's raw value into the typed value its column's :class:`Kind` wants.

The parser knows nothing of sheets or rows: it returns the value and, when
something is wrong, a message in a planner's words that the caller locates.
A ``problem`` means the value cannot be used (an error); a ``note`` means
the value was read but deserves a look (a warning: a number typed as text).

Numbers written as text are read only when they are unambiguous: ``"30"``,
``"3,14"`` (French decimal comma), ``"1 234,5"`` (space, non-breaking or
narrow non-breaking space between thousands), ``"1,234.5"``, ``"80 %"``.
``"1,234"`` or ``"1.234"`` could mean a thousand and more or just over one:
they are refused rather than guessed.  NaN and infinity are never accepted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, NamedTuple

from planner.data.schema import Kind
from planner.words import as_written

YEAR_MIN = 1900
YEAR_MAX = 2200
INTEGER_TOLERANCE = 1e-9
"""A cached formula value such as 3.0000000000000004 still counts as the integer 3."""

TRUE_WORDS = frozenset({"true", "1", "yes", "oui", "vrai"})
FALSE_WORDS = frozenset({"false", "0", "no", "non", "faux"})

_GROUP_SPACES = "\u00a0\u202f\u2009\u2007 "
_PLAIN = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009\u2007]\d{3})+(?:[.,]\d+)?", re.ASCII)
_COMMA_DECIMAL = re.compile(r"\d+,\d+", re.ASCII)
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_ZERO_PADDED = re.compile(r"0+")
_FORMAT_SECTION = re.compile(r"\[[^\]]*\]")


class Parsed(NamedTuple):
    """A parsed cell: ``value`` is ``None`` when the cell is blank or unusable."""

    value: Any
    problem: str | None = None
    note: str | None = None


BLANK = Parsed(None)


class AmbiguousNumber(ValueError):
    """Text that reads as two different numbers depending on the convention."""


def is_blank(value: Any) -> bool:
    """``None``, an empty or all-space string, or NaN: a cell with nothing in it."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def parse_value(kind: Kind, value: Any, number_format: str = "General") -> Parsed:
    """Parse ``value`` (as openpyxl gives it) for a column of ``kind``."""
    return PARSERS[kind](value, number_format)


def parser_for(kind: Kind) -> Callable[[Any, str], Parsed]:
    """The parser of one kind, to pick once per column when parsing many cells."""
    return PARSERS[kind]


def _parse_any(kind: Kind, value: Any, number_format: str) -> Parsed:
    """Every case; the per-kind parsers below only add a fast path for ordinary cells."""
    if is_blank(value):
        return BLANK
    if isinstance(value, (datetime, date, time, timedelta)) and kind is not Kind.TEXT:
        return Parsed(None, _date_problem(kind, value))
    if kind is Kind.IDENTIFIER:
        return _identifier(value, number_format)
    if kind is Kind.TEXT:
        return _text(value, number_format)
    if kind is Kind.BOOLEAN:
        return _boolean(value)
    parsed = _number(value)
    if parsed.value is None or kind is Kind.NUMBER:
        return parsed
    return _whole(kind, parsed)


def _parse_number(value: Any, number_format: str) -> Parsed:
    kind_of = type(value)
    if (kind_of is float or kind_of is int) and math.isfinite(value):
        return Parsed(value)
    return _parse_any(Kind.NUMBER, value, number_format)


def _parse_integer(value: Any, number_format: str) -> Parsed:
    kind_of = type(value)
    if kind_of is int:
        return Parsed(value)
    if kind_of is float and value.is_integer():
        return Parsed(int(value))
    return _parse_any(Kind.INTEGER, value, number_format)


def _parse_year(value: Any, number_format: str) -> Parsed:
    kind_of = type(value)
    if (kind_of is int or (kind_of is float and value.is_integer())) \
            and YEAR_MIN <= value <= YEAR_MAX:
        return Parsed(int(value))
    return _parse_any(Kind.YEAR, value, number_format)


def _parse_identifier(value: Any, number_format: str) -> Parsed:
    if type(value) is str:
        text = clean_text(value)
        return Parsed(text) if text else BLANK
    return _parse_any(Kind.IDENTIFIER, value, number_format)


def _parse_text(value: Any, number_format: str) -> Parsed:
    if type(value) is str:
        text = clean_text(value)
        return Parsed(text) if text else BLANK
    return _parse_any(Kind.TEXT, value, number_format)


def _parse_boolean(value: Any, number_format: str) -> Parsed:
    return _parse_any(Kind.BOOLEAN, value, number_format)


def clean_text(text: str) -> str:
    """Trim, and turn exotic spaces (non-breaking, narrow, thin) into plain spaces."""
    text = text.strip()
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)


def number_text(value: float | int, number_format: str = "General") -> str:
    """A number as an identifier: ``2.0`` -> ``"2"``; format ``00`` keeps ``"02"``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        value = int(value)
    text = str(value)
    width = zero_pad_width(number_format)
    if width and isinstance(value, int) and value >= 0:
        text = text.zfill(width)
    return text


def zero_pad_width(number_format: str | None) -> int:
    """The width of a zero-padded number format (``00`` -> 2, ``00000`` -> 5), else 0."""
    if not number_format or "0" not in number_format:
        return 0
    core = _FORMAT_SECTION.sub("", number_format).replace('"', "").replace("\\", "")
    return len(core) if _ZERO_PADDED.fullmatch(core) else 0


def parse_number_text(text: str) -> float | None:
    """The number an unambiguous numeric text means, ``None`` if it is not a number.

    Raises :class:`AmbiguousNumber` for ``"1,234"``-like text.
    """
    t = text.strip().replace("\u2212", "-")
    scale = 1.0
    if t.endswith("%"):
        t, scale = t[:-1].rstrip(), 0.01
    sign = 1.0
    if t and t[0] in "+-":
        sign, t = (-1.0 if t[0] == "-" else 1.0), t[1:].lstrip()
    if not t:
        return None
    number = _unsigned_number(t)
    return None if number is None else sign * number * scale


def _unsigned_number(t: str) -> float | None:
    if _PLAIN.fullmatch(t):
        _refuse_single_group(t, ".")
        return float(t)
    if _SPACE_GROUPED.fullmatch(t):
        for ch in _GROUP_SPACES:
            t = t.replace(ch, "")
        return float(t.replace(",", "."))
    if _COMMA_DECIMAL.fullmatch(t):
        _refuse_single_group(t, ",")
        return float(t.replace(",", "."))
    if _COMMA_GROUPED.fullmatch(t):
        return float(t.replace(",", ""))
    if _DOT_GROUPED.fullmatch(t):
        return float(t.replace(".", "").replace(",", "."))
    return None


def _refuse_single_group(t: str, separator: str) -> None:
    """``1,234`` / ``1.234``: a thousands group or three decimals? Refuse to guess."""
    whole, sep, fraction = t.partition(separator)
    if sep and len(fraction) == 3 and fraction.isdigit() and 1 <= len(whole) <= 3 \
            and whole.strip("0"):
        raise AmbiguousNumber(t)


def _number(value: Any) -> Parsed:
    if isinstance(value, bool):
        return Parsed(None, f"{_shown(value)} is a yes/no value where a number is expected: "
                            "write the number")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return Parsed(None, f"{value!r} is not a finite number: write a number")
        return Parsed(value)
    text = clean_text(str(value))
    try:
        number = parse_number_text(text)
    except AmbiguousNumber:
        return Parsed(None, f"{text!r} is ambiguous (a thousands separator or a "
                            "decimal separator?): enter it as a number cell, or write it "
                            "without the thousands separator")
    if number is None or not math.isfinite(number):
        return Parsed(None, f"{text!r} is not a number: write a number such as "
                            "12 or 3,5")
    return Parsed(number, note=f"number written as text {text!r}, read as "
                               f"{as_written(number)}; store it as a number cell to silence "
                               "this warning")


def _whole(kind: Kind, parsed: Parsed) -> Parsed:
    number = float(parsed.value)
    nearest = round(number)
    if abs(number - nearest) > INTEGER_TOLERANCE * max(1.0, abs(number)):
        what = "a year" if kind is Kind.YEAR else "a whole number"
        return Parsed(None, f"{as_written(number)} is not {what}: write {what} "
                            f"(e.g. {nearest if kind is Kind.INTEGER else 2026})")
    if kind is Kind.YEAR and not YEAR_MIN <= nearest <= YEAR_MAX:
        return Parsed(None, f"{nearest} is not a year between {YEAR_MIN} and {YEAR_MAX}: "
                            "write the year with four digits")
    return Parsed(int(nearest), note=parsed.note)


def _boolean(value: Any) -> Parsed:
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(bool(value))
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return Parsed(True)
    if word in FALSE_WORDS:
        return Parsed(False)
    return Parsed(None, f"{_shown(value)} is not a yes/no value: write TRUE or FALSE "
                        "(or 1/0, yes/no, oui/non, vrai/faux)")


def _identifier(value: Any, number_format: str) -> Parsed:
    if isinstance(value, bool):
        return Parsed(None, f"{_shown(value)} is a yes/no value where an identifier is "
                            "expected: format the cell as text and retype the identifier")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return Parsed(None, f"{value!r} is not an identifier")
        return Parsed(number_text(value, number_format))
    text = clean_text(str(value))
    return Parsed(text) if text else BLANK


def _text(value: Any, number_format: str) -> Parsed:
    if isinstance(value, bool):
        return Parsed("TRUE" if value else "FALSE")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return Parsed(None, f"{value!r} is not a finite number")
        return Parsed(number_text(value, number_format))
    if isinstance(value, (datetime, date, time)):
        return Parsed(value.isoformat())
    text = clean_text(str(value))
    return Parsed(text) if text else BLANK


def _date_problem(kind: Kind, value: Any) -> str:
    shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if kind is Kind.IDENTIFIER:
        return (f"the spreadsheet turned this identifier into a date ({shown}): format "
                "the column as text and retype it")
    if kind is Kind.YEAR:
        return (f"a date ({shown}) where a year is expected: format the cell as a number "
                "and write the year (e.g. 2026)")
    return (f"a date or time ({shown}) where a {kind.value} is expected: format the cell "
            "as a number and retype the value")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return repr(value.strip()) if isinstance(value, str) else repr(value)


PARSERS: dict[Kind, Callable[[Any, str], Parsed]] = {
    Kind.NUMBER: _parse_number, Kind.INTEGER: _parse_integer, Kind.YEAR: _parse_year,
    Kind.IDENTIFIER: _parse_identifier, Kind.TEXT: _parse_text, Kind.BOOLEAN: _parse_boolean,
}
