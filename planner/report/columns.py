"""The result workbook's tables as data: every sheet, every column, its meaning and unit.

One declaration, as :mod:`planner.data.schema` is for the input: the
header comments of every result sheet, the result workbook's ``Guide``
sheet and the tests all read it, so a column cannot reach a sheet
unexplained (:func:`column_note` raises for an undeclared one).

A column's ``kind`` chooses its number format (:data:`FORMATS`):
``people`` and ``count`` show whole numbers where the value is whole and
one or two decimals where the plan is fractional; ``eur`` whole euros;
``percent`` one decimal and a % sign (the cell holds 85.3, not 0.853);
``year`` and ``id`` as typed (2030, never 2,030).
"""

from __future__ import annotations

from dataclasses import dataclass

WHOLE = "#,##0"
DECIMAL = "#,##0.00"
ONE_DECIMAL = "#,##0.0"
PERCENT = '0.0"%"'
RATE = "0.00"
FINE = "0.0000"
SECONDS = "#,##0.00"
SMALL = "0.000"


@dataclass(frozen=True)
class ResultColumn:
    """One column of a result sheet: what it means, in which unit, and how it is shown."""

    name: str
    meaning: str
    unit: str = ""
    kind: str = "text"
    """text, id, year, people, count, hours, eur, percent, minutes, rate, seconds, value."""


@dataclass(frozen=True)
class ResultSheet:
    """One sheet of the result workbook."""

    name: str
    holds: str
    row: str
    columns: tuple[ResultColumn, ...] = ()
    dynamic: str = ""
    """What the columns not declared here are (the Unmet matrix's one column per family)."""


def _c(name: str, meaning: str, unit: str = "", kind: str = "text") -> ResultColumn:
    return ResultColumn(name, meaning, unit, kind)


TERRITORY_ID = _c("territory_id", "Territory (zone d'emploi) identifier, as in the input.",
                  kind="id")
TERRITORY = _c("territory", "Territory name, from the input.")
FAMILY_ID = _c("family_id", "Job family identifier, as in the input.", kind="id")
FAMILY = _c("family", "Job family name, from the input.")
YEAR = _c("year", "Planning year.", kind="year")
DEMAND = _c("demand_people", "People to recruit (and so to train first) in that year.",
            "people", "people")

