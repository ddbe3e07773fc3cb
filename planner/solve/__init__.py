"""Solving the model: compile, run HiGHS stage by stage, verify every answer.

``compiled``  the model as matrices (what every answer is checked against)
``engine``    the HiGHS model and its runs
``verify``    the checks of SPEC 4.6
``stages``    the lexicographic loop (SPEC 4.4) with its retries
"""

from planner.solve.compiled import INF, Compiled, Key, compile_model, key_of
from planner.solve.engine import Answer, HighsEngine, LpSnapshot
from planner.solve.stages import Solution, StageResult, StageStatus, solve, warm_from_here
from planner.solve.verify import Check, Verification

__all__ = ["INF", "Answer", "Check", "Compiled", "Key", "key_of", "HighsEngine", "LpSnapshot", "Solution",
           "StageResult", "StageStatus", "Verification", "compile_model", "solve",
           "warm_from_here"]
