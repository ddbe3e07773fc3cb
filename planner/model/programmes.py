"""Programme targets and budgets.

Variables::

    ModulesGap[g] >= 0, PersonsGap[g] >= 0   target shortfalls (4.1)

For every programme g with a (positive) modules target, persons target or budget::

    ModulesTarget[g]  sum_{p in g} modules_p * sum_{t,y} f[t,p,y] + tgap_mod[g] >= modules_target_g   (4.2.9)
    PersonsTarget[g]  sum_{p in g} sum_{t,y} f[t,p,y] + tgap_per[g] >= persons_target_g
    Budget[g]         cost of g's offers (sessions, learners, mobility)
                      + cost of the hires g pays                <= budget_g             (4.2.10)

Targets and budgets count over all planning years.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from planner.model.context import ModelContext
from planner.model.expr import linear


def _positive(value: float) -> bool:
    return not math.isnan(value) and value > 0


def add_model_components(m: pyo.ConcreteModel, ctx: ModelContext) -> None:
    prog = ctx.programmes
    modules = {g: float(v) for g, v in zip(prog["programme_id"], prog["modules_target"])
               if _positive(v)}
    persons = {g: float(v) for g, v in zip(prog["programme_id"], prog["persons_target"])
               if _positive(v)}
    budgets = {g: float(v) for g, v in zip(prog["programme_id"], prog["budget"])
               if not math.isnan(v)}
    ctx.modules_target, ctx.persons_target, ctx.budgets = modules, persons, budgets
    terms = ctx.terms

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
        return linear(spent) <= budgets[g] if spent else pyo.Constraint.Skip

    m.Budget = pyo.Constraint(m.BUDGET_INDEX, rule=budget)
