"""The model as matrices: Pyomo's standard-form compiler, once per solve.

Hand-off: Pyomo's linear standard-form compiler turns the model into
sparse matrices once (all stage objectives at once, one cost row each),
and the matrices go straight into ``highspy``.  At national size this was
6x faster than Pyomo's solver interfaces and 3x faster than an LP file
(issue 8's measurements); ``bench/handoff.py`` re-measures it.

The compiled model is also what every answer is checked against
(:mod:`planner.solve.verify`): the rows and bounds the planner wrote, not
the solver's presolved copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from planner.model import PlanModel

INF = highspy.kHighsInf

Key = tuple[str, tuple[Any, ...]]
"""A model row or column as (component name, index), e.g. ("TrainerHours", ("3212",
"maintenance", 2026)); a one-dimensional index is a 1-tuple too."""


def key_of(component_data: Any) -> Key:
    """The :data:`Key` of a Pyomo variable or constraint datum."""
    index = component_data.index()
    return (component_data.parent_component().local_name,
            index if isinstance(index, tuple) else (index,))


@dataclass
class Compiled:
    """The model as matrices: ``row_lower <= A x <= row_upper``, column bounds, costs."""

    A: Any
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    costs: dict[str, Any]
    offsets: dict[str, float]
    columns: list[Any]
    rows: list[Any]
    seconds: float
    _col_of: dict[int, int] | None = None
    _column_keys: list[Key] | None = None
    _row_keys: list[Key] | None = None

    @property
    def num_col(self) -> int:
        return len(self.columns)

    @property
    def num_row(self) -> int:
        return len(self.rows)

    def column_of(self) -> dict[int, int]:
        if self._col_of is None:
            self._col_of = {id(v): i for i, v in enumerate(self.columns)}
        return self._col_of

    @property
    def column_keys(self) -> list[Key]:
        """(component, index) of every column: the key map explanations read."""
        if self._column_keys is None:
            self._column_keys = [key_of(v) for v in self.columns]
        return self._column_keys

    @property
    def row_keys(self) -> list[Key]:
        """(component, index) of every compiled row (stage bound rows come after them)."""
        if self._row_keys is None:
            self._row_keys = [key_of(c) for c, _sign in self.rows]
        return self._row_keys

    def stage_vector(self, stage: str) -> np.ndarray:
        return np.asarray(self.costs[stage].toarray()).ravel()


def compile_model(plan: PlanModel) -> Compiled:
    """Compile the Pyomo model to matrices in mixed form (one row per constraint)."""
    start = time.perf_counter()
    m = plan.model
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    rhs = np.asarray(info.rhs, dtype=float)
    sign = np.fromiter((r[1] for r in info.rows), dtype=np.int8, count=len(info.rows))
    row_lower = np.where(sign <= 0, rhs, -INF)
    row_upper = np.where(sign >= 0, rhs, INF)
    n = len(info.columns)
    col_lower = np.empty(n)
    col_upper = np.empty(n)
    integer = np.zeros(n, dtype=bool)
    for i, v in enumerate(info.columns):
        lb, ub = v.bounds
        col_lower[i] = -INF if lb is None else lb
        col_upper[i] = INF if ub is None else ub
        integer[i] = v.is_integer()
    c = info.c.tocsr()
    costs, offsets = {}, {}
    for k, obj in enumerate(info.objectives):
        stage = obj.index()
        costs[stage] = c[[k], :]
        offsets[stage] = float(info.c_offset[k])
    return Compiled(A=info.A.tocsc(), row_lower=row_lower, row_upper=row_upper,
                    col_lower=col_lower, col_upper=col_upper, integer=integer,
                    costs=costs, offsets=offsets, columns=list(info.columns),
                    rows=list(info.rows), seconds=time.perf_counter() - start)
