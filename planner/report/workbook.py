"""The results workbook of SPEC 5: every sheet, charts, map, written safely.

:func:`write_results` is the one entry point.  With a plan it writes::

    Overview, Summary, Charts, Map, Unmet, Coverage, Sessions, Pipeline, Flows,
    Trainers, Organisations, Programmes, MarginalValues, Run, Guide

``Overview`` is the briefing (:mod:`planner.report.overview`), ``Summary``
keeps the SPEC's metric names for programs, ``Guide`` explains every sheet
and column; every header carries its column's meaning and unit as a
comment, all from one declaration (:mod:`planner.report.columns`).

and without one (infeasible, no solution in time) only ``Summary`` (scenario,
status, the stages reached), ``Diagnosis`` (the caller's rows) and ``Run``:
a planner must never mistake a failed run's workbook for a plan.

The workbook is built in openpyxl's write-only mode by default (rows are
streamed, charts and images still work).  ``bench/report_write.py`` on
50,000 flow rows plus 5,000-row Sessions and Coverage (~765,000 cells,
2-core machine): write-only 7.0 s, normal mode 9.1 s, and memory
stays flat.  Most of it is openpyxl serialising cells one by one (about
5 us for a plain cell, 11 us for a styled one), hence formats only where
they change what is shown.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment

from planner.report.charts import add_charts, chart_tables
from planner.report.run import RunRecord
from planner.xlsx import atomic_target, check_target, output_path  # noqa: F401 (re-exported)
from planner.report.cells import link_cell, note_comment
from planner.report.columns import column_note
from planner.report.overview import overview
from planner.report.sheets import (coverage_block, diagnosis_block, flows_block, guide_block,
                                   marginal_values_block, names, no_plan_summary_block,
                                   organisations_block, pipeline_block, programmes_block,
                                   run_block,
                                   sessions_block, summary_block, trainers_block, unmet_blocks)
from planner.report.table import Block, Column, write_blocks
from planner.report.territory_map import render_map

if TYPE_CHECKING:  # the report needs no solver at run time, only the tables' shape
    from planner.data.tables import PlanningData
    from planner.explain import Explanations
    from planner.results import Results

PLAN_SHEETS = ("Overview", "Summary", "Charts", "Map", "Unmet", "Coverage", "Sessions",
               "Pipeline", "Flows", "Trainers", "Organisations", "Programmes", "MarginalValues",
               "Run", "Guide")
"""Sheets of a workbook with a plan, in order."""

NO_PLAN_SHEETS = ("Summary", "Diagnosis", "Run")
"""Sheets of a workbook without a plan."""

EDITS_SHEET = "Edits"
"""A scenario's result workbook ends with the edits that made it (after either list)."""


def write_results(path: str | Path, data: PlanningData, results: Results | None,
                  run: RunRecord, *, explanations: Explanations | None = None,
                  diagnosis: pd.DataFrame | None = None, write_only: bool = True,
                  draw_map: bool = True, edits: pd.DataFrame | None = None) -> Path:
    """Write the results workbook to ``path`` and return it.

    ``data`` is the :class:`~planner.data.tables.PlanningData` solved,
    ``results`` the :class:`~planner.results.Results` of the plan, or
    ``None`` when there is no plan (then ``diagnosis`` gives the rows of
    the Diagnosis sheet); ``explanations`` the unmet reasons and marginal
    values, when computed.  Refuses (:class:`~planner.xlsx.OutputRefused`,
    exit 2) a target that is the input or is open; the previous file at
    ``path`` survives any failure.  ``draw_map=False`` leaves the map out
    (with a note), e.g. for quick tests.  ``edits``: a scenario's edit log,
    written last as the ``Edits`` sheet (the base has none).
    """
    target = check_target(path, inputs=(run.input_path, getattr(data, "source", None)))
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    try:
        if results is None:
            _no_plan(book, run, diagnosis)
        else:
            _plan(book, data, results, run, explanations, draw_map=draw_map)
        if edits is not None:
            _sheet(book, EDITS_SHEET, [Block(edits.reset_index(drop=True))])
        with atomic_target(target) as tmp:
            book.save(tmp)
    except BaseException:
        _discard(book)
        raise
    return target


def _discard(book: Workbook) -> None:
    """Close a failed write-only workbook's sheet streams and remove their temporary files.

    openpyxl streams each write-only sheet to a temporary file of its own
    and removes it only when saving (or at interpreter exit, with noisy
    errors from half-closed generators).  Best effort: this runs while
    another exception is on its way up.
    """
    for ws in book.worksheets:
        rows = getattr(ws, "_rows", None)
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
                writer.cleanup()


def _sheet(book: Workbook, title: str, blocks: list[Block], *, freeze: str | None = "A2",
           one_page: bool = False, page_wide: bool = False) -> Any:
    ws = book.create_sheet(title)
    if one_page:
        _print_on_one_page(ws)
    elif page_wide:
        _print_one_page_wide(ws)
    write_blocks(ws, blocks, freeze=freeze, declared_sheet=title)
    return ws


def _no_plan(book: Workbook, run: RunRecord, diagnosis: pd.DataFrame | None) -> None:
    _sheet(book, "Summary", [no_plan_summary_block(run)])
    _sheet(book, "Diagnosis", [diagnosis_block(diagnosis)])
    _sheet(book, "Run", [run_block(run)])


