"""``planner solve INPUT``: solve an input workbook and write the result workbook."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.comparison.summary import RunSummary
from planner.config import SolveOptions
from planner.console import Console
from planner.data.tables import PlanningData
from planner.errors import InputError
from planner.interrupt import EXIT_CODE
from planner.pipeline import Clock, ExplainOptions, Outcome, read_input, solve_data
from planner.report import output_path
from planner.scenarios.edits import scenario_names, unknown_scenario_message
from planner.scenarios.engines import Engine, run_tasks
from planner.scenarios.runs import ScenarioTask, read_base
from planner.scenarios.sweep import sweep, sweep_exit_code
from planner.solve import StageResult

HELP = """\
Solve an input workbook: read and validate it, build the model, solve its
stages in the order of Settings objective_stages, explain what is unmet and
what limits the plan, and write DIR/<input stem>__<scenario>.xlsx.

Read the result: Summary (the headline figures), Unmet (who is left without
training in the last year, and why), Trainers, MarginalValues (which limit
is worth relaxing), and the charts.

Scenarios (rows of the Scenarios sheet): --scenario NAME solves one
scenario (the base data with its edits) into DIR/<stem>__<NAME>.xlsx;
--all-scenarios solves the base and every scenario, one result workbook
each, and writes DIR/<stem>__comparison.xlsx (metrics side by side with
the difference from the base, unmet demand by territory x family, the
edits, each run's status, charts).  A failed scenario does not stop the
others; --workers N solves them in N local processes, --dask-scheduler
ADDRESS on a Dask cluster (pip install 'planner[distributed]').

Exit codes: 0 solved (a plan stopped by the time limit is written and
flagged NOT PROVEN OPTIMAL); 2 invalid input (run `planner validate`);
3 infeasible (the Diagnosis sheet names the rows in conflict); 4 no plan
from the solver within the limits.  With --all-scenarios: 0 when the base
solved and the comparison was written (failed scenarios are listed on
stderr and in the comparison's Status sheet); the base's own code when
the base failed; with --strict, also the worst code of a failed scenario
(1 internal error, then 4, 3, 2).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("solve", help="solve an input workbook and write the results",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="input workbook (.xlsx)")
    p.add_argument("--output-dir", "-o", default="outputs", metavar="DIR",
                   help="folder for the result workbook (default: outputs)")
    p.add_argument("--time-limit", type=float, metavar="S",
                   help="seconds a stage on average: the solve's budget is S x the number "
                        "of stages, time a stage does not use goes to the later ones "
                        "(default: Settings time_limit_seconds)")
    p.add_argument("--mip-gap", type=float, metavar="G",
                   help="relative MIP gap, e.g. 0.01 (default: Settings mip_gap)")
    p.add_argument("--lp", action="store_true",
                   help="solve the LP relaxation (fractional sessions and hires): a fast "
                        "preview; the same as Settings integer_sessions FALSE")
    p.add_argument("--lp-method", choices=("auto", "simplex", "ipm", "choose"), default="auto",
                   help="HiGHS algorithm for LPs (default: auto, chosen by measurement)")
    p.add_argument("--no-explain", action="store_true",
                   help="skip the marginal values (faster; unmet reasons stay)")
    p.add_argument("--travel-probes", type=int, default=5, metavar="N",
                   help="worst-served territories whose travel limit is probed by re-solving "
                        "(default 5; 0 to skip)")
    p.add_argument("--timings-json", metavar="FILE",
                   help="also write the time of each phase (read, validate, build, hand-off, "
                        "each stage, explain, write) to FILE as JSON (used by `make bench`)")
    scen = p.add_argument_group("scenarios (rows of the input's Scenarios sheet)")
    which = scen.add_mutually_exclusive_group()
    which.add_argument("--all-scenarios", action="store_true",
                       help="solve the base and every scenario, then write "
                            "DIR/<stem>__comparison.xlsx")
    which.add_argument("--scenario", metavar="NAME",
                       help="solve one scenario: the base data with that scenario's edits")
    engine = scen.add_mutually_exclusive_group()
    engine.add_argument("--workers", type=int, metavar="N",
                        help="with --all-scenarios: solve in N local processes")
    engine.add_argument("--dask-scheduler", metavar="ADDRESS",
                        help="with --all-scenarios: solve on the Dask cluster whose scheduler "
                             "is at ADDRESS (e.g. tcp://10.0.0.5:8786); workers must see the "
                             "input and output paths")
    scen.add_argument("--strict", action="store_true",
                      help="with --all-scenarios: fail (non-zero exit) when any scenario fails")
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("--verbose", "-v", action="store_true", help="also show HiGHS's log")
    talk.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for name, value in (("--time-limit", args.time_limit), ("--mip-gap", args.mip_gap)):
        if value is not None and not (value >= 0 and value < float("inf")):
            raise InputError(f"{name} must be a non-negative number, not {value}")
    if args.time_limit is not None and args.time_limit == 0:
        raise InputError("--time-limit must be more than 0 seconds")
    console = Console(quiet=args.quiet, verbose=args.verbose)
    say = console.say
    clock = Clock.on(console)
    options = SolveOptions(time_limit_seconds=args.time_limit, mip_gap=args.mip_gap,
                           lp_relaxation=args.lp,
                           verbose=args.verbose, lp_method=args.lp_method)
    explain = ExplainOptions(marginal_values=not args.no_explain,
                             travel_probes=max(0, args.travel_probes))
    if not args.all_scenarios:
        used = [flag for flag, value in (("--workers", args.workers),
                                         ("--dask-scheduler", args.dask_scheduler),
                                         ("--strict", args.strict or None)) if value is not None]
        if used:
            raise InputError(f"{', '.join(used)} applies to --all-scenarios only",
                             advice="Add --all-scenarios, or leave the option out.")
    if args.timings_json and (args.all_scenarios or args.scenario is not None):
        raise InputError("--timings-json applies to a solve of the base alone",
                         advice="Leave out --all-scenarios / --scenario, or --timings-json "
                                "(each result workbook's Run sheet has its phase times).")
    if args.all_scenarios:
        return _run_all(args, options, explain, say, clock)
    if args.scenario is not None:
        return _run_one(args, options, explain, say, clock)
    data, conflicts = read_input(args.input, clock)
    target = output_path(args.output_dir, args.input, data.settings.scenario_name)
    outcome = solve_data(data, args.input, target, presolve_conflicts=conflicts,
                         options=options, explain=explain, clock=clock)
    _report(outcome, say)
    if args.timings_json:
        _write_timings(Path(args.timings_json), outcome)
    return EXIT_CODE if outcome.interrupted else 0


def _write_timings(path: Path, outcome: Outcome) -> None:
    solution = outcome.solution
    record = {
        "scenario": outcome.scenario, "status": outcome.status,
        "wall_seconds": outcome.wall_seconds, "phases": outcome.phases,
        "solver_seconds": solution.solver_seconds if solution else None,
        "lp_method": solution.lp_method if solution else None,
        "columns": solution.compiled.num_col if solution else None,
        "rows": solution.compiled.num_row if solution else None,
        "nonzeros": int(solution.compiled.A.nnz) if solution else None,
        "integer_columns": int(solution.compiled.integer.sum()) if solution else None,
        "verify_seconds": solution.verify_seconds if solution else None,
        "stages": [_stage_record(s) for s in solution.stages] if solution else [],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2))


def _stage_record(stage: StageResult) -> dict[str, object]:
    """One stage for ``--timings-json``: its figures and its checks (SPEC 4.6)."""
    return {
        "stage": stage.stage, "status": stage.status.value, "objective": stage.objective,
        "bound": stage.bound, "gap": stage.gap, "solver_seconds": stage.solver_seconds,
        "verify_seconds": stage.verify_seconds, "attempts": list(stage.attempts),
        "kept_previous_plan": stage.kept_previous, "polished_from": stage.polished_from,
        "polish_seconds": stage.polish_seconds, "time_limit": stage.time_limit,
        "checks": {c.name: {"passed": c.passed, "figure": c.figure, "limit": c.limit,
                            "where": c.where} for c in stage.checks},
    }


def _engine(args: argparse.Namespace) -> Engine:
    if args.workers is not None:
        return Engine.processes(args.workers)
    if args.dask_scheduler is not None:
        return Engine.dask(args.dask_scheduler)
    return Engine.serial()


def _read(args: argparse.Namespace, clock: Clock) -> PlanningData:
    clock(f"reading and validating {args.input}")
    data, _ = read_base(args.input)
    if data.warnings:
        clock(f"{len(data.warnings)} warning(s); `planner validate {args.input}` lists them")
    return data


def _run_one(args: argparse.Namespace, options: SolveOptions, explain: ExplainOptions,
             say, clock: Clock) -> int:  # noqa: ANN001
    """``--scenario NAME``: the same worker as a sweep's, in this process, with its progress."""
    data = _read(args, clock)
    if args.scenario not in scenario_names(data):
        raise InputError(unknown_scenario_message(data, args.scenario))
    task = ScenarioTask(args.input, args.scenario, args.output_dir, options, explain,
                        detail=not args.quiet)
    [summary] = run_tasks([task], Engine.serial())
    if not summary.solved:
        print(f"planner: {summary.message}", file=sys.stderr)
        return summary.exit_code
    for warning in summary.warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)
    say(f"done in {summary.seconds:.1f} s: {summary.output}")
    say("  " + _headline(summary))
    say(f"  next: open {Path(summary.output or '').name} (its Edits sheet lists what the "
        "scenario changed)")
    return 0


