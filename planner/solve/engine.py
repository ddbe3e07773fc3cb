"""One HiGHS model fed from :class:`~planner.solve.compiled.Compiled`, reused across stages.

The engine only talks to HiGHS: it sets costs, starts and stage rows,
runs, and returns the solver's :class:`Answer` as given.  Whether that
answer is believed is :mod:`planner.solve.verify`'s business; the stage
loop (:mod:`planner.solve.stages`) decides what to do with it.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import highspy
import numpy as np

from planner.config import SolveOptions
from planner.interrupt import INTERRUPT
from planner.solve.compiled import INF, Compiled
from planner.solve.progress import Live, Watch
from planner.status import Status

FEASIBILITY = 1e-6
"""Row, bound and integrality tolerance of the planner's checks (SPEC 4.6)."""

_USABLE_LIMITS = {
    highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kSolutionLimit, highspy.HighsModelStatus.kInterrupt,
    highspy.HighsModelStatus.kObjectiveBound, highspy.HighsModelStatus.kObjectiveTarget,
    highspy.HighsModelStatus.kMemoryLimit, highspy.HighsModelStatus.kHighsInterrupt,
}
_FEASIBLE_POINT = 2  # HiGHS's kSolutionStatusFeasible


@dataclass(frozen=True)
class StageRow:
    """A stage bound kept for later stages: ``costs @ x <= limit`` (offset excluded)."""

    stage: str
    costs: np.ndarray
    limit: float
    row: int
    """Its row number in the HiGHS model (after the compiled rows)."""


@dataclass
class Answer:
    """What HiGHS said after one run, unchecked (objective and bound without offset)."""

    status: Status
    highs_status: str
    seconds: float
    values: np.ndarray | None = None
    """Raw column values when HiGHS has a feasible point (integers not rounded)."""
    objective: float | None = None
    bound: float | None = None
    """HiGHS's dual bound of a MIP run; None for an LP (see ``row_dual``)."""
    row_dual: np.ndarray | None = field(default=None, repr=False)
    """An LP run's row duals (compiled rows, then stage rows), when HiGHS has them."""


@contextlib.contextmanager
def _silenced_stdout(silent: bool) -> Iterator[None]:
    """Send what C code writes to standard output to /dev/null (HiGHS's start-up banner).

    HiGHS >= 1.16 prints "Running HiGHS ... Copyright" when a ``Highs``
    object is made, before any option can be set.
    """
    if not silent:
        yield
        return
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real descriptor (captured, closed)
        fd = 1
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def new_highs(verbose: bool = False) -> highspy.Highs:
    """A ``Highs`` object that prints nothing unless ``verbose``."""
    with _silenced_stdout(not verbose):
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(verbose))
        h.setOptionValue("log_to_console", bool(verbose))
    return h


MIP_SEARCH: tuple[tuple[str, object], ...] = (
    ("mip_heuristic_run_rens", False),
    ("mip_allow_cut_separation_at_nodes", False),
    ("mip_heuristic_run_root_reduced_cost", False),
)
"""Three of HiGHS's MIP search steps left out, by measurement: RENS and the reduced-cost
heuristic at the root, and cuts below it.  On the example they kept the timeliness stage
in its root node (17 s) and found nothing there; without them the root ends in 12 s and
the search's RINS finds the better plans (with :data:`~planner.config.STAGE_SHARES`,
timeliness 121,484 -> 120,806; at N = 3 and 10 see ``bench/results.md``)."""


