"""HiGHS and the lexicographic solve (SPEC 4.4).

Hand-off: Pyomo's linear standard-form compiler turns the model into
sparse matrices once (all stage objectives at once, one cost row each),
and the matrices go straight into ``highspy``.  At national size this was
6x faster than Pyomo's solver interfaces and 3x faster than an LP file
(issue 8's measurements); ``bench/`` re-measures it on our own model.

Stages: for each stage s of ``objective_stages`` in order, set the costs
to stage s, solve, and add the row::

    stage_s(x) <= v_s + stage_tolerance * max(1, |v_s|)

before the next stage.  One HiGHS model serves every stage (no rebuild),
and each stage starts from the previous stage's plan, which satisfies the
new bound.  A stage that is infeasible, unbounded or without a solution
stops the sequence and there is no plan; a stage stopped by the time
limit with an incumbent is ``feasible`` and its incumbent value is the
bound kept.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Sequence

import highspy
import numpy as np
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from planner.config import Progress, SolveOptions, quiet
from planner.model import PlanModel

INF = highspy.kHighsInf


class StageStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "no solution"

    @property
    def usable(self) -> bool:
        return self in (StageStatus.OPTIMAL, StageStatus.FEASIBLE)


@dataclass
class StageResult:
    """What one lexicographic stage gave."""

    stage: str
    status: StageStatus
    objective: float | None
    bound: float | None
    gap: float | None
    solver_seconds: float
    highs_status: str
    limit_added: float | None = None
    """Right-hand side of the stage bound kept for later stages."""


@dataclass
class LpSnapshot:
    """Objective, duals and values of one solved LP (no integrality)."""

    objective: float
    row_dual: np.ndarray
    col_dual: np.ndarray
    row_value: np.ndarray
    col_value: np.ndarray
    basis: Any = None
    """HiGHS's optimal basis (``HighsBasis``): a related LP can start from it."""


@dataclass
class Compiled:
    """The model as matrices: ``row_lower <= A x <= row_upper``, column bounds, costs."""

    A: Any
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    costs: dict[str, Any]
    offsets: dict[str, float]
    columns: list[Any]
    rows: list[Any]
    seconds: float
    _col_of: dict[int, int] | None = None

    @property
    def num_col(self) -> int:
        return len(self.columns)

    @property
    def num_row(self) -> int:
        return len(self.rows)

    def column_of(self) -> dict[int, int]:
        if self._col_of is None:
            self._col_of = {id(v): i for i, v in enumerate(self.columns)}
        return self._col_of

    def stage_vector(self, stage: str) -> np.ndarray:
        return np.asarray(self.costs[stage].toarray()).ravel()


def compile_model(plan: PlanModel) -> Compiled:
    """Compile the Pyomo model to matrices in mixed form (one row per constraint)."""
    start = time.perf_counter()
    m = plan.model
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    rhs = np.asarray(info.rhs, dtype=float)
    sign = np.fromiter((r[1] for r in info.rows), dtype=np.int8, count=len(info.rows))
    row_lower = np.where(sign <= 0, rhs, -INF)
    row_upper = np.where(sign >= 0, rhs, INF)
    n = len(info.columns)
    col_lower = np.empty(n)
    col_upper = np.empty(n)
    integer = np.zeros(n, dtype=bool)
    for i, v in enumerate(info.columns):
        lb, ub = v.bounds
        col_lower[i] = -INF if lb is None else lb
        col_upper[i] = INF if ub is None else ub
        integer[i] = v.is_integer()
    c = info.c.tocsr()
    costs, offsets = {}, {}
    for k, obj in enumerate(info.objectives):
        stage = obj.index()
        costs[stage] = c[[k], :]
        offsets[stage] = float(info.c_offset[k])
    return Compiled(A=info.A.tocsc(), row_lower=row_lower, row_upper=row_upper,
                    col_lower=col_lower, col_upper=col_upper, integer=integer,
                    costs=costs, offsets=offsets, columns=list(info.columns),
                    rows=list(info.rows), seconds=time.perf_counter() - start)


