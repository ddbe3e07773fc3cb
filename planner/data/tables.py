"""The validated, typed planning data: the only thing the model sees.

Each input sheet becomes one pandas table whose columns are the schema's
columns in schema order (blank optional cells hold their default, or NaN /
None where a blank has a meaning such as "unlimited"), followed by any
unknown columns the planner added (kept, never dropped), and ``_row``: the
Excel row the record came from (``None`` for generated data), so that any
later message can point back at the input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable, Mapping

import pandas as pd

from planner.data.schema import (
    DEMAND_SHEET, IN_TRAINING_SHEET, JOB_FAMILIES_SHEET, OFFERS_SHEET, ORGANISATIONS_SHEET,
    PROGRAMMES_SHEET, SCENARIOS_SHEET, SETTINGS, SETTINGS_SHEET, SHEETS, SHEET_BY_NAME, STAGES,
    TERRITORIES_SHEET, TRAINERS_SHEET, TRAINER_HIRING_SHEET, TRAVEL_SHEET, Column, Kind,
)
from planner.errors import Issue

ROW = "_row"
"""Column holding the Excel row number of each record."""


@dataclass(frozen=True)
class Settings:
    """The Settings sheet, typed, with SPEC defaults."""

    first_year: int
    last_year: int
    scenario_name: str = "baseline"
    max_travel_minutes: float = 60.0
    integer_sessions: bool = True
    objective_stages: tuple[str, ...] = STAGES
    stage_tolerance: float = 1e-6
    time_limit_seconds: float = 300.0
    mip_gap: float = 0.001
    mobility_cost_per_minute: float = 0.0
    detour_factor: float = 1.3
    average_speed_kmh: float = 70.0
    intra_territory_minutes: float = 15.0

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "Settings":
        """Settings from already typed values; missing keys take the default."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in values.items() if k in known and v is not None}
        stages = kwargs.get("objective_stages")
        if isinstance(stages, str):
            kwargs["objective_stages"] = parse_stages(stages)
        for key in ("first_year", "last_year"):
            if key in kwargs:
                kwargs[key] = int(kwargs[key])
        return cls(**kwargs)

    def as_rows(self) -> list[tuple[str, Any]]:
        """Every setting as (key, value) in schema order, as a planner writes it."""
        rows = []
        for column in SETTINGS:
            value = getattr(self, column.name)
            if column.name == "objective_stages":
                value = ",".join(value)
            rows.append((column.name, value))
        return rows


def parse_stages(text: str) -> tuple[str, ...]:
    """``"unmet, cost"`` -> ``("unmet", "cost")`` (validation checks the names)."""
    return tuple(s.strip().lower() for s in str(text).replace(";", ",").split(",") if s.strip())


@dataclass
class PlanningData:
    """Validated planning data: settings and one typed table per sheet."""

    settings: Settings
    tables: dict[str, pd.DataFrame]
    source: str | None = None
    warnings: tuple[Issue, ...] = field(default_factory=tuple)
    derived: Any = field(default=None, init=False, repr=False, compare=False)
    """The facts derived from this data (:func:`planner.derived.derive`), set once it is
    validated; a copy or a data with other settings starts without them."""

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        return self.tables[sheet]

    @property
    def territories(self) -> pd.DataFrame:
        return self.tables[TERRITORIES_SHEET]

    @property
    def families(self) -> pd.DataFrame:
        return self.tables[JOB_FAMILIES_SHEET]

    @property
    def organisations(self) -> pd.DataFrame:
        return self.tables[ORGANISATIONS_SHEET]

    @property
    def offers(self) -> pd.DataFrame:
        return self.tables[OFFERS_SHEET]

    @property
    def demand(self) -> pd.DataFrame:
        return self.tables[DEMAND_SHEET]

    @property
    def trainers(self) -> pd.DataFrame:
        return self.tables[TRAINERS_SHEET]

    @property
    def hiring(self) -> pd.DataFrame:
        return self.tables[TRAINER_HIRING_SHEET]

    @property
    def programmes(self) -> pd.DataFrame:
        return self.tables[PROGRAMMES_SHEET]

    @property
    def travel(self) -> pd.DataFrame:
        return self.tables[TRAVEL_SHEET]

    @property
    def in_training(self) -> pd.DataFrame:
        return self.tables[IN_TRAINING_SHEET]

    @property
    def scenarios(self) -> pd.DataFrame:
        return self.tables[SCENARIOS_SHEET]

    def with_settings(self, **changes: Any) -> "PlanningData":
        return replace(self, settings=replace(self.settings, **changes))

    def copy(self) -> "PlanningData":
        return replace(self, tables={k: v.copy() for k, v in self.tables.items()})