def _run_all(args: argparse.Namespace, options: SolveOptions, explain: ExplainOptions,
             say, clock: Clock) -> int:  # noqa: ANN001
    """``--all-scenarios``: base and scenarios, comparison, exit code of :mod:`sweep`."""
    _read(args, clock)
    done = sweep(args.input, args.output_dir, engine=_engine(args), options=options,
                 explain=explain, progress=clock)
    say(f"done in {clock.elapsed:.1f} s: {len(done.runs)} runs, comparison {done.path}")
    width = max(len(label) for label in done.comparison.labels)
    for label, run in zip(done.comparison.labels, done.runs):
        say(f"  {label:<{width}}  " + (_headline(run, done.runs[0]) if run.solved
                                         else run.status.upper()))
    for label, run in zip(done.comparison.labels, done.runs):
        if not run.solved:
            print(f"planner: warning: {run.role} {label!r} failed ({run.status}, exit "
                  f"{run.exit_code}): {run.brief()}", file=sys.stderr)
    if done.failed:
        say(f"  {len(done.failed)} of {len(done.runs)} runs failed: the Status sheet of "
            f"{done.path.name} says why; solve one alone with --scenario NAME for the detail")
    return sweep_exit_code(done.runs, strict=args.strict)


def _headline(run: RunSummary, base: RunSummary | None = None) -> str:
    unmet, coverage = run.metric("unmet_people"), run.metric("coverage_percent")
    cost = run.metric("cost_eur")
    text = (f"{run.status}; unmet {_n(unmet)} people, coverage "
            f"{_n(coverage, '.1f')} %, cost {_n(cost)} EUR")
    if base is not None and base is not run and base.solved and unmet is not None:
        text += f" ({unmet - (base.metric('unmet_people') or 0.0):+,.0f} people vs base)"
    return text


def _n(value: float | None, fmt: str = ",.0f") -> str:
    return "?" if value is None else format(value, fmt)


def _report(outcome: Outcome, say) -> None:  # noqa: ANN001
    for warning in outcome.warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)
    say(f"done in {outcome.wall_seconds:.1f} s: {outcome.output}")
    for line in outcome.briefing:  # the Overview sheet's own words
        say(f"  {line}")
    say(f"  next: open {Path(outcome.output).name if outcome.output else ''}: its Overview "
        "comes first")
