"""``planner solve INPUT --all-scenarios``: the base and every scenario, then the comparison.

The parent reads and validates the input once (an invalid base stops
everything: exit 2, nothing solved), checks that the comparison workbook
can be written (not open in Excel, not the input) before any solve, then
hands one :class:`~planner.scenarios.runs.ScenarioTask` per run to the
engine.  Each worker writes its own result workbook; the comparison is
assembled here at the end from the summaries, base first, in the order
of the Scenarios sheet, whatever order the runs finished in.

Exit code (:func:`sweep_exit_code`): a sweep is a success when the base
solved and the comparison was written, even if some scenarios failed: a
failed scenario is a finding, listed on stderr and in the comparison's
Status sheet, not a reason to lose the others.  When the base fails, the
command exits with the base's own code (3 infeasible, 4 no solution, ...),
since every difference is measured from it.  ``--strict`` makes any
failed scenario fail the command too (for CI and scripted checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from planner.comparison.summary import RunSummary
from planner.comparison.tables import Comparison, compare
from planner.comparison.workbook import write_comparison
from planner.config import Progress, SolveOptions, quiet
from planner.errors import InputError
from planner.pipeline import ExplainOptions
from planner.scenarios.edits import scenario_names
from planner.scenarios.engines import DASK, Engine, run_tasks
from planner.scenarios.runs import ScenarioTask, read_base
from planner.status import Status
from planner.xlsx import check_target, comparison_path

SEVERITY = tuple(s.exit_code for s in (Status.INTERNAL, Status.NO_SOLUTION, Status.INFEASIBLE,
                                        Status.INVALID))
"""Exit codes from the worst to the mildest: a bug (1), no solution (4), infeasible (3),
invalid (2)."""


@dataclass
class Sweep:
    """What a sweep did: one summary per run (the base first) and the comparison."""

    runs: list[RunSummary]
    comparison: Comparison
    path: Path

    @property
    def failed(self) -> list[RunSummary]:
        return [r for r in self.runs if not r.solved]


def sweep(input_path: str | Path, output_dir: str | Path, *, engine: Engine = Engine(),
          options: SolveOptions = SolveOptions(), explain: ExplainOptions = ExplainOptions(),
          progress: Progress = quiet) -> Sweep:
    """Solve the base and every scenario of ``input_path`` on ``engine``; write the comparison.

    Raises :class:`~planner.errors.InputError` when the base workbook is
    invalid, has no Scenarios rows, or the comparison cannot be written
    there; a run that fails is a summary with its status, never an error.
    """
    if engine.kind == DASK:  # workers on other machines: no meaning for a relative path
        input_path, output_dir = Path(input_path).resolve(), Path(output_dir).resolve()
    base, _conflicts = read_base(input_path)
    names = scenario_names(base)
    if not names:
        raise InputError(f"{input_path} has no Scenarios rows: there is nothing to sweep",
                         advice="Add rows to its Scenarios sheet (scenario, sheet, column, "
                                "operation, value; see the README's Scenarios section), or "
                                "solve the base alone without --all-scenarios.")
    target = check_target(comparison_path(output_dir, input_path), inputs=(input_path,))
    tasks = [ScenarioTask(str(input_path), None, str(output_dir), options, explain)]
    tasks += [ScenarioTask(str(input_path), name, str(output_dir), options, explain)
              for name in names]
    progress(f"{len(tasks)} runs (the base and {len(names)} scenario"
             f"{'s' if len(names) > 1 else ''}) on {engine.describe()}")
    runs = run_tasks(tasks, engine, progress=progress)
    stopped = [r for r in runs if r.interrupted]
    if stopped:
        progress(f"Ctrl-C: {len(runs) - len(stopped)} run(s) finished, {len(stopped)} "
                 "interrupted; the comparison says which")
    comparison = compare(runs)
    progress(f"writing the comparison {target}")
    written = write_comparison(target, comparison,
                               inputs=[input_path] + [r.output for r in runs])
    return Sweep(runs, comparison, written)


def sweep_exit_code(runs: Sequence[RunSummary], *, strict: bool = False) -> int:
    """0 when the base solved (see the module's docstring); else the base's or the worst code."""
    if any(r.interrupted for r in runs):
        return Status.INTERRUPTED.exit_code
    base = runs[0]
    if not base.solved:
        return base.exit_code or 1
    failed = [r.exit_code or 1 for r in runs[1:] if not r.solved]
    if strict and failed:
        return min(failed, key=lambda code: SEVERITY.index(code) if code in SEVERITY else 0)
    return 0
