"""Programme targets and budgets.

Variables::

    ModulesGap[g] >= 0, PersonsGap[g] >= 0   target shortfalls (4.1)

For every programme g with a (positive) modules target, persons target or
budget, counting the learners whose sessions complete within the planning
years (y + d_p - 1 <= last_year)::

    ModulesTarget[g]  sum_{p in g} modules_p * completion_p * sum_{t,y} f[t,p,y]
                          + tgap_mod[g] >= modules_target_g                          (4.2.9)
    PersonsTarget[g]  sum_{p in g} completion_p * sum_{t,y} f[t,p,y]
                          + tgap_per[g] >= persons_target_g
    Budget[g]         cost of g's offers (sessions, learners, mobility, in the
                      planning years they run) + cost of the hires g pays
                          <= budget_g - cost of g's InTraining cohorts             (4.2.10)

InTraining cohorts count in no target (the targets count what the plan
starts), but their cost in the planning years is in their programme's budget.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Terms


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    modules, persons, budgets = d.modules_target, d.persons_target, d.budgets
    m.MODULES_TARGET_INDEX = pyo.Set(initialize=list(modules), ordered=True)
    m.PERSONS_TARGET_INDEX = pyo.Set(initialize=list(persons), ordered=True)
    m.BUDGET_INDEX = pyo.Set(initialize=list(budgets), ordered=True)
    m.ModulesGap = pyo.Var(m.MODULES_TARGET_INDEX, domain=pyo.NonNegativeReals)
    m.PersonsGap = pyo.Var(m.PERSONS_TARGET_INDEX, domain=pyo.NonNegativeReals)

    m.ModulesTarget = pyo.Constraint(m.MODULES_TARGET_INDEX, rule=lambda _, g: linear(
        terms.programme_modules.get(g, []) + [(1.0, m.ModulesGap[g])]) >= modules[g])
    m.PersonsTarget = pyo.Constraint(m.PERSONS_TARGET_INDEX, rule=lambda _, g: linear(
        terms.programme_persons.get(g, []) + [(1.0, m.PersonsGap[g])]) >= persons[g])

    def budget(_: object, g: str) -> object:
        spent = terms.programme_cost.get(g, [])
        if not spent:
            return pyo.Constraint.Skip  # nothing to choose (the pre-solve checks see the rest)
        return linear(spent) <= budgets[g] - d.programme_cohort_cost(g)

    m.Budget = pyo.Constraint(m.BUDGET_INDEX, rule=budget)
