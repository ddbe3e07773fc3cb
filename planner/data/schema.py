"""The input workbook contract as data (SPEC section 3).

One declaration drives the reader (which columns exist, how each cell is
parsed), the validation (bounds, keys, references), the template, the
annotated copy and the README's input reference table.  Nothing else in
the package spells out a sheet or column of the input by hand.

Kinds:

- ``identifier``: text, trimmed; numbers become text (``2`` -> ``"2"``) and
  a zero-padded number format keeps its zeros (department ``02``).
- ``text``: free text, trimmed.
- ``integer``: a whole number (``3`` or ``3.0``; ``3.5`` is an error).
- ``number``: any finite number; unambiguous numeric text such as
  ``"3,14"`` or ``"1 234,5"`` is accepted with a warning.
- ``boolean``: TRUE/FALSE, 1/0, yes/no, oui/non, vrai/faux.
- ``year``: an integer between 1900 and 2200.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from planner.words import as_written


class Kind(StrEnum):
    IDENTIFIER = "identifier"
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    """One column of an input sheet (or one key of the Settings sheet).

    ``required``: the column must be present and every row must fill it.
    ``default``: the value a blank cell takes; ``None`` means "blank has a
    meaning" (told by ``blank_means``), e.g. unlimited capacity.
    ``minimum`` / ``maximum``: inclusive bounds unless ``above`` is set,
    which makes the minimum strict (``> minimum``).
    ``references``: the sheet whose identifier this column must name.
    ``vocabulary``: the name of a set of values shared by several sheets
    without a sheet of its own (``skill``); the workbook writer offers the
    values in use in a drop-down list.
    """

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: object = None
    unit: str = ""
    minimum: float | None = None
    above: bool = False
    maximum: float | None = None
    references: str | None = None
    choices: tuple[str, ...] = ()
    blank_means: str = ""
    example: object = None
    vocabulary: str = ""
    before_first_year: bool = False
    """A ``year`` column that must name a year before first_year (not a planning year)."""
    plausible: tuple[float, float] | None = None
    """``(low, high)``: a value above ``high``, or between 0 and ``low`` (0 itself is
    fine where the bounds allow it), is far beyond any planning figure: allowed, but
    warned about (rule ``implausible``), since it is likely a slip and such magnitudes
    degrade the solver's numerics.  ``low`` 0 checks the high side only."""

    @property
    def bounds_text(self) -> str:
        """The bounds in a planner's notation, e.g. ``> 0`` or ``0 .. 1``."""
        low = None
        if self.minimum is not None:
            low = f"{'>' if self.above else '>='} {as_written(self.minimum)}"
        if self.maximum is not None and low is not None:
            left = "(" if self.above else "["
            return f"{left}{as_written(self.minimum)}, {as_written(self.maximum)}]"
        if self.maximum is not None:
            return f"<= {as_written(self.maximum)}"
        if self.choices:
            return " | ".join(self.choices)
        return low or ""

    @property
    def plausible_text(self) -> str:
        """When a value, though allowed, gets a warning (``implausible``), e.g. ``a warning
        above 1e+07 or in (0, 1e-06)``; ``""`` if never.  The Guide, the header comments and
        the README's input reference show it after the bounds."""
        if self.plausible is None:
            return ""
        low, high = self.plausible
        parts = []
        if self.maximum is None or high < self.maximum:
            parts.append(f"above {high:g}")
        if low > 0:
            zero_allowed = self.minimum is None or (self.minimum <= 0 and not self.above)
            parts.append(f"in (0, {low:g})" if zero_allowed else f"below {low:g}")
        return f"a warning {' or '.join(parts)}" if parts else ""

    @property
    def default_text(self) -> str:
        if self.required:
            return "required"
        if self.default is None:
            return f"blank = {self.blank_means}" if self.blank_means else "blank"
        if isinstance(self.default, bool):
            return "TRUE" if self.default else "FALSE"
        return as_written(self.default)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the input workbook."""

    name: str
    required: bool
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    identifier: str | None = None
    """The column other sheets reference (``territory_id`` ...), if any."""
    row_meaning: str = ""
    details: str = ""
    """A longer explanation for the Guide sheet and the README (optional)."""
    column_by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self.column_by_name[name]


I, T, N, Z, B, Y = Kind.IDENTIFIER, Kind.TEXT, Kind.NUMBER, Kind.INTEGER, Kind.BOOLEAN, Kind.YEAR

# Plausible ranges (Column.plausible): far beyond any planning figure, not merely large.
# Hauts-de-France plans 120,000 people over six years with 1,350 sessions a year and a
# 25 M EUR programme; France's whole workforce is some 31 million.  Below TINY, a positive
# quantity is a slip (0.000001 h is 4 ms) and, beside figures in the thousands, numerical
# noise to the solver.
TINY = 1e-6
PEOPLE_RANGE = (TINY, 1e7)
"""People, persons or learners in one row: more than ten million is no region's figure."""
SEATS_RANGE = (0.0, 1e5)
"""Learners in one session."""
POOL_HOURS_RANGE = (TINY, 1e8)
"""Trainer-led hours a year of a pool or a site (1e8 h: some 60,000 full-time trainers)."""
SESSION_HOURS_RANGE = (TINY, 1e5)
"""Hours one session needs (1e5 h: eleven years of teaching around the clock)."""
TRAINER_HOURS_RANGE = (TINY, 8784.0)
"""Hours one trainer gives a year: a year has 8,784 hours at most."""
EUR_RANGE = (TINY, 1e12)
"""A cost or a budget: 1e12 EUR is France's public spending for a year."""
SESSIONS_RANGE = (0.0, 1e6)
"""Sessions (or trainers hired) in one row and year."""
YEARS_RANGE = (0.0, 100.0)
"""Years of a duration or a lead time."""
MODULES_RANGE = (TINY, 1e8)
"""Modules to deliver."""
MODULES_PER_LEARNER_RANGE = (TINY, 1e4)
SHARE_RANGE = (TINY, 1.0)
"""A rate between 0 and 1: below TINY, no learner completes or is placed."""
WEIGHT_RANGE = (TINY, 1e6)
"""A priority weight: beyond a million to one, the objective loses its precision."""
MINUTES_RANGE = (TINY, 1e5)
"""Travel minutes (1e5 min: over two months one way)."""

