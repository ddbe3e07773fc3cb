"""Offers: what each organisation can teach, with growth limits and costs.

Regional offers (the study's 1,348 sessions a year).  An organisation with
``s`` sessions runs ``ceil(s / 3)`` archetypes of its type (at most 6),
drawn reproducibly with the catalogue's weights, and shares its sessions
among them (largest remainder, at least one each).  The shared sessions are
the offer's ``baseline_sessions`` (the year before 2025).  Growth (the
calibration knobs, ESTIMATE):

- ``max_sessions_per_year = baseline + extra``: an organisation can run up to
  ``max(1, round(GROWTH_SHARE x sessions))`` more sessions a year (rooms,
  equipment, work placements), given to its offers in proportion to their
  size; growth is set per organisation because per-offer rounding of small
  offers (1-3 sessions) would let the region grow far more than intended;
- ``max_new_sessions_per_year = ceil(RAMP_SHARE x baseline)``: pedagogical
  inertia, a quarter of the current offer a year (at least one);
- ``committed_sessions_per_year = floor(COMMITTED_SHARE x baseline)`` for
  public organisations (lycées, universities, schools, EPIC): half their
  current classes keep running whatever the plan.

Electro'Mob offers (programme ``ELECTROMOB``):

- one partner per zone d'emploi (its largest lycée / GRETA / CFA) runs the
  EV habilitation module ``EM-HAB`` (family MAINT); in the battery valley
  (``facts.BATTERY_VALLEY_ZONES``) it also runs the battery module ``EM-BAT``
  (family PROD, electrochemistry trainers);
- for each gigafactory, five providers (the three largest organisations of
  its zone that run vocational or university courses, and the largest of each
  of the two nearest zones) run its pre-hire courses ``GF-OP`` (operators,
  electrochemistry) and ``GF-MT`` (maintenance), family ``GF_<site>``.
  Their maximum sessions are sized at 1.5x the sessions the site's peak yearly
  hiring needs, shared by the providers, split 83 : 17 between operators and
  maintenance (the study's current needs: 65 % production, 17 % maintenance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from planner.data.travel import haversine_km
from planner.example import facts
from planner.example.arith import apportion, ceil_to, weighted_sample
from planner.example.catalogue import (
    CATALOGUE, COMPLETION, EM_BAT, EM_HAB, GF_MT, GF_OP, PROGRAMME_COST_PER_LEARNER_HOUR,
    REGIONAL_COST_PER_LEARNER_HOUR, Archetype, programme_kind, programme_length,
    session_costs)
from planner.example.geography import Zone
from planner.example.organisations import Organisation

SEED = "hdf-2030-offers"
SESSIONS_PER_ARCHETYPE = 3
MAX_ARCHETYPES = 6
GROWTH_SHARE = 0.3
RAMP_SHARE = 0.25
COMMITTED_SHARE = 0.5
PUBLIC_TYPES = ("Lycée pro / GRETA / CFA", "Université / IUT", "École d'ingénieurs", "Autre")

EM_BASELINE = 1
"""Electro'Mob module sessions run in 2024 by each partner (programme launched
April 2023): ESTIMATE."""
EM_MAX_SESSIONS = {"EM-HAB": 4, "EM-BAT": 8}
EM_MAX_NEW = {"EM-HAB": 1, "EM-BAT": 2}
"""Partner modules are a complement, not a route into every job: the EV
habilitation module stays small (4 sessions a year); the battery module can
grow to 8 where electrochemistry trainers allow (ESTIMATE)."""
GF_PROVIDERS_IN_ZONE = 3
GF_NEAREST_ZONES = 2
GF_SIZING = 1.5
GF_BASELINE = {"G_ACC": 2, "G_AESC": 1, "G_VERKOR": 1, "G_PROLOGIUM": 0}
"""GF-OP sessions per provider in 2024: ACC has trained staff since 2023,
AESC and Verkor started, ProLogium not yet (ESTIMATE)."""
GF_MAX_NEW = 3
GF_PROVIDER_TYPES = ("Lycée pro / GRETA / CFA", "Associatif et privé", "Autre",
                     "Université / IUT")

SITE_HEADROOM = 1.2
PROGRAMME_ROOM = 0.6
"""Site capacity = the current load (hours of the cohorts the baseline intakes keep
running: baseline x duration x hours) x 1.2,
but at least the load plus one session of the site's longest regional
course (whole sessions: 20 % of a two-session site is no room at all),
+ 0.6 x the hours of the programme offers at their maximum (new platforms
such as the Battery Training Centers): ESTIMATE, rounded up to 10 h."""


IN_TRAINING_FILL = 0.85
"""Learners per seat of the cohorts already in training in 2025 (ESTIMATE: classes are not
full, some have left)."""


def in_training_rows(offers: list[dict[str, Any]], first_year: int) -> list[dict[str, Any]]:
    """The cohorts already in training in ``first_year``: for every multi-year offer, the
    baseline intake of each earlier year whose cohort still runs (a bac pro: 2023, 2024)."""
    rows = []
    for p in offers:
        d, baseline = int(p["duration_years"]), int(p["baseline_sessions"] or 0)
        if d <= 1 or baseline <= 0:
            continue
        for start in range(first_year - d + 1, first_year):
            rows.append({"offer_id": p["offer_id"], "start_year": start, "sessions": baseline,
                         "learners": round(baseline * p["seats"] * IN_TRAINING_FILL),
                         "territory_id": None})
    return rows


@dataclass
class OfferPlan:
    """Offers and the site capacities that depend on them."""

    offers: list[dict[str, Any]] = field(default_factory=list)
    capacity_hours: dict[str, float] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    """zone -> Electro'Mob partner organisation."""
    providers: dict[str, list[str]] = field(default_factory=dict)
    """gigafactory site -> its pre-hire providers."""


