"""Numbers, lists, years and suggestions in a planner's words, the same in every message.

- :func:`number`: a figure, ``1 200 000``, ``2.5``: spaces between
  thousands (a comma would read as a decimal separator in French), at most
  two decimals, no trailing zeros, and ``blank`` for a missing value.
- :func:`as_written`: a value as the planner wrote it, never rounded:
  ``3.0`` -> ``3``, ``0.125`` -> ``0.125`` (for "mip_gap -1 must be at least
  0"); :func:`unwrapped` gives the same value as a plain Python scalar (an
  issue's ``value``).
- :func:`listed`: the first few items, then ``and 4 more``.
- :func:`year_span`: ``2025-2027, 2030``.
- :func:`counted`: ``1 year``, ``3 years``.
- :func:`did_you_mean`: ``did you mean 'Offers'?`` for a name or value that
  is close to one the planner knows.
- :func:`row_number`: a table's Excel row number (a pandas cell) as
  ``int``, or ``None`` for generated data.
"""

from __future__ import annotations

import difflib
import math
from typing import Any, Iterable

import pandas as pd

SHOWN = 5
"""Items a list shows before ``and N more``."""

CLOSE_ENOUGH = 0.6
"""How alike a choice must be to be suggested (:func:`difflib.get_close_matches`
ratio, 0 to 1; difflib's own default).  ``Offer`` -> ``Offers`` is 0.91,
``max_travel`` -> ``max_travel_minutes`` 0.71; a suggestion only adds to a
message that already names the value, so a loose one costs little."""

WHOLE_BELOW = 1e15
"""Whole numbers up to this size are written without a decimal point."""


def number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "blank"
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def unwrapped(value: Any) -> Any:
    """A plain Python value: numpy scalars unwrapped, a whole float as an ``int``."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < WHOLE_BELOW:
        return int(value)
    return value


def as_written(value: Any) -> str:
    """``3.0`` -> ``3``, ``3.14`` -> ``3.14``, text as text: a value, not a rounded figure.

    Fifteen significant digits: what a planner typed comes back as typed,
    and the last-bit noise of arithmetic (``11.000000000000002``) does not.
    """
    value = unwrapped(value)
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def counted(value: Any, noun: str) -> str:
    """``value`` with ``noun``, plural (an ``s``) unless the value is one."""
    return f"{number(value)} {noun}" + ("" if float(value) == 1 else "s")


def listed(items: Iterable[Any], shown: int = SHOWN) -> str:
    items = [str(i) for i in items]
    text = ", ".join(items[:shown])
    return text + (f" and {len(items) - shown} more" if len(items) > shown else "")


def year_span(years: Iterable[int]) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    spans, start = [], years[0]
    for a, b in zip(years, years[1:] + [None]):
        if b != a + 1:
            spans.append(str(start) if start == a else f"{start}-{a}")
            start = b
    return ", ".join(spans)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``did you mean 'Offers'?`` for the choice closest to ``value``, else ``""``.

    A choice that differs from ``value`` only by upper and lower case is
    the answer, and the phrase says that case matters (identifiers and
    values are compared as written); otherwise the closest choice at least
    :data:`CLOSE_ENOUGH` alike.
    """
    choices = [str(c) for c in choices]
    if value in choices:
        return ""
    folded = {c.casefold(): c for c in choices}
    same = folded.get(value.casefold())
    if same is not None and same != value:
        return f"did you mean {same!r}? case matters"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=CLOSE_ENOUGH)
    return f"did you mean {close[0]!r}?" if close else ""


def row_number(value: Any) -> int | None:
    """An Excel row number held in a table (``None``, NaN or ``<NA>`` for generated rows)."""
    return None if value is None or pd.isna(value) else int(value)
