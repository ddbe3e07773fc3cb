"""Regression guard: building the regional model stays cheap next to plain Pyomo.

Wall-clock limits fail on slow machines and pass on fast ones; a ratio to a
trivial workload measured in the same run holds on any machine.  The
reference builds, with plain Pyomo, as many rows as the example has (15,000)
with nine terms each; building the example's model (25,000 variables,
15,000 rows) measured 1.24-1.46x that reference on the 2-core development
machine (four pytest runs, another solve running beside them).  The two are
timed interleaved, best of four each.  The test fails above 2.5x: a change
that doubles the cost of building the model.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.data import load
from planner.model import build_model

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "hauts_de_france_2030.xlsx"
LIMIT = 2.5


def reference_seconds(rows: int = 15_000, terms: int = 9) -> float:
    start = time.perf_counter()
    with PauseGC():
        m = pyo.ConcreteModel()
        m.I = pyo.RangeSet(2 * rows)
        m.x = pyo.Var(m.I, within=pyo.NonNegativeReals)
        m.c = pyo.Constraint(pyo.RangeSet(rows), rule=lambda m, i: sum(
            m.x[(i + k) % (2 * rows) + 1] for k in range(terms)) <= 1)
    return time.perf_counter() - start


def test_building_the_regional_model_costs_at_most_a_stated_multiple_of_plain_pyomo() -> None:
    data = load(EXAMPLE)
    reference, build = [], []
    for _ in range(4):  # interleaved, so both see the same machine and process state
        reference.append(reference_seconds())
        build.append(build_model(data).build_seconds)
    reference, build = min(reference), min(build)
    ratio = build / reference
    print(f"\nbuild {build:.3f} s, reference {reference:.3f} s, ratio {ratio:.2f} (limit {LIMIT})")
    assert ratio <= LIMIT, (f"building the example's model took {ratio:.2f}x the plain-Pyomo "
                            f"reference (limit {LIMIT}x): something made the build slower")
