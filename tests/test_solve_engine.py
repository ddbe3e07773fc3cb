"""The HiGHS engine: one model reused across runs."""

from __future__ import annotations

from planner.config import SolveOptions
from planner.model import build_model
from planner.orlib import cap_planning_data
from planner.solve import HighsEngine, StageStatus, compile_model
from tests.shared import orlib_cap


def test_every_lp_run_gets_its_own_time_limit() -> None:
    # HiGHS 1.x checks an LP's time limit against the Highs object's cumulative run
    # clock (HiGHS issue #1477): without care, later runs on one model stop at once.
    data = cap_planning_data(orlib_cap("cap71")).with_settings(integer_sessions=False)
    compiled = compile_model(build_model(data))
    engine = HighsEngine(compiled, SolveOptions(), time_limit=0.05, mip_gap=0.0)
    statuses = []
    while engine.highs.getRunTime() < 0.25:  # five time limits' worth of runs
        for stage in ("cost", "unmet"):  # alternate costs so that every run iterates
            engine.set_costs(compiled.stage_vector(stage))
            statuses.append(engine.run().status)
    assert set(statuses) == {StageStatus.OPTIMAL}, statuses
