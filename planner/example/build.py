"""The Hauts-de-France 2030 example, built deterministically (SPEC 6).

``build_example()`` returns every sheet as records; nothing is random (the
few draws are hashes of names, see :func:`arith.unit`), so the same code
gives the same workbook on every machine.  The pieces:

- ``geography``: the 24 zones d'emploi and the establishments' geography;
- ``organisations``: 314 organisations with the study's type and session mix;
- ``catalogue`` and ``offers``: what they teach, growth limits, costs, and
  the Electro'Mob / gigafactory courses;
- ``demand``: the study's needs x the training share, and the sites' ramps;
- ``trainers``: pools with maintenance and electrochemistry scarce, hiring;
- ``scenarios``: five what-ifs in the Scenarios format;
- ``facts``: every figure with its source, for the ``Sources`` sheet.

Calibration (knobs and measured figures): ``CALIBRATION.md`` next to this
file.  In short: training demand = need x difficulty (x 0.25 for sales and
support), about 20,000 people a year against 12,300 placed by the current
offer; organisations can add 30 % sessions (sites 20 %, or one session);
maintenance pools without slack and one hire a pool a year;
electrochemistry pools of 210 h outside the gigafactory zones, where one
trainer a year can be hired.  Measured: about 20 % of the 2025-2030
demand unmet at 2030, maintenance and electrochemistry pools at their
limit in several zones and years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.data.schema import SETTINGS_SHEET, SHEETS
from planner.data.tables import PlanningData, planning_data
from planner.example import demand as demand_mod
from planner.example import facts
from planner.example import offers as offers_mod
from planner.example import trainers as trainers_mod
from planner.example.catalogue import (CATALOGUE, COMPLETION, EM_BAT, EM_HAB, GF_MT, GF_OP,
                                       INITIAL_TYPES, MASTER_YEARS)
from planner.example.geography import zones
from planner.example.organisations import organisations
from planner.example.scenarios import scenario_rows

FIRST_YEAR, LAST_YEAR = 2025, 2030
SHEET_ORDER = tuple(s.name for s in SHEETS if s.name != SETTINGS_SHEET)
"""The example's sheets in the schema's order (its settings are written apart)."""

SETTINGS: dict[str, Any] = {
    "scenario_name": "baseline",
    "first_year": FIRST_YEAR,
    "last_year": LAST_YEAR,
    "max_travel_minutes": 60,
    "integer_sessions": True,
    "objective_stages": "targets,unmet,timeliness,cost,travel",
    "stage_tolerance": 1e-6,
    "time_limit_seconds": 10,
    "mip_gap": 0.0001,
    "mobility_cost_per_minute": 0,
    "detour_factor": 1.3,
    "average_speed_kmh": 70,
    "intra_territory_minutes": 15,
}
"""Solver settings chosen by measurement on 2 cores (CALIBRATION.md, bench/quality.py):
a budget of 10 s x 5 stages = 50 s, so that reading, explaining and writing included
the solve takes under a minute (57 s); the targets stage takes a fraction of a second
and the others share the rest by :data:`planner.config.STAGE_SHARES` (unmet 13 s,
timeliness 20 s, cost 5 s, travel 10 s); a gap of 0.01 % so that the headline
``unmet`` stage uses its time to close its gap (0.02 % in 13 s, where 0.5 % stopped
it at 0.08 %). The cost and travel stages' MIP search barely moves in more time (the
same plan at 15, 23 or 120 s for cost); their plans are polished as LPs."""


@dataclass
class Example:
    """An example input: settings, sheet records, and the Sources rows."""

    settings: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    needs: list[dict[str, Any]] = field(default_factory=list)
    """Per (zone, study family): the annual recruitment need and the training
    demand derived from it (the figures behind Demand; tests check sums)."""

    def planning_data(self) -> PlanningData:
        """The example as typed planning data (no workbook round trip)."""
        return planning_data(self.settings, self.tables, source="planner example")

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(int(self.settings["first_year"]), int(self.settings["last_year"]) + 1))


def gigafactory_family_name(site: dict[str, str]) -> str:
    """A gigafactory's job family name, short enough for a chart label and a column header.

    "Gigafactory ProLogium": the company without its shareholders; the
    communes, and where sources disagree on them, are the site's Sources row.
    """
    return f"Gigafactory {site['company'].split(' (')[0]}"


def build_example() -> Example:
    """The Hauts-de-France 2030 example (one region)."""
    years = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
    zs = zones()
    sites = facts.read_csv(facts.GIGAFACTORIES_FILE)
    orgs = organisations(zs)
    org_zone = {o.org_id: o.zone_id for o in orgs}

    study = demand_mod.study_demand(zs)
    hires = {s["site_id"]: demand_mod.gigafactory_hires(s, years) for s in sites}
    peak = {site: max(h.values()) for site, h in hires.items()}

    regional = offers_mod.regional_offers(orgs)
    programme, partners, providers = offers_mod.programme_offers(orgs, zs, sites, peak)
    offers = regional + programme
    capacity = offers_mod.site_capacities(orgs, offers)
    trainers, hiring = trainers_mod.trainer_rows(
        offers, org_zone, [z.zone_id for z in zs], years,
        electrochemistry_hiring_zones={s["ze2020"] for s in sites})

    tables: dict[str, list[dict[str, Any]]] = {
        "Territories": [{"territory_id": z.zone_id, "name": z.name, "department": z.department,
                         "latitude": z.latitude, "longitude": z.longitude,
                         "max_travel_minutes": None} for z in zs],
        "JobFamilies": ([{"family_id": f.family_id, "name": f.name, "weight": 1.0}
                         for f in facts.FAMILIES]
                        + [{"family_id": facts.GIGAFACTORY_FAMILY[s["site_id"]],
                            "name": gigafactory_family_name(s),
                            "weight": 1.0} for s in sites]),
        "Organisations": [{"org_id": o.org_id, "name": o.name, "type": o.type,
                           "territory_id": o.zone_id, "capacity_hours": capacity[o.org_id]}
                          for o in orgs],
        "Offers": offers,
        "Demand": demand_mod.demand_rows(zs, sites, years, study),
        "Trainers": trainers,
        "TrainerHiring": hiring,
        "Programmes": [{"programme_id": facts.ELECTROMOB_ID, "name": facts.ELECTROMOB_NAME,
                        "modules_target": facts.parameter("electromob_modules_target"),
                        "persons_target": facts.parameter("electromob_people_target"),
                        "budget": facts.parameter("electromob_budget_total")}],
        "InTraining": offers_mod.in_training_rows(offers, FIRST_YEAR),
        "Scenarios": scenario_rows(),
    }
    needs = [{"territory_id": z.zone_id, "family_id": fd.family.family_id,
              "annual_need": fd.need_by_zone[z.zone_id], "training_share": fd.training_share,
              "annual_training_demand": fd.demand_by_zone[z.zone_id]}
             for fd in study for z in zs]
    sources = _sources(study, hires, partners, providers, tables)
    return Example(settings=dict(SETTINGS), tables=tables, sources=sources, needs=needs)


def _programme_sources(add: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Sources rows of the programme lengths, completion rates and cohorts in training."""
    D, E = facts.DERIVED, facts.ESTIMATE
    offers = tables["Offers"]
    regional = [p for p in offers if not p["programme_id"]]
    starts = sum(p["baseline_sessions"] for p in regional)
    initial = sum(p["baseline_sessions"] for p in regional if p["duration_years"] > 1
                  or p["org_id"] in {o["org_id"] for o in tables["Organisations"]
                                     if o["type"] in INITIAL_TYPES})
    add("initial_training_share", round(initial / starts, 3), "share of sessions", E,
        "lycée / GRETA / CFA, university and engineering-school courses taken as initial "
        "training (CAP, bac pro, BTS, licence pro, BUT, master, engineering cycle); "
        "associations, private, consular and other bodies as continuing training within a "
        "year. The study does not split its 1,350 sessions this way.",
        "Offers.duration_years", "the rest is continuing training")
    for kind, rate in COMPLETION.items():
        add(f"completion_rate_{kind}", rate, "share", E, "no single regional figure found "
            f"(training_offer_parameters.csv: completion_rate_default is an estimate)",
            f"Offers.completion_rate ({kind})")
    add("master_duration", MASTER_YEARS, "years", E, "master: 2 years after a licence",
        "Offers.duration_years (Université / IUT, Bac+5)")
    cohorts = tables["InTraining"]
    add("in_training_cohorts_2025", [f"{len(cohorts)} cohorts",
                                     f"{sum(c['learners'] for c in cohorts)} learners"],
        "", D, "each multi-year offer's baseline intake of every earlier year still running "
        f"in {FIRST_YEAR}, its learners = sessions x seats x {offers_mod.IN_TRAINING_FILL}",
        "InTraining")
    add("in_training_fill", offers_mod.IN_TRAINING_FILL, "learners per seat", E,
        "classes already running are not full", "InTraining.learners")


