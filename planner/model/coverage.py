"""Coverage of recruitment demand, with placement rates and cumulative shortfall.

Variables::

    Shortfall[t,j,y] >= 0   cumulative unmet demand of family j in territory t
                            at the end of year y, for each (t, j) with a Demand row

For every such (t, j) and every year y::

    Coverage[t,j,y]
        sum_{y' <= y} sum_{p: j(p)=j, (t,p) in A} placement_p * f[t,p,y']
            + short[t,j,y] >= sum_{y' <= y} demand[t,j,y']                  (4.2.8)

Learners trained ahead of need count for later years (the sums are
cumulative); a missing Demand year means 0 people that year.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.model.context import ModelContext
from planner.model.expr import linear


def add_model_components(m: pyo.ConcreteModel, ctx: ModelContext) -> None:
    years = ctx.years
    m.SHORTFALL_INDEX = pyo.Set(initialize=[(t, j, y) for (t, j) in ctx.demand_pairs
                                            for y in years], dimen=3, ordered=True)
    m.Shortfall = pyo.Var(m.SHORTFALL_INDEX, domain=pyo.NonNegativeReals)
    placed = ctx.terms.placed
    cumulative_demand: dict[tuple[str, str, int], float] = {}
    cumulative_terms: dict[tuple[str, str, int], list] = {}
    for (t, j) in ctx.demand_pairs:
        total, running = 0.0, []
        for y in years:
            total += ctx.demand.get((t, j, y), 0.0)
            running = running + placed.get((t, j, y), [])
            cumulative_demand[(t, j, y)] = total
            cumulative_terms[(t, j, y)] = running
    ctx.cumulative_demand = cumulative_demand
    short = m.Shortfall

    def coverage(_: object, t: str, j: str, y: int) -> object:
        terms = cumulative_terms[(t, j, y)] + [(1.0, short[t, j, y])]
        return linear(terms) >= cumulative_demand[(t, j, y)]

    m.Coverage = pyo.Constraint(m.SHORTFALL_INDEX, rule=coverage)
