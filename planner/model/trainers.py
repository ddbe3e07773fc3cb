"""Trainer pools and hiring with a lead time.

Variables::

    Hires[t,k,y]   h[t,k,y] trainers of skill k hired in territory t in year y,
                   integer when integer_sessions, 0 <= h <= max_new_per_year   (4.2.7)
                   only where TrainerHiring has a row, an offer needs the pool,
                   and y + lead <= last_year (a later hire could never teach)

For every pool (t, k) that some offer located in t needs, and every year y::

    TrainerHours[t,k,y]
        sum_{p: t(p)=t, k(p)=k} trainer_hours_p * x[p,y]
            <= available[t,k,y] + hours_per_trainer[t,k] * sum_{y' <= y - lead} h[t,k,y']   (4.2.6)

A missing Trainers row means 0 available hours.  A hire in year y costs
cost_per_trainer_year * (last_year - y + 1), in the total and, when the
row names one, in that programme's budget.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.context import ModelContext
from planner.model.expr import linear


def add_model_components(m: pyo.ConcreteModel, ctx: ModelContext) -> None:
    years = ctx.years
    m.HIRE_INDEX = pyo.Set(initialize=ctx.hire_index, dimen=3, ordered=True)
    domain = pyo.NonNegativeIntegers if ctx.integer else pyo.NonNegativeReals
    m.Hires = pyo.Var(m.HIRE_INDEX, domain=domain,
                      bounds=lambda _, t, k, y: (0, ctx.hiring[(t, k)].max_new_per_year))
    m.POOL_INDEX = pyo.Set(initialize=[(t, k, y) for (t, k) in ctx.pools for y in years],
                           dimen=3, ordered=True)
    x, h = m.Sessions, m.Hires
    hire_years = {}
    for (t, k, y) in ctx.hire_index:
        hire_years.setdefault((t, k), []).append(y)

    def trainer_hours(_: object, t: str, k: str, y: int) -> object:
        used = [(ctx.offers[p].trainer_hours_per_session, x[p, y]) for p in ctx.pools[(t, k)]]
        hiring = ctx.hiring.get((t, k))
        hired = []
        if hiring is not None:
            hired = [(-hiring.hours_per_trainer, h[t, k, yh]) for yh in hire_years.get((t, k), ())
                     if yh <= y - hiring.lead_years]
        return linear(used + hired) <= ctx.available_hours.get((t, k, y), 0.0)

    m.TrainerHours = pyo.Constraint(m.POOL_INDEX, rule=trainer_hours)

    last = years[-1]
    for (t, k, y) in ctx.hire_index:
        hiring = ctx.hiring[(t, k)]
        cost = hiring.cost_per_trainer_year * (last - y + 1)
        if cost:
            ctx.terms.cost.append((cost, h[t, k, y]))
            if hiring.programme_id:
                ctx.terms.programme_cost[hiring.programme_id].append((cost, h[t, k, y]))
