"""The lexicographic solve (SPEC 4.4), every stage verified (SPEC 4.6).

For each stage s of ``objective_stages`` in order: set the costs to stage
s, start from the previous stage's plan, solve, verify the answer against
the compiled model, and add the row::

    stage_s(x) <= v_s + stage_tolerance * max(1, |v_s|)

before the next stage.  One HiGHS model serves every stage (no rebuild).

Time: the solve has one budget, ``time_limit_seconds`` x the number of
stages; each stage gets its share of what is left, so the time a quick
stage does not use (the targets stage takes a fraction of a second) goes to
the later ones.  An LP's stages share it equally; a MIP's by
:data:`~planner.config.STAGE_SHARES` (by measurement: timeliness needs
the most, cost the least).

Polish: after each MIP stage the sessions and hires are fixed at the plan
and the stage's objective is minimised over the rest (learner flows,
shortfalls) as an LP, within every earlier stage's bound; the polished
plan is verified and kept when it is better.  On the example the MIP
search of the later stages rarely improves its start within its time; the
LP moves learners to closer sessions (travel 4.19e6 -> 2.19e6
learner-minutes) and to earlier years (timeliness -2 %) in a second.

An answer that fails a check (:mod:`planner.solve.verify`) is not used:
the stage is solved again on a fresh HiGHS model without a start ("cold"),
then cold without presolve; if that fails too the stage is ``unverified``
and there is no plan (exit 4).  From the second stage on, the previous
stage's plan satisfies every row of the stage (it is verified, and the new
bound row holds at it), so it is a witness: a stage that finds nothing
better in its time keeps it (``feasible``), and a claim of infeasibility
is a failed check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from planner.config import Progress, SolveOptions, quiet
from planner.interrupt import INTERRUPT
from planner.model import PlanModel
from planner.solve.compiled import Compiled, compile_model
from planner.solve.engine import Answer, HighsEngine, LpSnapshot
from planner.solve.progress import Watch, gap_text, stage_figure
from planner.solve.verify import Check, Verification, verify
from planner.status import Status

StageStatus = Status
"""The statuses a stage can end with (a subset of :class:`~planner.status.Status`)."""

ATTEMPTS = ("as started", "cold", "cold, no presolve")
"""The runs a stage may take: its first, then again without a start, then without presolve."""
MINIMUM_SHARE = 0.2
"""A stage gets at least this share of time_limit, even when earlier stages overran."""


@dataclass
class StageResult:
    """What one lexicographic stage gave, verified."""

    stage: str
    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    solver_seconds: float
    highs_status: str
    limit_added: float | None = None
    """Right-hand side of the stage bound kept for later stages."""
    verification: Verification | None = None
    """The checks of the answer that was kept (None when no point was returned)."""
    attempts: tuple[str, ...] = ()
    """The runs this stage took (:data:`ATTEMPTS`), with what failed in each retried one."""
    kept_previous: bool = False
    """The stage found nothing better than the previous stage's plan, which it kept."""
    polished_from: float | None = None
    """The stage objective before polishing (None when polishing did not improve it)."""
    polish_seconds: float = 0.0
    """HiGHS's time polishing the stage's plan (included in ``solver_seconds``)."""
    time_limit: float | None = None
    """Seconds this stage was given (its share of the solve's budget)."""

    @property
    def checks(self) -> tuple[Check, ...]:
        return () if self.verification is None else self.verification.checks

    @property
    def verify_seconds(self) -> float:
        return 0.0 if self.verification is None else self.verification.seconds


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
    interrupted: bool = False
    """Ctrl-C stopped the solve: the plan (if any) is the best found until then, and the
    stages after the interrupted one were not solved."""

    @property
    def usable(self) -> bool:
        return self.values is not None

    @property
    def status(self) -> Status:
        for s in self.stages:
            if not s.status.usable:
                return s.status
        if self.interrupted or any(s.status is Status.FEASIBLE for s in self.stages):
            return Status.FEASIBLE
        return Status.OPTIMAL

    @property
    def solver_seconds(self) -> float:
        return sum(s.solver_seconds for s in self.stages)

    @property
    def verify_seconds(self) -> float:
        return sum(s.verify_seconds for s in self.stages)

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


@dataclass
class _Outcome:
    """One stage's verified outcome, before its bound row is added."""

    status: Status
    highs_status: str
    seconds: float
    verification: Verification | None
    attempts: list[str]
    engine: HighsEngine
    kept_previous: bool = False


