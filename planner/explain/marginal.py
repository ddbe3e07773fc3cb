"""What relaxing each limit is worth (SPEC 4.5), from the LP relaxation, with its range.

The ``unmet`` stage is re-solved as an LP (sessions and hires may be
fractional), on the same data, with the bounds of the stages before it
kept and those of the later stages dropped.  Its duals say how much
weighted unmet demand at the last year one more unit of a limit removes,
and HiGHS's ranging (``Highs.getRanging``) says how far that holds: the
right-hand side of a binding row (or the bound of a column at its bound)
can rise that much before the optimal basis changes; within it, the
reduction is exactly dual x change.

One row per input cell a planner would change (the limit), its value per
unit summed over the years where it binds (raising the cell raises every
year's row at once):

- trainer pool (territory, skill): ``Trainers.available_hours``, the
  ``TrainerHours`` rows, in trainer hours a year;
- site capacity (organisation): ``Organisations.capacity_hours``, the
  ``SiteCapacity`` rows, in site hours a year;
- offer maximum: ``Offers.max_sessions_per_year``, the ``Sessions`` columns
  at their upper bound (reduced costs), in sessions a year;
- ramp-up: ``Offers.max_new_sessions_per_year``, the ``RampUp`` rows;
- hiring maximum: ``TrainerHiring.max_new_per_year``, the ``Hires``
  columns at their upper bound;
- budget: ``Programmes.budget``, the ``Budget`` row, in EUR;
- travel limit: ``Territories.max_travel_minutes`` of the worst-served
  territories, by re-solving the relaxation with 15 more minutes (a dual
  cannot tell it: the access set itself changes).

Each row's **step** is the natural unit (one trainer's hours, 100 site
hours, one session, one hire, 10,000 EUR, 15 minutes) when the range
allows it, else the largest round number within the range (when several
years' rows move together: the 100 % rule, ``1 / sum(1 / range_y)``).
Its reduction is value x step, its cost the input's price of that step
where the input gives one (a trainer's cost per hour from TrainerHiring, a
session's cost and its learners', the budget itself).  Limits with the
same kind, value, step, years and current value are one row (ties).

HiGHS's row duals are d(objective)/d(right-hand side): negative for a
binding ``<=`` row of a minimisation, hence the minus signs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import highspy
import numpy as np
import pandas as pd

from planner.config import Progress, SolveOptions, quiet
from planner.explain.limits import LimitBook
from planner.model import build_model
from planner.results import Results
from planner.solve import HighsEngine, Solution, StageStatus, compile_model
from planner.solve.engine import LpSnapshot
from planner.words import year_span

DEFAULT_HOURS_PER_TRAINER = 810.0
SITE_STEP_HOURS = 100.0
BUDGET_STEP_EUR = 10_000.0
TRAVEL_STEP_MINUTES = 15.0
NEGLIGIBLE = 1e-7
PRIMAL_SIMPLEX = 4
"""HiGHS's ``simplex_strategy`` value for the primal simplex method."""
RANKED_TESTS = 10
"""Rows (the best ranked) that get a Scenarios row to test them."""

MARGINAL_COLUMNS = [
    "rank", "limit", "what", "limits", "years", "current_value", "unit", "step",
    "unmet_weighted_reduction", "holds_up_to", "value_per_unit", "step_cost_eur",
    "cost_per_person_eur", "sheet", "rows", "column", "test_scenario", "test_sheet",
    "test_column", "test_where_column", "test_where_value", "test_operation", "test_value"]
"""One row per limit (or per group of tied limits), ranked by the reduction of its step."""

NOTE = ("Values from the LP relaxation of the 'unmet' stage (sessions and hires may be "
        "fractional; earlier stages' optima kept): the reduction of weighted unmet demand at "
        "the last year for the step shown, which stays within the range where the LP's "
        "value holds (HiGHS ranging). Read them as a ranking; test a change with its "
        "Scenarios row.")


@dataclass
class Ranging:
    """How far each binding row's upper side, and each column's upper bound, may rise
    with the optimal basis unchanged (HiGHS's ``row_bound_up`` / ``col_bound_up``)."""

    row_up: np.ndarray
    col_up: np.ndarray