SHEETS: tuple[ResultSheet, ...] = (
    ResultSheet("Overview", "The briefing: coverage of the last year's demand, what limits "
                "it, whether the Electro'Mob targets are met, the cost, and how far the "
                "solver proved each figure; links to every sheet.", "one line of the briefing",
                (_c("topic", "What the line is about."),
                 _c("says", "The finding, in words (the same words as the command's last "
                    "lines)."),
                 _c("see", "The sheet that gives the detail (a link)."))),
    ResultSheet("Summary", "Every headline figure under the SPEC's metric names, for "
                "programs as well as people.", "one metric",
                (_c("metric", "Metric name (SPEC 5): stay stable so programs can compare "
                    "runs."),
                 _c("value", "The metric's value, a plain number in the unit its name or "
                    "note gives.", kind="value"),
                 _c("note", "What the metric means for this run."))),
    ResultSheet("Charts", "Unmet demand by territory and coverage by job family at the end "
                "of the last year, with the tables the charts draw.", "one territory (left), "
                "one job family (right)",
                (TERRITORY_ID, TERRITORY,
                 _c("unmet_people", "People still untrained at the end of the last year "
                    "(cumulative demand minus people placed).", "people", "people"),
                 _c("demand_people", "Cumulative demand to the end of the last year.",
                    "people", "people"),
                 FAMILY_ID,
                 _c("family_label", "Short family name, as on the chart (the full name is "
                    "in the input and the Unmet sheet)."),
                 _c("covered_percent", "Share of the family's cumulative demand met by the "
                    "end of the last year.", "%", "percent"))),
    ResultSheet("Map", "A map of the territories shaded by unmet demand, with a note on how "
                "to read it.", "one note",
                (_c("note", "How to read the map, and what it leaves out."),)),
    ResultSheet("Unmet", "Who is left untrained at the end of the last year: a territory x "
                "family grid (largest first, coloured), and the same as a list with the "
                "reason.", "one territory (grid); one territory and family (list)",
                (TERRITORY_ID, TERRITORY,
                 _c("total_people", "Unmet people of the territory, all families.", "people",
                    "people"),
                 FAMILY_ID, FAMILY,
                 _c("demand_people", "Cumulative demand to the end of the last year.",
                    "people", "people"),
                 _c("placed_people", "People trained and placed by the end of the last "
                    "year (cumulative; InTraining cohorts included).", "people", "people"),
                 _c("unmet_people", "People still untrained at the end of the last year.",
                    "people", "people"),
                 _c("unmet_weighted", "Unmet people x the family's weight (what the unmet "
                    "stage minimises).", "weighted people", "people"),
                 _c("main_cause", "The limit that stops more training for them first."),
                 _c("reason", "Why they are unmet: the main cause first, with the largest "
                    "limit and what one more session's worth of it would train, then the "
                    "others.")),
                dynamic="One column per job family (short name; its comment gives the full "
                        "name and id): unmet people of that territory and family. Blank: "
                        "no demand there; 0: demand fully met."),
    ResultSheet("Coverage", "Demand, people trained and placed, and the cumulative "
                "shortfall, per territory, family and year.", "one territory, family and "
                "year",
                (TERRITORY_ID, TERRITORY, FAMILY_ID, FAMILY, YEAR, DEMAND,
                 _c("trained_people", "Learners who complete their programme in that year "
                    "(plan and InTraining cohorts).", "people", "people"),
                 _c("placed_people", "Completers placed in a job of the family that year "
                    "(completers x placement rate).", "people", "people"),
                 _c("cumulative_demand_people", "Demand from the first year to this one.",
                    "people", "people"),
                 _c("cumulative_placed_people", "People placed from the first year to this "
                    "one.", "people", "people"),
                 _c("shortfall_people", "Cumulative demand not yet met (never below 0).",
                    "people", "people"),
                 _c("covered_percent", "Share of the cumulative demand met.", "%",
                    "percent"))),
    ResultSheet("Sessions", "The sessions the plan starts, per offer and start year, with "
                "their learners, fill and cost.", "one offer and start year (running "
                "sessions only)",
                (_c("offer_id", "Offer identifier (Offers sheet of the input).", kind="id"),
                 _c("org_id", "Organisation running the sessions.", kind="id"),
                 _c("organisation", "Organisation name."),
                 TERRITORY_ID, TERRITORY, FAMILY_ID, FAMILY,
                 _c("skill", "Trainer skill the sessions need.", kind="id"),
                 _c("programme_id", "Programme that funds the offer (blank: none).",
                    kind="id"),
                 _c("start_year", "Year the sessions start.", kind="year"),
                 _c("completion_year", "Year their learners complete.", kind="year"),
                 _c("duration_years", "Calendar years the programme runs.", "years", "year"),
                 _c("sessions", "Sessions (groups) started; fractional in an LP preview.",
                    "sessions", "count"),
                 _c("learners", "Learners who start.", "learners", "people"),
                 _c("completing_people", "Learners who complete (learners x completion "
                    "rate).", "people", "people"),
                 _c("seats_offered", "Sessions x seats.", "seats", "count"),
                 _c("fill_percent", "Learners / seats offered.", "%", "percent"),
                 _c("trainer_hours_per_year", "Trainer-led hours these sessions need in "
                    "each year they run.", "h/year", "hours"),
                 _c("modules", "Modules of the learners who complete within the planning "
                    "years.", "modules", "count"),
                 _c("session_cost_eur", "Cost per session x sessions x years run.", "EUR",
                    "eur"),
                 _c("learner_cost_eur", "Cost per learner x learners x years run.", "EUR",
                    "eur"),
                 _c("mobility_cost_eur", "Learners' travel cost (learner-minutes x cost per "
                    "minute).", "EUR", "eur"),
                 _c("cost_eur", "Session, learner and mobility cost.", "EUR", "eur"))),
    ResultSheet("Pipeline", "Per family and year: cohorts in training, learners in "
                "training, completing and placed; what the plan starts and the cohorts "
                "already in training apart.", "one family, year and source",
                (FAMILY_ID, FAMILY, YEAR,
                 _c("source", "plan (sessions the plan starts) or InTraining (cohorts "
                    "already running in the first year)."),
                 _c("cohorts_running", "Sessions running that year.", "sessions", "count"),
                 _c("learners_in_training", "Learners in those sessions.", "learners",
                    "people"),
                 _c("completing_people", "Learners completing at the end of the year.",
                    "people", "people"),
                 _c("placed_people", "Completers placed.", "people", "people"))),
    ResultSheet("Flows", "Who trains where: learners from each home territory per offer and "
                "start year, with their travel time.", "one home territory, offer and start "
                "year",
                (_c("home_territory_id", "Where the learners live.", kind="id"),
                 _c("home_territory", "Home territory name."),
                 _c("offer_id", "Offer they follow.", kind="id"),
                 _c("org_id", "Organisation running it.", kind="id"),
                 _c("org_territory_id", "Territory of that organisation.", kind="id"),
                 FAMILY_ID,
                 _c("start_year", "Year they start.", kind="year"),
                 _c("completion_year", "Year they complete.", kind="year"),
                 _c("learners", "Learners who start.", "learners", "people"),
                 _c("placed_people", "Of them, completers placed.", "people", "people"),
                 _c("travel_minutes", "One-way travel time home -> organisation.", "min",
                    "minutes"),
                 _c("learner_minutes", "Learners x minutes.", "learner-min", "minutes"))),
    ResultSheet("Trainers", "Trainer pools per territory, skill and year: hours available, "
                "trainers hired and teaching, hours used.", "one territory, skill and year",
                (TERRITORY_ID, TERRITORY,
                 _c("skill", "Trainer skill.", kind="id"), YEAR,
                 _c("available_hours", "Trainer-led hours the input gives (Trainers).",
                    "h/year", "hours"),
                 _c("trainers_hired", "Trainers the plan hires that year.", "trainers",
                    "count"),
                 _c("hired_trainers_teaching", "Hired trainers teaching that year (after "
                    "their lead time, all hires so far).", "trainers", "count"),
                 _c("hired_hours", "Their hours.", "h/year", "hours"),
                 _c("capacity_hours", "Available + hired hours.", "h/year", "hours"),
                 _c("used_hours", "Hours the running sessions need (plan and InTraining).",
                    "h/year", "hours"),
                 _c("utilisation_percent", "Used / capacity: 100 % means the pool binds.",
                    "%", "percent"),
                 _c("hire_cost_eur", "Cost of the trainers hired that year, all the years "
                    "they are paid.", "EUR", "eur"))),
    ResultSheet("Organisations", "Site hours used against each site's capacity.",
                "one organisation and year",
                (_c("org_id", "Organisation identifier.", kind="id"),
                 _c("organisation", "Organisation name."),
                 _c("type", "Organisation type, from the input."),
                 TERRITORY_ID, TERRITORY, YEAR,
                 _c("hours_used", "Trainer-led hours of its running sessions.", "h/year",
                    "hours"),
                 _c("capacity_hours", "Hours the site can host (blank: unlimited).",
                    "h/year", "hours"),
                 _c("utilisation_percent", "Used / capacity: 100 % means the site binds.",
                    "%", "percent"))),
    ResultSheet("Programmes", "Each funding programme's modules and persons against its "
                "targets, and its cost against its budget.", "one programme",
                (_c("programme_id", "Programme identifier.", kind="id"),
                 _c("name", "Programme name."),
                 _c("modules_delivered", "Modules of the learners who complete within the "
                    "planning years.", "modules", "count"),
                 _c("modules_target", "Target from the input (blank: none).", "modules",
                    "count"),
                 _c("modules_shortfall", "Target not reached (0: met).", "modules", "count"),
                 _c("persons_trained", "Learners who complete within the planning years.",
                    "people", "people"),
                 _c("persons_target", "Target from the input (blank: none).", "people",
                    "people"),
                 _c("persons_shortfall", "Target not reached (0: met).", "people", "people"),
                 _c("sessions", "Sessions the plan starts in the programme's offers.",
                    "sessions", "count"),
                 _c("offers_cost_eur", "Cost of those sessions.", "EUR", "eur"),
                 _c("intraining_cost_eur", "Cost of its cohorts already in training, in the "
                    "planning years.", "EUR", "eur"),
                 _c("hires_cost_eur", "Cost of the trainers it pays.", "EUR", "eur"),
                 _c("cost_eur", "Total cost charged to the programme.", "EUR", "eur"),
                 _c("budget_eur", "Budget from the input (blank: unlimited).", "EUR", "eur"),
                 _c("budget_used_percent", "Cost / budget.", "%", "percent"))),
    ResultSheet("MarginalValues", "Which limits are worth relaxing, ranked: what a step of "
                "each removes from weighted unmet demand in the LP relaxation of the unmet "
                "stage, within the range where that holds, with its cost and the Scenarios "
                "row that tests it.", "one limit (or several tied limits)",
                (_c("rank", "Rank by the reduction of the step.", kind="year"),
                 _c("limit", "Kind of limit: trainer pool, site capacity, offer maximum, "
                    "ramp-up, hiring maximum, budget, travel limit."),
                 _c("what", "Which one (several tied limits: how many, and the first)."),
                 _c("limits", "How many limits this row stands for (each worth the value "
                    "shown on its own).", kind="year"),
                 _c("years", "Years in which the limit binds (the step applies to each)."),
                 _c("current_value", "The input value now, in the row's unit (for a limit "
                    "over several years: its first year).", "unit", "value"),
                 _c("unit", "Unit of current_value, step and holds_up_to."),
                 _c("step", "The change valued: the natural unit (one trainer's hours, 100 "
                    "site hours, one session, one hire, 10,000 EUR, 15 minutes) or, where "
                    "the range is smaller, a round number within it. Blank: the LP's value "
                    "holds for no increase (test it as a scenario).", "unit", "value"),
                 _c("unmet_weighted_reduction", "Weighted unmet people at the last year "
                    "that the step removes (LP relaxation).", "weighted people", "people"),
                 _c("holds_up_to", "The largest change for which the value holds (HiGHS "
                    "ranging; several years' rows together: the 100 % rule). Blank: "
                    "unlimited or unknown.", "unit", "value"),
                 _c("value_per_unit", "Weighted unmet people removed per unit, all binding "
                    "years together.", "people/unit", "value"),
                 _c("step_cost_eur", "What the step costs where the input gives a price "
                    "(TrainerHiring cost per trainer, an offer's session and learner costs, "
                    "the budget itself). Blank: no price in the input.", "EUR", "eur"),
                 _c("cost_per_person_eur", "Step cost / reduction: weigh a trainer against "
                    "a session.", "EUR/person", "eur"),
                 _c("sheet", "Input sheet of the limit."),
                 _c("rows", "Its rows in that sheet."),
                 _c("column", "Its column."),
                 _c("test_scenario", "A Scenarios row that tests the step (the best ranked "
                    "rows): scenario name. Copy the seven test_ cells into the Scenarios "
                    "sheet. A Scenarios row filters on one column: for a trainer pool or "
                    "hiring it changes every skill of the territory."),
                 _c("test_sheet", "Scenarios: sheet."),
                 _c("test_column", "Scenarios: column."),
                 _c("test_where_column", "Scenarios: where_column."),
                 _c("test_where_value", "Scenarios: where_value.", kind="id"),
                 _c("test_operation", "Scenarios: operation."),
                 _c("test_value", "Scenarios: value (the step).", "unit", "value"),
                 _c("note", "Why there is no table."))),
    ResultSheet("Run", "Where the result comes from: input and its SHA-256, settings as "
                "used, versions, each stage's status, gap, checks and time.", "one fact",
                (_c("key", "What the fact is (stage.<k>.<stage>.* for the stages)."),
                 _c("value", "Its value.", kind="value"),
                 _c("note", "What it means."))),
    ResultSheet("Diagnosis", "Why there is no plan: the input cells whose limits conflict.",
                "one input cell involved",
                (_c("limit", "Kind of limit (or the pre-solve rule)."),
                 _c("sheet", "Input sheet."), _c("row", "Row in that sheet.", kind="year"),
                 _c("column", "Column."), _c("value", "The cell's value.", kind="value"),
                 _c("message", "The conflict, in words."))),
    ResultSheet("Edits", "The scenario's edits of the base data.", "one edit",
                (_c("scenario", "Scenario name."),
                 _c("scenarios_row", "Row of the Scenarios sheet.", kind="year"),
                 _c("sheet", "Sheet edited."), _c("column", "Column edited."),
                 _c("where", "Rows kept (where_column = where_value)."),
                 _c("operation", "set, scale or add."), _c("value", "The edit's value."),
                 _c("rows_changed", "Rows the edit changed.", kind="year"),
                 _c("change", "Before -> after."),
                 _c("problem", "Why the edit was refused (blank: applied)."))),
    ResultSheet("Guide", "This explanation: every sheet and every column.", "one column of "
                "a sheet",
                (_c("sheet", "Result sheet."), _c("column", "Column header."),
                 _c("meaning", "What it means."), _c("unit", "Its unit."))),
)

