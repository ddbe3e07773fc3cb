"""The comparison workbook: the tables of :mod:`planner.comparison.tables` as sheets.

Sheets, each with its header in row 1 so ``pd.read_excel`` reads it:

- ``Summary``: metric, one column per run (headed by its label), then one
  ``<run> - <base>`` column per run after the base;
- ``Charts``: the headline figures per run, their change from the base,
  the cost per person covered and each scenario's edits in one line,
  sorted by the effect on unmet demand, with native bar charts of the
  changes (unmet people, coverage points, cost): better in green, worse in
  red (two series), the base's 0 kept as the reference;
- ``Unmet``: unmet people at the last year by territory x family, per run,
  and the differences, with a ``Total`` row;
- ``Edits``: the edits each scenario made (or why a row was refused);
- ``Status``: each run's status, exit code, message and result workbook.

Cells go through the results workbook's helpers (:mod:`planner.report.table`,
:mod:`planner.report.cells`), and the file through :mod:`planner.xlsx`
(atomic replace, never over a compared or input workbook, never over an
open file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import numpy as np
import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.shapes import GraphicalProperties

from planner.comparison.tables import COST_PER_PERSON, HEADLINE, Comparison, change_field
from planner.report.charts import value_labels
from planner.report.sheets import metric_format
from planner.report.table import Block, Column, note_block, write_blocks
from planner.xlsx import save_atomically

SHEETS = ("Summary", "Charts", "Unmet", "Edits", "Status")
"""Sheets of the comparison workbook, in order (``planner compare`` recognises them)."""

CHART_TITLES = {
    "unmet_people": ("Unmet demand at the last year: change from the base (people)", "people",
                     "#,##0"),
    "coverage_percent": ("Demand covered: change from the base (percentage points)", "points",
                         "0.00"),
    "cost_eur": ("Cost: change from the base (EUR)", "EUR", "#,##0"),
}
EDIT_NOTES = {
    "run": "The run whose edit this is.", "scenario": "Scenario name.",
    "scenarios_row": "Row of the input's Scenarios sheet.", "sheet": "Sheet edited.",
    "column": "Column edited.", "where": "Rows kept (where_column = where_value).",
    "operation": "set, scale or add.", "value": "The edit's value.",
    "rows_changed": "Rows the edit changed.", "change": "Before -> after.",
    "problem": "Why the edit was refused (blank: applied).",
}
STATUS_NOTES = {
    "run": "The run.", "role": "base or scenario.", "scenario": "Scenario name.",
    "status": "optimal, feasible, invalid, infeasible, no solution, not written, internal "
              "error.",
    "exit_code": "The exit code planner solve gives for it.",
    "run_seconds": "The run's own wall time. Unit: s.",
    "result_workbook": "Its result workbook.", "message": "Why it failed, or its warnings.",
}
LOWER_IS_BETTER = {"unmet_people": True, "coverage_percent": False, "cost_eur": True}
BETTER, WORSE = "63BE7B", "F8696B"

NOTES = {
    "metric": "Summary metric (SPEC 5 names).",
    "run": "The run: the base, or a scenario (its name).",
    "status": "optimal or feasible (a plan), or why there is none (see Status).",
    "unmet_people": "People still untrained at the end of the last year. Unit: people.",
    "unmet_change_people": "Change from the base: negative is better (fewer unmet). "
                           "Unit: people.",
    "coverage_percent": "Share of the demand met by the end of the last year. Unit: %.",
    "coverage_change_points": "Change from the base: positive is better. Unit: percentage "
                              "points.",
    "cost_eur": "Total cost over the planning years. Unit: EUR.",
    "cost_change_EUR": "Change from the base: negative is cheaper. Unit: EUR.",
    COST_PER_PERSON: "Cost / people covered (demand - unmet). Unit: EUR per person.",
    "cost_per_person_change_eur": "Change from the base. Unit: EUR per person.",
    "edits": "What the scenario changed, in one line (the Edits sheet has every detail).",
    "territory_id": "Territory identifier.", "territory": "Territory name.",
    "family_id": "Job family identifier.", "family": "Job family name.",
}


def write_comparison(path: str | Path, comparison: Comparison, *,
                     inputs: Iterable[str | Path | None] = ()) -> Path:
    """Write ``comparison`` to ``path`` (atomically); ``inputs`` are never overwritten."""
    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, comparison)
    _charts_sheet(book, comparison)
    _unmet_sheet(book, comparison)
    edits = comparison.edits
    _sheet(book, "Edits", [Block(edits, [Column(str(c), note=EDIT_NOTES.get(str(c), ""))
                                         for c in edits.columns]) if len(edits) else
                           note_block("No run of this comparison made edits (the scenarios' "
                                      "edit logs are the Edits sheets of their workbooks).")])
    _sheet(book, "Status", [Block(comparison.status, [
        Column(str(c), note=STATUS_NOTES.get(str(c), "")) for c in comparison.status.columns])])
    return save_atomically(book, path, inputs=inputs)


def _sheet(book: Workbook, title: str, blocks: list[Block], freeze: str | None = "A2",
           pages_tall: int = 0) -> None:
    ws = book.create_sheet(title)
    _landscape(ws, pages_tall)
    write_blocks(ws, blocks, freeze=freeze)


def _landscape(ws: Worksheet, pages_tall: int = 0) -> None:
    """Landscape, one page wide (and ``pages_tall`` pages tall; 0: as many as needed)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _positional(comparison: Comparison, frame_columns: Iterable[str]) -> list[str]:
    return [c for c in frame_columns if c.startswith(("run_", "diff_"))]


