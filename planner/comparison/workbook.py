"""The comparison workbook: the tables of :mod:`planner.comparison.tables` as sheets.

Sheets, each with its header in row 1 so ``pd.read_excel`` reads it:

- ``Summary``: metric, one column per run (headed by its label), then one
  ``<run> - <base>`` column per run after the base;
- ``Charts``: the headline figures per run and their change from the base,
  with native bar charts of the changes (unmet people, coverage points,
  cost; the base's bar is 0 by definition, kept as the reference);
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

from planner.comparison.tables import HEADLINE, Comparison, change_field
from planner.report.charts import bar_chart
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


def write_comparison(path: str | Path, comparison: Comparison, *,
                     inputs: Iterable[str | Path | None] = ()) -> Path:
    """Write ``comparison`` to ``path`` (atomically); ``inputs`` are never overwritten."""
    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, comparison)
    _charts_sheet(book, comparison)
    _unmet_sheet(book, comparison)
    edits = comparison.edits
    _sheet(book, "Edits", [Block(edits) if len(edits) else
                           note_block("No run of this comparison made edits (the scenarios' "
                                      "edit logs are the Edits sheets of their workbooks).")])
    _sheet(book, "Status", [Block(comparison.status)])
    return save_atomically(book, path, inputs=inputs)


def _sheet(book: Workbook, title: str, blocks: list[Block], freeze: str | None = "A2") -> None:
    write_blocks(book.create_sheet(title), blocks, freeze=freeze)


def _positional(comparison: Comparison, frame_columns: Iterable[str]) -> list[str]:
    return [c for c in frame_columns if c.startswith(("run_", "diff_"))]


def _summary_sheet(book: Workbook, comparison: Comparison) -> None:
    frame = comparison.summary
    columns = [Column("metric")]
    for field in _positional(comparison, frame.columns):
        formats = tuple(metric_format(m, v) for m, v in zip(frame["metric"], frame[field]))
        columns.append(Column(field, comparison.header(field), row_formats=formats))
    _sheet(book, "Summary", [Block(frame, columns, autofilter=False)], freeze="B2")


def _unmet_sheet(book: Workbook, comparison: Comparison) -> None:
    frame = comparison.unmet
    if not len(frame):
        _sheet(book, "Unmet", [note_block("No run of this comparison has a plan: there is no "
                                          "unmet demand to compare (see Status).")])
        return
    columns = [Column("territory_id"), Column("territory"), Column("family_id"),
               Column("family"), Column("demand_people", f"demand_people ({comparison.labels[0]})")]
    columns += [Column(f, comparison.header(f), number_format="#,##0.0")
                for f in _positional(comparison, frame.columns)]
    _sheet(book, "Unmet", [Block(frame, columns, bold_last_row=True)], freeze="E2")


def _charts_sheet(book: Workbook, comparison: Comparison) -> None:
    headline = comparison.headline
    ws = book.create_sheet("Charts")
    columns = [Column("run"), Column("status")]
    for metric, _unit in HEADLINE:
        # the charts' labels follow the cells' format (LibreOffice): whole people and EUR
        shown = CHART_TITLES[metric][2]
        columns += [Column(metric, number_format=shown),
                    Column(change_field(metric), number_format=shown)]
    block = Block(headline, columns, autofilter=False)
    write_blocks(ws, [block])
    if len(headline) < 2:
        return
    row = len(headline) + 4
    for metric, (title, axis, number_format) in CHART_TITLES.items():
        chart = bar_chart(ws, block, change_field(metric), "run", title=title,
                          axis_title=axis, number_format=number_format)
        if chart is None:
            continue
        ws.add_chart(chart, f"A{row}")
        row += int(chart.height / 0.5) + 2
