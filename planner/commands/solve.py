"""``planner solve INPUT``: solve an input workbook and write the result workbook."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.config import SolveOptions
from planner.errors import InputError
from planner.pipeline import Clock, ExplainOptions, Outcome, read_input, solve_data
from planner.report import output_path

HELP = """\
Solve an input workbook: read and validate it, build the model, solve its
stages in the order of Settings objective_stages, explain what is unmet and
what limits the plan, and write DIR/<input stem>__<scenario>.xlsx.

Read the result: Summary (the headline figures), Unmet (who is left without
training in the last year, and why), Trainers, MarginalValues (which limit
is worth relaxing), and the charts.

Exit codes: 0 solved (a plan stopped by the time limit is written and
flagged NOT PROVEN OPTIMAL); 2 invalid input (run `planner validate`);
3 infeasible (the Diagnosis sheet names the rows in conflict); 4 no plan
from the solver within the limits.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("solve", help="solve an input workbook and write the results",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="INPUT", help="input workbook (.xlsx)")
    p.add_argument("--output-dir", "-o", default="outputs", metavar="DIR",
                   help="folder for the result workbook (default: outputs)")
    p.add_argument("--time-limit", type=float, metavar="S",
                   help="seconds per stage (default: Settings time_limit_seconds)")
    p.add_argument("--mip-gap", type=float, metavar="G",
                   help="relative MIP gap, e.g. 0.01 (default: Settings mip_gap)")
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
    talk = p.add_mutually_exclusive_group()
    talk.add_argument("--verbose", "-v", action="store_true", help="also show HiGHS's log")
    talk.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(run=run)


def _say(quiet: bool):  # noqa: ANN202 - a tiny closure
    def say(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)
    return say


def run(args: argparse.Namespace) -> int:
    for name, value in (("--time-limit", args.time_limit), ("--mip-gap", args.mip_gap)):
        if value is not None and not (value >= 0 and value < float("inf")):
            raise InputError(f"{name} must be a non-negative number, not {value}")
    if args.time_limit is not None and args.time_limit == 0:
        raise InputError("--time-limit must be more than 0 seconds")
    say = _say(args.quiet)
    clock = Clock(say)
    options = SolveOptions(time_limit_seconds=args.time_limit, mip_gap=args.mip_gap,
                           verbose=args.verbose, lp_method=args.lp_method)
    explain = ExplainOptions(marginal_values=not args.no_explain,
                             travel_probes=max(0, args.travel_probes))
    data, conflicts = read_input(args.input, clock)
    target = output_path(args.output_dir, args.input, data.settings.scenario_name)
    outcome = solve_data(data, args.input, target, presolve_conflicts=conflicts,
                         options=options, explain=explain, clock=clock)
    _report(outcome, say)
    if args.timings_json:
        _write_timings(Path(args.timings_json), outcome)
    return 0


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
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2))


def _report(outcome: Outcome, say) -> None:  # noqa: ANN001
    for warning in outcome.warnings:
        print(f"planner: warning: {warning}", file=sys.stderr)
    m = outcome.metrics()
    say(f"done in {outcome.wall_seconds:.1f} s: {outcome.output}")
    say(f"  status {m.get('status')}; unmet at the last year {m.get('unmet_people', 0):,.0f} "
        f"people of {m.get('demand_people', 0):,.0f} (coverage "
        f"{m.get('coverage_percent', 0):.1f} %); cost {m.get('cost_eur', 0):,.0f} EUR")
    say(f"  next: open {Path(outcome.output).name if outcome.output else ''} and read "
        "Summary, Unmet and MarginalValues")
