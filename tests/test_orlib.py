"""Public optima: OR-Library capacitated warehouse location, mapped onto the contract."""

from __future__ import annotations

import pytest

from planner.orlib import cap_planning_data, read_cap
from tests.helpers import solve_checked
from tests.shared import orlib_cap, published_optima


def test_reader_parses_the_instance_layout() -> None:
    inst = read_cap(orlib_cap("cap41"))
    assert (len(inst.capacities), len(inst.demands)) == (16, 50)
    assert inst.capacities[0] == 5000 and inst.fixed_costs[0] == 7500
    assert inst.fixed_costs[10] == 0
    assert inst.demands[0] == 146 and inst.costs[0][0] == pytest.approx(6739.725)


@pytest.mark.parametrize("name", ["cap41", "cap71", "cap101", "cap131"])
def test_cost_stage_reaches_the_published_optimum(name: str) -> None:
    optimum = published_optima()[(name, "")]
    solution, results = solve_checked(cap_planning_data(orlib_cap(name)))
    assert solution.stage("unmet").objective == pytest.approx(0, abs=1e-6)
    # published optima are rounded to 3 decimals
    assert solution.stage("cost").objective == pytest.approx(optimum, abs=1e-3)
    assert solution.stage("cost").status.value == "optimal"
