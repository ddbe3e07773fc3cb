"""One run of the planner: read, validate, build, solve, explain, write.

Each phase reports a line of progress and its time.  Failures are the
errors of :mod:`planner.errors`, each owning one exit code: the input is
invalid (2), the hard limits conflict (3, after writing a workbook with
the ``Diagnosis`` sheet), or the solver found no usable plan (4).  A plan
is written only from a usable solution that passes every invariant.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from planner.config import Progress, SolveOptions, quiet
from planner.console import Console
from planner.data.check.issue_report import first_and_rest
from planner.data.loader import check_workbook
from planner.data.read.raw_workbook import read_workbook
from planner.data.tables import PlanningData
from planner.errors import InfeasibleError, InputError, Issue, SolverError
from planner.explain import Explanations
from planner.explain.infeasible import Diagnosis, diagnose
from planner.explain.marginal import marginal_values, relax_unmet
from planner.explain.unmet import unmet_reasons
from planner.interrupt import INTERRUPT, Interrupted
from planner.invariants import plan_violations
from planner.model import build_model
from planner.report import RunRecord, overview_lines, write_results
from planner.results import Results, extract
from planner.solve import Solution, StageStatus, solve
from planner.words import counted


@dataclass(frozen=True)
class ExplainOptions:
    """How much explaining to do after a solve."""

    marginal_values: bool = True
    travel_probes: int = 5
    """Worst-served territories whose travel limit is probed (+15 min) by re-solving."""


@dataclass
class Outcome:
    """What one solved scenario gave (the command line turns errors into exit codes)."""

    scenario: str
    status: str
    output: Path | None
    results: Results | None = None
    solution: Solution | None = field(default=None, repr=False)
    wall_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False
    """Ctrl-C stopped the run: the plan written is the best found until then (exit 130)."""
    briefing: list[str] = field(default_factory=list)
    """The result's Overview in lines (:func:`planner.report.overview_lines`): the command
    line ends with them."""

    def metrics(self) -> dict[str, Any]:
        """The Summary metrics, ``wall_seconds`` included (the run's own figure)."""
        if self.results is None:
            return {}
        found = dict(zip(self.results.summary["metric"], self.results.summary["value"]))
        found["wall_seconds"] = self.wall_seconds
        return found


class Clock:
    """Progress lines with the time since the run started, and the time of each phase.

    ``progress`` takes the steps a planner follows; ``detail`` the figures
    for us (``--verbose``); ``live`` the running stage's figures (a line
    rewritten in place on a terminal, see :mod:`planner.console`).
    """

    def __init__(self, progress: Progress, started: float | None = None, *,
                 detail: Progress | None = None, live: Progress | None = None) -> None:
        self.progress = progress
        self.started = time.perf_counter() if started is None else started
        self.phases: dict[str, float] = {}
        self._detail = detail
        self.live: Progress | None = None if live is None else (
            lambda message: live(self._stamp(message)))

    @classmethod
    def on(cls, console: Console) -> "Clock":
        """A clock that prints through ``console``."""
        return cls(console.say, detail=console.detail, live=console.live)

    def __call__(self, message: str) -> None:
        self.progress(self._stamp(message))

    def detail(self, message: str) -> None:
        if self._detail is not None:
            self._detail(self._stamp(message))

    def _stamp(self, message: str) -> str:
        return f"[{self.elapsed:6.1f} s] {message}"

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block as phase ``name`` (added up if the phase repeats)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.record(name, time.perf_counter() - start)

    def record(self, name: str, seconds: float) -> None:
        self.phases[name] = self.phases.get(name, 0.0) + seconds


SHOWN_ERRORS = 5
"""Errors quoted by ``planner solve`` before pointing at ``planner validate``."""


def read_input(input_path: str | Path, clock: Clock) -> tuple[PlanningData, list[Issue]]:
    """Read and validate; the returned issues are the pre-solve conflicts (if any).

    Raises :class:`InputError` (exit 2) when the workbook breaks the contract.
    """
    clock(f"reading {input_path}")
    with clock.phase("read"):
        raw = read_workbook(input_path)
    clock("validating")
    with clock.phase("validate"):
        data, issues = check_workbook(raw)
    errors = [i for i in issues if i.is_error]
    if data is None:
        shown = "\n".join(first_and_rest(errors, SHOWN_ERRORS))
        raise InputError(f"{input_path}: {counted(len(errors), 'error')} in the input "
                         f"workbook:\n{shown}",
                         issues, advice=f"Run `planner validate {input_path}` for the full "
                         "report, or add `--annotate marked.xlsx` to get a copy with the "
                         "cells marked.")
    warnings = [i for i in issues if not i.is_error]
    if warnings:
        clock(f"{len(warnings)} warning(s); `planner validate {input_path}` lists them")
    return data, errors


def solve_data(data: PlanningData, input_path: str | Path, output: Path, *,
               presolve_conflicts: list[Issue] = (), options: SolveOptions = SolveOptions(),
               explain: ExplainOptions = ExplainOptions(), clock: Clock | None = None,
               edits: pd.DataFrame | None = None) -> Outcome:
    """Solve validated data and write the result workbook to ``output``.

    ``edits``: the edit log of a scenario (:mod:`planner.scenarios.edits`),
    written as the workbook's ``Edits`` sheet so the file says what it is.
    """
    clock = clock or Clock(quiet)
    if options.lp_relaxation:
        data = data.with_settings(integer_sessions=False)
    scenario = data.settings.scenario_name
    if presolve_conflicts:
        _refuse_infeasible(data, input_path, output, None,
                           Diagnosis("presolve", "pre-solve checks of the input",
                                     "The input already shows limits that cannot all hold:",
                                     issues=list(presolve_conflicts)), clock, edits)

    clock("building the model")  # at 40 regions, half a minute with the hand-off
    plan = build_model(data)
    clock.record("build", plan.build_seconds)
    clock.detail(f"built the model in {plan.build_seconds:.2f} s ({_size(plan)})")
    started = time.perf_counter()
    solution = solve(plan, options, progress=clock)
    around = (time.perf_counter() - started - solution.handoff_seconds
              - solution.solver_seconds - solution.verify_seconds)
    clock.record("handoff", solution.handoff_seconds)
    for stage in solution.stages:
        clock.record(f"stage_{stage.stage}", stage.solver_seconds)
    clock.record("verify", solution.verify_seconds)
    clock.record("between_stages", around)
    clock.detail(f"hand-off to HiGHS {solution.handoff_seconds:.2f} s, "
                 f"HiGHS {solution.solver_seconds:.2f} s over {len(solution.stages)} stage(s)")
    if solution.interrupted and not solution.usable:
        raise Interrupted("interrupted before any plan was found")
    failed = next((s for s in solution.stages if not s.status.usable), None)
    if failed is not None and failed.status is StageStatus.INFEASIBLE:
        _refuse_infeasible(data, input_path, output, solution, diagnose(solution), clock, edits)
    if failed is not None and failed.status is StageStatus.UNVERIFIED:
        raise SolverError(
            f"stage '{failed.stage}': the solver's answer failed the planner's checks, "
            f"also when solved again ({'; '.join(failed.attempts)}); no plan was written",
            advice="This is a fault of the solver (HiGHS), not of your workbook: a plan it "
                   "calls optimal is not one. Reinstall the tested versions (`make test` or "
                   "`pip install -r requirements/lock.txt`), or try a larger --mip-gap, "
                   "and report the input to the planner's maintainers.",
            status=StageStatus.UNVERIFIED)
    if failed is not None:
        raise SolverError(
            f"stage '{failed.stage}' ended with {failed.status.value} ({failed.highs_status}); "
            "no plan was written",
            advice=_no_solution_advice(failed.status, options, data))

    interrupted = solution.interrupted
    with clock.phase("extract"):
        results = extract(solution, interrupted=interrupted)
    with clock.phase("invariants"):
        violations = plan_violations(solution, results)
    if violations:
        raise SolverError(
            "the solver's plan breaks the model's own limits (numerical trouble): "
            + "; ".join(violations[:3]),
            advice="Try a smaller --mip-gap or integer_sessions FALSE, and report the input "
                   "to the planner's maintainers.")
    with clock.phase("explain"):
        explanations = None
        if not interrupted:
            try:
                explanations = _explain(solution, results, explain, clock)
            except Interrupted:
                interrupted = True
        if explanations is None:  # Ctrl-C: the plan found so far, explained only cheaply
            clock("interrupted: writing the plan without the marginal values")
            explanations = Explanations(unmet_reasons(solution, results))

    wall = clock.elapsed
    run = RunRecord.create(input_path, data, solution, wall_seconds=wall)
    run.phases = dict(clock.phases)
    clock(f"writing {output}" + (" (it replaces the previous result)" if output.exists()
                                 else ""))
    with clock.phase("write"):
        write_results(output, data, results, run, explanations=explanations, edits=edits)
    outcome = Outcome(scenario, solution.status.value, output, results, solution,
                      wall_seconds=clock.elapsed, phases=dict(clock.phases),
                      interrupted=interrupted,
                      briefing=overview_lines(results, run, explanations, data))
    if solution.interrupted:
        outcome.warnings.append(
            "INTERRUPTED: Ctrl-C stopped the solve; the plan written is the best found so far "
            "(Summary interrupted TRUE, status feasible).")
    elif interrupted:
        outcome.warnings.append(
            "INTERRUPTED: Ctrl-C stopped the explanations; the plan written is complete, "
            "without the marginal values.")
    if not solution.interrupted and solution.status is StageStatus.FEASIBLE:
        gap = solution.mip_gap
        outcome.warnings.append(
            "NOT PROVEN OPTIMAL: a limit stopped the search; the largest gap is "
            + ("unknown" if gap is None else f"{gap:.2%}")
            + " (see Summary mip_gap). Raise --time-limit to close it.")
    return outcome


def _explain(solution: Solution, results: Results, explain: ExplainOptions,
             clock: Clock) -> Explanations:
    """Unmet reasons and (unless switched off) marginal values, from the LP relaxation."""
    if not explain.marginal_values:
        return Explanations(unmet_reasons(solution, results))
    clock("explaining what limits the plan")
    clock.detail("explaining: LP relaxation of the unmet stage, unmet reasons, marginal values")
    relaxation = relax_unmet(solution)
    INTERRUPT.check()
    reasons = unmet_reasons(solution, results, relaxation)
    values = marginal_values(solution, results, relaxation,
                             travel_territories=explain.travel_probes, progress=clock.detail)
    INTERRUPT.check()
    return Explanations(reasons, values)


def _size(plan: Any) -> str:
    m = plan.model
    return (f"{len(m.Sessions)} session, {len(m.Learners)} learner, {len(m.Hires)} hiring "
            f"variables")


def _refuse_infeasible(data: PlanningData, input_path: str | Path, output: Path,
                       solution: Solution | None, diagnosis: Diagnosis, clock: Clock,
                       edits: pd.DataFrame | None = None) -> None:
    run = RunRecord.create(input_path, data, solution, wall_seconds=clock.elapsed,
                           status="infeasible")
    clock(f"infeasible: writing the diagnosis to {output}")
    write_results(output, data, None, run, diagnosis=diagnosis.table(), edits=edits)
    raise InfeasibleError(
        f"no plan can satisfy the hard limits.\n{diagnosis.text()}",
        diagnosis,
        advice=f"The Diagnosis sheet of {output} lists the input rows involved: relax one of "
               "the limits named (e.g. fewer committed sessions, more trainer hours, a larger "
               "capacity or budget) and solve again.")


def _no_solution_advice(status: StageStatus, options: SolveOptions, data: PlanningData) -> str:
    limit = options.time_limit_seconds or data.settings.time_limit_seconds
    if status is StageStatus.UNBOUNDED:
        return ("The model is unbounded, which the input should never allow: please report "
                "the input to the planner's maintainers.")
    return (f"No plan was found within the time limit ({limit:g} s per stage). Raise it with "
            f"--time-limit (e.g. --time-limit {limit * 4:g}), relax the gap with --mip-gap "
            "(e.g. 0.01), or solve the LP first with integer_sessions FALSE in Settings.")
