"""What a comparison needs of one run: small, picklable, the same from a worker or a file.

A worker that solved a scenario returns a :class:`RunSummary` to the
parent (it crosses a process or network boundary, so it holds plain
values and three small tables, never a model); ``planner compare`` builds
the same object by reading a result workbook.  The comparison workbook is
made from a list of them, the first being the base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from planner.data.schema import EDIT_LOG_COLUMNS  # noqa: F401 (re-exported)
from planner.status import Status

SOLVED = tuple(s.value for s in Status if s.usable)
"""Statuses of a run that has a plan (the words of :class:`~planner.status.Status`)."""


def exit_code_of(status: str) -> int:
    """The exit code ``planner solve`` gives for a run that ended with ``status`` (SPEC 2)."""
    try:
        return Status(status).exit_code
    except ValueError:
        return Status.INTERNAL.exit_code

UNMET_COLUMNS = ("territory_id", "territory", "family_id", "family", "demand_people",
                 "unmet_people")
"""Columns of :attr:`RunSummary.unmet`: one row per (territory, family) with demand."""


@dataclass
class RunSummary:
    """One run (the base or a scenario) as the comparison sees it."""

    name: str
    """Scenario name (Settings scenario_name of the run)."""
    role: str
    """``base`` or ``scenario``."""
    status: str
    """``optimal`` / ``feasible`` (a plan), or why there is none (a
    :class:`~planner.status.Status` value)."""
    exit_code: int = 0
    message: str = ""
    """Why it failed and what to do (empty for a solved run), or its warnings."""
    output: str | None = None
    """The run's result workbook, when one was written."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """Summary metric -> value (plain Python values)."""
    unmet: pd.DataFrame | None = None
    """Unmet demand at the last year by territory x family (:data:`UNMET_COLUMNS`)."""
    edits: pd.DataFrame | None = None
    """The scenario's edit log (None for the base)."""
    seconds: float = 0.0
    """The run's own wall time (the worker's, reading to writing)."""
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False
    """Ctrl-C stopped the run: its plan (if any) is the best found until then, or it never
    ran."""

    @property
    def solved(self) -> bool:
        return self.status in SOLVED

    def brief(self) -> str:
        """The message's first line, with the first problem when that line announces a list."""
        lines = [line.strip() for line in self.message.strip().splitlines() if line.strip()]
        if not lines:
            return ""
        if lines[0].endswith(":") and len(lines) > 1:
            return f"{lines[0]} {lines[1]}"
        return lines[0]

    def metric(self, name: str) -> float | None:
        """A numeric metric, or None when absent or not a number."""
        return number(self.metrics.get(name))


def number(value: Any) -> float | None:
    """``value`` as a finite float, else None (text, blanks, NaN, booleans)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    return None


def plain_metrics(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Metric values as plain Python (numpy scalars unwrapped, NaN as None)."""
    out: dict[str, Any] = {}
    for key, value in metrics.items():
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        out[str(key)] = value
    return out


def unmet_table(unmet: pd.DataFrame, territory_names: Mapping[str, str],
                family_names: Mapping[str, str]) -> pd.DataFrame:
    """The comparison's unmet table from a result's ``unmet`` (territory_id, family_id ...)."""
    frame = pd.DataFrame({
        "territory_id": unmet["territory_id"].astype(str).to_numpy(),
        "territory": [territory_names.get(t) or t for t in unmet["territory_id"]],
        "family_id": unmet["family_id"].astype(str).to_numpy(),
        "family": [family_names.get(f) or f for f in unmet["family_id"]],
        "demand_people": pd.to_numeric(unmet["demand_people"]).astype(float).to_numpy(),
        "unmet_people": pd.to_numeric(unmet["unmet_people"]).astype(float).to_numpy(),
    })
    return frame.reset_index(drop=True)
