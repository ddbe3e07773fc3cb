"""The briefing: what the plan answers, in words, for the Overview sheet and the console.

:func:`overview` makes the lines from the result tables, the run record
and (when computed) the explanations; the ``Overview`` sheet writes them
with a link to the sheet that gives the detail, and :func:`overview_lines`
gives the same words for a command's last lines.  Every figure is read
from the tables it quotes: the lines say nothing the workbook does not.

The questions, in order: how much of the last year's demand is covered,
where and why the rest is not, whether the programmes' targets are met,
what it costs, which limits are worth relaxing first, and whether each
stage's figure can be trusted (its proven gap, in its own unit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from planner.report.sheets import names

if TYPE_CHECKING:
    from planner.data.tables import PlanningData
    from planner.explain import Explanations
    from planner.report.run import RunRecord
    from planner.results import Results

SHOWN_PLACES = 3
"""Territories and families named where most demand is left."""
RELAX_FIRST = 3
"""Limits named as worth relaxing first."""

STAGE_UNITS = {
    "targets": "of a programme target (shares summed)",
    "unmet": "weighted people",
    "timeliness": "weighted people-years",
    "cost": "EUR",
    "travel": "learner-minutes",
}
"""The unit each stage's objective (and so its gap) is counted in."""

CAUSE_WORDS = {
    "ramp-up": "the yearly ramp-up of the offers within reach",
    "offer maximum": "offers within reach at their maximum",
    "site capacity": "site hours",
    "trainer pool": "trainer hours",
    "budget": "a programme budget",
    "no offer within reach": "no offer within the travel limit",
    "programmes too long": "programmes too long to complete in time",
    "used elsewhere first": "capacity used for other territories first",
}


@dataclass(frozen=True)
class OverviewLine:
    """One line of the briefing: its topic, what it says, and the sheet with the detail."""

    topic: str
    says: str
    see: str = ""


def overview_lines(results: Results, run: RunRecord,
                   explanations: Explanations | None = None,
                   data: PlanningData | None = None) -> list[str]:
    """The briefing as plain lines (``topic: says``), the Overview sheet's own words.

    ``data`` gives the territories' and families' names (identifiers without it).
    """
    return [f"{line.topic}: {line.says}" for line in overview(results, run, explanations,
                                                               data)]


def overview(results: Results, run: RunRecord, explanations: Explanations | None = None,
             data: PlanningData | None = None) -> list[OverviewLine]:
    """The briefing's lines, in the order a planner asks the questions."""
    first, last = _years(run, results)
    names = _Names(data)
    m = dict(zip(results.summary["metric"], results.summary["value"]))
    lines = [_question(m, first, last)]
    lines.append(_coverage(m, last))
    lines += _where(results, names, last)
    why = _why(results, explanations)
    if why is not None:
        lines.append(why)
    lines += _programmes(results.programmes)
    lines.append(_cost(m, first, last))
    lines += _relax_first(explanations)
    lines += _trust(run, m)
    return lines


class _Names:
    def __init__(self, data: PlanningData | None) -> None:
        self.territories: dict[str, str] = {}
        self.families: dict[str, str] = {}
        if data is not None:
            self.territories = names(data.territories, "territory_id")
            self.families = names(data.families, "family_id")

    def territory(self, t: Any) -> str:
        return self.territories.get(str(t), str(t))

    def family(self, j: Any) -> str:
        return self.families.get(str(j), str(j))


def _years(run: RunRecord, results: Results) -> tuple[int, int]:
    settings = dict(run.settings)
    years = results.coverage["year"] if len(results.coverage) else pd.Series([0])
    first = settings.get("first_year", int(years.min()))
    last = settings.get("last_year", int(years.max()))
    return int(first), int(last)


def people(value: Any) -> str:
    """Whole people with thousands separators (``42,443``)."""
    return f"{float(value):,.0f}"


def _question(m: dict[str, Any], first: int, last: int) -> OverviewLine:
    return OverviewLine(
        "Question", f"scenario {m.get('scenario', '')}: {people(m['demand_people'])} people "
        f"to train for over {first}-{last}, as few as possible left untrained at the end of "
        f"{last}.", "Summary")