class HighsEngine:
    """One HiGHS model fed from :class:`Compiled`, reused across stages."""

    def __init__(self, compiled: Compiled, options: SolveOptions, time_limit: float,
                 mip_gap: float, *, presolve: bool = True) -> None:
        self.compiled = compiled
        self.options = options
        self.time_limit = float(time_limit)
        self.mip_gap = float(mip_gap)
        self.presolve = presolve
        h = new_highs(options.verbose)
        h.setOptionValue("mip_rel_gap", self.mip_gap)
        # HiGHS's default MIP feasibility tolerance (1e-6) is the planner's own check
        # (SPEC 4.6): its answers sat exactly at the limit on the example's stage rows.
        # A tenth of it leaves a margin (worst row 6e-14 there; same speed and values).
        h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY / 10)
        # No restart of the root after HiGHS fixes columns: in a stage's seconds the
        # restart redid presolve and the root's cuts.  Measured without it on the example
        # (N = 1, same budget): unmet 43,401 -> 43,394, timeliness 121,937 -> 121,484,
        # cost 2,050.0 -> 2,048.9 M EUR, travel 2,196,646 -> 2,199,699; at N = 3 and 10
        # the same plans within 0.01 %.
        h.setOptionValue("mip_allow_restart", False)
        for name, value in MIP_SEARCH:
            h.setOptionValue(name, value)
        if not presolve:
            h.setOptionValue("presolve", "off")
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
        self.stage_rows: list[StageRow] = []

    @property
    def bound_rows(self) -> dict[str, int]:
        """Stage -> its bound row's number in the HiGHS model."""
        return {r.stage: r.row for r in self.stage_rows}

    def fresh(self, *, presolve: bool = True) -> "HighsEngine":
        """A new HiGHS model with the same rows, stage rows and method, and no start."""
        engine = type(self)(self.compiled, self.options, self.time_limit, self.mip_gap,
                            presolve=presolve)
        for row in self.stage_rows:
            engine.add_stage_bound(row.stage, row.costs, row.limit)
        engine.method, engine.methods_used = self.method, self.methods_used
        engine.relax_integrality(self.relaxed)
        return engine

    @property
    def integer_now(self) -> bool:
        """Integrality is enforced in the next run."""
        return self.is_mip and not self.relaxed

    def relax_integrality(self, relaxed: bool = True) -> None:
        """Drop (or restore) integrality: the LP relaxation on the same HiGHS model."""
        if not self.is_mip or relaxed == self.relaxed:
            return
        n = self.compiled.num_col
        kinds = np.zeros(n, dtype=np.uint8) if relaxed else self.compiled.integer.astype(np.uint8)
        self.highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kinds)
        self.relaxed = relaxed

    def fix(self, columns: np.ndarray, values: np.ndarray) -> None:
        """Fix ``columns`` at ``values`` (until :meth:`unfix`)."""
        cols = columns.astype(np.int32)
        self.highs.changeColsBounds(len(cols), cols, values.astype(float), values.astype(float))

    def unfix(self, columns: np.ndarray) -> None:
        """Give ``columns`` their compiled bounds back."""
        cols = columns.astype(np.int32)
        self.highs.changeColsBounds(len(cols), cols, self.compiled.col_lower[cols],
                                    self.compiled.col_upper[cols])

    def set_costs(self, costs: np.ndarray) -> None:
        n = self.compiled.num_col
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs.astype(float))

    def set_start(self, values: np.ndarray) -> None:
        sol = highspy.HighsSolution()
        sol.col_value = list(values)
        sol.value_valid = True
        self.highs.setSolution(sol)

    def add_stage_bound(self, stage: str, costs: np.ndarray, limit: float) -> None:
        """Add ``costs @ x <= limit`` (offset excluded) as a row kept for later stages.

        The row is divided by its largest coefficient: the targets stage's
        coefficients are 1 / 11,000 on the example, which HiGHS warns about
        ("excessively small row bounds") and which sat a row at its
        feasibility tolerance.
        """
        costs = np.asarray(costs, dtype=float)
        scale = float(np.abs(costs).max()) if costs.any() else 1.0
        costs, limit = costs / scale, float(limit) / scale
        nz = np.flatnonzero(costs)
        row = self.highs.getNumRow()
        self.highs.addRow(-INF, limit, len(nz), nz.astype(np.int32), costs[nz])
        self.stage_rows.append(StageRow(stage, costs, limit, row))

    def run(self, time_limit: float | None = None, watch: Watch | None = None) -> Answer:
        """Run HiGHS once on the current costs; the answer as HiGHS gives it.

        ``time_limit``: seconds for this run (default: the engine's).  When the
        command line owns Ctrl-C (:data:`~planner.interrupt.INTERRUPT`) or a
        ``watch`` is given, HiGHS runs in a thread of its own and this one
        waits for it: Ctrl-C stops the run through HiGHS's interrupt callbacks
        (keeping its best plan) and the watch shows live figures.
        """
        limit = self.time_limit if time_limit is None else max(1e-9, float(time_limit))
        # HiGHS 1.x measures an LP's time limit on the Highs object's cumulative run
        # clock, but a MIP's from the start of its own run (HiGHS issue #1477): give
        # every run its own seconds.
        if self.integer_now:
            self.highs.setOptionValue("time_limit", limit)
        else:
            self.highs.setOptionValue("time_limit", self.highs.getRunTime() + limit)
        self.highs.setOptionValue("solver", self.method)
        if self.method not in self.methods_used:
            self.methods_used.append(self.method)
        start = time.perf_counter()
        if watch is None and not INTERRUPT.installed:
            self.highs.run()
        else:
            self._run_watched(watch)
        seconds = time.perf_counter() - start
        return self._answer(seconds)

    def _run_watched(self, watch: Watch | None) -> None:
        """Run in HiGHS's own thread; stop it on Ctrl-C; feed the watch."""
        h = self.highs
        live = Live()

        def on_interrupt(event: Any) -> None:  # HiGHS's thread, often: keep it cheap
            out = event.data_out
            if self.integer_now:
                live.update(out.mip_primal_bound, out.mip_dual_bound)
            if INTERRUPT.requested.is_set():
                event.interrupt()

        callbacks = (h.cbMipInterrupt, h.cbSimplexInterrupt, h.cbIpmInterrupt)
        for callback in callbacks:
            callback.subscribe(on_interrupt)
        try:
            with INTERRUPT.solving():
                h.startSolve()
                while True:
                    done, _ = h.wait(0.1)
                    if done:
                        break
                    if watch is not None:
                        watch.tick(live)
        finally:
            for callback in callbacks:
                callback.unsubscribe(on_interrupt)

    def _answer(self, seconds: float) -> Answer:
        h = self.highs
        model_status = h.getModelStatus()
        text = h.modelStatusToString(model_status)
        info = h.getInfo()
        has_point = info.primal_solution_status == _FEASIBLE_POINT
        if model_status == highspy.HighsModelStatus.kOptimal:
            status = Status.OPTIMAL
        elif model_status == highspy.HighsModelStatus.kUnbounded:
            status = Status.UNBOUNDED
        elif model_status in (highspy.HighsModelStatus.kInfeasible,
                              highspy.HighsModelStatus.kUnboundedOrInfeasible):
            status = Status.INFEASIBLE
        elif model_status in _USABLE_LIMITS and has_point:
            status = Status.FEASIBLE
        else:
            status = Status.NO_SOLUTION
        answer = Answer(status, text, seconds)
        if not status.usable:
            return answer
        solution = h.getSolution()
        answer.values = np.asarray(solution.col_value, dtype=float)
        answer.objective = float(info.objective_function_value)
        if self.integer_now:
            bound = float(info.mip_dual_bound)
            answer.bound = bound if math.isfinite(bound) else None
        elif solution.dual_valid:
            answer.row_dual = np.asarray(solution.row_dual, dtype=float)
        return answer

    def snapshot(self, offset: float = 0.0) -> "LpSnapshot":
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
