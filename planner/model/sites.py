"""Site capacity: the trainer-led hours an organisation can host.

For every organisation o with a capacity and every year y::

    SiteCapacity[o,y]   sum_{p of o} trainer_hours_p * x[p,y] <= capacity_hours_o   (4.2.5)

Organisations with a blank capacity are unlimited and get no row.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.context import ModelContext
from planner.model.expr import linear


def add_model_components(m: pyo.ConcreteModel, ctx: ModelContext) -> None:
    limited = [(o, y) for o in ctx.site_capacity if ctx.offers_by_org.get(o) for y in ctx.years]
    m.SITE_INDEX = pyo.Set(initialize=limited, dimen=2, ordered=True)
    x = m.Sessions

    def site_capacity(_: object, o: str, y: int) -> object:
        hours = [(ctx.offers[p].trainer_hours_per_session, x[p, y]) for p in ctx.offers_by_org[o]]
        return linear(hours) <= ctx.site_capacity[o]

    m.SiteCapacity = pyo.Constraint(m.SITE_INDEX, rule=site_capacity)