def _record(offer_id: str, org: Organisation, arch: Archetype, family_id: str, *,
            baseline: int, max_sessions: int, max_new: int, committed: int,
            programme_id: str | None, modules: float, rate: float) -> dict[str, Any]:
    """One Offers row.  Sessions count intakes (starts) a year, as the study counts the
    sessions of a year; a programme of several years then has that many cohorts running."""
    per_session, per_learner = session_costs(arch, rate)
    return {
        "offer_id": offer_id, "org_id": org.org_id, "family_id": family_id,
        "skill": arch.skill, "level": arch.level, "programme_id": programme_id,
        "seats": arch.seats, "min_learners": arch.min_learners,
        "trainer_hours_per_session": arch.hours, "modules_per_learner": modules,
        "cost_per_session": per_session, "cost_per_learner": per_learner,
        "max_sessions_per_year": max_sessions, "committed_sessions_per_year": committed,
        "baseline_sessions": baseline, "max_new_sessions_per_year": max_new,
        "placement_rate": arch.placement,
        "duration_years": programme_length(org.type, arch, facts.parameter),
        "completion_rate": COMPLETION[programme_kind(org.type, arch)],
    }


def regional_offers(orgs: list[Organisation]) -> list[dict[str, Any]]:
    """The study's inventory: one offer per (organisation, archetype drawn)."""
    out = []
    for org in orgs:
        archetypes = CATALOGUE[org.type]
        n = max(1, min(math.ceil(org.sessions / SESSIONS_PER_ARCHETYPE), MAX_ARCHETYPES,
                       len(archetypes), org.sessions))
        codes = weighted_sample([a.code for a in archetypes], [a.weight for a in archetypes],
                                n, SEED, org.org_id)
        chosen = [a for a in archetypes if a.code in codes]
        split = apportion(org.sessions, [a.weight for a in chosen], minimum=1)
        growth = apportion(max(1, round(GROWTH_SHARE * org.sessions)), split)
        for arch, baseline, extra in zip(chosen, split, growth):
            committed = (math.floor(COMMITTED_SHARE * baseline)
                         if org.type in PUBLIC_TYPES else 0)
            out.append(_record(
                f"{org.org_id}-{arch.code}", org, arch, arch.family_id, baseline=baseline,
                max_sessions=baseline + extra,
                max_new=max(1, math.ceil(RAMP_SHARE * baseline)), committed=committed,
                programme_id=None, modules=1.0, rate=REGIONAL_COST_PER_LEARNER_HOUR))
    return out


def electromob_partners(orgs: list[Organisation], zs: list[Zone]) -> dict[str, str]:
    """One partner per zone: its lycée / GRETA / CFA with the most sessions."""
    partners = {}
    for z in zs:
        candidates = [o for o in orgs if o.zone_id == z.zone_id and o.type == facts.ORG_TYPES[0]]
        if not candidates:
            candidates = [o for o in orgs if o.zone_id == z.zone_id]
        best = sorted(candidates, key=lambda o: (-o.sessions, o.org_id))[0]
        partners[z.zone_id] = best.org_id
    return partners