@dataclass
class Relaxation(LpSnapshot):
    """The solved LP relaxation of the ``unmet`` stage, and how far its values hold."""

    earlier_limits: dict[str, float] = field(default_factory=dict)
    ranging: Ranging | None = None


def relax_unmet(solution: Solution) -> Relaxation | None:
    """Solve the LP relaxation of the ``unmet`` stage on the solved model, with ranging.

    The HiGHS model of the solve is reused (bounds of ``unmet`` and later
    stages released, integrality dropped) and restored afterwards.  An LP
    starts from the ``unmet`` stage's own optimal basis (no pivot); a MIP
    cold, with interior point.
    """
    names = [s.stage for s in solution.stages]
    engine = solution.engine
    if "unmet" not in names or engine is None or not solution.usable:
        return None
    position = names.index("unmet")
    earlier = {s.stage: s.limit_added for s in solution.stages[:position]
               if s.limit_added is not None}
    h = engine.highs
    compiled = solution.compiled
    released = {s: r for s, r in engine.bound_rows.items() if names.index(s) >= position}
    lp = h.getLp()
    saved_upper = {s: lp.row_upper_[r] for s, r in released.items()}
    for r in released.values():
        h.changeRowBounds(r, -highspy.kHighsInf, highspy.kHighsInf)
    engine.relax_integrality()
    engine.set_costs(compiled.stage_vector("unmet"))
    method = engine.method
    start = _stage_basis(solution, h.getNumRow())
    engine.method = "simplex" if start is not None else "ipm"  # a MIP leaves no LP basis
    try:
        if start is not None:
            h.setBasis(start)
        status = engine.run().status
        if status is not StageStatus.OPTIMAL:
            return None
        ranging = _ranging(engine, compiled.num_row)
        snap = engine.snapshot(compiled.offsets["unmet"])
        relaxation = Relaxation(snap.objective, snap.row_dual, snap.col_dual, snap.row_value,
                                snap.col_value, snap.basis, earlier_limits=earlier,
                                ranging=ranging)
    finally:
        for s, r in released.items():
            h.changeRowBounds(r, -highspy.kHighsInf, saved_upper[s])
        engine.relax_integrality(False)
        engine.method = method
    return relaxation


def _stage_basis(solution: Solution, num_rows: int) -> Any:
    """The ``unmet`` stage's own optimal basis (an LP), rows added since made basic."""
    kept = solution.unmet_lp
    if kept is None or kept.basis is None or not kept.basis.valid:
        return None
    basis = highspy.HighsBasis()
    basis.col_status = list(kept.basis.col_status)
    rows = list(kept.basis.row_status)
    basis.row_status = rows + [highspy.HighsBasisStatus.kBasic] * (num_rows - len(rows))
    basis.valid = True
    return basis


def _ranging(engine: HighsEngine, num_rows: int) -> Ranging | None:
    """HiGHS's ranging of the LP just solved (a simplex pass first when it needs one)."""
    h = engine.highs
    status, ranging = h.getRanging()
    if status != highspy.HighsStatus.kOk or not ranging.valid:
        engine.method = "simplex"  # from the optimal point just found: a clean-up pass
        if engine.run().status is not StageStatus.OPTIMAL:
            return None
        status, ranging = h.getRanging()
        if status != highspy.HighsStatus.kOk or not ranging.valid:
            return None
    return Ranging(row_up=np.asarray(ranging.row_bound_up.value_, dtype=float)[:num_rows],
                   col_up=np.asarray(ranging.col_bound_up.value_, dtype=float))


@dataclass
class _Limit:
    """One input cell a planner would change, and what its rows say."""

    kind: str
    what: str
    unit: str
    natural_step: float
    sheet: str
    column: str
    current: float | None
    test: tuple[str, str, str] | None
    """(where_column, where_value, name stem) of the Scenarios row that tests it."""
    unit_cost: float | None = None
    rows: list[int] = field(default_factory=list)
    years: dict[int | None, float] = field(default_factory=dict)
    ranges: list[float] = field(default_factory=list)
    """Each binding row's range (units it may rise); inf where unlimited; empty: unknown."""
    exact: float | None = None
    """A value measured by re-solving (travel): the reduction of the natural step itself."""

    def add(self, year: int | None, value: float, up_range: float | None,
            row: int | None) -> None:
        self.years[year] = self.years.get(year, 0.0) + value
        if up_range is not None:
            self.ranges.append(up_range)
        if row is not None and row not in self.rows:
            self.rows.append(row)