def _sources(study: list[demand_mod.FamilyDemand], hires: dict[str, dict[int, int]],
             partners: dict[str, str], providers: dict[str, list[str]],
             tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Sources rows: the static facts, then the figures derived while building."""
    D, E, CAL = facts.DERIVED, facts.ESTIMATE, facts.CALIBRATION
    rows = [f.record() for f in facts.static_facts()]

    def add(figure: str, value: Any, unit: str, status: str, source: str, used_in: str,
            note: str = "") -> None:
        rows.append(facts.Fact(figure, value, unit, status, source, used_in, note).record())

    for fd in study:
        f = fd.family
        add(f"annual_training_demand_{f.family_id}", fd.annual_training_demand,
            "people/year", D, f"{f.annual_need} x {facts.TRAINING_SHARE_FACTOR:g} x "
            f"{f.difficulty:g} x {f.scope:g} (need x alpha x difficulty x scope)",
            "Demand.people (sum over zones, every year 2025-2030)", f.name)
    for site_id, by_year in hires.items():
        add(f"gigafactory_hires_{site_id}", [f"{y}: {n}" for y, n in by_year.items()],
            "people/year", D, "linear ramp from the start to the direct jobs target of "
            f"{facts.GIGAFACTORIES_FILE}", f"Demand of {facts.GIGAFACTORY_FAMILY[site_id]}")
    for s in facts.read_csv(facts.GIGAFACTORIES_FILE):
        status = E if "ESTIMATE" in s["notes"] else facts.SOURCED
        add(f"gigafactory_site_{s['site_id']}", s["commune(s)"], "commune(s)", status,
            f"{s['source']} ({facts.GIGAFACTORIES_FILE})",
            f"JobFamilies {facts.GIGAFACTORY_FAMILY[s['site_id']]} "
            f"({gigafactory_family_name(s)}): its direct hires",
            f"{s['company']}; {s['notes']}")
    add("electromob_partners_by_zone", len(partners), "organisations", E,
        "the largest lycée / GRETA / CFA of each zone (module EM-HAB; EM-BAT in the battery "
        "valley zones)", "Offers EM-HAB, EM-BAT")
    for site_id, orgs in providers.items():
        add(f"gigafactory_providers_{site_id}", orgs, "organisations", E,
            "3 largest vocational/university organisations of the site's zone + the largest "
            "of the 2 nearest zones", f"Offers GF-OP/GF-MT of {facts.GIGAFACTORY_FAMILY[site_id]}")
    knobs = [
        ("offer_growth_share", offers_mod.GROWTH_SHARE, "x an organisation's sessions (>= 1)",
         "max_sessions_per_year - baseline_sessions (summed per organisation)"),
        ("offer_ramp_share", offers_mod.RAMP_SHARE, "x baseline a year (>= 1)",
         "max_new_sessions_per_year"),
        ("committed_share_public", offers_mod.COMMITTED_SHARE, "x baseline",
         "committed_sessions_per_year (public organisations)"),
        ("site_headroom", offers_mod.SITE_HEADROOM, "x current load",
         "Organisations.capacity_hours"),
        ("site_programme_room", offers_mod.PROGRAMME_ROOM, "x programme offers' max hours",
         "Organisations.capacity_hours"),
        ("electromob_partner_max_sessions",
         [f"{k}: {v}" for k, v in offers_mod.EM_MAX_SESSIONS.items()], "sessions/year",
         "Offers EM-* max_sessions_per_year"),
        ("electromob_partner_max_new",
         [f"{k}: {v}" for k, v in offers_mod.EM_MAX_NEW.items()], "sessions/year",
         "Offers EM-* max_new_sessions_per_year"),
        ("electromob_partner_baseline", offers_mod.EM_BASELINE, "sessions (2024)",
         "Offers EM-* baseline_sessions"),
        ("gigafactory_course_sizing", offers_mod.GF_SIZING, "x sessions of the peak year",
         "Offers GF-* max_sessions_per_year"),
        ("trainer_slack_default", trainers_mod.DEFAULT_SLACK, "x baseline hours",
         "Trainers.available_hours (skills other than maintenance, electrochemistry)"),
        ("trainer_slack_maintenance", trainers_mod.SLACK["maintenance"], "x baseline hours",
         "Trainers.available_hours (maintenance)"),
        ("electrochemistry_pool_floor", trainers_mod.ELECTROCHEMISTRY_FLOOR, "h/year",
         "Trainers.available_hours (electrochemistry)"),
        ("trainer_hires_per_pool_year", trainers_mod.HIRES_PER_YEAR, "trainers/year",
         "TrainerHiring.max_new_per_year"),
    ]
    for figure, value, unit, used_in in knobs:
        add(figure, value, unit, CAL, "calibration knob, see CALIBRATION.md", used_in)
    add("trainer_lead_years", trainers_mod.LEAD_YEARS, "years", E,
        "recruiting and training a trainer takes a year (SPEC 1: trainers have a lead time)",
        "TrainerHiring.lead_years")
    add("cost_per_trainer_year", trainers_mod.COST_PER_TRAINER_YEAR, "EUR/year", E,
        "loaded cost of a contract trainer (~2,600 EUR net a month)",
        "TrainerHiring.cost_per_trainer_year")
    add("battery_course_cost_per_learner_hour", 25, "EUR/h per learner", E,
        "top of the sourced 8-25 EUR/h bracket (specialised platforms)",
        "Offers EM-*/GF-* cost_per_session, cost_per_learner")
    add("session_cost_share", 0.7, "share", E, "70 % of a full session's cost is fixed "
        "(trainer, rooms, equipment), 30 % per learner", "Offers.cost_per_session, "
        "cost_per_learner")
    add("placement_rate_higher_education", 0.64, "share", E,
        "Dares Analyses 2013-036: 64 % employed 18 months after training",
        "Offers.placement_rate (Université / IUT, École d'ingénieurs)")
    add("placement_rate_pre_hire", 0.80, "share", E,
        "AFPR/POEI have higher access rates (Pôle emploi 2016, qualitative)",
        "Offers.placement_rate (GF-OP, GF-MT)")
    _programme_sources(add, tables)
    add("family_weights", 1.0, "", E, "every family's unmet person counts the same "
        "(planners can change JobFamilies.weight)", "JobFamilies.weight")
    for org_type, archetypes in CATALOGUE.items():
        for a in archetypes:
            add(f"course_{a.code}", a.title, "", E, f"typical programme of '{org_type}' "
                f"organisations: {a.hours:g} h a session, {a.seats} seats, level {a.level}",
                f"Offers *-{a.code}")
    for a in (EM_HAB, EM_BAT, GF_OP, GF_MT):
        add(f"course_{a.code}", a.title, "", E, f"Electro'Mob course: {a.hours:g} h, "
            f"{a.seats} seats", f"Offers *-{a.code}*")
    counts = {sheet: len(records) for sheet, records in tables.items()}
    add("example_size", [f"{k}: {v}" for k, v in counts.items()], "rows", D,
        "planner example (this generator)", "every sheet")
    return rows
