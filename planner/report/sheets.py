"""What each sheet of the results workbook holds (SPEC 5), as blocks to write.

Column names are the result tables' own (``snake_case`` with the unit as
suffix: ``cost_eur``, ``fill_percent``, ``demand_people``,
``available_hours``), the same vocabulary as the Summary metrics, so a
program reads any sheet with ``pd.read_excel`` and gets the result
table's columns back; a few columns are renamed where the sheet needs
more precision (Flows: ``home_territory_id``, ``travel_minutes``).  Names
next to identifiers (``territory``, ``family``, ``organisation``) are for
people and come from the input.

Nothing here touches cells: :mod:`planner.report.table` writes blocks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.report.cells import SIGNIFICANT
from planner.report.columns import guide_rows
from planner.report.run import RunRecord
from planner.report.table import (FINE, PERCENT, SECONDS, WHOLE, Block, Column, note_block)

MARGINAL_VALUES_PENDING = ("Not computed in this run (--no-explain, or Ctrl-C stopped the "
                           "explanations): solve again without --no-explain to rank the limits "
                           "worth relaxing.")


def names(frame: pd.DataFrame, key: str) -> dict[str, str]:
    """id -> name from an input table (the id where the name is blank)."""
    out: dict[str, str] = {}
    for k, v in zip(frame[key], frame["name"]):
        out[k] = v if isinstance(v, str) and v else k
    return out


def _cols(*fields: str, rename: dict[str, str] | None = None) -> list[Column]:
    rename = rename or {}
    return [Column(f, rename.get(f)) for f in fields]


# --- Summary -----------------------------------------------------------------

def metric_format(metric: str, value: Any) -> str | None:
    """The format of one Summary value: whole people, EUR and minutes, one decimal of %,
    four of a gap or a target share, seconds to the hundredth."""
    if not isinstance(value, (int, float, np.number)) or isinstance(value, (bool, np.bool_)):
        return None
    if metric in ("stage_targets", "mip_gap") or metric.endswith("gap"):
        return FINE  # a sum of shares of targets: 0.0012 must not show as 0.00
    if metric.endswith("_seconds"):
        return SECONDS
    if metric.endswith("_percent"):
        return PERCENT
    v = float(value)
    if abs(v) >= 100 or abs(v - round(v)) <= 1e-6 * max(1.0, abs(v)):
        return WHOLE
    return SIGNIFICANT


def summary_block(summary: pd.DataFrame, run: RunRecord) -> Block:
    """metric / value / note, one row per metric, in the order results give them, then
    ``wall_seconds``: the run's own figure (the whole command), from the run record."""
    wall = pd.DataFrame([("wall_seconds", run.wall_seconds,
                          "the whole command, reading to writing")],
                        columns=["metric", "value", "note"])
    frame = pd.concat([summary[["metric", "value", "note"]], wall], ignore_index=True)
    frame["value"] = frame["value"].astype(object)
    formats = tuple(metric_format(m, v) for m, v in zip(frame["metric"], frame["value"]))
    return Block(frame, [Column("metric"), Column("value", row_formats=formats),
                         Column("note", wrap=True)], autofilter=False)


def no_plan_summary_block(run: RunRecord) -> Block:
    """Summary of a run without a plan: scenario, status and the stages reached."""
    rows: list[tuple[str, Any, str]] = [
        ("scenario", run.scenario, "Settings scenario_name"),
        ("status", run.status, "no plan: see the Diagnosis sheet for what to change"),
    ]
    for s in run.stages:
        rows.append((f"stage_{s.stage}", s.objective,
                     f"{s.status.value}" + (f" ({s.highs_status})" if s.highs_status else "")))
    rows.append(("solve_seconds", float(sum(s.solver_seconds for s in run.stages)),
                 "HiGHS's own time, stages reached"))
    rows.append(("wall_seconds", run.wall_seconds, "the whole command, reading to writing"))
    frame = pd.DataFrame(rows, columns=["metric", "value", "note"])
    frame["value"] = frame["value"].astype(object)
    formats = tuple(metric_format(m, v) for m, v in zip(frame["metric"], frame["value"]))
    return Block(frame, [Column("metric"), Column("value", row_formats=formats),
                         Column("note")], autofilter=False)


def diagnosis_block(diagnosis: pd.DataFrame | None) -> Block:
    """The caller's diagnosis rows as given (e.g. sheet, row, column, value, message)."""
    if diagnosis is None or diagnosis.empty:
        return note_block("No diagnosis was given for this run.")
    return Block(diagnosis.reset_index(drop=True))


def run_block(run: RunRecord) -> Block:
    frame = pd.DataFrame(run.rows(), columns=["key", "value", "note"])
    frame["value"] = frame["value"].astype(object)
    # settings as the planner typed them (General shows 1e-06 and 2030 as such); times rounded
    formats = tuple(SECONDS if k.endswith("seconds") and isinstance(v, float) else None
                    for k, v in zip(frame["key"], frame["value"]))
    return Block(frame, [Column("key"), Column("value", row_formats=formats), Column("note")],
                 autofilter=False)


