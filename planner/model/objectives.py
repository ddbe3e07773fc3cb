"""The five stage objectives (SPEC 4.3), all minimised::

    targets     sum_g tgap_mod[g] / modules_target_g + tgap_per[g] / persons_target_g
    unmet       sum_{t,j} weight_j * short[t,j,last_year]
    timeliness  sum_{t,j, y < last_year} weight_j * short[t,j,y]
    cost        every offer's session, learner and mobility cost and every hire's
                cost (EUR), plus the InTraining cohorts' cost (a constant)
    travel      sum travel(t, t(p)) * f[t,p,y]   (learner-minutes)

Each stage is an Expression ``Stage[s]`` and an Objective ``StageObjective[s]``
for the stages of ``objective_stages``; the solver compiles them all at once and
switches between them (see :mod:`planner.solve`).
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.data.schema import STAGES
from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Term, Terms


def stage_terms(m: pyo.ConcreteModel, d: Derived, terms: Terms, stage: str) -> list[Term]:
    last = d.last_year
    if stage == "targets":
        return ([(1.0 / d.modules_target[g], m.ModulesGap[g]) for g in m.MODULES_TARGET_INDEX]
                + [(1.0 / d.persons_target[g], m.PersonsGap[g])
                   for g in m.PERSONS_TARGET_INDEX])
    if stage == "unmet":
        return [(d.weights[j], m.Shortfall[t, j, y]) for (t, j, y) in m.SHORTFALL_INDEX
                if y == last]
    if stage == "timeliness":
        return [(d.weights[j], m.Shortfall[t, j, y]) for (t, j, y) in m.SHORTFALL_INDEX
                if y < last]
    if stage == "cost":
        return terms.cost
    if stage == "travel":
        return terms.travel
    raise ValueError(f"unknown stage {stage!r}")


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    stages = [s for s in d.data.settings.objective_stages if s in STAGES]
    constant = {"cost": sum(d.cohort_cost.values())}
    m.STAGES = pyo.Set(initialize=stages, ordered=True)
    m.Stage = pyo.Expression(m.STAGES, rule=lambda _, s: linear(stage_terms(m, d, terms, s),
                                                                constant.get(s, 0.0)))
    m.StageObjective = pyo.Objective(m.STAGES, rule=lambda _, s: m.Stage[s],
                                     sense=pyo.minimize)