def default_of(column: Column) -> Any:
    """The value a blank cell of ``column`` takes in the typed table."""
    if column.default is not None:
        return column.default
    if column.kind in (Kind.NUMBER, Kind.INTEGER, Kind.YEAR):
        return math.nan
    return None


def typed_table(sheet_name: str, records: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    """A typed table from records holding already-parsed values.

    Missing or blank schema columns take their default; unknown keys are
    kept after the schema columns; ``_row`` is kept when given.  No
    validation happens here: see :mod:`planner.data.check.validate`.
    """
    sheet = SHEET_BY_NAME[sheet_name]
    if not isinstance(records, (list, tuple)):
        records = list(records)
    columns = {column.name: [record.get(column.name) for record in records]
               for column in sheet.columns}
    for record in records:
        for key in record:
            if key not in sheet.column_by_name and key != ROW and key not in columns:
                columns[key] = [other.get(key, math.nan) for other in records]
    return typed_columns(sheet_name, columns, [record.get(ROW) for record in records])


def typed_columns(sheet_name: str, columns: Mapping[str, list[Any]],
                  rows: list[Any]) -> pd.DataFrame:
    """:func:`typed_table` from values given column by column (one per row of ``rows``).

    A column absent from ``columns`` takes its default everywhere; names that
    are not schema columns are kept after them.  Column by column costs 8 bytes
    a cell where a dict per record costs about 50.
    """
    sheet = SHEET_BY_NAME[sheet_name]
    data: dict[str, list[Any]] = {}
    for column in sheet.columns:
        fill = default_of(column)
        given = columns.get(column.name)
        data[column.name] = [fill] * len(rows) if given is None else [
            fill if _blank(v) else v for v in given]
    extra = [key for key in columns if key not in sheet.column_by_name and key != ROW]
    for key in extra:
        data[key] = list(columns[key])
    data[ROW] = list(rows)
    frame = pd.DataFrame(data, columns=[*(c.name for c in sheet.columns), *extra, ROW])
    for column in sheet.columns:
        frame[column.name] = _coerce(frame[column.name], column)
    frame[ROW] = frame[ROW].astype(object)
    return frame


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _coerce(series: pd.Series, column: Column) -> pd.Series:
    if column.kind in (Kind.NUMBER, Kind.INTEGER):
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if column.kind is Kind.YEAR:
        numbers = pd.to_numeric(series, errors="coerce")
        return numbers.astype("Int64") if numbers.isna().any() else numbers.astype("int64")
    if column.kind is Kind.BOOLEAN:
        return series.astype(bool)
    # Built as an object array: pandas >= 3 stores a str/None column as its string
    # dtype, where a blank becomes NaN, a truthy float (SPEC: blank = "none").
    values = [None if _blank(v) else str(v).strip() for v in series.tolist()]
    return pd.Series(values, index=series.index, name=series.name, dtype=object)


def planning_data(settings: Settings | Mapping[str, Any],
                  tables: Mapping[str, Iterable[Mapping[str, Any]] | pd.DataFrame],
                  source: str | None = None) -> PlanningData:
    """Planning data from records, every sheet present (optional ones empty).

    Meant for generated data (tests, the example, benchmark instances);
    a workbook goes through :func:`planner.data.load` which validates it.
    """
    if not isinstance(settings, Settings):
        settings = Settings.from_values(settings)
    built: dict[str, pd.DataFrame] = {}
    for sheet in SHEETS:
        if sheet.name == SETTINGS_SHEET:
            continue
        given = tables.get(sheet.name, ())
        if isinstance(given, pd.DataFrame):
            given = given.to_dict("records")
        built[sheet.name] = typed_table(sheet.name, given)
    return PlanningData(settings=settings, tables=built, source=source)