# Sheet names, for code that names one sheet; each is declared once, by its Sheet in SHEETS
# below (or in AUXILIARY_SHEETS), and nowhere else.
SETTINGS_SHEET = "Settings"
TERRITORIES_SHEET = "Territories"
JOB_FAMILIES_SHEET = "JobFamilies"
ORGANISATIONS_SHEET = "Organisations"
OFFERS_SHEET = "Offers"
DEMAND_SHEET = "Demand"
TRAINERS_SHEET = "Trainers"
TRAINER_HIRING_SHEET = "TrainerHiring"
PROGRAMMES_SHEET = "Programmes"
TRAVEL_SHEET = "Travel"
IN_TRAINING_SHEET = "InTraining"
SCENARIOS_SHEET = "Scenarios"
GUIDE_SHEET = "Guide"
LISTS_SHEET = "Lists"
SOURCES_SHEET = "Sources"

STAGES = ("targets", "unmet", "timeliness", "cost", "travel")
"""The stage objectives of SPEC 4.3, in their default lexicographic order."""

STAGE_MEANING = {
    "targets": "programme target shortfall (share of each target missed, summed)",
    "unmet": "weighted unmet demand at the last year (people x family weight)",
    "timeliness": "weighted cumulative shortfall over the years before the last",
    "cost": "total cost of sessions, learners, mobility and hires (EUR)",
    "travel": "learner-minutes of one-way travel",
}

