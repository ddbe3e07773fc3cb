"""The fast path gives the same optima as the plain one (issue 8).

The planner compiles the model once to matrices, hands them to highspy,
and runs every stage on one HiGHS model (costs changed, stage bounds
added as rows, each stage started from the previous basis or plan).  The
plain path: Pyomo's own HiGHS interface, each stage solved cold, the
earlier stages' bounds added as ordinary Pyomo constraints.  Both must
reach the same stage optima (the LP optimum is unique in value; the MIPs
here are solved to a zero gap).
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from pyomo.contrib.solver.solvers.highs import Highs

from planner.config import SolveOptions
from planner.data.tables import PlanningData
from planner.model import build_model
from planner.orlib import cap_planning_data
from planner.solve import solve
from tests.report_instances import regional_data
from tests.shared import orlib_cap


def plain_stage_values(data: PlanningData) -> dict[str, float]:
    plan = build_model(data)
    m = plan.model
    tolerance = data.settings.stage_tolerance
    values: dict[str, float] = {}
    m.StageBound = pyo.ConstraintList()
    for stage in plan.stages:
        for other in plan.stages:
            m.StageObjective[other].deactivate()
        m.StageObjective[stage].activate()
        results = Highs().solve(m, rel_gap=0.0, time_limit=120,
                                load_solutions=True, raise_exception_on_nonoptimal_result=True)
        assert str(results.termination_condition).endswith("convergenceCriteriaSatisfied")
        value = pyo.value(m.Stage[stage])
        values[stage] = value
        m.StageBound.add(m.Stage[stage] <= value + tolerance * max(1.0, abs(value)))
    return values


@pytest.mark.parametrize("integer", [False, True])
def test_regional_instance_same_stage_optima(integer: bool) -> None:
    data = regional_data().with_settings(integer_sessions=integer, mip_gap=0.0)
    fast = solve(build_model(data), SolveOptions())
    plain = plain_stage_values(data)
    assert [s.stage for s in fast.stages] == list(plain)
    for stage in fast.stages:
        assert stage.objective == pytest.approx(plain[stage.stage], rel=1e-6, abs=1e-6), \
            stage.stage


def test_orlib_instance_same_stage_optima() -> None:
    data = cap_planning_data(orlib_cap("cap71"))
    fast = solve(build_model(data), SolveOptions())
    plain = plain_stage_values(data)
    for stage in fast.stages:
        assert stage.objective == pytest.approx(plain[stage.stage], rel=1e-9, abs=1e-6)
