"""Coverage of recruitment demand, with placement rates and cumulative shortfall.

Variables::

    Shortfall[t,j,y] >= 0   cumulative unmet demand of family j in territory t
                            at the end of year y, for each (t, j) with a Demand row
    Placed[t,j,y]  >= 0     learners of t placed in family j by the training of year y

For every such (t, j) and every year y::

    PlacedLearners[t,j,y]   Placed[t,j,y] = sum_{p: j(p)=j, (t,p) in A} placement_p * f[t,p,y]
    Coverage[t,j,y]         sum_{y' <= y} Placed[t,j,y'] + short[t,j,y]
                                >= sum_{y' <= y} demand[t,j,y']                       (4.2.8)

This is SPEC 4.2.8 with the placed learners of each year named once:
substituting ``Placed`` gives the SPEC's row exactly.  Written out, every
learner flow would sit in up to six cumulative rows; named, it sits in
one, which made the LP twice as fast for simplex at N = 3 (same optima,
``bench/results.md``).  Learners trained ahead of need count for later
years (the sums are cumulative); a missing Demand year means 0 people.
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
    m.Placed = pyo.Var(m.SHORTFALL_INDEX, domain=pyo.NonNegativeReals)
    placed = ctx.terms.placed
    cumulative_demand: dict[tuple[str, str, int], float] = {}
    for (t, j) in ctx.demand_pairs:
        total = 0.0
        for y in years:
            total += ctx.demand.get((t, j, y), 0.0)
            cumulative_demand[(t, j, y)] = total
    ctx.cumulative_demand = cumulative_demand
    short, named = m.Shortfall, m.Placed

    def placed_learners(_: object, t: str, j: str, y: int) -> object:
        return linear(placed.get((t, j, y), []) + [(-1.0, named[t, j, y])]) == 0

    m.PlacedLearners = pyo.Constraint(m.SHORTFALL_INDEX, rule=placed_learners)

    def coverage(_: object, t: str, j: str, y: int) -> object:
        terms = [(1.0, named[t, j, earlier]) for earlier in years if earlier <= y]
        return linear(terms + [(1.0, short[t, j, y])]) >= cumulative_demand[(t, j, y)]

    m.Coverage = pyo.Constraint(m.SHORTFALL_INDEX, rule=coverage)