def marginal_values(solution: Solution, results: Results, relaxation: Relaxation | None,
                    travel_territories: int = 5, progress: Progress = quiet) -> pd.DataFrame:
    """The ranked marginal values (empty when there is no ``unmet`` stage).

    One row per limit (a trainer pool, a site, an offer's maximum or
    ramp-up, a hiring maximum, a budget, a territory's travel limit), or
    per group of tied limits.
    """
    if relaxation is None:
        return pd.DataFrame(columns=MARGINAL_COLUMNS)
    d = solution.plan.derived
    book = LimitBook(d)
    compiled = solution.compiled
    rg = relaxation.ranging
    limits: dict[tuple[str, str], _Limit] = {}

    def limit(key: tuple[str, str], make: Any) -> _Limit:
        if key not in limits:
            limits[key] = make()
        return limits[key]

    def row_range(i: int) -> float | None:
        if rg is None:
            return None
        return max(0.0, float(rg.row_up[i] - compiled.row_upper[i]))

    def col_range(j: int) -> float | None:
        if rg is None:
            return None
        return max(0.0, float(rg.col_up[j] - compiled.col_upper[j]))

    for i, (name, index) in enumerate(compiled.row_keys):
        value = -relaxation.row_dual[i]
        if value <= NEGLIGIBLE:
            continue
        described = book.row((name, index))
        if described is None:
            continue
        row = described.first_source.row if described.first_source else None
        if described.kind == "trainer pool":
            t, k, y = index
            hiring = d.hiring.get((t, k))
            hours = hiring.hours_per_trainer if hiring else DEFAULT_HOURS_PER_TRAINER
            cost = (hiring.cost_per_trainer_year / hiring.hours_per_trainer
                    if hiring and hiring.cost_per_trainer_year else None)
            entry = limit(("trainer pool", f"{t}|{k}"), lambda: _Limit(
                "trainer pool", f"{k} trainers in {book.territory(t)}",
                "trainer hours a year", hours, "Trainers", "available_hours",
                d.available_hours.get((t, k, y), 0.0), ("territory_id", t, f"{k}_{t}"),
                unit_cost=cost))
        elif described.kind == "site capacity":
            o, y = index
            entry = limit(("site capacity", o), lambda: _Limit(
                "site capacity", f"site hours at {book.organisation(o)}",
                "site hours a year", SITE_STEP_HOURS, "Organisations", "capacity_hours",
                d.site_capacity[o], ("org_id", o, f"site_{o}")))
        elif described.kind == "ramp-up":
            p, y = index
            o = d.offers[p]
            entry = limit(("ramp-up", p), lambda: _Limit(
                "ramp-up", f"ramp-up of offer {p} at {book.organisation(o.org_id)}",
                "more sessions a year of growth", 1.0, "Offers",
                "max_new_sessions_per_year", o.max_new, ("offer_id", p, f"rampup_{p}"),
                unit_cost=_session_cost(o, d)))
        elif described.kind == "budget":
            g = index[0] if isinstance(index, tuple) else index
            entry = limit(("budget", g), lambda: _Limit(
                "budget", f"budget of programme {g}", "EUR", BUDGET_STEP_EUR, "Programmes",
                "budget", d.budgets[g], ("programme_id", g, f"budget_{g}"), unit_cost=1.0))
            y = None
        else:
            continue
        entry.add(y, value, row_range(i), row)
    for j, (name, index) in enumerate(compiled.column_keys):
        value = -relaxation.col_dual[j]
        if value <= NEGLIGIBLE or name not in ("Sessions", "Hires"):
            continue
        if relaxation.col_value[j] < compiled.col_upper[j] - 1e-9:
            continue
        if name == "Sessions":
            p, y = index
            o = d.offers[p]
            entry = limit(("offer maximum", p), lambda: _Limit(
                "offer maximum", f"offer {p} at {book.organisation(o.org_id)}",
                "more sessions a year", 1.0, "Offers", "max_sessions_per_year",
                o.max_sessions, ("offer_id", p, f"max_{p}"), unit_cost=_session_cost(o, d)))
            entry.add(y, value, col_range(j), o.row)
        else:
            t, k, y = index
            hiring = d.hiring[(t, k)]
            entry = limit(("hiring maximum", f"{t}|{k}"), lambda: _Limit(
                "hiring maximum", f"{k} trainers hired a year in {book.territory(t)}",
                "more hires a year", 1.0, "TrainerHiring", "max_new_per_year",
                hiring.max_new_per_year, ("territory_id", t, f"hiring_{k}_{t}"),
                unit_cost=hiring.cost(d.first_year, d.last_year) or None))
            entry.add(y, value, col_range(j), hiring.row)
    for record in _travel_records(solution, results, relaxation, book, travel_territories,
                                  progress):
        key = ("travel limit", record["what"])
        entry = limits.setdefault(key, _Limit(
            "travel limit", record["what"], "more minutes", TRAVEL_STEP_MINUTES,
            "Territories", "max_travel_minutes", record["current"],
            ("territory_id", record["territory"], f"travel_{record['territory']}")))
        entry.add(None, record["value"] / TRAVEL_STEP_MINUTES, None, record["row"])
        entry.exact = record["value"]
    return _ranked(limits.values())


