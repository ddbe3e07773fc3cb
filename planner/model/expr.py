"""Small helpers to build linear Pyomo expressions fast."""

from __future__ import annotations

from typing import Any, Iterable

from pyomo.core.expr.numeric_expr import LinearExpression

from planner.model.terms import Term


def linear(terms: Iterable[Term], constant: float = 0.0) -> LinearExpression:
    """``constant + sum(coef * var)`` as one LinearExpression (no nested sums)."""
    coefs: list[float] = []
    variables: list[Any] = []
    for coef, var in terms:
        if coef:
            coefs.append(coef)
            variables.append(var)
    return LinearExpression(constant=constant, linear_coefs=coefs, linear_vars=variables)
