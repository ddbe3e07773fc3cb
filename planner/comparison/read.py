"""Read a result workbook back as a :class:`RunSummary`, or say what the file is instead.

``planner compare`` accepts any workbook ``planner solve`` wrote (any
input, any scenario, with or without a plan).  What it needs:

- ``Summary`` with columns ``metric`` and ``value`` (SPEC 5), holding at
  least ``scenario`` and ``status``;
- for a run with a plan, ``Coverage`` (its rows at the last year are the
  unmet demand by territory x family, the figures of the ``Unmet`` sheet);
- a scenario's ``Edits`` sheet when present.

Anything else is refused with what the file looks like: an input workbook
(it has the input's sheets: solve it first), a comparison workbook, or an
unrelated workbook.  The file is opened through the reader's one way in
(:func:`planner.data.read.raw_workbook.open_workbook`: container checks, hostile
XML refused), read-only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from planner.comparison.summary import (EDIT_LOG_COLUMNS, SOLVED, RunSummary, exit_code_of,
                                        unmet_table)
from planner.comparison.workbook import SHEETS as COMPARISON_SHEETS
from planner.data.read.raw_workbook import match_sheets, normalise_header, open_workbook
from planner.errors import InputError
from planner.status import Status

INPUT_MARKERS = ("Settings", "Territories", "Offers", "Demand")


def read_result(path: str | Path) -> RunSummary:
    """The run a result workbook records; :class:`InputError` if it is not one."""
    path = Path(path)
    book = open_workbook(path, read_only=True, data_only=True)
    try:
        titles = list(book.sheetnames)
        if "Summary" not in titles:
            raise InputError(_not_a_result(path, titles))
        summary = _table(book["Summary"])
        if summary is None or not {"metric", "value"} <= set(summary.columns):
            if summary is not None and "metric" in summary.columns and set(
                    COMPARISON_SHEETS) <= set(titles):
                raise InputError(f"{path} is a comparison workbook, not a result workbook: "
                                 "compare the result workbooks it was made from (its Status "
                                 "sheet lists them)")
            raise InputError(f"{path}: its Summary sheet has no metric and value columns, so "
                             "it is not a result workbook of `planner solve`: give the "
                             "workbooks planner solve writes (outputs/<input>__<scenario>.xlsx)")
        metrics = _metrics(summary)
        if "scenario" not in metrics or "status" not in metrics:
            raise InputError(f"{path}: its Summary sheet lacks the scenario and status "
                             "metrics, so it is not a result workbook of `planner solve`")
        status = str(metrics["status"])
        unmet = None
        if status in SOLVED:
            coverage = _table(book["Coverage"]) if "Coverage" in titles else None
            unmet = _unmet(path, coverage)
        edits = _table(book["Edits"]) if "Edits" in titles else None
    finally:
        book.close()
    if edits is not None:
        edits = edits[[c for c in EDIT_LOG_COLUMNS if c in edits.columns]]
    return RunSummary(
        name=str(metrics["scenario"]), role="scenario" if edits is not None else "base",
        status=status, exit_code=exit_code_of(status),
        message="" if status in SOLVED else _no_plan_message(status),
        output=str(path), metrics=metrics, unmet=unmet, edits=edits,
        seconds=float(metrics.get("wall_seconds") or 0.0)
        if isinstance(metrics.get("wall_seconds"), (int, float)) else 0.0)


def _not_a_result(path: Path, titles: list[str]) -> str:
    found = match_sheets(titles).titles
    if any(name in found for name in INPUT_MARKERS):
        sheets = ", ".join(n for n in INPUT_MARKERS if n in found)
        return (f"{path} is an input workbook (it has the sheets {sheets}), not a result "
                f"workbook: solve it first (`planner solve {path}`), then compare the result "
                "workbooks it writes (outputs/<input>__<scenario>.xlsx)")
    return (f"{path} has no Summary sheet, so it is not a result workbook of `planner solve` "
            f"(its sheets: {', '.join(titles[:8])})")


def _table(ws: Any) -> pd.DataFrame | None:
    """A sheet's first block (header in row 1, up to the first empty header) as a frame."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return None
    names: list[str] = []
    for cell in header:
        if cell is None or not str(cell).strip():
            break
        names.append(normalise_header(cell))
    if not names:
        return None
    width = len(names)
    records = [list(r[:width]) + [None] * (width - len(r[:width])) for r in rows
               if any(v is not None for v in r[:width])]
    return pd.DataFrame(records, columns=names)


def _metrics(summary: pd.DataFrame) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for metric, value in zip(summary["metric"], summary["value"]):
        if metric is None or not str(metric).strip():
            continue
        metrics[str(metric).strip()] = value
    return metrics


def _unmet(path: Path, coverage: pd.DataFrame | None) -> pd.DataFrame:
    needed = {"territory_id", "family_id", "year", "cumulative_demand_people",
              "shortfall_people"}
    if coverage is None or not needed <= set(coverage.columns):
        raise InputError(f"{path}: its Summary says it holds a plan but its Coverage sheet is "
                         "missing or incomplete: write it again with `planner solve`")
    years = pd.to_numeric(coverage["year"], errors="coerce")
    last = coverage[years == years.max()]
    frame = pd.DataFrame({
        "territory_id": last["territory_id"].astype(str),
        "family_id": last["family_id"].astype(str),
        "demand_people": pd.to_numeric(last["cumulative_demand_people"], errors="coerce"),
        "unmet_people": pd.to_numeric(last["shortfall_people"], errors="coerce"),
    })
    territories = dict(zip(last["territory_id"].astype(str), last.get("territory", last[
        "territory_id"]).astype(str)))
    families = dict(zip(last["family_id"].astype(str), last.get("family", last[
        "family_id"]).astype(str)))
    return unmet_table(frame, territories, families)


def _no_plan_message(status: str) -> str:
    if status == Status.INFEASIBLE:
        return "no plan: the hard limits conflict (see the workbook's Diagnosis sheet)"
    return f"no plan ({status})"
