"""Fixtures shared by the test modules: each instance built or solved once per session.

The instances are defined in :mod:`tests.helpers` (``tiny``: hand-solvable),
:mod:`tests.report_instances` (``regional``: six territories, scarce
trainers) and :mod:`tests.scenario_instances` (``regional`` with Scenarios
rows); the fixtures below are the forms several modules need.  What a
fixture returns is shared: tests must not modify it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.data.tables import PlanningData
from planner.data.write.inputbook import write_input_workbook
from planner.results import Results
from planner.solve import Solution
from tests.report_instances import regional, regional_spec
from tests.scenario_instances import regional_with_scenarios


@pytest.fixture(scope="session")
def regional_solved() -> tuple[PlanningData, Solution, Results]:
    """The regional instance solved with every invariant checked (data, solution, results)."""
    return regional()


@pytest.fixture(scope="session")
def regional_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The regional instance as an input workbook ``regional.xlsx`` (no Scenarios sheet)."""
    settings, tables = regional_spec()
    return write_input_workbook(tmp_path_factory.mktemp("regional") / "regional.xlsx",
                                settings, tables)


@pytest.fixture(scope="session")
def regional_scenarios_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``regional.xlsx`` with the sweep tests' Scenarios rows (four solve, two fail)."""
    return regional_with_scenarios(tmp_path_factory.mktemp("regional_scenarios"))
