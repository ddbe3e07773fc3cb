"""The optimisation model of SPEC section 4, one module per constraint family.

``MODULES`` lists them in the order they are added (GridPath style); each
has the same interface, ``add_model_components(m, d, terms)``, reads only
the :class:`~planner.derived.Derived` facts and the components added by
earlier modules, and contributes shared terms (cost, coverage, programme
counts) to ``terms`` instead of importing another module.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.data.tables import PlanningData
from planner.derived import Derived, derive
from planner.model import coverage, objectives, programmes, sessions, sites, trainers
from planner.model.terms import Terms

MODULES = (sessions, sites, trainers, coverage, programmes, objectives)
"""Constraint families in build order; ``objectives`` last, as it sums the others' terms."""


@dataclass
class PlanModel:
    """A built Pyomo model with the derived facts it was built from."""

    model: pyo.ConcreteModel
    derived: Derived
    build_seconds: float

    @property
    def data(self) -> PlanningData:
        return self.derived.data

    @property
    def stages(self) -> list[str]:
        return list(self.model.STAGES)


def build_model(data: PlanningData, derived: Derived | None = None) -> PlanModel:
    """Build the model of SPEC 4 from validated planning data (and its derived facts)."""
    start = time.perf_counter()
    with PauseGC():
        d = derived if derived is not None else derive(data)
        m = pyo.ConcreteModel(name="electromob_training_plan")
        terms = Terms()
        for module in MODULES:
            module.add_model_components(m, d, terms)
    return PlanModel(model=m, derived=d, build_seconds=time.perf_counter() - start)