def _summary_sheet(book: Workbook, comparison: Comparison) -> None:
    frame = comparison.summary
    columns = [Column("metric", note=NOTES["metric"])]
    for field in _positional(comparison, frame.columns):
        formats = tuple(_diff_format(m, v) if field.startswith("diff_") else
                        metric_format(m, v) for m, v in zip(frame["metric"], frame[field]))
        columns.append(Column(field, comparison.header(field), row_formats=formats,
                              note=_run_note(comparison, field)))
    _sheet(book, "Summary", [Block(frame, columns, autofilter=False)], freeze="B2")


def _diff_format(metric: str, value: object) -> str | None:
    """A difference's format: a change of a percentage is in points (0.12), not 0.1 %."""
    if metric.endswith("_percent") and isinstance(value, (int, float)):
        return "0.00"
    return metric_format(metric, value)


def _run_note(comparison: Comparison, field: str) -> str:
    kind, _, k = field.partition("_")
    label = comparison.labels[int(k)]
    if kind == "run":
        return f"The figures of run {label}, in the unit each metric names."
    return (f"{label} minus {comparison.labels[0]}; blank for timings (they differ by chance) "
            "and where either run has no plan.")


def _unmet_sheet(book: Workbook, comparison: Comparison) -> None:
    frame = comparison.unmet
    if not len(frame):
        _sheet(book, "Unmet", [note_block("No run of this comparison has a plan: there is no "
                                          "unmet demand to compare (see Status).")])
        return
    columns = [Column(c, note=NOTES[c]) for c in ("territory_id", "territory", "family_id",
                                                  "family")]
    columns.append(Column("demand_people", f"demand_people ({comparison.labels[0]})",
                          note="Cumulative demand to the last year, in the base. Unit: "
                               "people."))
    columns += [Column(f, comparison.header(f), number_format="#,##0",
                       note=("Unmet people at the last year. " if f.startswith("run_")
                             else "Change in unmet people from the base (negative: fewer). ")
                       + "Unit: people.")
                for f in _positional(comparison, frame.columns)]
    _sheet(book, "Unmet", [Block(frame, columns, bold_last_row=True)], freeze="E2")