SETTINGS: tuple[Column, ...] = (
    Column("scenario_name", T, "Name used in output file names and reports.",
           default="baseline", example="baseline"),
    Column("first_year", Y, "First planning year.", required=True, example=2025),
    Column("last_year", Y, "Last planning year: unmet demand is measured at its end.",
           required=True, example=2030),
    Column("max_travel_minutes", N, "One-way travel limit from a learner's home "
           "territory to the organisation (a territory may override it).",
           default=60.0, unit="min", minimum=0, above=True, example=60,
           plausible=MINUTES_RANGE),
    Column("integer_sessions", B, "Sessions and hires are whole numbers (MIP); "
           "FALSE solves the LP relaxation.", default=True, example=True),
    Column("objective_stages", T, "Lexicographic order of the stage objectives "
           "(any subset of targets, unmet, timeliness, cost, travel; comma separated).",
           default=",".join(STAGES), example=",".join(STAGES)),
    Column("stage_tolerance", N, "Relative slack kept on an earlier stage's optimum "
           "when solving the later ones.", default=1e-6, minimum=0, example=1e-6),
    Column("time_limit_seconds", N, "Time limit of a stage on average: the whole solve "
           "may take this times the number of stages, and the time a stage does not use "
           "goes to the later ones.", default=300.0, unit="s", minimum=0, above=True,
           example=300),
    Column("mip_gap", N, "Relative MIP gap at which a solve stops.", default=0.001,
           minimum=0, example=0.001),
    Column("mobility_cost_per_minute", N, "Mobility allowance per learner and minute "
           "of one-way travel.", default=0.0, unit="EUR/learner/min", minimum=0, example=0,
           plausible=(TINY, 1e6)),
    Column("detour_factor", N, "Road distance / straight-line distance, for travel "
           "times the Travel sheet does not give.", default=1.3, minimum=1, example=1.3,
           plausible=(0.0, 100.0)),
    Column("average_speed_kmh", N, "Average road speed, for travel times the Travel "
           "sheet does not give.", default=70.0, unit="km/h", minimum=0, above=True,
           example=70, plausible=(TINY, 1e4)),
    Column("intra_territory_minutes", N, "Travel time inside a territory when the "
           "Travel sheet does not give it.", default=15.0, unit="min", minimum=0,
           example=15, plausible=MINUTES_RANGE),
)