def gigafactory_providers(orgs: list[Organisation], zs: list[Zone],
                          sites: list[dict[str, str]]) -> dict[str, list[str]]:
    """site -> provider organisations (largest in its zone, then nearest zones)."""
    by_id = {z.zone_id: z for z in zs}
    out = {}
    for site in sites:
        home = by_id[site["ze2020"]]
        others = sorted((z for z in zs if z.zone_id != home.zone_id),
                        key=lambda z: (float(haversine_km(home.latitude, home.longitude,
                                                          z.latitude, z.longitude)), z.zone_id))
        plan = [(home.zone_id, GF_PROVIDERS_IN_ZONE)]
        plan += [(z.zone_id, 1) for z in others[:GF_NEAREST_ZONES]]
        chosen: list[str] = []
        for zone_id, n in plan:
            candidates = sorted((o for o in orgs if o.zone_id == zone_id
                                 and o.type in GF_PROVIDER_TYPES),
                                key=lambda o: (-o.sessions, o.org_id))
            chosen += [o.org_id for o in candidates[:n]]
        out[site["site_id"]] = chosen
    return out


def programme_offers(orgs: list[Organisation], zs: list[Zone], sites: list[dict[str, str]],
                     peak_hires: dict[str, int]) -> tuple[list[dict[str, Any]], dict[str, str],
                                                          dict[str, list[str]]]:
    """Electro'Mob partner modules and gigafactory pre-hire courses."""
    by_id = {o.org_id: o for o in orgs}
    partners = electromob_partners(orgs, zs)
    providers = gigafactory_providers(orgs, zs, sites)
    out: list[dict[str, Any]] = []
    prog = facts.ELECTROMOB_ID
    rate = PROGRAMME_COST_PER_LEARNER_HOUR
    for zone_id, org_id in partners.items():
        org = by_id[org_id]
        modules = [EM_HAB] + ([EM_BAT] if zone_id in facts.BATTERY_VALLEY_ZONES else [])
        for arch in modules:
            out.append(_record(f"{org_id}-{arch.code}", org, arch, arch.family_id,
                               baseline=EM_BASELINE, max_sessions=EM_MAX_SESSIONS[arch.code],
                               max_new=EM_MAX_NEW[arch.code], committed=0, programme_id=prog,
                               modules=1.0, rate=rate))
    for site in sites:
        site_id = site["site_id"]
        family = facts.GIGAFACTORY_FAMILY[site_id]
        tag = site_id.removeprefix("G_")
        n = len(providers[site_id])
        peak = peak_hires[site_id]
        for arch, share in ((GF_OP, 1 - facts.GIGAFACTORY_MAINTENANCE_SHARE),
                            (GF_MT, facts.GIGAFACTORY_MAINTENANCE_SHARE)):
            need = peak * share / arch.placement / arch.seats / n
            max_sessions = max(2, math.ceil(GF_SIZING * need))
            baseline = GF_BASELINE[site_id] if arch is GF_OP else 0
            for org_id in providers[site_id]:
                out.append(_record(f"{org_id}-{arch.code}-{tag}", by_id[org_id], arch, family,
                                   baseline=baseline, max_sessions=max_sessions,
                                   max_new=GF_MAX_NEW, committed=0, programme_id=prog,
                                   modules=2.0, rate=rate))
    return out, partners, providers


def site_capacities(orgs: list[Organisation], offers: list[dict[str, Any]]) -> dict[str, float]:
    """Trainer-led hours each site can host a year (see ``SITE_HEADROOM``)."""
    load = {o.org_id: 0.0 for o in orgs}
    room = {o.org_id: 0.0 for o in orgs}
    longest = {o.org_id: 0.0 for o in orgs}
    for p in offers:
        hours = p["trainer_hours_per_session"]
        load[p["org_id"]] += p["baseline_sessions"] * p["duration_years"] * hours
        if p["programme_id"]:
            room[p["org_id"]] += p["max_sessions_per_year"] * hours
        else:
            longest[p["org_id"]] = max(longest[p["org_id"]], hours)
    return {o: ceil_to(max(SITE_HEADROOM * load[o], load[o] + longest[o])
                       + PROGRAMME_ROOM * room[o], 10.0) for o in load}
