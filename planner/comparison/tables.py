"""The comparison as tables: every run side by side, and its difference from the base.

The first run is the base; every other run gets a difference column
(``run - base``).  A difference exists only where both figures do: a run
without a plan has blank figures and blank differences, never zeros that
would read as "no change".

- ``summary``: one row per Summary metric (in the order the base gives
  them, then any metric only a later run has), one column per run, then
  one difference column per run after the base.
- ``unmet``: one row per (territory, family) that has demand in any run:
  unmet people at the last year per run, and the differences.  A pair a
  run does not have (another input) counts as 0 unmet in the difference
  (no demand there, nothing unmet) but shows blank in its column.  A
  ``Total`` row ends the table.
- ``headline``: per run, the figures a planner looks at first
  (unmet_people, coverage_percent, cost_eur, cost per person covered) and
  their change, the scenario's edits in one line, sorted by the effect on
  unmet demand (the most removed first, runs without a plan last); the
  charts draw it.  Timings (``*_seconds``) get no difference column: two
  runs' times differ by chance, not by scenario.
- ``status``: per run, its status, exit code, message and file.
- ``edits``: the edit logs of the scenarios, one after the other.

Column names are made from positions (``run_0``, ``diff_1`` ...); the
headers people read are the run labels (see :class:`Comparison`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from planner.comparison.summary import EDIT_LOG_COLUMNS, RunSummary, number

HEADLINE = (("unmet_people", "people"), ("coverage_percent", "points"), ("cost_eur", "EUR"))
"""Headline metrics and the unit of their change."""

COST_PER_PERSON = "cost_per_person_covered_eur"
"""cost_eur / people covered (demand - unmet at the last year)."""

SIGNIFICANT_DIGITS = 15
"""Figures and differences keep this many significant digits: the float noise of a
difference of two sums goes (the cells' formats round what is shown)."""

KEYS = ["territory_id", "family_id"]


@dataclass
class Comparison:
    """The comparison's tables and the labels of the runs (the base first)."""

    labels: list[str]
    summary: pd.DataFrame
    unmet: pd.DataFrame
    headline: pd.DataFrame
    status: pd.DataFrame
    edits: pd.DataFrame

    def value_field(self, k: int) -> str:
        return f"run_{k}"

    def diff_field(self, k: int) -> str:
        return f"diff_{k}"

    def header(self, field: str) -> str:
        """The header people read for a positional field (``run_2`` -> its label)."""
        kind, _, k = field.partition("_")
        label = self.labels[int(k)]
        return label if kind == "run" else f"{label} - {self.labels[0]}"


def run_labels(runs: Sequence[RunSummary]) -> list[str]:
    """Unique labels: the scenario names, made unique with the file name where they repeat."""
    labels: list[str] = []
    for k, run in enumerate(runs):
        label = run.name or f"run {k + 1}"
        if label in labels and run.output:
            label = f"{label} ({Path(run.output).stem})"
        while label in labels:
            label = f"{label} #{k + 1}"
        labels.append(label)
    return labels


def compare(runs: Sequence[RunSummary]) -> Comparison:
    """The comparison of ``runs``; the first is the base."""
    if len(runs) < 1:
        raise ValueError("nothing to compare")
    labels = run_labels(runs)
    return Comparison(labels=labels, summary=summary_table(runs), unmet=unmet_table(runs),
                      headline=headline_table(runs, labels), status=status_table(runs, labels),
                      edits=edits_table(runs, labels))


def _diff(value: float | None, base: float | None, metric: str = "") -> float | None:
    if value is None or base is None or metric.endswith("_seconds"):
        return None
    return rounded(value - base, metric)


def _plain_rounded(value: Any, metric: str) -> Any:
    number_ = number(value)
    return value if number_ is None else rounded(number_, metric)


def rounded(value: float | None, metric: str = "") -> float | None:
    """``value`` without float noise (see :data:`SIGNIFICANT_DIGITS`)."""
    if value is None:
        return None
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def summary_table(runs: Sequence[RunSummary]) -> pd.DataFrame:
    metrics: list[str] = []
    for run in runs:
        metrics += [m for m in run.metrics if m not in metrics]
    frame = pd.DataFrame({"metric": metrics})
    base = runs[0]
    for k, run in enumerate(runs):
        frame[f"run_{k}"] = pd.Series([_plain_rounded(run.metrics.get(m), m) for m in metrics],
                                      dtype=object)
    for k, run in enumerate(runs[1:], start=1):
        frame[f"diff_{k}"] = pd.Series(
            [_diff(run.metric(m) if run.solved else None, base.metric(m) if base.solved
                   else None, m) for m in metrics], dtype=object)
    return frame


def unmet_table(runs: Sequence[RunSummary]) -> pd.DataFrame:
    frames = [r.unmet for r in runs if r.solved and r.unmet is not None and len(r.unmet)]
    columns = ["territory_id", "territory", "family_id", "family", "demand_people"]
    if not frames:
        return pd.DataFrame(columns=columns)
    pairs = (pd.concat(frames, ignore_index=True)
             .drop_duplicates(subset=KEYS, keep="first")[["territory_id", "territory",
                                                          "family_id", "family"]])
    table = pairs.reset_index(drop=True)
    index = pd.MultiIndex.from_frame(table[KEYS])
    base = runs[0]
    base_demand = _by_pair(base, "demand_people", index)
    table["demand_people"] = base_demand
    values: list[np.ndarray] = []
    for k, run in enumerate(runs):
        values.append(_by_pair(run, "unmet_people", index))
        table[f"run_{k}"] = values[k]
    for k, run in enumerate(runs[1:], start=1):
        if run.solved and base.solved:
            table[f"diff_{k}"] = np.nan_to_num(values[k]) - np.nan_to_num(values[0])
        else:
            table[f"diff_{k}"] = np.nan
    total: dict[str, Any] = {"territory_id": "Total", "territory": "", "family_id": "",
                             "family": ""}
    for name in table.columns[4:]:
        known = table[name].notna().any()
        total[name] = float(table[name].sum()) if known else np.nan
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def _by_pair(run: RunSummary, column: str, index: pd.MultiIndex) -> np.ndarray:
    """``column`` of the run's unmet table on ``index`` (NaN where the run has no such pair)."""
    if not run.solved or run.unmet is None or not len(run.unmet):
        return np.full(len(index), np.nan)
    series = run.unmet.groupby(KEYS)[column].sum()
    return series.reindex(index).to_numpy(dtype=float)


def headline_table(runs: Sequence[RunSummary], labels: list[str]) -> pd.DataFrame:
    """One row per run: the headline metrics, their change from the base, and the edits;
    sorted by the change in unmet people (the most removed first; no plan: last)."""
    base = runs[0]
    edits = _edit_lines(runs, labels)
    rows = []
    for label, run in zip(labels, runs):
        row: dict[str, Any] = {"run": label, "status": run.status}
        for metric, unit in HEADLINE:
            value = rounded(run.metric(metric)) if run.solved else None
            row[metric] = value
            row[_change_field(metric, unit)] = _diff(value, rounded(base.metric(metric))
                                                     if base.solved else None, metric)
        row[COST_PER_PERSON] = _cost_per_person(run)
        row["cost_per_person_change_eur"] = _diff(row[COST_PER_PERSON],
                                                  _cost_per_person(base), COST_PER_PERSON)
        row["edits"] = edits.get(label, "")
        rows.append(row)
    frame = pd.DataFrame(rows)
    for name in frame.columns:
        if name not in ("run", "status", "edits"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    change = frame[change_field("unmet_people")]
    order = sorted(range(len(frame)), key=lambda k: (
        pd.isna(change.iloc[k]), 0.0 if pd.isna(change.iloc[k]) else change.iloc[k], k))
    return frame.iloc[order].reset_index(drop=True)


def _cost_per_person(run: RunSummary) -> float | None:
    if not run.solved:
        return None
    cost, demand, unmet = (run.metric("cost_eur"), run.metric("demand_people"),
                           run.metric("unmet_people"))
    if cost is None or demand is None or unmet is None or demand - unmet <= 0:
        return None
    return rounded(cost / (demand - unmet))


def _edit_lines(runs: Sequence[RunSummary], labels: list[str]) -> dict[str, str]:
    """label -> the run's edits in one line (``Trainers.available_hours where skill =
    electrochemistry: scale 1.2 (18 rows)``), or why a run failed."""
    out: dict[str, str] = {}
    for label, run in zip(labels, runs):
        parts = []
        if run.edits is not None and len(run.edits):
            for e in run.edits.to_dict("records"):
                where = _text(e.get("where"))
                changed = e.get("rows_changed")
                count = (f" ({int(changed)} row{'s' if int(changed) != 1 else ''})"
                         if changed is not None and not pd.isna(changed) else "")
                problem = _text(e.get("problem"))
                parts.append(f"{_text(e.get('sheet'))}.{_text(e.get('column'))}"
                             + (f" where {where}" if where and where != "every row" else "")
                             + f": {_text(e.get('operation'))} {_text(e.get('value'))}{count}"
                             + (f" REFUSED: {problem}" if problem else ""))
        elif run.role == "base":
            parts.append("the base: no edit")
        out[label] = "; ".join(parts)
    return out


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _change_field(metric: str, unit: str) -> str:
    stem = metric.rsplit("_", 1)[0]
    return f"{stem}_change_{unit}" if unit != "points" else f"{stem}_change_points"


def change_field(metric: str) -> str:
    """The headline column holding ``metric``'s change from the base."""
    return _change_field(metric, dict(HEADLINE)[metric])


def status_table(runs: Sequence[RunSummary], labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "run": labels,
        "role": [r.role for r in runs],
        "scenario": [r.name for r in runs],
        "status": [r.status for r in runs],
        "interrupted": [bool(r.interrupted) for r in runs],
        "exit_code": [int(r.exit_code) for r in runs],
        "run_seconds": [float(r.seconds) if r.seconds else np.nan for r in runs],
        "result_workbook": [r.output or "" for r in runs],
        "message": [r.message.strip() for r in runs],
    })


def edits_table(runs: Sequence[RunSummary], labels: list[str]) -> pd.DataFrame:
    frames = []
    for label, run in zip(labels, runs):
        if run.edits is None or not len(run.edits):
            continue
        frame = run.edits.copy()
        for column in EDIT_LOG_COLUMNS:
            if column not in frame.columns:
                frame[column] = None
        frame = frame[list(EDIT_LOG_COLUMNS)]
        frame.insert(0, "run", label)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["run", *EDIT_LOG_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    out["rows_changed"] = pd.to_numeric(out["rows_changed"], errors="coerce")
    out["scenarios_row"] = pd.to_numeric(out["scenarios_row"], errors="coerce")
    for column in ("scenario", "sheet", "column", "where", "operation", "value", "change",
                   "problem"):  # text, blank where there is none (never the text "nan")
        out[column] = out[column].map(lambda v: None if v is None or v == "" or (
            isinstance(v, float) and np.isnan(v)) else str(v)).astype(object)
    return out


def headline_values(comparison: Comparison) -> dict[str, dict[str, float | None]]:
    """label -> headline metric -> value (for the command's closing lines)."""
    out: dict[str, dict[str, float | None]] = {}
    for row in comparison.headline.to_dict("records"):
        out[row["run"]] = {m: number(row[m]) for m, _ in HEADLINE}
    return out