def _plan(book: Workbook, data: PlanningData, results: Results, run: RunRecord,
          explanations: Explanations | None, *, draw_map: bool) -> None:
    tn = names(data.territories, "territory_id")
    fn = names(data.families, "family_id")
    last_year = int(data.settings.last_year)

    _overview_sheet(book, overview(results, run, explanations, data))
    _sheet(book, "Summary", [summary_block(results.summary, run)], one_page=True)

    tables = chart_tables(results.unmet, tn, fn, last_year)
    ws = _sheet(book, "Charts", [tables.by_territory, tables.by_family], one_page=True)
    add_charts(ws, tables, anchor_col="L")

    _map_sheet(book, data, results, last_year, draw_map)

    reasons = (pd.Series("", index=results.unmet.index) if explanations is None
               else explanations.unmet_reasons)
    unmet = results.unmet.assign(reason=reasons)
    blocks = unmet_blocks(unmet, tn, fn, list(data.territories["territory_id"]),
                          list(data.families["family_id"]), last_year=last_year,
                          causes=_causes(reasons))
    ws = _sheet(book, "Unmet", blocks, freeze="C2", page_wide=True)
    grid = blocks[0]  # printed: the grid on one page width (the list is read on screen)
    ws.print_area = f"A1:{grid.letter(grid.cols()[-1].field)}{len(grid.frame) + 1}"
    _sheet(book, "Coverage", [coverage_block(results.coverage, tn, fn)])
    _sheet(book, "Sessions", [sessions_block(results.sessions, tn, fn)])
    _sheet(book, "Pipeline", [pipeline_block(results.pipeline)])
    _sheet(book, "Flows", [flows_block(results.flows, tn)])
    _sheet(book, "Trainers", [trainers_block(results.trainers, results.hires, tn)])
    _sheet(book, "Organisations", [organisations_block(results.sites, data.organisations, tn)])
    _sheet(book, "Programmes", [programmes_block(results.programmes)])
    _sheet(book, "MarginalValues", [marginal_values_block(
        None if explanations is None else explanations.marginal_values)], freeze="D2",
        page_wide=True)
    _sheet(book, "Run", [run_block(run)])
    _sheet(book, "Guide", [guide_block()], page_wide=True)


def _causes(reasons: pd.Series) -> pd.Series:
    """Each reason's main cause, in words (imported here: it needs the solver's modules)."""
    from planner.explain.unmet import main_cause
    return reasons.fillna("").map(main_cause)


OVERVIEW_WIDTHS = {"A": 26, "B": 110, "C": 16}


def _overview_sheet(book: Workbook, lines: list[Any]) -> None:
    """The briefing: topic, what it says (wrapped), and a link to the sheet with the detail.

    Written cell by cell (a few rows): bold topics, wrapped text, links, one font.
    """
    ws = book.create_sheet("Overview")
    _print_on_one_page(ws)
    for letter, width in OVERVIEW_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    from planner.report.cells import header_cell
    ws.append([header_cell(ws, name, column_note("Overview", name))
               for name in ("topic", "says", "see")])
    from planner.report.cells import cell
    from planner.report.table import LINE_POINTS, text_lines
    for k, line in enumerate(lines, start=2):
        needed = text_lines(line.says, OVERVIEW_WIDTHS["B"])
        if needed > 1:
            ws.row_dimensions[k].height = LINE_POINTS * needed + 2
        topic = cell(ws, line.topic, bold=True)  # text from the input stays text
        topic.alignment = Alignment(vertical="top")
        says = cell(ws, line.says, wrap=True)
        see = link_cell(ws, line.see, line.see) if line.see else None
        ws.append([topic, says, see])
    ws.append([])
    end = cell(ws, "Every sheet", bold=True)
    text = cell(ws, "What each sheet and column means: the Guide sheet, and the comment on "
                "every column header.", wrap=True)
    text.comment = note_comment("Point at a header to read its meaning and unit.")
    ws.append([end, text, link_cell(ws, "Guide", "Guide")])


def _map_sheet(book: Workbook, data: PlanningData, results: Results, last_year: int,
               draw_map: bool) -> None:
    """The territory map as a picture under notes saying how to read it (or why it is absent)."""
    if draw_map:
        unmet = results.unmet.groupby("territory_id")["unmet_people"].sum()
        drawn = render_map(data.territories, unmet, data.organisations, last_year=last_year)
        png, notes = drawn.png, list(drawn.notes)
    else:
        png, notes = None, ["No map: drawing was switched off for this run."]
    ws = _sheet(book, "Map", [Block(pd.DataFrame({"note": notes}),
                                    [Column("note", wrap=True)], autofilter=False)],
                freeze=None, one_page=True)
    if png is not None:
        ws.add_image(Image(io.BytesIO(png)), f"A{len(notes) + 3}")


def _print_one_page_wide(ws: Any) -> None:
    """Landscape, as wide as one page and as many pages tall as the rows need."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _print_on_one_page(ws: Any) -> None:
    """Landscape, fitted to one page: the picture sheets are the ones planners print.

    Set before the first row: a write-only sheet writes its properties then.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

