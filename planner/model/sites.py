"""Site capacity: the trainer-led hours an organisation can host.

For every organisation o with a capacity and every year y, with the
running cohorts R[p,y] = sum_{y' in Y, y - d_p < y' <= y} x[p,y'] + r[p,y]
(r: the InTraining sessions of p running in y, a constant)::

    SiteCapacity[o,y]   sum_{p of o} trainer_hours_p * R[p,y] <= capacity_hours_o   (4.2.5)

written with the InTraining hours on the right-hand side.  Organisations
with a blank capacity are unlimited and get no row.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Terms


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    limited = [(o, y) for o in d.site_capacity if d.offers_by_org.get(o) for y in d.years]
    m.SITE_INDEX = pyo.Set(initialize=limited, dimen=2, ordered=True)
    x = m.Sessions

    def site_capacity(_: object, o: str, y: int) -> object:
        offers = d.offers_by_org[o]
        hours = [(d.offers[p].trainer_hours_per_session, x[p, start]) for p in offers
                 for start in d.offers[p].starts_running_in(y, d.years)]
        return linear(hours) <= d.site_capacity[o] - d.cohort_hours(offers, y)

    m.SiteCapacity = pyo.Constraint(m.SITE_INDEX, rule=site_capacity)