def _charts_sheet(book: Workbook, comparison: Comparison) -> None:
    headline = comparison.headline
    ws = book.create_sheet("Charts")
    _landscape(ws, pages_tall=1)
    columns = [Column("run", note=NOTES["run"]), Column("status", note=NOTES["status"])]
    for metric, _unit in HEADLINE:
        # the charts' labels follow the cells' format (LibreOffice): whole people and EUR
        shown = CHART_TITLES[metric][2]
        columns += [Column(metric, number_format=shown, note=NOTES[metric]),
                    Column(change_field(metric), number_format=shown,
                           note=NOTES[change_field(metric)])]
    columns += [Column(COST_PER_PERSON, number_format="#,##0", note=NOTES[COST_PER_PERSON]),
                Column("cost_per_person_change_eur", number_format="#,##0",
                       note=NOTES["cost_per_person_change_eur"]),
                Column("edits", note=NOTES["edits"])]
    block = Block(headline, columns, autofilter=False)
    data = _chart_data(headline)
    data_block = Block(data, [Column(c, _data_header(c), number_format=_data_format(c),
                                     note="Chart data: the change split into better and "
                                          "worse, one series each (two colours).")
                              for c in data.columns], autofilter=False)
    write_blocks(ws, [block, data_block], gap=2)
    if len(headline) < 2:
        return
    row = len(headline) + 4
    for metric, (title, axis, number_format) in CHART_TITLES.items():
        chart = _better_worse_chart(ws, data_block, metric, title, axis, number_format)
        ws.add_chart(chart, f"A{row}")
        row += int(chart.height / 0.5) + 2


def _data_header(column: str) -> str:
    """``unmet_better`` -> ``unmet: better`` (the chart's legend)."""
    stem, _, side = column.rpartition("_")
    return column if not stem else f"{stem}: {side}"


def _data_format(column: str) -> str | None:
    return None if column == "label" else ("0.00" if "coverage" in column else "#,##0")


def _chart_data(headline: pd.DataFrame) -> pd.DataFrame:
    """The charts' series: per metric, its change where better, and where worse."""
    data = pd.DataFrame({"label": headline["run"]})
    for metric, _unit in HEADLINE:
        change = headline[change_field(metric)].to_numpy(dtype=float)
        lower = LOWER_IS_BETTER[metric]
        better = np.where((change < 0) if lower else (change > 0), change, np.nan)
        worse = np.where((change > 0) if lower else (change < 0), change, np.nan)
        stem = metric.rsplit("_", 1)[0]
        data[f"{stem}_better"] = better
        data[f"{stem}_worse"] = worse
    return data


def _better_worse_chart(ws: Worksheet, block: Block, metric: str, title: str, axis: str,
                        number_format: str) -> BarChart:
    """Horizontal bars of the change, better in green and worse in red, values labelled.

    Two overlapping series (a run is in one of them), category names at the
    far left, and the value axis padded on both sides so no label runs into
    a name.
    """
    stem = metric.rsplit("_", 1)[0]
    n = len(block.frame)
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = title
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 60
    first = block.first_col
    names = [c.field for c in block.cols()]
    for series_name, colour in (("better", BETTER), ("worse", WORSE)):
        col = first + names.index(f"{stem}_{series_name}")
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n + 1),
                       titles_from_data=True)
        series = chart.series[-1]
        series.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(ws, min_col=first, min_row=2, max_row=n + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # first row (the most improved) on top
    chart.x_axis.tickLblPos = "low"  # names at the far left, clear of negative bars
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.crosses = "max"
    chart.y_axis.title = axis
    chart.y_axis.number_format = number_format
    chart.y_axis.majorGridlines = None
    values = block.frame[[f"{stem}_better", f"{stem}_worse"]].to_numpy(dtype=float)
    top = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
    if top > 0:  # room on both sides for the labels, round ticks
        bound = _round_up(1.3 * top)
        chart.y_axis.scaling.min = -bound
        chart.y_axis.scaling.max = bound
        chart.y_axis.majorUnit = bound / 2
    chart.dataLabels = value_labels(number_format)
    chart.legend.position = "b"
    chart.width = 24
    chart.height = max(7.5, 0.8 * n + 3.5)
    return chart


def _round_up(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least ``value`` (> 0)."""
    power = 10.0 ** np.floor(np.log10(value))
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        if mantissa * power >= value * (1 - 1e-12):
            return float(mantissa * power)
    return float(10 * power)