def _coverage(m: dict[str, Any], last: int) -> OverviewLine:
    demand, unmet = float(m["demand_people"]), float(m["unmet_people"])
    return OverviewLine(
        f"Covered by {last}", f"{float(m['coverage_percent']):.1f} % of the demand: "
        f"{people(demand - unmet)} of {people(demand)} people trained and placed; "
        f"{people(unmet)} still untrained at the end of {last}.", "Unmet")


def _where(results: Results, names: _Names, last: int) -> list[OverviewLine]:
    unmet = results.unmet
    if float(unmet["unmet_people"].sum()) <= 1e-6:
        return []
    by_t = (unmet.groupby("territory_id")["unmet_people"].sum()
            .sort_values(ascending=False, kind="stable"))
    by_t = by_t[by_t > 0.5].head(SHOWN_PLACES)
    fam = unmet.groupby("family_id")[["unmet_people", "demand_people"]].sum()
    fam = fam.sort_values("unmet_people", ascending=False, kind="stable")
    fam = fam[fam["unmet_people"] > 0.5].head(SHOWN_PLACES)
    territories = ", ".join(f"{names.territory(t)} {people(v)}" for t, v in by_t.items())
    families = ", ".join(
        f"{names.family(j)} {people(r['unmet_people'])} "
        f"({100 * (1 - r['unmet_people'] / r['demand_people']):.0f} % covered)"
        if r["demand_people"] > 0 else f"{names.family(j)} {people(r['unmet_people'])}"
        for j, r in fam.iterrows())
    return [OverviewLine("Most left in", f"{territories}; by family: {families}.", "Charts")]


def _why(results: Results, explanations: Explanations | None) -> OverviewLine | None:
    if explanations is None or explanations.unmet_reasons is None:
        return None
    # imported here: the report needs no solver (planner.explain.unmet imports it)
    from planner.explain.unmet import main_cause
    causes = explanations.unmet_reasons.reindex(results.unmet.index).fillna("").map(main_cause)
    frame = pd.DataFrame({"cause": causes, "people": results.unmet["unmet_people"]})
    frame = frame[frame["people"] > 1e-6]
    total = float(frame["people"].sum())
    if total <= 0:
        return None
    shares = frame.groupby("cause")["people"].sum() / total
    order = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{CAUSE_WORDS.get(c, c or 'no reason given')} {100 * s:.0f} %"
             for c, s in order if s >= 0.005]
    return OverviewLine("What limits it", "main cause of the unmet people, by their share: "
                        + ", ".join(parts) + ".", "Unmet")


def _programmes(programmes: pd.DataFrame) -> list[OverviewLine]:
    lines = []
    for _, p in programmes.iterrows():
        parts = []
        for what, unit in (("modules", "modules"), ("persons", "persons")):
            target = p.get(f"{what}_target")
            if target is None or pd.isna(target) or not target:
                continue
            done = float(p["modules_delivered" if what == "modules" else "persons_trained"])
            short = float(p[f"{what}_shortfall"])
            state = "met" if short <= 1e-6 else f"NOT met, {people(short)} short"
            parts.append(f"{people(done)} {unit} of {people(target)} ({state})")
        budget = p.get("budget_eur")
        if budget is not None and not pd.isna(budget) and budget:
            parts.append(f"cost {_eur(p['cost_eur'])} of its {_eur(budget)} budget "
                         f"({100 * float(p['cost_eur']) / float(budget):.0f} %)")
        if not parts:
            continue
        met = all("NOT met" not in part for part in parts)
        verdict = "targets met" if met else "targets NOT met"
        lines.append(OverviewLine(f"{p['name'] or p['programme_id']}",
                                  f"{verdict}: " + "; ".join(parts) + ".", "Programmes"))
    return lines


def _eur(value: Any) -> str:
    v = float(value)
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} M EUR"
    return f"{v:,.0f} EUR"


def _cost(m: dict[str, Any], first: int, last: int) -> OverviewLine:
    cost = float(m["cost_eur"])
    placed = float(m["demand_people"]) - float(m["unmet_people"])
    per = f"; {cost / placed:,.0f} EUR per person covered" if placed > 0 else ""
    return OverviewLine("Cost", f"{_eur(cost)} over {first}-{last} (sessions, learners, "
                        f"travel, hires and the cohorts already in training){per}.",
                        "Sessions")