def _session_cost(o: Any, d: Any) -> float | None:
    """One more session of offer ``o`` started in first_year, seats filled: its cost."""
    years = o.years_run(d.first_year, d.first_year, d.last_year)
    cost = years * (o.cost_per_session + o.seats * o.cost_per_learner)
    return float(cost) if cost > 0 else None


def nice_floor(value: float) -> float:
    """The largest 1, 2 or 5 times a power of ten that is at most ``value`` (> 0)."""
    if not value > 0 or not math.isfinite(value):
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    for mantissa in (5.0, 2.0, 1.0):
        if mantissa * power <= value * (1 + 1e-12):
            return mantissa * power
    return power


def _holds_up_to(ranges: list[float]) -> float | None:
    """How far every row may rise together (the 100 % rule); None when unknown."""
    if not ranges:
        return None
    inverse = sum(0.0 if math.isinf(r) else (math.inf if r <= 0 else 1.0 / r) for r in ranges)
    return math.inf if inverse == 0 else (0.0 if math.isinf(inverse) else 1.0 / inverse)


def _row(e: _Limit) -> dict[str, Any]:
    years = sorted(y for y in e.years if y is not None)
    per_unit = float(sum(e.years.values()))
    if e.exact is not None:
        step, reduction, holds = e.natural_step, e.exact, e.natural_step
    else:
        holds = _holds_up_to(e.ranges)
        if holds is None or holds >= e.natural_step * (1 - 1e-9):
            step = e.natural_step
        else:
            step = nice_floor(holds)
        reduction = per_unit * step if step > 0 else None
        step = step if step > 0 else None
    cost = e.unit_cost * step if e.unit_cost is not None and step else None
    current = e.current
    if current is not None and isinstance(current, float) and math.isnan(current):
        current = None
    return {
        "limit": e.kind, "what": e.what, "limits": 1, "years": year_span(years),
        "current_value": None if current is None else float(current), "unit": e.unit,
        "step": step, "unmet_weighted_reduction": reduction,
        "holds_up_to": None if holds is None or math.isinf(holds) else float(holds),
        "value_per_unit": per_unit, "step_cost_eur": cost,
        "cost_per_person_eur": (cost / reduction if cost is not None and reduction
                                else None),
        "sheet": e.sheet, "rows": ", ".join(str(r) for r in sorted(e.rows)),
        "column": e.column, "_test": e.test,
    }


def _tie_key(r: dict[str, Any]) -> tuple[Any, ...]:
    def rounded(v: Any) -> Any:
        return None if v is None else float(f"{v:.6g}")
    return (r["limit"], rounded(r["unmet_weighted_reduction"]), rounded(r["step"]), r["years"],
            rounded(r["current_value"]), rounded(r["step_cost_eur"]), r["unit"])


