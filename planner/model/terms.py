"""Shared lists of linear terms that several constraint families contribute to (Switch style).

A module appends its cost, coverage and programme terms; the modules that
build the sums read them, so no constraint module imports another.  The
lists belong to one model build, not to the derived data: building a
model never writes into :class:`~planner.derived.Derived`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

Term = tuple[float, Any]
"""A linear term: (coefficient, Pyomo variable)."""


@dataclass
class Terms:
    cost: list[Term] = field(default_factory=list)
    programme_cost: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    programme_modules: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    programme_persons: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    placed: dict[tuple[str, str, int], list[Term]] = field(
        default_factory=lambda: defaultdict(list))
    """(home territory, family, year) -> learners placed at the end of that year."""
    travel: list[Term] = field(default_factory=list)
