"""The optimisation model of SPEC section 4, one module per constraint family.

``MODULES`` lists them in the order they are added (GridPath style); each
has the same interface, ``add_model_components(m, ctx)``, reads only the
:class:`~planner.model.context.ModelContext` and the components added by
earlier modules, and contributes shared terms (cost, coverage, programme
counts) through ``ctx.terms`` instead of importing another module.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.data.tables import PlanningData
from planner.model import coverage, objectives, programmes, sessions, sites, trainers
from planner.model.context import ModelContext, build_context

MODULES = (sessions, sites, trainers, coverage, programmes, objectives)
"""Constraint families in build order; ``objectives`` last, as it sums the others' terms."""


@dataclass
class PlanModel:
    """A built Pyomo model with the context it was built from."""

    model: pyo.ConcreteModel
    context: ModelContext
    build_seconds: float

    @property
    def data(self) -> PlanningData:
        return self.context.data

    @property
    def stages(self) -> list[str]:
        return list(self.model.STAGES)


def build_model(data: PlanningData) -> PlanModel:
    """Build the model of SPEC 4 from validated planning data."""
    start = time.perf_counter()
    with PauseGC():
        ctx = build_context(data)
        m = pyo.ConcreteModel(name="electromob_training_plan")
        for module in MODULES:
            module.add_model_components(m, ctx)
    return PlanModel(model=m, context=ctx, build_seconds=time.perf_counter() - start)
