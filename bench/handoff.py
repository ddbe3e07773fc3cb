"""Which Pyomo-to-HiGHS path, which LP algorithm, warm or cold stages: measured (issue 8).

Part 1, hand-off: from the built Pyomo model to a HiGHS model ready to solve,
on the example at N regions, by four routes:

- ``standard form -> highspy``: Pyomo's LinearStandardFormCompiler, matrices
  passed to highspy (the planner's route; all stage objectives at once);
- ``LP file``: Pyomo writes an LP file, highspy reads it;
- ``appsi``: Pyomo's APPSI persistent HiGHS interface (``set_instance``);
- ``contrib.solver``: Pyomo's newer persistent HiGHS interface (``set_instance``).

Part 2, the lexicographic stages with each stage warm-started from the
previous stage's plan against cold starts (MIP), stage by stage.

    python bench/handoff.py --sizes 1 10
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import highspy
from pyomo.common.tee import capture_output

from planner.config import SolveOptions
from planner.data import load
from planner.model import build_model
from planner.solve import HighsEngine, compile_model, solve

from instances import ROOT, instance  # bench/ is on sys.path when run as a script
sys.path.insert(0, str(ROOT))  # tests.helpers, for the warm-up instance



def one_objective(plan):  # noqa: ANN001, ANN201
    """The other routes accept one active objective: keep the first stage's."""
    objectives = list(plan.model.StageObjective.values())
    for obj in objectives[1:]:
        obj.deactivate()
    return objectives


def standard_form(plan) -> float:  # noqa: ANN001
    start = time.perf_counter()
    compiled = compile_model(plan)
    HighsEngine(compiled, SolveOptions(), 60, 0.001)
    return time.perf_counter() - start


def lp_file(plan) -> float:  # noqa: ANN001
    objectives = one_objective(plan)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "model.lp")
        start = time.perf_counter()
        plan.model.write(path, io_options={"symbolic_solver_labels": False})
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(path)
        seconds = time.perf_counter() - start
    for obj in objectives:
        obj.activate()
    return seconds


def persistent(plan, module: str) -> float:  # noqa: ANN001
    objectives = one_objective(plan)
    if module == "appsi":
        from pyomo.contrib.appsi.solvers.highs import Highs
    else:
        from pyomo.contrib.solver.solvers.highs import Highs
    start = time.perf_counter()
    with capture_output():
        Highs().set_instance(plan.model)
    seconds = time.perf_counter() - start
    for obj in objectives:
        obj.activate()
    return seconds


def warm_up() -> None:
    """Import what each route imports once, so no route pays another's imports."""
    from tests.helpers import tiny  # a three-territory instance
    data = tiny()
    standard_form(build_model(data))
    lp_file(build_model(data))
    persistent(build_model(data), "appsi")
    persistent(build_model(data), "contrib")


def handoff(sizes: list[int]) -> list[str]:
    warm_up()
    lines = ["| N | columns | build s | standard form -> highspy | LP file | appsi | "
             "contrib.solver |", "|---|---|---|---|---|---|---|"]
    for size in sizes:
        data = load(instance(size))
        times = {}
        for route in ("standard", "lp", "appsi", "contrib"):
            gc.collect()
            plan = build_model(data)
            if route == "standard":
                times[route] = standard_form(plan)
            elif route == "lp":
                times[route] = lp_file(plan)
            else:
                times[route] = persistent(plan, route)
        columns = len(plan.model.Learners) + len(plan.model.Sessions) + len(plan.model.Hires)
        lines.append(f"| {size} | {columns} | {plan.build_seconds:.2f} | "
                     f"{times['standard']:.2f} | {times['lp']:.2f} | {times['appsi']:.2f} | "
                     f"{times['contrib']:.2f} |")
        print(lines[-1], flush=True)
    return lines


def warm_cold(size: int, time_limit: float | None) -> list[str]:
    data = load(instance(size))
    lines = ["| stage | warm: status | warm: objective | warm: s | cold: status | "
             "cold: objective | cold: s |", "|---|---|---|---|---|---|---|"]
    runs = {}
    for warm in (True, False):
        runs[warm] = solve(build_model(data),
                           SolveOptions(warm_start=warm, time_limit_seconds=time_limit))
    for w, c in zip(runs[True].stages, runs[False].stages):
        lines.append(f"| {w.stage} | {w.status.value} | {_value(w.objective)} | "
                     f"{w.solver_seconds:.2f} | {c.status.value} | {_value(c.objective)} | "
                     f"{c.solver_seconds:.2f} |")
        print(lines[-1], flush=True)
    return lines


def _value(objective: float | None) -> str:
    return "no plan" if objective is None else f"{objective:,.6g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--warm-size", type=int, default=1)
    parser.add_argument("--no-warm", action="store_true", help="skip the warm/cold part")
    args = parser.parse_args(argv)
    report = ["", "## Hand-off: Pyomo model to a HiGHS model ready to solve (seconds)", "",
              *handoff(args.sizes)]
    if not args.no_warm:
        report += ["", f"## Stages warm-started from the previous plan vs cold (MIP, "
                   f"N = {args.warm_size})", "", *warm_cold(args.warm_size, None)]
    report += ["", "Generated by `python bench/handoff.py`."]
    with (ROOT / "bench" / "results.md").open("a") as f:
        f.write("\n".join(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
