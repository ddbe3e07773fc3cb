"""Trainer pools and hiring with a lead time.

Variables::

    Hires[t,k,y]   h[t,k,y] trainers of skill k hired in territory t in year y,
                   integer when integer_sessions, 0 <= h <= max_new_per_year   (4.2.7)
                   only where TrainerHiring has a row, an offer needs the pool,
                   and y + lead <= last_year (a later hire could never teach)

For every pool (t, k) that some offer located in t needs, and every year y,
with the running cohorts R[p,y] (sessions started in the planning years
still running in y, plus the InTraining sessions running in y)::

    TrainerHours[t,k,y]
        sum_{p: t(p)=t, k(p)=k} trainer_hours_p * R[p,y]
            <= available[t,k,y] + hours_per_trainer[t,k] * sum_{y' <= y - lead} h[t,k,y']   (4.2.6)

written with the InTraining hours on the right-hand side.  A missing
Trainers row means 0 available hours.  A hire in year y costs
cost_per_trainer_year * (last_year - y + 1), in the total and, when the
row names one, in that programme's budget.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Terms


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    years = d.years
    m.HIRE_INDEX = pyo.Set(initialize=d.hire_index, dimen=3, ordered=True)
    domain = pyo.NonNegativeIntegers if d.integer else pyo.NonNegativeReals
    m.Hires = pyo.Var(m.HIRE_INDEX, domain=domain,
                      bounds=lambda _, t, k, y: (0, d.hiring[(t, k)].max_new_per_year))
    m.POOL_INDEX = pyo.Set(initialize=[(t, k, y) for (t, k) in d.pools for y in years],
                           dimen=3, ordered=True)
    x, h = m.Sessions, m.Hires
    hire_years: dict[tuple[str, str], list[int]] = {}
    for (t, k, y) in d.hire_index:
        hire_years.setdefault((t, k), []).append(y)

    def trainer_hours(_: object, t: str, k: str, y: int) -> object:
        offers = d.pools[(t, k)]
        used = [(d.offers[p].trainer_hours_per_session, x[p, start]) for p in offers
                for start in d.offers[p].starts_running_in(y, years)]
        hiring = d.hiring.get((t, k))
        hired = []
        if hiring is not None:
            hired = [(-hiring.hours_per_trainer, h[t, k, yh]) for yh in hire_years.get((t, k), ())
                     if hiring.teaches_from(yh) <= y]
        available = d.available_hours.get((t, k, y), 0.0) - d.cohort_hours(offers, y)
        return linear(used + hired) <= available

    m.TrainerHours = pyo.Constraint(m.POOL_INDEX, rule=trainer_hours)

    for (t, k, y) in d.hire_index:
        hiring = d.hiring[(t, k)]
        cost = hiring.cost(y, d.last_year)
        if cost:
            terms.cost.append((cost, h[t, k, y]))
            if hiring.programme_id:
                terms.programme_cost[hiring.programme_id].append((cost, h[t, k, y]))