# --- Unmet -------------------------------------------------------------------

def unmet_blocks(unmet: pd.DataFrame, territory_names: dict[str, str],
                 family_names: dict[str, str], territory_order: list[str],
                 family_order: list[str], *, last_year: int | None = None,
                 causes: pd.Series | None = None) -> list[Block]:
    """The territory x family grid (with totals), then the long table with the reasons.

    Grid: one row per territory with demand, the most unmet first; one
    column per family, the most unmet first, headed by a short name (the
    comment gives the full name and id), shaded from white to red; a blank
    cell is a pair without any Demand row (nothing to meet), 0 is demand
    fully met.  Long table beside it (one empty column between): every
    (territory, family) with its demand, placed, unmet people, main cause and
    reason, largest unmet first.  Both blocks have their header in row 1;
    ``pd.read_excel`` names the long table's repeated columns
    ``territory_id.1`` and ``territory.1``.
    """
    present_t = set(unmet["territory_id"])
    present_f = set(unmet["family_id"])
    t_total = unmet.groupby("territory_id")["unmet_people"].sum()
    f_total = unmet.groupby("family_id")["unmet_people"].sum()
    t_rank = {t: k for k, t in enumerate(territory_order)}
    f_rank = {f: k for k, f in enumerate(family_order)}
    territories = sorted((t for t in territory_order if t in present_t),
                         key=lambda t: (-round(float(t_total.get(t, 0.0)), 6), t_rank[t]))
    families = sorted((f for f in family_order if f in present_f),
                      key=lambda f: (-round(float(f_total.get(f, 0.0)), 6), f_rank[f]))
    headers = short_labels(families, family_names,
                           reserved={"territory_id", "territory", "total_people"})
    wide = (unmet.pivot_table(index="territory_id", columns="family_id", values="unmet_people",
                              aggfunc="sum", sort=False)
            .reindex(index=territories, columns=families))
    matrix = pd.DataFrame({"territory_id": territories,
                           "territory": [territory_names.get(t, t) for t in territories]})
    matrix["total_people"] = wide.sum(axis=1, min_count=1).fillna(0.0).to_numpy()
    for f in families:
        matrix[f] = wide[f].to_numpy(dtype=float)
    total = {"territory_id": "Total", "territory": ""}
    for f in families:
        total[f] = float(wide[f].sum())
    total["total_people"] = float(matrix["total_people"].sum())
    matrix = pd.concat([matrix, pd.DataFrame([total])], ignore_index=True)
    at = f"the end of {last_year}" if last_year else "the end of the last year"
    matrix_cols = ([Column("territory_id"), Column("territory"),
                    Column("total_people", number_format=WHOLE)]
                   + [Column(f, headers[f], number_format=WHOLE,
                             note=f"{family_names.get(f, f)} ({f}): people of this family "
                                  f"still untrained at {at}. Blank: no demand; 0: demand "
                                  "fully met. Unit: people.")
                      for f in families])

    long = unmet.copy()
    long.insert(1, "territory", [territory_names.get(t, t) for t in long["territory_id"]])
    long.insert(3, "family", [family_names.get(f, f) for f in long["family_id"]])
    long["reason"] = long["reason"].fillna("")
    long["main_cause"] = (causes.reindex(long.index).fillna("") if causes is not None
                          else "")
    long = long.sort_values(["unmet_people", "territory_id", "family_id"],
                            ascending=[False, True, True], kind="stable").reset_index(drop=True)
    long_cols = (_cols("territory_id", "territory", "family_id", "family", "demand_people",
                       "placed_people", "unmet_people", "unmet_weighted", "main_cause")
                 + [Column("reason")])  # unwrapped: the grid beside it keeps its row height
    return [Block(matrix, matrix_cols, autofilter=False, bold_last_row=True,
                  heat=tuple(families)),
            Block(long, long_cols, autofilter=True)]


SHORT_LABEL = 28
"""Characters of a short name (chart categories, the Unmet grid's headers)."""


