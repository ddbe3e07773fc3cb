"""What a run was: input, settings, versions, solver stages, timings (the ``Run`` sheet).

A result is only as trustworthy as our ability to say where it came from:
the input's SHA-256 tells whether the workbook changed since, the settings
as used and the package versions tell why two runs of the same file may
differ, and the per-stage rows tell how good the plan is (status, bound,
gap) and where the time went.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # only for the types: a run record needs neither the model nor the solver
    from planner.data.tables import PlanningData
    from planner.solve import Solution, StageResult

PACKAGES = ("planner", "pyomo", "highspy", "pandas", "openpyxl", "numpy", "matplotlib")
"""Distributions whose versions a run records (plus Python itself)."""


def file_sha256(path: str | Path, chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks (inputs may be tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def package_versions(packages: Sequence[str] = PACKAGES) -> dict[str, str]:
    """Installed version of each distribution (``"not installed"`` if absent) and Python's."""
    versions: dict[str, str] = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["python"] = platform.python_version()
    return versions


def _finite(value: Any) -> float | None:
    """A float, or None where the solver gave none or an infinite one (no bound yet)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass
class RunRecord:
    """Everything the ``Run`` sheet says about one run.

    ``status`` is the run's overall status (``optimal``, ``feasible``,
    ``infeasible``, ``no solution`` ...).  Times are seconds; ``None`` is
    "not measured" and leaves the cell empty.
    """

    input_path: str | None
    input_sha256: str | None
    scenario: str
    status: str
    settings: list[tuple[str, Any]] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=package_versions)
    stages: list[StageResult] = field(default_factory=list)
    """The solve's stages, with their checks (SPEC 4.6)."""
    build_seconds: float | None = None
    handoff_seconds: float | None = None
    lp_method: str = ""
    wall_seconds: float | None = None
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase of the run (read, validate, build, hand-off, stages, ...)."""
    started_at: str = field(
        default_factory=lambda: dt.datetime.now().astimezone().isoformat(timespec="seconds"))

    @classmethod
    def create(cls, input_path: str | Path | None, data: PlanningData,
               solution: Solution | None = None, *,
               wall_seconds: float | None = None, started_at: str | None = None,
               status: str | None = None) -> "RunRecord":
        """A record from the planning data and (when the solve ran) its solution.

        ``status`` overrides the solution's (e.g. ``"infeasible"`` found
        before any solve); stage bounds and gaps that are not finite (no
        bound proven yet) are recorded as empty.
        """
        path = None if input_path is None else Path(input_path)
        stages = list(solution.stages) if solution is not None else []
        if status is None:
            status = solution.status.value if solution is not None else "not solved"
        record = cls(
            input_path=None if path is None else str(path.resolve()),
            input_sha256=file_sha256(path) if path is not None and path.is_file() else None,
            scenario=data.settings.scenario_name,
            status=status,
            settings=list(data.settings.as_rows()),
            stages=stages,
            build_seconds=None if solution is None else solution.build_seconds,
            handoff_seconds=None if solution is None else solution.handoff_seconds,
            lp_method="" if solution is None else solution.lp_method,
            wall_seconds=wall_seconds,
        )
        if started_at is not None:
            record.started_at = started_at
        return record

    def rows(self) -> list[tuple[str, Any, str]]:
        """(key, value, note) rows: the ``Run`` sheet, one fact per row."""
        rows: list[tuple[str, Any, str]] = [
            ("input_path", self.input_path, "the workbook solved"),
            ("input_sha256", self.input_sha256,
             "changes whenever the input file changes: compare to tell runs apart"),
            ("scenario", self.scenario, ""),
            ("status", self.status, ""),
            ("started_at", self.started_at, "local date and time, ISO 8601"),
            ("wall_seconds", self.wall_seconds, "the whole command, reading to writing"),
            ("build_seconds", self.build_seconds, "building the Pyomo model"),
            ("handoff_seconds", self.handoff_seconds, "model to HiGHS matrices"),
            ("lp_method", self.lp_method, "HiGHS solver option"),
        ]
        for phase, seconds in self.phases.items():
            rows.append((f"phase.{phase}_seconds", seconds, "time of this phase of the run"))
        for key, value in self.settings:
            rows.append((f"setting.{key}", value, "as used (after defaults and scenario edits)"))
        for name, version in self.versions.items():
            rows.append((f"version.{name}", version, ""))
        for k, s in enumerate(self.stages, start=1):
            rows += stage_rows(k, s)
        return rows


def stage_rows(k: int, s: StageResult) -> list[tuple[str, Any, str]]:
    """A stage's figures and the checks of its answer (SPEC 4.6), one fact per row."""
    prefix = f"stage.{k}.{s.stage}"
    rows: list[tuple[str, Any, str]] = [
        (f"{prefix}.status", str(s.status), s.highs_status),
        (f"{prefix}.objective", _finite(s.objective), "recomputed from the plan"),
        (f"{prefix}.bound", _finite(s.bound), "best proven bound; empty when none"),
        (f"{prefix}.gap", _finite(s.gap), "relative gap, recomputed from the plan and bound"),
        (f"{prefix}.solver_seconds", float(s.solver_seconds), "HiGHS's own time"),
        (f"{prefix}.attempts", "; ".join(s.attempts) or None,
         "the runs this stage took: a failed check is solved again cold, then without "
         "presolve"),
    ]
    if s.polished_from is not None:
        rows.append((f"{prefix}.polished_from", s.polished_from,
                     f"the stage's value before polishing ({s.polish_seconds:.1f} s of LP)"))
    if s.kept_previous:
        rows.append((f"{prefix}.kept_previous_plan", True,
                     "the solver found nothing better than the previous stage's plan"))
    for check in s.checks:
        rows.append((f"{prefix}.check.{check.name}", _finite(check.figure),
                     ("passed" if check.passed else "FAILED")
                     + ("" if check.limit is None else f", limit {check.limit:.3g}")
                     + (f"; {check.where}" if check.where else "")))
    if s.verification is not None:
        rows.append((f"{prefix}.verify_seconds", s.verification.seconds,
                     "checking the answer against the compiled model"))
    return rows
