"""Numbers, lists and years in a planner's words, the same in every message.

- :func:`number`: ``1 200 000``, ``2.5``: spaces between thousands (a comma
  would read as a decimal separator in French), no trailing zeros, and
  ``blank`` for a missing value.
- :func:`listed`: the first few items, then ``and 4 more``.
- :func:`year_span`: ``2025-2027, 2030``.
- :func:`counted`: ``1 year``, ``3 years``.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

SHOWN = 5
"""Items a list shows before ``and N more``."""


def number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "blank"
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


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
