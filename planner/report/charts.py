"""Native Excel charts: unmet demand by territory, coverage by family.

Native charts (not pictures) so a planner can restyle them, and because
they stay linked to the small tables beside them on the ``Charts`` sheet.
Only standard chart types and features (clustered bars, axis titles, data
labels, a reversed category axis) so LibreOffice draws them as Excel does.

openpyxl >= 3.1 leaves ``<c:delete>`` out of the axes, which recent Excel
reads as "axis deleted": every axis sets ``delete = False`` explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.worksheet import Worksheet

from planner.report.table import Block, Column
from planner.report.sheets import short_labels

MAX_BARS = 30
"""Territories shown in the unmet chart (the table beside it lists them all)."""


@dataclass(frozen=True)
class ChartTables:
    """The data the charts draw, as blocks for the ``Charts`` sheet."""

    by_territory: Block
    by_family: Block
    last_year: int


def chart_tables(unmet: pd.DataFrame, territory_names: dict[str, str],
                 family_names: dict[str, str], last_year: int) -> ChartTables:
    """Unmet people by territory (largest first) and coverage by family, at last_year."""
    t = (unmet.groupby("territory_id", sort=False)[["demand_people", "unmet_people"]].sum()
         .reset_index())
    t.insert(1, "territory", [territory_names.get(k, k) for k in t["territory_id"]])
    t = t.sort_values(["unmet_people", "territory_id"], ascending=[False, True],
                      kind="stable").reset_index(drop=True)
    f = (unmet.groupby("family_id", sort=False)[["demand_people", "unmet_people"]].sum()
         .reset_index())
    labels = short_labels(list(f["family_id"]), family_names)
    f.insert(1, "family_label", [labels[k] for k in f["family_id"]])
    demand = f["demand_people"].to_numpy(float)
    share = np.divide(f["unmet_people"].to_numpy(float), demand,
                      out=np.zeros_like(demand), where=demand > 0)
    f["covered_percent"] = 100.0 * (1.0 - share)
    f = f.sort_values(["covered_percent", "family_id"], kind="stable").reset_index(drop=True)
    whole = "#,##0"
    return ChartTables(
        by_territory=Block(t, [Column("territory_id"), Column("territory"),
                               Column("unmet_people", number_format=whole),
                               Column("demand_people", number_format=whole)],
                           autofilter=False),
        by_family=Block(f, [Column("family_id"), Column("family_label"),
                            Column("covered_percent"),
                            Column("unmet_people", number_format=whole),
                            Column("demand_people", number_format=whole)],
                        autofilter=False, shade=("covered_percent",)),
        last_year=last_year,
    )


def _column(block: Block, field: str) -> int:
    return block.first_col + [c.field for c in block.cols()].index(field)


def _visible_axes(chart: BarChart) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def unmet_chart(ws: Worksheet, tables: ChartTables) -> BarChart | None:
    """Horizontal bars, largest unmet demand on top, values labelled; None without territory."""
    block = tables.by_territory
    n = min(len(block.frame), MAX_BARS)
    if n == 0:
        return None
    more = f", largest {n} of {len(block.frame)}" if len(block.frame) > n else ""
    chart = _bars(ws, block, "unmet_people", "territory", n, kind="bar",
                  title=f"Unmet demand at the end of {tables.last_year} (people{more})")
    chart.gapWidth = 50
    chart.x_axis.scaling.orientation = "maxMin"  # first row (largest) at the top
    chart.y_axis.crosses = "max"  # ... and the value axis at the bottom (the last category)
    chart.y_axis.title = "people"
    chart.y_axis.number_format = "#,##0"
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorGridlines = None
    chart.dataLabels = value_labels("#,##0")
    chart.height = max(7.5, 0.55 * n + 3.0)
    return chart


def coverage_chart(ws: Worksheet, tables: ChartTables) -> BarChart | None:
    """Horizontal bars of covered % per family (least covered on top), short names, labelled."""
    block = tables.by_family
    n = len(block.frame)
    if n == 0:
        return None
    chart = _bars(ws, block, "covered_percent", "family_label", n, kind="bar",
                  title=f"Demand covered by the end of {tables.last_year}, "
                        "by job family (%)")
    chart.gapWidth = 50
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.title = "% of demand met"
    chart.y_axis.number_format = "0"
    chart.y_axis.majorGridlines = None
    chart.dataLabels = value_labels('0.0"%"')
    chart.height = max(7.5, 0.6 * n + 3.0)
    return chart


def _bars(ws: Worksheet, block: Block, value_field: str, category_field: str, n: int, *,
          kind: str, title: str) -> BarChart:
    """A bar (``bar``) or column (``col``) chart of the block's first ``n`` rows, no legend."""
    chart = BarChart()
    chart.type = kind
    chart.style = 10
    chart.title = title
    chart.add_data(Reference(ws, min_col=_column(block, value_field), min_row=1,
                             max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=_column(block, category_field), min_row=2,
                                   max_row=n + 1))
    chart.legend = None
    _visible_axes(chart)
    chart.width = 18
    return chart


def value_labels(number_format: str) -> DataLabelList:
    # every flag explicit: LibreOffice shows what is left unset (legend key, names)
    return DataLabelList(showVal=True, showCatName=False, showSerName=False,
                         showLegendKey=False, showPercent=False, showBubbleSize=False,
                         numFmt=number_format)


def add_charts(ws: Worksheet, tables: ChartTables, anchor_col: str) -> list[BarChart]:
    """Both charts, stacked in column ``anchor_col`` beside their tables."""
    charts: list[BarChart] = []
    row = 2
    for make in (unmet_chart, coverage_chart):
        chart = make(ws, tables)
        if chart is None:
            continue
        ws.add_chart(chart, f"{anchor_col}{row}")
        charts.append(chart)
        row += int(chart.height / 0.5) + 2  # default rows are ~0.5 cm high
    return charts