def _ranked(entries: Iterable[_Limit]) -> pd.DataFrame:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for e in entries:
        r = _row(e)
        groups.setdefault(_tie_key(r), []).append(r)
    records = []
    for members in groups.values():
        members.sort(key=lambda r: r["what"])
        first = dict(members[0])
        if len(members) > 1:
            first["limits"] = len(members)
            first["what"] = _tied_what(first["limit"], [m["what"] for m in members])
            rows = sorted({int(x) for m in members for x in m["rows"].split(", ") if x})
            first["rows"] = ", ".join(str(x) for x in rows)
            first["holds_up_to"] = min((m["holds_up_to"] for m in members
                                        if m["holds_up_to"] is not None), default=None)
        records.append(first)
    records.sort(key=lambda r: (-(r["unmet_weighted_reduction"] or 0.0), r["limit"], r["what"]))
    for rank, r in enumerate(records, start=1):
        r["rank"] = rank
        test = r.pop("_test")
        shown = rank <= RANKED_TESTS and test is not None and r["step"]
        where_column, where_value, stem = test if shown else (None, None, None)
        r.update({
            "test_scenario": _scenario_name(stem, r["step"]) if shown else None,
            "test_sheet": r["sheet"] if shown else None,
            "test_column": r["column"] if shown else None,
            "test_where_column": where_column, "test_where_value": where_value,
            "test_operation": "add" if shown else None,
            "test_value": r["step"] if shown else None,
        })
    frame = pd.DataFrame(records, columns=MARGINAL_COLUMNS)
    for column in ("current_value", "step", "unmet_weighted_reduction", "holds_up_to",
                   "value_per_unit", "step_cost_eur", "cost_per_person_eur", "test_value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["rank"] = frame["rank"].astype(int)
    frame["limits"] = frame["limits"].astype(int)
    return frame.reset_index(drop=True)


def _tied_what(kind: str, whats: list[str]) -> str:
    """``12 offers tied: offer A at ..., offer B at ... and 9 more``."""
    shown = "; ".join(whats[:3])
    more = f" and {len(whats) - 3} more" if len(whats) > 3 else ""
    noun = {"trainer pool": "pools", "site capacity": "sites", "offer maximum": "offers",
            "ramp-up": "offers", "hiring maximum": "pools", "budget": "programmes",
            "travel limit": "territories"}.get(kind, "limits")
    return f"{len(whats)} {noun}, each worth the same: {shown}{more}"


def _scenario_name(stem: str, step: float) -> str:
    """A Scenarios name for the test: ``max_OF045-IPRO_plus_1``, file-safe."""
    amount = f"{step:g}".replace(".", "_")
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"{stem}_plus_{amount}")[:60]


def _travel_records(solution: Solution, results: Results, relaxation: Relaxation,
                    book: LimitBook, count: int, progress: Progress) -> list[dict[str, Any]]:
    """Re-solve the relaxation with +15 minutes for each of the worst-served territories.

    One model serves every probe: it is built with all the probed
    territories' limits raised, the learner flows that only the raised
    limits allow are held at zero, and each probe releases one territory's
    flows and re-optimises from the relaxation's optimal basis.
    """
    if count <= 0:
        return []
    data = solution.plan.data
    unmet = results.unmet.groupby("territory_id")["unmet_weighted"].sum()
    worst = list(unmet[unmet > NEGLIGIBLE].sort_values(ascending=False).head(count).index)
    if not worst:
        return []
    limits = data.territories.set_index("territory_id")["max_travel_minutes"].fillna(
        data.settings.max_travel_minutes)
    rows = dict(zip(data.territories["territory_id"], data.territories["_row"]))
    probe = _TravelProbe(solution, relaxation, {t: float(limits[t]) + TRAVEL_STEP_MINUTES
                                                for t in worst})
    records = []
    for k, t in enumerate(worst, start=1):
        progress(f"marginal values: travel limit +{TRAVEL_STEP_MINUTES:g} min for "
                 f"{book.territory(t)} ({k}/{len(worst)})")
        value = relaxation.objective - probe.unmet_with_wider_limit(t)
        if value > NEGLIGIBLE:
            records.append(dict(what=f"travel limit of {book.territory(t)}", territory=t,
                                value=value, row=rows.get(t), current=float(limits[t])))
    return records