SETTING_BY_KEY = {c.name: c for c in SETTINGS}

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        SETTINGS_SHEET, True,
        "Planning years, travel limit, solver options and the objective order.",
        (
            Column("key", I, "Setting name (see the list of settings).", required=True,
                   example="first_year"),
            Column("value", T, "Setting value.", example=2025),
            Column("note", T, "Free comment."),
        ),
        key=("key",),
        row_meaning="one setting",
        details=(
            'The note column is free. first_year and last_year are required; '
            'every other key takes its default when its row is missing or its value '
            'blank.'
        ),
    ),
    Sheet(
        TERRITORIES_SHEET, True,
        "Where learners live and organisations stand (zones d'emploi).",
        (
            Column("territory_id", I, "Territory identifier.", required=True, example="3216"),
            Column("name", T, "Territory name.", required=True, example="Lille"),
            Column("department", I, "Department code (text: keeps 02).", example="59"),
            Column("latitude", N, "Latitude of the main town (for estimated travel "
                   "times and the map).", unit="deg", minimum=-90, maximum=90,
                   blank_means="only Travel minutes are used", example=50.63089),
            Column("longitude", N, "Longitude of the main town.", unit="deg",
                   minimum=-180, maximum=180,
                   blank_means="only Travel minutes are used", example=3.07086),
            Column("max_travel_minutes", N, "Travel limit for learners living here.",
                   unit="min", minimum=0, above=True,
                   blank_means="the max_travel_minutes setting", example=45,
                   plausible=MINUTES_RANGE),
        ),
        key=("territory_id",), identifier="territory_id",
        row_meaning="one territory",
        details=(
            "Usually the zones d'emploi. Travel times the Travel sheet does not give are "
            'estimated from the coordinates (straight-line km x detour_factor / '
            "average_speed_kmh); a territory's own max_travel_minutes overrides the "
            'setting for the learners who live there.'
        ),
    ),
    Sheet(
        JOB_FAMILIES_SHEET, True,
        "Job families whose recruitment demand must be trained for.",
        (
            Column("family_id", I, "Job family identifier.", required=True, example="PROD"),
            Column("name", T, "Job family name.", required=True,
                   example="Production et assemblage"),
            Column("weight", N, "Priority of one unmet person of this family.",
                   default=1.0, minimum=0, above=True, example=1, plausible=WEIGHT_RANGE),
        ),
        key=("family_id",), identifier="family_id",
        row_meaning="one job family",
        details=(
            'weight is the priority of one unmet person of the family in the unmet and '
            'timeliness objectives: a family of weight 2 counts twice.'
        ),
    ),
    Sheet(
        ORGANISATIONS_SHEET, True,
        "Training organisations (sites) and the trainer-led hours they can host.",
        (
            Column("org_id", I, "Organisation identifier.", required=True, example="OF001"),
            Column("name", T, "Organisation name.", required=True, example="Lycée Baggio"),
            Column("type", T, "Type, e.g. Lycée pro / GRETA / CFA, Associatif et privé, "
                   "Consulaire, Université / IUT, École d'ingénieurs, Autre.",
                   example="Lycée pro / GRETA / CFA"),
            Column("territory_id", I, "Territory where the site stands.", required=True,
                   references=TERRITORIES_SHEET, example="3216"),
            Column("capacity_hours", N, "Trainer-led hours the site can host per year.",
                   unit="h/year", minimum=0, blank_means="unlimited", example=2000,
                   plausible=POOL_HOURS_RANGE),
        ),
        key=("org_id",), identifier="org_id",
        row_meaning="one organisation",
        details=(
            "capacity_hours caps the trainer-led hours of all the organisation's offers "
            'together, each year.'
        ),
    ),
    Sheet(
        OFFERS_SHEET, True,
        "What each organisation can teach: one row per programme it can run.",
        (
            Column("offer_id", I, "Offer identifier.", required=True, example="OF001-MAINT"),
            Column("org_id", I, "Organisation running the sessions.", required=True,
                   references=ORGANISATIONS_SHEET, example="OF001"),
            Column("family_id", I, "Job family the training prepares for.", required=True,
                   references=JOB_FAMILIES_SHEET, example="MAINT"),
            Column("skill", I, "Trainer skill the sessions need.", required=True,
                   example="maintenance", vocabulary="skill"),
            Column("level", T, "Level (CAP ... Bac+5); reported, not constrained.",
                   example="Bac+2"),
            Column("programme_id", I, "Programme that funds and counts this offer.",
                   references=PROGRAMMES_SHEET, blank_means="no programme",
                   example="ELECTROMOB"),
            Column("seats", Z, "Learners per session.", required=True, minimum=0,
                   above=True, unit="learners/session", example=12, plausible=SEATS_RANGE),
            Column("min_learners", Z, "A session runs only with at least this many "
                   "learners.", default=0, minimum=0, unit="learners/session", example=6,
                   plausible=SEATS_RANGE),
            Column("trainer_hours_per_session", N, "Trainer-led hours per session.",
                   required=True, minimum=0, above=True, unit="h/session", example=140,
                   plausible=SESSION_HOURS_RANGE),
            Column("modules_per_learner", N, "Modules each learner completes.",
                   default=1.0, minimum=0, unit="modules/learner", example=1,
                   plausible=MODULES_PER_LEARNER_RANGE),
            Column("cost_per_session", N, "Cost of running one session.", default=0.0,
                   minimum=0, unit="EUR/session", example=12000, plausible=EUR_RANGE),
            Column("cost_per_learner", N, "Cost per learner trained.", default=0.0,
                   minimum=0, unit="EUR/learner", example=300, plausible=EUR_RANGE),
            Column("max_sessions_per_year", Z, "Most sessions a year.", required=True,
                   minimum=0, unit="sessions/year", example=6, plausible=SESSIONS_RANGE),
            Column("committed_sessions_per_year", Z, "Sessions that must run every year.",
                   default=0, minimum=0, unit="sessions/year", example=1,
                   plausible=SESSIONS_RANGE),
            Column("baseline_sessions", Z, "Sessions run the year before first_year; "
                   "with max_new_sessions_per_year it limits the ramp-up.", minimum=0,
                   unit="sessions", blank_means="no ramp-up limit", example=2,
                   plausible=SESSIONS_RANGE),
            Column("max_new_sessions_per_year", Z, "Most sessions added from one year to "
                   "the next (pedagogical inertia).", minimum=0, unit="sessions/year",
                   blank_means="no limit", example=2, plausible=SESSIONS_RANGE),
            Column("placement_rate", N, "Share of trained learners who fill a job.",
                   default=1.0, minimum=0, above=True, maximum=1, unit="share",
                   example=0.8, plausible=SHARE_RANGE),
            Column("duration_years", Z, "Years one session (a cohort) lasts: a session "
                   "started in year y runs in y .. y + duration - 1 and its learners "
                   "complete at the end of the last of those years.", default=1, minimum=1,
                   unit="years", example=2, plausible=YEARS_RANGE),
            Column("completion_rate", N, "Share of a cohort's learners who complete the "
                   "programme (the others drop out).", default=1.0, minimum=0, above=True,
                   maximum=1, unit="share", example=0.85, plausible=SHARE_RANGE),
        ),
        key=("offer_id",), identifier="offer_id",
        row_meaning="one offer (an organisation's programme)",
        details=(
            'Each year an offer starts between committed_sessions_per_year and '
            'max_sessions_per_year sessions. When baseline_sessions and '
            'max_new_sessions_per_year are both given, starts grow by at most '
            'max_new_sessions_per_year a year, starting from baseline_sessions '
            '(pedagogical inertia). Learners come from every territory within their '
            'travel limit of the organisation. A session lasts duration_years: it uses '
            'trainer_hours_per_session trainer and site hours, and costs '
            'cost_per_session (and cost_per_learner per learner), in every year it runs; '
            'completion_rate of its learners complete at the end of its last year, and '
            'placement_rate of those fill a job that year.'
        ),
    ),
    Sheet(
        DEMAND_SHEET, True,
        "People to recruit, who must be trained first.",
        (
            Column("territory_id", I, "Territory of the jobs (learners live there).",
                   required=True, references=TERRITORIES_SHEET, example="3215"),
            Column("family_id", I, "Job family.", required=True, references=JOB_FAMILIES_SHEET,
                   example="PROD"),
            Column("year", Y, "Year of recruitment.", required=True, example=2027),
            Column("people", N, "People to recruit that year.", required=True, minimum=0,
                   unit="people", example=120, plausible=PEOPLE_RANGE),
        ),
        key=("territory_id", "family_id", "year"),
        row_meaning="one territory, family and year",
        details=(
            'People trained in earlier years count towards later demand; what is still '
            'missing at the end of last_year is the unmet demand. Years outside '
            'first_year..last_year are an error.'
        ),
    ),
    Sheet(
        TRAINERS_SHEET, True,
        "Trainer-led hours available to the organisations of a territory.",
        (
            Column("territory_id", I, "Territory of the organisations.", required=True,
                   references=TERRITORIES_SHEET, example="3212"),
            Column("skill", I, "Trainer skill.", required=True, example="electrochemistry",
                   vocabulary="skill"),
            Column("year", Y, "Year.", required=True, example=2026),
            Column("available_hours", N, "Trainer-led hours available that year.",
                   required=True, minimum=0, unit="h/year", example=810,
                   plausible=POOL_HOURS_RANGE),
        ),
        key=("territory_id", "skill", "year"),
        row_meaning="one territory, skill and year (missing = 0 hours)",
        details=(
            'Hours available to the organisations located in the territory. A missing '
            '(territory, skill, year) means 0 hours: validation warns when an offer needs'
            ' it.'
        ),
    ),
    Sheet(
        TRAINER_HIRING_SHEET, False,
        "Trainers that can be hired, and when they start teaching.",
        (
            Column("territory_id", I, "Territory where they teach.", required=True,
                   references=TERRITORIES_SHEET, example="3212"),
            Column("skill", I, "Trainer skill.", required=True, example="electrochemistry",
                   vocabulary="skill"),
            Column("max_new_per_year", Z, "Most trainers hired in one year.",
                   required=True, minimum=0, unit="trainers/year", example=2,
                   plausible=SESSIONS_RANGE),
            Column("hours_per_trainer", N, "Trainer-led hours one trainer gives a year.",
                   required=True, minimum=0, above=True, unit="h/year", example=810,
                   plausible=TRAINER_HOURS_RANGE),
            Column("lead_years", Z, "A trainer hired in year y teaches from y + lead.",
                   default=0, minimum=0, unit="years", example=1, plausible=YEARS_RANGE),
            Column("cost_per_trainer_year", N, "Cost of one trainer per year, paid from "
                   "the hiring year to last_year.", default=0.0, minimum=0,
                   unit="EUR/year", example=60000, plausible=EUR_RANGE),
            Column("programme_id", I, "Programme whose budget pays the hires.",
                   references=PROGRAMMES_SHEET, blank_means="no programme",
                   example="ELECTROMOB"),
        ),
        key=("territory_id", "skill"),
        row_meaning="one territory and skill",
        details=(
            'A trainer hired in year y gives hours_per_trainer a year from y + '
            'lead_years; cost_per_trainer_year is paid from the hiring year to last_year,'
            " from programme_id's budget when given."
        ),
    ),
    Sheet(
        PROGRAMMES_SHEET, False,
        "Funding programmes, their targets and budgets.",
        (
            Column("programme_id", I, "Programme identifier.", required=True,
                   example="ELECTROMOB"),
            Column("name", T, "Programme name.", example="Electro'Mob"),
            Column("modules_target", N, "Modules to deliver over the planning years.",
                   minimum=0, unit="modules", blank_means="no target", example=11000,
                   plausible=MODULES_RANGE),
            Column("persons_target", N, "Persons to train over the planning years.",
                   minimum=0, unit="persons", blank_means="no target", example=8000,
                   plausible=PEOPLE_RANGE),
            Column("budget", N, "Budget over the planning years.", minimum=0, unit="EUR",
                   blank_means="unlimited", example=25000000, plausible=EUR_RANGE),
        ),
        key=("programme_id",), identifier="programme_id",
        row_meaning="one programme",
        details=(
            'Targets count the modules (learners x modules_per_learner) and persons '
            "trained by the programme's offers over all planning years; a shortfall is "
            "minimised by the targets objective. The budget caps the programme's costs: "
            "its offers' sessions, learners and mobility, and the hires it pays."
        ),
    ),
    Sheet(
        TRAVEL_SHEET, False,
        "One-way travel times that override the estimate from coordinates.",
        (
            Column("from_territory", I, "Home territory of the learners.", required=True,
                   references=TERRITORIES_SHEET, example="3204"),
            Column("to_territory", I, "Territory of the organisation.", required=True,
                   references=TERRITORIES_SHEET, example="3216"),
            Column("minutes", N, "One-way travel time.", required=True, minimum=0,
                   unit="min", example=75, plausible=MINUTES_RANGE),
        ),
        key=("from_territory", "to_territory"),
        row_meaning="one pair of territories",
        details=(
            'Minutes in the given direction only (from home to organisation): give both '
            'directions when both matter. A territory to itself takes '
            'intra_territory_minutes unless given here.'
        ),
    ),
    Sheet(
        IN_TRAINING_SHEET, False,
        "Cohorts that started before first_year and are still in training.",
        (
            Column("offer_id", I, "Offer the cohort follows.", required=True,
                   references=OFFERS_SHEET, example="OF001-BTS-MAINT"),
            Column("start_year", Y, "Year the cohort started (before first_year).",
                   required=True, before_first_year=True, example=2024),
            Column("sessions", Z, "Sessions (groups) of the cohort.", required=True,
                   minimum=0, unit="sessions", example=2, plausible=SESSIONS_RANGE),
            Column("learners", N, "Learners in those sessions (at most sessions x seats).",
                   required=True, minimum=0, unit="learners", example=24,
                   plausible=PEOPLE_RANGE),
            Column("territory_id", I, "Where the learners live.", references=TERRITORIES_SHEET,
                   blank_means="the organisation's territory", example="3212"),
        ),
        row_meaning="one cohort (an offer, a start year, optionally a home territory)",
        details=(
            "Cohorts already running when the plan starts. They use trainer and site hours "
            "in every planning year they run (start_year .. start_year + duration_years - 1)"
            ", cost what they cost in those years (in the total and in the budget of the "
            "offer's programme), and their completers count for coverage in their "
            "completion year. They count in no programme target. A cohort that completed "
            "before first_year is ignored, with a warning."
        ),
    ),
    Sheet(
        SCENARIOS_SHEET, False,
        "Declarative edits of the base data, one scenario per name.",
        (
            Column("scenario", T, "Scenario name.", required=True,
                   example="more_electrochemistry_trainers"),
            Column("sheet", T, "Sheet to edit.", required=True, example="Trainers"),
            Column("column", T, "Column to edit.", required=True, example="available_hours"),
            Column("where_column", T, "Only rows whose where_column ...",
                   blank_means="every row", example="skill"),
            Column("where_value", T, "... equals this value.", example="electrochemistry"),
            Column("operation", T, "set (replace), scale (multiply) or add.", required=True,
                   choices=("set", "scale", "add"), example="scale"),
            Column("value", T, "Value to set, factor or amount.", required=True,
                   example=1.2),
        ),
        row_meaning="one edit",
        details=(
            'Rows with the same scenario name form one scenario; its edits apply in order'
            ' to the base data before solving. set replaces, scale multiplies, add adds '
            'value to the column, in the rows whose where_column equals where_value '
            '(every row when where_column is blank). Nothing is evaluated: no formulas, '
            'no code, no queries.'
        ),
    ),
)

SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

IDENTIFIER_SHEETS: dict[str, Sheet] = {s.name: s for s in SHEETS if s.identifier}

AUXILIARY_SHEETS: dict[str, str] = {
    GUIDE_SHEET: "written by the planner: what the workbook is for, how to fill it, every "
             "sheet, column and setting",
    LISTS_SHEET: "written by the planner: the values its drop-down lists offer (skills, "
             "setting keys)",
    SOURCES_SHEET: "in an example: where each figure comes from, or how it was estimated",
}
"""Sheets the planner writes for people, never reads as planning data.

The reader skips them silently (they are not unknown sheets)."""

EDIT_LOG_COLUMNS = ("scenario", "scenarios_row", "sheet", "column", "where", "operation",
                    "value", "rows_changed", "change", "problem")
"""A scenario's edit log: one row per Scenarios row as applied (what it changed, or its
problem); the ``Edits`` sheet of the scenario's result workbook and of the comparison.
Declared here, below both the scenario edits that write it and the comparison that reads it."""