def _run_verified(engine: HighsEngine, stage: str, costs: np.ndarray, offset: float,
                  witness: np.ndarray | None, options: SolveOptions,
                  progress: Progress, time_limit: float,
                  watch: Watch | None = None) -> _Outcome:
    """Run a stage, verify it, and retry cold (then without presolve) on a failed check.

    ``witness``: the previous stage's verified plan (None for the first
    stage); it is the start of the first run, and the stage's answer when
    the solver finds nothing better.
    """
    attempts: list[str] = []
    seconds = 0.0
    current = engine
    failure = ""
    highs_status = ""
    for k, attempt in enumerate(ATTEMPTS):
        if k:
            progress(f"stage {stage}: the solver's answer failed a check ({failure}); "
                     f"solving again, {attempt}")
            current = engine.fresh(presolve=(attempt != ATTEMPTS[2]))
            if watch is not None:  # the live line counts this run's seconds
                watch.started = time.perf_counter()
        current.set_costs(costs)
        if k == 0 and witness is not None and options.warm_start and current.integer_now:
            current.set_start(witness)
        answer = current.run(time_limit, watch)
        seconds += answer.seconds
        stopped = INTERRUPT.is_requested
        highs_status = answer.highs_status
        attempts.append(attempt)

        def checked(a: Answer) -> Verification:
            return verify(current.compiled, current.stage_rows, costs, offset, a,
                          integer=current.integer_now, gap_asked=current.mip_gap)

        def previous() -> tuple[_Outcome | None, Verification]:
            """The previous stage's plan as this stage's answer, when it passes."""
            assert witness is not None
            kept = checked(_witness_answer(witness, answer))
            held = (_Outcome(Status.FEASIBLE, highs_status, seconds, kept, attempts, current,
                             kept_previous=True) if kept.passed else None)
            return held, kept

        if stopped and not answer.status.usable and witness is None:
            return _Outcome(Status.INTERRUPTED, "interrupted before any plan was found",
                            seconds, None, attempts, current)
        if answer.status.usable:
            result = checked(answer)
            if result.passed:
                if witness is not None and _worse(result, witness, costs, offset):
                    # the solver's plan is worse than the one it started from: keep that one
                    held, _ = previous()
                    if held is not None:
                        return held
                return _Outcome(answer.status, highs_status, seconds, result, attempts,
                                current)
            failure = result.describe()
        elif witness is None:  # the first stage: infeasible, unbounded or no plan, as said
            return _Outcome(answer.status, highs_status, seconds, None, attempts, current)
        elif answer.status is Status.NO_SOLUTION or stopped:  # the previous plan holds
            held, kept = previous()
            if held is not None:
                return held
            failure = kept.describe()
        else:
            failure = (f"status: HiGHS says {answer.status.value} ({answer.highs_status}), "
                       "but the previous stage's plan satisfies every row of this stage")
        attempts[-1] += f" (failed: {failure})"
        if stopped:  # Ctrl-C: no time for another attempt; the previous plan holds if any
            if witness is not None and answer.status.usable:  # (else tried just above)
                held, _ = previous()
                if held is not None:
                    return held
            break
    return _Outcome(Status.UNVERIFIED, f"{highs_status}; unverified: {failure}", seconds,
                    None, attempts, current)


def _polish(engine: HighsEngine, costs: np.ndarray, offset: float, checked: Verification,
            status: Status, time_limit: float) -> tuple[Verification | None, float]:
    """Fix sessions and hires at the plan and solve the stage's LP over the other columns.

    Once the integers are fixed the rest is a transportation-like LP over the
    learner flows (and shortfalls, target gaps): simplex solves it to its
    optimum in a second where the MIP search stopped far from it (on the
    example, travel 4.3e6 -> 2.2e6 learner-minutes with the same sessions).
    The polished plan keeps every row, every earlier stage's bound and the
    stage's own dual bound; it is verified like any answer and kept only when
    it is no worse.  Returns (the polished plan's verification or None, HiGHS
    seconds).
    """
    assert checked.values is not None and checked.objective is not None
    ints = np.flatnonzero(engine.compiled.integer)
    engine.fix(ints, checked.values[ints])
    engine.relax_integrality(True)
    # interior point: at 10 regions 6 s where simplex took 27 s (same plan); at 1 region
    # both take about a second
    method, engine.method = engine.method, "ipm"
    try:
        answer = engine.run(time_limit)
    finally:
        engine.relax_integrality(False)
        engine.unfix(ints)
        engine.method = method
    if answer.status is not Status.OPTIMAL or answer.values is None:
        return None, answer.seconds
    bound = None if checked.bound is None else checked.bound - offset
    claim = Answer(status, answer.highs_status, answer.seconds, values=answer.values,
                   objective=answer.objective, bound=bound)
    result = verify(engine.compiled, engine.stage_rows, costs, offset, claim, integer=True,
                    gap_asked=engine.mip_gap)
    better = (result.objective is not None and result.objective
              < checked.objective - 1e-9 * max(1.0, abs(checked.objective)))
    return (result if result.passed and better else None), answer.seconds


def _worse(result: Verification, witness: np.ndarray, costs: np.ndarray,
           offset: float) -> bool:
    """The verified plan's stage objective is above the witness's (beyond rounding)."""
    assert result.objective is not None
    previous = float(costs @ witness) + offset
    return result.objective > previous + 1e-9 * max(1.0, abs(previous))


def _witness_answer(witness: np.ndarray, answer: Answer) -> Answer:
    """The previous plan as this stage's answer, with the dual bound the run proved."""
    return Answer(Status.FEASIBLE, answer.highs_status, 0.0, values=witness, objective=None,
                  bound=answer.bound)