def short_label(name: str, limit: int = SHORT_LABEL) -> str:
    """``name`` cut at a word to ``limit`` characters, with an ellipsis when cut."""
    name = " ".join(str(name).split())
    if len(name) <= limit:
        return name
    cut = name[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-(") + "…"


def short_labels(keys: list[str], names: dict[str, str],
                 reserved: set[str] = frozenset()) -> dict[str, str]:
    """A short, unique label per key: the short name, or the id where names clash."""
    plain = {k: short_label(names.get(k) or k) for k in keys}
    counts: dict[str, int] = {}
    for label in plain.values():
        counts[label] = counts.get(label, 0) + 1
    out = {}
    for k, label in plain.items():
        clash = counts[label] > 1 or label.strip().lower() in reserved or not label.strip()
        out[k] = short_label(f"{label.rstrip('…')} ({k})", SHORT_LABEL + len(k) + 3) \
            if clash else label
    return out


# --- the plan's tables --------------------------------------------------------

def coverage_block(coverage: pd.DataFrame, tn: dict[str, str], fn: dict[str, str]) -> Block:
    frame = coverage.copy()
    frame.insert(1, "territory", frame["territory_id"].map(tn))
    frame.insert(3, "family", frame["family_id"].map(fn))
    cols = _cols("territory_id", "territory", "family_id", "family", "year", "demand_people",
                 "trained_people", "placed_people", "cumulative_demand_people",
                 "cumulative_placed_people", "shortfall_people", "covered_percent")
    return Block(frame, cols, shade=("covered_percent",))


SESSION_FIELDS = ("offer_id", "org_id", "organisation", "territory_id", "territory", "family_id",
                  "family", "skill", "programme_id", "year", "completion_year",
                  "duration_years", "sessions", "learners", "completing_people",
                  "seats_offered", "fill_percent", "trainer_hours_per_year", "modules",
                  "session_cost_eur", "learner_cost_eur", "mobility_cost_eur", "cost_eur")
SESSION_RENAME = {"year": "start_year"}


def sessions_block(sessions: pd.DataFrame, tn: dict[str, str], fn: dict[str, str]) -> Block:
    """Running sessions only (sessions > 0): the plan, not every possible offer-year."""
    frame = sessions[sessions["sessions"] > 1e-9].reset_index(drop=True)
    frame.insert(frame.columns.get_loc("territory_id") + 1, "territory",
                 frame["territory_id"].map(tn))
    frame.insert(frame.columns.get_loc("family_id") + 1, "family", frame["family_id"].map(fn))
    return Block(frame, _cols(*SESSION_FIELDS, rename=SESSION_RENAME))


def pipeline_block(pipeline: pd.DataFrame) -> Block:
    """Per family and year: cohorts running, learners in training, completing, placed;
    what the plan starts and the cohorts already in training (InTraining) apart."""
    return Block(pipeline.reset_index(drop=True))


FLOW_RENAME = {"territory_id": "home_territory_id", "minutes": "travel_minutes",
               "year": "start_year"}


def flows_block(flows: pd.DataFrame, tn: dict[str, str]) -> Block:
    """Who goes where: SPEC's columns plus family and placed people.

    The longest sheet (tens of thousands of rows at regional scale), so it
    carries no column another sheet already gives per offer (organisation
    name, placement rate, mobility cost: see Sessions): each column costs
    about a second per 100,000 rows to write.
    """
    frame = flows.copy()
    frame.insert(1, "home_territory", frame["territory_id"].map(tn))
    cols = _cols("territory_id", "home_territory", "offer_id", "org_id", "org_territory_id",
                 "family_id", "year", "completion_year", "learners", "placed_people", "minutes",
                 "learner_minutes", rename=FLOW_RENAME)
    return Block(frame, cols)


def trainers_block(trainers: pd.DataFrame, hires: pd.DataFrame, tn: dict[str, str]) -> Block:
    """Trainer pools, with the cost of the trainers hired in that year (EUR, all years paid)."""
    keys = ["territory_id", "skill", "year"]
    frame = trainers.copy()
    frame.insert(1, "territory", frame["territory_id"].map(tn))
    frame["hire_cost_eur"] = 0.0
    if len(hires):
        cost = hires.groupby(keys)["cost_eur"].sum().astype(float)
        at = pd.MultiIndex.from_frame(frame[keys])
        frame["hire_cost_eur"] = cost.reindex(at).fillna(0.0).to_numpy()
    cols = _cols("territory_id", "territory", "skill", "year", "available_hours",
                 "trainers_hired", "hired_trainers_teaching", "hired_hours", "capacity_hours",
                 "used_hours", "utilisation_percent", "hire_cost_eur")
    return Block(frame, cols)


def organisations_block(sites: pd.DataFrame, organisations: pd.DataFrame,
                        tn: dict[str, str]) -> Block:
    """Site hours used against capacity; a blank capacity is unlimited (as in the input)."""
    frame = sites.copy()
    kind = dict(zip(organisations["org_id"], organisations["type"]))
    frame.insert(2, "type", frame["org_id"].map(kind))
    frame.insert(frame.columns.get_loc("territory_id") + 1, "territory",
                 frame["territory_id"].map(tn))
    cols = _cols("org_id", "organisation", "type", "territory_id", "territory", "year",
                 "hours_used", "capacity_hours", "utilisation_percent")
    return Block(frame, cols)


def programmes_block(programmes: pd.DataFrame) -> Block:
    frame = programmes.copy()
    for c in frame.columns:
        if c not in ("programme_id", "name"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return Block(frame)


def marginal_values_block(marginal_values: pd.DataFrame | None) -> Block:
    if marginal_values is None:
        return note_block(MARGINAL_VALUES_PENDING)
    frame = marginal_values.reset_index(drop=True)
    return Block(frame, [Column(str(c), wrap=(c == "what")) for c in frame.columns])


def guide_block() -> Block:
    """Every sheet and column of the result workbook, from :mod:`planner.report.columns`."""
    frame = pd.DataFrame(guide_rows(), columns=["sheet", "column", "meaning", "unit"])
    return Block(frame, [Column("sheet"), Column("column"), Column("meaning", wrap=True),
                         Column("unit")])