class _TravelProbe:
    """The LP relaxation of the ``unmet`` stage with some territories' limits raised.

    Built once with every probed territory's limit raised; the flows only
    the raised limits allow are held at zero, so the model is the base
    relaxation plus idle columns, and the base relaxation's optimal basis
    (idle columns non-basic at zero) is optimal for it.  Each probe starts
    from that basis, releases one territory's new flows and re-optimises:
    a few primal simplex pivots instead of a solve from scratch.
    """

    def __init__(self, solution: Solution, relaxation: Relaxation,
                 raised: dict[str, float]) -> None:
        data = solution.plan.data.copy()
        terr = data.tables["Territories"]
        for t, minutes in raised.items():
            terr.loc[terr["territory_id"] == t, "max_travel_minutes"] = minutes
        names = [s.stage for s in solution.stages]
        stages = tuple(names[:names.index("unmet") + 1])
        data = data.with_settings(integer_sessions=False, objective_stages=stages)
        plan = build_model(data)
        compiled = compile_model(plan)
        self.base_objective = relaxation.objective
        self.offset = compiled.offsets["unmet"]
        engine = HighsEngine(compiled, SolveOptions(lp_method="simplex"),
                             data.settings.time_limit_seconds, data.settings.mip_gap)
        # Released columns leave the start basis primal feasible: primal simplex
        # re-optimises in a few pivots (74 at N = 3, where the default dual
        # simplex took 23,599).
        engine.highs.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        for stage, limit in relaxation.earlier_limits.items():
            costs = compiled.stage_vector(stage)
            engine.add_stage_bound(stage, costs, limit - compiled.offsets[stage])
        engine.set_costs(compiled.stage_vector("unmet"))
        old_pairs = set(zip(solution.plan.derived.access["territory_id"],
                            solution.plan.derived.access["offer_id"]))
        column = compiled.column_of()
        learners = plan.model.Learners
        self.new_flows: dict[str, np.ndarray] = {}
        for t in raised:
            cols = [column[id(learners[key])] for key in plan.derived.flow_index
                    if key[0] == t and (key[0], key[1]) not in old_pairs
                    and id(learners[key]) in column]
            self.new_flows[t] = np.array(cols, dtype=np.int32)
        self.engine = engine
        self._hold(list(raised), hold=True)
        self.start = _mapped_basis(solution, relaxation, compiled, engine)

    def _hold(self, territories: list[str], hold: bool) -> None:
        cols = np.concatenate([self.new_flows[t] for t in territories]) if territories else []
        if len(cols):
            upper = np.zeros(len(cols)) if hold else np.full(len(cols), highspy.kHighsInf)
            self.engine.highs.changeColsBounds(len(cols), cols, np.zeros(len(cols)), upper)

    def unmet_with_wider_limit(self, territory: str) -> float:
        """The relaxed ``unmet`` optimum with only ``territory``'s wider limit."""
        if not len(self.new_flows[territory]):
            return self.base_objective  # no organisation within the extra minutes
        if self.start is not None:
            self.engine.highs.setBasis(self.start)
        self._hold([territory], hold=False)
        try:
            status = self.engine.run().status
            if status is not StageStatus.OPTIMAL:
                return self.base_objective
            return float(self.engine.highs.getInfo().objective_function_value) + self.offset
        finally:
            self._hold([territory], hold=True)


def _mapped_basis(solution: Solution, relaxation: Relaxation, compiled: Any,
                  engine: HighsEngine) -> Any:
    """The relaxation's basis carried over to the probe model (None when unusable).

    Rows and columns are matched by component and index; the probe model's
    extra columns are non-basic at their lower bound (they are held at zero);
    the stage bound rows by stage.  The result is checked by HiGHS: an
    inconsistent basis is refused and the probes start cold.
    """
    base = relaxation.basis
    if base is None or not base.valid:
        return None
    base_cols = {key: j for j, key in enumerate(solution.compiled.column_keys)}
    base_rows = {key: i for i, key in enumerate(solution.compiled.row_keys)}
    col_status = list(base.col_status)
    row_status = list(base.row_status)
    at_lower = highspy.HighsBasisStatus.kLower
    basis = highspy.HighsBasis()
    basis.col_status = [col_status[base_cols[key]] if key in base_cols else at_lower
                        for key in compiled.column_keys]
    rows = [row_status[base_rows[key]] for key in compiled.row_keys]
    for stage in relaxation.earlier_limits:  # added in the same order as in the solve
        rows.append(row_status[solution.engine.bound_rows[stage]])  # type: ignore[union-attr]
    basis.row_status = rows
    basis.valid = True
    if engine.highs.setBasis(basis) != highspy.HighsStatus.kOk:
        return None
    return basis