def solve(plan: PlanModel, options: SolveOptions = SolveOptions(),
          progress: Progress = quiet) -> Solution:
    """Solve the stages of ``objective_stages`` lexicographically, each verified."""
    settings = plan.data.settings
    time_limit = options.time_limit_seconds or settings.time_limit_seconds
    mip_gap = settings.mip_gap if options.mip_gap is None else options.mip_gap
    tolerance = settings.stage_tolerance

    progress("handing the model to HiGHS")
    start = time.perf_counter()
    compiled = compile_model(plan)
    engine = HighsEngine(compiled, options, time_limit, mip_gap)
    handoff = time.perf_counter() - start
    stages = plan.stages
    results: list[StageResult] = []
    values: np.ndarray | None = None
    unmet_lp: LpSnapshot | None = None

    budget = time_limit * len(stages)
    spent = 0.0
    longest_polish = 0.0
    weight = dict(options.stage_shares) if engine.is_mip else {}

    def share(stage: str, left: Sequence[str]) -> float:
        """The stage's share of the budget left to the stages in ``left``."""
        return weight.get(stage, 1.0) / sum(weight.get(s, 1.0) for s in left)

    # Ctrl-C anywhere in the loop (a verification, a polish's set-up) only sets the flag,
    # which each stage reads: the stages already verified are kept
    with INTERRUPT.solving():
        for k, stage in enumerate(stages, start=1):
            label = f"stage {k}/{len(stages)} {stage}"
            costs = compiled.stage_vector(stage)
            offset = compiled.offsets[stage]
            last = k == len(stages)
            if not costs.any() and values is not None:
                results.append(StageResult(stage, Status.OPTIMAL, offset, offset, 0.0, 0.0,
                                           "constant: nothing to optimise"))
                progress(f"{label}: constant {offset:g}, nothing to optimise")
                continue
            limit = (max(budget - spent, 0.0) * share(stage, stages[k - 1:])
                     if options.shared_budget else time_limit)
            limit = max(limit, MINIMUM_SHARE * time_limit)
            # the search leaves room in the stage's share for its polishing LP, which is
            # expected to take as long as the longest so far
            run = max(limit - longest_polish, MINIMUM_SHARE * time_limit)
            progress(f"{label}: solving")
            show = getattr(progress, "live", None)
            watch = None if show is None else Watch(label, stage, offset, run, show)
            outcome = _run_verified(engine, stage, costs, offset, values, options, progress,
                                    run, watch)
            interrupted = INTERRUPT.is_requested
            engine = outcome.engine
            checked = outcome.verification
            seconds = outcome.seconds
            if checked is None or checked.values is None:
                results.append(StageResult(stage, outcome.status, None, None, None,
                                           seconds, outcome.highs_status,
                                           attempts=tuple(outcome.attempts), time_limit=limit))
                progress(f"{label}: {outcome.status.value} ({outcome.highs_status}) "
                         f"after {seconds:.2f} s")
                values = None
                break
            polished_from, polish_seconds = None, 0.0
            if options.polish and engine.integer_now and not interrupted:
                # the LP may take up to a stage's full time whatever the budget left: at 10
                # regions it takes tens of seconds, and it halves the learner-minutes
                polished, polish_seconds = _polish(engine, costs, offset, checked, outcome.status,
                                                   time_limit)
                longest_polish = max(longest_polish, polish_seconds)
                seconds += polish_seconds
                if polished is not None:
                    polished_from, checked = checked.objective, polished
                interrupted = INTERRUPT.is_requested  # Ctrl-C while polishing
            spent += seconds
            values = checked.values
            if stage == "unmet" and not engine.is_mip:
                unmet_lp = engine.snapshot(offset)
            if engine.auto and warm_from_here(stage, stages):
                engine.method = "simplex"
            objective = checked.objective
            assert objective is not None
            limit_kept = objective + tolerance * max(1.0, abs(objective))
            if not last:
                engine.add_stage_bound(stage, costs, limit_kept - offset)
            results.append(StageResult(
                stage, outcome.status, objective, checked.bound, checked.gap, seconds,
                outcome.highs_status, limit_added=None if last else limit_kept,
                verification=checked, attempts=tuple(outcome.attempts),
                kept_previous=outcome.kept_previous, polished_from=polished_from,
                polish_seconds=polish_seconds, time_limit=limit))
            proof = f", {gap_text(checked.gap)}" if engine.is_mip else ""
            polish = ("" if polished_from is None
                      else f" (polished from {stage_figure(stage, polished_from)})")
            progress(f"{label}: {outcome.status.value}, {stage_figure(stage, objective)}{proof}"
                     f"{polish}, {seconds:.1f} s")
            if interrupted:
                progress(f"{label}: stopped by Ctrl-C; the later stages are not solved")
                break

    return Solution(plan=plan, compiled=compiled, stages=results, values=values,
                    build_seconds=plan.build_seconds, handoff_seconds=handoff,
                    engine=engine, lp_method=", then ".join(engine.methods_used),
                    unmet_lp=unmet_lp if values is not None else None,
                    interrupted=INTERRUPT.is_requested)
