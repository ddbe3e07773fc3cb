"""Coverage of recruitment demand, with completion and placement rates and cumulative shortfall.

Variables::

    Shortfall[t,j,y] >= 0   cumulative unmet demand of family j in territory t
                            at the end of year y, for each (t, j) with a Demand row
    Placed[t,j,y]  >= 0     learners of t placed in family j at the end of year y:
                            the completers of the sessions that complete in y

For every such (t, j) and every year y::

    PlacedLearners[t,j,y]   Placed[t,j,y] = sum_{p: j(p)=j, (t,p) in A, y' + d_p - 1 = y}
                                              completion_p * placement_p * f[t,p,y']
                                            + c[t,j,y]
    Coverage[t,j,y]         sum_{y' <= y} Placed[t,j,y'] + short[t,j,y]
                                >= sum_{y' <= y} demand[t,j,y']                       (4.2.8)

where c[t,j,y] is the placed InTraining completers of year y (a constant).
This is SPEC 4.2.8 with the placed learners of each year named once:
substituting ``Placed`` gives the SPEC's row exactly.  Written out, every
learner flow would sit in up to six cumulative rows; named, it sits in
one, which made the LP twice as fast for simplex at N = 3 (same optima,
``bench/results.md``).  Learners placed ahead of need count for later
years (the sums are cumulative); a missing Demand year means 0 people.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Terms


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    years = d.years
    m.SHORTFALL_INDEX = pyo.Set(initialize=[(t, j, y) for (t, j) in d.demand_pairs
                                            for y in years], dimen=3, ordered=True)
    m.Shortfall = pyo.Var(m.SHORTFALL_INDEX, domain=pyo.NonNegativeReals)
    m.Placed = pyo.Var(m.SHORTFALL_INDEX, domain=pyo.NonNegativeReals)
    placed = terms.placed
    short, named = m.Shortfall, m.Placed

    def placed_learners(_: object, t: str, j: str, y: int) -> object:
        return (linear(placed.get((t, j, y), []) + [(-1.0, named[t, j, y])])
                == -d.cohort_placed.get((t, j, y), 0.0))

    m.PlacedLearners = pyo.Constraint(m.SHORTFALL_INDEX, rule=placed_learners)

    def coverage(_: object, t: str, j: str, y: int) -> object:
        terms_ = [(1.0, named[t, j, earlier]) for earlier in years if earlier <= y]
        return linear(terms_ + [(1.0, short[t, j, y])]) >= d.cumulative_demand[(t, j, y)]

    m.Coverage = pyo.Constraint(m.SHORTFALL_INDEX, rule=coverage)