_USABLE_LIMITS = {
    highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kSolutionLimit, highspy.HighsModelStatus.kInterrupt,
    highspy.HighsModelStatus.kObjectiveBound, highspy.HighsModelStatus.kObjectiveTarget,
    highspy.HighsModelStatus.kMemoryLimit, highspy.HighsModelStatus.kHighsInterrupt,
}


class HighsEngine:
    """One HiGHS model fed from :class:`Compiled`, reused across stages."""

    def __init__(self, compiled: Compiled, options: SolveOptions, time_limit: float,
                 mip_gap: float) -> None:
        self.compiled = compiled
        self.options = options
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(options.verbose))
        h.setOptionValue("log_to_console", bool(options.verbose))
        self.time_limit = float(time_limit)
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        if options.threads:
            h.setOptionValue("threads", int(options.threads))
        for name, value in options.highs_options:
            h.setOptionValue(name, value)
        self.auto = options.lp_method == "auto"
        self.method = "ipm" if self.auto else options.lp_method
        self.methods_used: list[str] = []
        lp = highspy.HighsLp()
        lp.num_col_ = compiled.num_col
        lp.num_row_ = compiled.num_row
        lp.col_cost_ = np.zeros(compiled.num_col)
        lp.col_lower_ = compiled.col_lower
        lp.col_upper_ = compiled.col_upper
        lp.row_lower_ = compiled.row_lower
        lp.row_upper_ = compiled.row_upper
        A = compiled.A
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        lp.a_matrix_.num_col_ = compiled.num_col
        lp.a_matrix_.num_row_ = compiled.num_row
        if compiled.integer.any():
            lp.integrality_ = [highspy.HighsVarType.kInteger if i
                               else highspy.HighsVarType.kContinuous for i in compiled.integer]
        h.passModel(lp)
        self.highs = h
        self.is_mip = bool(compiled.integer.any())
        self.relaxed = False
        self.bound_rows: dict[str, int] = {}

    def relax_integrality(self, relaxed: bool = True) -> None:
        """Drop (or restore) integrality: the LP relaxation on the same HiGHS model."""
        if not self.is_mip or relaxed == self.relaxed:
            return
        n = self.compiled.num_col
        kinds = np.zeros(n, dtype=np.uint8) if relaxed else self.compiled.integer.astype(np.uint8)
        self.highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
        self.relaxed = relaxed

    def set_costs(self, costs: np.ndarray) -> None:
        n = self.compiled.num_col
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs.astype(float))

    def set_start(self, values: np.ndarray) -> None:
        sol = highspy.HighsSolution()
        sol.col_value = list(values)
        sol.value_valid = True
        self.highs.setSolution(sol)

    def add_stage_bound(self, stage: str, costs: np.ndarray, limit: float) -> None:
        nz = np.flatnonzero(costs)
        self.bound_rows[stage] = self.highs.getNumRow()
        self.highs.addRow(-INF, float(limit), len(nz), nz.astype(np.int32), costs[nz])

    def run(self) -> tuple[StageStatus, str, float]:
        # HiGHS 1.x measures an LP's time limit on the Highs object's cumulative run
        # clock, but a MIP's from the start of its own run (HiGHS issue #1477): give
        # every run the same time_limit seconds of its own.
        if self.is_mip and not self.relaxed:
            self.highs.setOptionValue("time_limit", self.time_limit)
        else:
            self.highs.setOptionValue("time_limit", self.highs.getRunTime() + self.time_limit)
        self.highs.setOptionValue("solver", self.method)
        if self.method not in self.methods_used:
            self.methods_used.append(self.method)
        start = time.perf_counter()
        self.highs.run()
        seconds = time.perf_counter() - start
        status = self.highs.getModelStatus()
        text = self.highs.modelStatusToString(status)
        info = self.highs.getInfo()
        has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status == highspy.HighsModelStatus.kOptimal:
            return StageStatus.OPTIMAL, text, seconds
        if status == highspy.HighsModelStatus.kUnbounded:
            return StageStatus.UNBOUNDED, text, seconds
        if status in (highspy.HighsModelStatus.kInfeasible,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return StageStatus.INFEASIBLE, text, seconds
        if status in _USABLE_LIMITS and has_point:
            return StageStatus.FEASIBLE, text, seconds
        return StageStatus.NO_SOLUTION, text, seconds

    def snapshot(self, offset: float = 0.0) -> LpSnapshot:
        """The last LP solve's objective (plus ``offset``), duals and values."""
        sol = self.highs.getSolution()
        n_rows = self.compiled.num_row
        return LpSnapshot(
            objective=float(self.highs.getInfo().objective_function_value) + offset,
            row_dual=np.asarray(sol.row_dual, dtype=float)[:n_rows],
            col_dual=np.asarray(sol.col_dual, dtype=float),
            row_value=np.asarray(sol.row_value, dtype=float)[:n_rows],
            col_value=np.asarray(sol.col_value, dtype=float),
            basis=self.highs.getBasis())

    def column_values(self) -> np.ndarray:
        values = np.asarray(self.highs.getSolution().col_value, dtype=float)
        ints = self.compiled.integer
        if ints.any() and not self.relaxed:
            values[ints] = np.round(values[ints]) + 0.0  # + 0.0: no -0.0 in reports
        return values

    def objective_bound(self, objective: float) -> tuple[float | None, float | None]:
        """(dual bound, relative gap) of the last run; (None, None) when no bound is proven."""
        if not self.is_mip or self.relaxed:
            return objective, 0.0
        info = self.highs.getInfo()
        bound = float(info.mip_dual_bound)
        if not math.isfinite(bound):
            return None, None
        gap = float(info.mip_gap)
        if not math.isfinite(gap):
            gap = abs(objective - bound) / max(1e-9, abs(objective))
        return bound, max(0.0, gap)


def warm_from_here(stage: str, stages: Sequence[str]) -> bool:
    """``auto`` LP method: may the stages after ``stage`` start from its basis?

    Until the ``unmet`` stage (or the first stage, when ``unmet`` is not
    one) the basis says little about the next objective (the targets
    optimum is reached by the target-gap variables alone): interior point
    solves those cold stages much faster.  From then on each stage only
    refines the plan (the previous optimum is a bound) and simplex, which
    re-starts from the previous basis, is faster.  Measured on the example
    at N = 1 and 3 in ``bench/results.md``.
    """
    return stage == "unmet" or ("unmet" not in stages and stage == stages[0])


@dataclass
class Solution:
    """The outcome of a lexicographic solve."""

    plan: PlanModel
    compiled: Compiled
    stages: list[StageResult]
    values: np.ndarray | None
    build_seconds: float
    handoff_seconds: float
    engine: HighsEngine | None = field(default=None, repr=False)
    lp_method: str = ""
    unmet_lp: LpSnapshot | None = field(default=None, repr=False)
    """When the model is an LP: the ``unmet`` stage as solved (its duals are the
    marginal values' relaxation, no re-solve needed)."""

    @property
    def usable(self) -> bool:
        return self.values is not None

    @property
    def status(self) -> StageStatus:
        for s in self.stages:
            if not s.status.usable:
                return s.status
        if any(s.status is StageStatus.FEASIBLE for s in self.stages):
            return StageStatus.FEASIBLE
        return StageStatus.OPTIMAL

    @property
    def solver_seconds(self) -> float:
        return sum(s.solver_seconds for s in self.stages)

    @property
    def mip_gap(self) -> float | None:
        """The largest relative gap over the stages; None when one is unknown."""
        gaps = [s.gap for s in self.stages if s.status.usable]
        if any(g is None for g in gaps):
            return None
        return max(gaps) if gaps else 0.0

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stages if s.stage == name)

    def component_values(self, component: Any, index: Sequence[Any] | None = None) -> np.ndarray:
        """Values of an indexed variable, in ``index`` order (default: its own order).

        A variable the compiler dropped (it appears in no row and no
        objective) takes its lower bound, or 0.
        """
        if self.values is None:
            raise RuntimeError("no solution to read")
        col = self.compiled.column_of()
        keys = list(component.keys()) if index is None else index
        out = np.empty(len(keys))
        for i, key in enumerate(keys):
            var = component[key]
            j = col.get(id(var))
            if j is None:
                lb = var.lb
                out[i] = 0.0 if lb is None else lb
            else:
                out[i] = self.values[j]
        return out

    def stage_value(self, stage: str) -> float:
        """A stage objective evaluated at the final plan."""
        assert self.values is not None
        return float(self.compiled.stage_vector(stage) @ self.values
                     + self.compiled.offsets[stage])


