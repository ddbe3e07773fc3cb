"""Sessions and learners: seats, minimum fill, offer bounds, ramp-up.

Variables::

    Sessions[p, y]      x[p,y]   sessions of offer p that start in year y
                                 integer when integer_sessions, in
                                 [committed_p, max_sessions_p]     (4.2.3)
    Learners[t, p, y]   f[t,p,y] >= 0 learners living in t who start offer p
                                 in year y, only for (t, p) in A

Constraints, for every offer p and year y::

    SeatLimit[p,y]     sum_t f[t,p,y] <= seats_p * x[p,y]              (4.2.1)
    MinimumFill[p,y]   sum_t f[t,p,y] >= min_learners_p * x[p,y]       (4.2.2)
                       (only where min_learners_p > 0)
    RampUp[p,y]        x[p,y] <= x[p,y-1] + max_new_p,                 (4.2.4)
                       x[p,first-1] = baseline_p
                       (only where baseline_p and max_new_p are given)

Terms registered for other modules (a session started in y runs in the
n[p,y] planning years y .. min(y + d_p - 1, last) and completes at the end
of y + d_p - 1):

- cost: ``cost_per_session_p * n[p,y] * x[p,y]`` and
  ``(cost_per_learner_p * n[p,y] + mobility * travel(t, t(p))) * f[t,p,y]``,
  in the total and in the offer's programme budget, plus the InTraining
  cohorts' cost in the planning years as a constant;
- coverage: ``completion_p * placement_p * f[t,p,y]`` placed in the
  completion year, when it is a planning year;
- programme targets: ``completion_p * f`` persons and
  ``modules_p * completion_p * f`` modules, for starts that complete within
  the planning years;
- travel: ``travel(t, t(p)) * f[t,p,y]`` learner-minutes.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.derived import Derived
from planner.model.expr import linear
from planner.model.terms import Terms


def add_model_components(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    years = d.years
    offers = d.offers
    m.YEARS = pyo.Set(initialize=years, ordered=True)
    m.OFFERS = pyo.Set(initialize=list(offers), ordered=True)
    m.SESSION_INDEX = pyo.Set(initialize=[(p, y) for p in offers for y in years],
                              dimen=2, ordered=True)
    m.FLOWS = pyo.Set(initialize=d.flow_index, dimen=3, ordered=True)

    domain = pyo.NonNegativeIntegers if d.integer else pyo.NonNegativeReals
    m.Sessions = pyo.Var(m.SESSION_INDEX, domain=domain,
                         bounds=lambda _, p, y: (offers[p].committed, offers[p].max_sessions))
    m.Learners = pyo.Var(m.FLOWS, domain=pyo.NonNegativeReals)

    x, f = m.Sessions, m.Learners
    flows = d.flows_by_offer_year
    index = d.flow_index

    def learners(p: str, y: int) -> list[tuple[float, object]]:
        return [(1.0, f[index[i]]) for i in flows.get((p, y), ())]

    def seat_limit(_: object, p: str, y: int) -> object:
        return linear(learners(p, y) + [(-offers[p].seats, x[p, y])]) <= 0

    m.SeatLimit = pyo.Constraint(m.SESSION_INDEX, rule=seat_limit)

    filled = [(p, y) for p, y in m.SESSION_INDEX if offers[p].min_learners > 0]
    m.MINIMUM_FILL_INDEX = pyo.Set(initialize=filled, dimen=2, ordered=True)

    def minimum_fill(_: object, p: str, y: int) -> object:
        return linear(learners(p, y) + [(-offers[p].min_learners, x[p, y])]) >= 0

    m.MinimumFill = pyo.Constraint(m.MINIMUM_FILL_INDEX, rule=minimum_fill)

    ramped = [(p, y) for p in offers for y in years
              if offers[p].baseline is not None and offers[p].max_new is not None]
    m.RAMP_UP_INDEX = pyo.Set(initialize=ramped, dimen=2, ordered=True)

    def ramp_up(_: object, p: str, y: int) -> object:
        o = offers[p]
        if y == years[0]:
            return x[p, y] <= o.baseline + o.max_new
        return linear([(1.0, x[p, y]), (-1.0, x[p, y - 1])]) <= o.max_new

    m.RampUp = pyo.Constraint(m.RAMP_UP_INDEX, rule=ramp_up)

    _register_terms(m, d, terms)


def _register_terms(m: pyo.ConcreteModel, d: Derived, terms: Terms) -> None:
    mobility = d.data.settings.mobility_cost_per_minute
    first, last = d.first_year, d.last_year
    x, f = m.Sessions, m.Learners
    for (p, y) in m.SESSION_INDEX:
        o = d.offers[p]
        cost = o.cost_per_session * o.years_run(y, first, last)
        if cost:
            terms.cost.append((cost, x[p, y]))
            if o.programme_id:
                terms.programme_cost[o.programme_id].append((cost, x[p, y]))
    for (t, p, y), minutes in zip(d.flow_index, d.flow_minutes):
        o = d.offers[p]
        var = f[t, p, y]
        per_learner = o.cost_per_learner * o.years_run(y, first, last) + mobility * minutes
        if per_learner:
            terms.cost.append((per_learner, var))
        if minutes:
            terms.travel.append((minutes, var))
        done = o.completion_year(y)
        if done <= last:
            terms.placed[(t, o.family_id, done)].append((o.placed_per_learner, var))
        if o.programme_id:
            if per_learner:
                terms.programme_cost[o.programme_id].append((per_learner, var))
            if done <= last:
                terms.programme_persons[o.programme_id].append((o.completion_rate, var))
                if o.modules_per_learner:
                    terms.programme_modules[o.programme_id].append(
                        (o.modules_per_learner * o.completion_rate, var))