SHEET_BY_NAME = {s.name: s for s in SHEETS}

FORMATS = {"people": DECIMAL, "count": DECIMAL, "hours": DECIMAL, "minutes": ONE_DECIMAL,
           "eur": WHOLE, "percent": PERCENT, "rate": RATE, "seconds": SECONDS}
"""Number format of each kind (``people``, ``count``, ``hours``: whole where whole)."""

WHOLE_WHERE_WHOLE = frozenset({"people", "count", "hours", "minutes"})
"""Kinds shown without decimals in the cells whose value is whole."""


def column(sheet: str, name: str) -> ResultColumn | None:
    """The declaration of ``name`` on ``sheet`` (None: not declared, e.g. a family column)."""
    declared = SHEET_BY_NAME.get(sheet)
    if declared is None:
        return None
    for c in declared.columns:
        if c.name == name:
            return c
    return None


def column_note(sheet: str, name: str) -> str:
    """The header comment of a declared column: meaning, then unit."""
    c = column(sheet, name)
    if c is None:
        raise KeyError(f"result column {sheet}.{name} is not declared in "
                       "planner/report/columns.py")
    return c.meaning + (f" Unit: {c.unit}." if c.unit and c.unit != "unit" else
                        " Unit: the row's unit column." if c.unit == "unit" else "")


def guide_rows() -> list[tuple[str, str, str, str]]:
    """(sheet, column, meaning, unit) for the Guide sheet: each sheet, then its columns."""
    rows: list[tuple[str, str, str, str]] = []
    for s in SHEETS:
        rows.append((s.name, "", f"{s.holds} One row is {s.row}.", ""))
        for c in s.columns:
            rows.append((s.name, c.name, c.meaning, "" if c.unit == "unit" else c.unit))
        if s.dynamic:
            rows.append((s.name, "(one per family)", s.dynamic, "people"))
    return rows