def _relax_first(explanations: Explanations | None) -> list[OverviewLine]:
    table = None if explanations is None else explanations.marginal_values
    if table is None:
        return [OverviewLine("Worth relaxing first", "not computed for this run (the "
                             "marginal values were switched off).", "MarginalValues")]
    rows = table[table["unmet_weighted_reduction"].fillna(0) > 0].head(RELAX_FIRST)
    if rows.empty:
        return [OverviewLine("Worth relaxing first", "no limit: one more unit of any limit "
                             "would not reduce unmet demand.", "MarginalValues")]
    lines = []
    for _, r in rows.iterrows():
        lines.append(OverviewLine(f"Worth relaxing #{int(r['rank'])}", relax_text(r),
                                  "MarginalValues"))
    return lines


def relax_text(r: pd.Series) -> str:
    """One MarginalValues row in words: the step, what it removes, its cost and its test."""
    step = _number(r["step"])
    what = str(r["what"])
    text = (f"{what}: +{step} {r['unit']}"
            + (f" in {r['years']}" if r.get("years") else "")
            + f" removes {float(r['unmet_weighted_reduction']):,.1f} weighted unmet people")
    holds = r.get("holds_up_to")
    if holds is not None and not pd.isna(holds) and float(holds) > float(r["step"]) * 1.0001:
        text += f" (holds up to +{_number(holds)})"
    cost = r.get("cost_per_person_eur")
    if cost is not None and not pd.isna(cost):
        text += f", {float(cost):,.0f} EUR per person"
    if r.get("test_scenario"):
        text += (f"; test: Scenarios row {r['test_scenario']}, {r['test_sheet']}, "
                 f"{r['test_column']}, {r['test_where_column']} = {r['test_where_value']}, "
                 f"add {_number(r['test_value'])}")
    return text + "."


def _number(value: Any) -> str:
    v = float(value)
    if abs(v - round(v)) < 1e-9:
        return f"{v:,.0f}"
    digits = max(1, 2 - int(math.floor(math.log10(abs(v))))) if v else 1
    return f"{v:,.{min(digits, 6)}f}".rstrip("0").rstrip(".")


def _trust(run: RunRecord, m: dict[str, Any]) -> list[OverviewLine]:
    settings = dict(run.settings)
    lines = []
    if m.get("interrupted") is True:
        lines.append(OverviewLine("Interrupted", "Ctrl-C stopped the solve: this is the best "
                                  "plan found until then.", "Run"))
    if settings.get("integer_sessions") is False:
        lines.append(OverviewLine("LP preview", "sessions and hires may be fractional (the LP "
                                  "relaxation): a quick preview, not a plan to run as is.",
                                  "Run"))
    for stage in run.stages:
        lines.append(OverviewLine(f"Trust: {stage.stage}" + (" (headline)" if stage.stage ==
                                                             "unmet" else ""),
                                  trust_text(stage), "Run"))
    return lines


def trust_text(stage: Any) -> str:
    """How far a stage's figure is proven, in its own unit."""
    unit = STAGE_UNITS.get(stage.stage, "")
    objective, bound, gap = stage.objective, stage.bound, stage.gap
    status = getattr(stage.status, "value", str(stage.status))
    if objective is None:
        return f"{status}: no figure."
    if stage.stage == "targets" and abs(float(objective)) <= 1e-9:
        return f"{status}: every programme target met."
    shown = _figure(objective, unit)
    if bound is None or gap is None or not math.isfinite(float(gap)):
        return (f"{status}, {shown}; no bound proven (a limit stopped the search): how far "
                "from the best is not known.")
    distance = max(0.0, float(objective) - float(bound))
    if distance <= 1e-9 * max(1.0, abs(float(objective))):
        return f"{status}, {shown}: proven optimal."
    return (f"{status}, {shown}: proven within {100 * float(gap):.2f} %, about "
            f"{_figure(distance, unit)}.")


def _figure(value: Any, unit: str) -> str:
    v = float(value)
    if unit.startswith("of a programme"):
        return f"{v:.4f} {unit}"
    if unit == "EUR":
        return _eur(v)
    return f"{v:,.0f} {unit}"


def linked_sheets(lines: Sequence[OverviewLine]) -> list[str]:
    """The sheets the lines point to, once each, in order."""
    seen: list[str] = []
    for line in lines:
        if line.see and line.see not in seen:
            seen.append(line.see)
    return seen