def solve(plan: PlanModel, options: SolveOptions = SolveOptions(),
          progress: Progress = quiet) -> Solution:
    """Solve the stages of ``objective_stages`` lexicographically."""
    settings = plan.data.settings
    time_limit = options.time_limit_seconds or settings.time_limit_seconds
    mip_gap = settings.mip_gap if options.mip_gap is None else options.mip_gap
    tolerance = settings.stage_tolerance

    start = time.perf_counter()
    compiled = compile_model(plan)
    engine = HighsEngine(compiled, options, time_limit, mip_gap)
    handoff = time.perf_counter() - start
    stages = plan.stages
    results: list[StageResult] = []
    values: np.ndarray | None = None
    unmet_lp: LpSnapshot | None = None

    for k, stage in enumerate(stages, start=1):
        costs = compiled.stage_vector(stage)
        offset = compiled.offsets[stage]
        if not costs.any() and values is not None:
            results.append(StageResult(stage, StageStatus.OPTIMAL, offset, offset, 0.0, 0.0,
                                       "constant: nothing to optimise"))
            progress(f"stage {k}/{len(stages)} {stage}: constant {offset:g}, nothing to optimise")
            continue
        engine.set_costs(costs)
        if values is not None and options.warm_start and engine.is_mip:
            engine.set_start(values)
        progress(f"stage {k}/{len(stages)} {stage}: solving")
        status, text, seconds = engine.run()
        if not status.usable:
            results.append(StageResult(stage, status, None, None, None, seconds, text))
            progress(f"stage {k}/{len(stages)} {stage}: {status.value} ({text}) "
                     f"after {seconds:.2f} s")
            values = None
            break
        values = engine.column_values()
        if stage == "unmet" and not engine.is_mip:
            unmet_lp = engine.snapshot(offset)
        if engine.auto and warm_from_here(stage, stages):
            engine.method = "simplex"
        objective = float(costs @ values + offset)
        bound, gap = engine.objective_bound(objective - offset)
        if bound is not None:
            bound += offset
        limit = objective + tolerance * max(1.0, abs(objective))
        if k < len(stages):
            engine.add_stage_bound(stage, costs, limit - offset)
        results.append(StageResult(stage, status, objective, bound, gap, seconds, text,
                                   limit_added=limit if k < len(stages) else None))
        gap_text = ("" if not engine.is_mip else ", gap unknown (no bound proven)"
                    if gap is None else f", gap {gap:.2%}")
        progress(f"stage {k}/{len(stages)} {stage}: {status.value}, {objective:,.6g}"
                 f"{gap_text}, {seconds:.2f} s")

    return Solution(plan=plan, compiled=compiled, stages=results, values=values,
                    build_seconds=plan.build_seconds, handoff_seconds=handoff,
                    engine=engine, lp_method=", then ".join(engine.methods_used),
                    unmet_lp=unmet_lp if values is not None else None)
