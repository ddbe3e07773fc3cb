"""Trainer pools by zone and skill, and who can be hired.

A pool (zone, skill) exists where an offer of the zone needs the skill.
Its hours a year are the hours its baseline sessions use (the intakes of the
year before 2025, each running for its programme's years) times a slack factor (ESTIMATE, the calibration knobs):

- ``maintenance``: 1.0, no slack: the study names maintenance among the
  hardest recruitments (72 % of establishments) and "the scarcity of
  specialised trainers" slows every adjustment; growth needs hires;
- ``electrochemistry``: the current battery courses' hours, and at least
  half a trainer (405 h) where a battery course is planned: a new skill in
  the region;
- every other skill: 1.4, a little more than the organisations' growth
  allowance (+30 %): these pools bind only where growth concentrates
  (offer caps, ramp-up and site hours are the usual limits).

Hours are constant over the years (no retirements modelled).  Scarce skills
can be hired (``TrainerHiring``): maintenance in every pool, electrochemistry
only in the three gigafactory zones (a skill new to the region: the plants'
own engineers are the only pool to recruit trainers from; elsewhere the
battery courses live on their half trainer).  One trainer a pool a year, teaching 810 h
(sourced: contractual face-to-face hours of GRETA trainers) from the year
after the hire (lead 1 year: recruiting and training the trainer), at
60,000 EUR a trainer-year (ESTIMATE: loaded cost of a contract trainer,
about 2,600 EUR net a month); Electro'Mob pays the electrochemistry hires.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.example import facts
from planner.example.arith import ceil_to

SCARCE = ("electrochemistry", "maintenance")
SLACK = {"maintenance": 1.0, "electrochemistry": 1.0}
DEFAULT_SLACK = 1.4
ELECTROCHEMISTRY_FLOOR = 210.0
HOURS_PER_TRAINER = 810.0
HIRES_PER_YEAR = 1
LEAD_YEARS = 1
COST_PER_TRAINER_YEAR = 60_000.0


def pool_usage(offers: list[dict[str, Any]], org_zone: dict[str, str]) -> dict[tuple[str, str],
                                                                               float]:
    """(zone, skill) -> trainer hours of the cohorts the baseline intakes keep running."""
    usage: dict[tuple[str, str], float] = defaultdict(float)
    for p in offers:
        key = (org_zone[p["org_id"]], p["skill"])
        usage[key] += (p["baseline_sessions"] * p["duration_years"]
                       * p["trainer_hours_per_session"])
    return dict(usage)


def available_hours(skill: str, used: float) -> float:
    hours = used * SLACK.get(skill, DEFAULT_SLACK)
    if skill == "electrochemistry":
        hours = max(hours, ELECTROCHEMISTRY_FLOOR)
    return ceil_to(hours, 10.0)


def trainer_rows(offers: list[dict[str, Any]], org_zone: dict[str, str], zone_order: list[str],
                 years: tuple[int, ...], electrochemistry_hiring_zones: set[str]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(Trainers records, TrainerHiring records), pools in zone then skill order.

    Maintenance trainers can be hired in every pool; electrochemistry
    trainers only in ``electrochemistry_hiring_zones`` (the gigafactories'
    zones, where the plants' engineers are the pool to recruit from).
    """
    hiring_zones = electrochemistry_hiring_zones
    usage = pool_usage(offers, org_zone)
    rank = {z: i for i, z in enumerate(zone_order)}
    pools = sorted(usage, key=lambda k: (rank[k[0]], k[1]))
    trainers, hiring = [], []
    for zone, skill in pools:
        hours = available_hours(skill, usage[(zone, skill)])
        trainers += [{"territory_id": zone, "skill": skill, "year": y, "available_hours": hours}
                     for y in years]
        if skill in SCARCE and (skill != "electrochemistry" or zone in hiring_zones):
            hiring.append({
                "territory_id": zone, "skill": skill, "max_new_per_year": HIRES_PER_YEAR,
                "hours_per_trainer": HOURS_PER_TRAINER, "lead_years": LEAD_YEARS,
                "cost_per_trainer_year": COST_PER_TRAINER_YEAR,
                "programme_id": facts.ELECTROMOB_ID if skill == "electrochemistry" else None,
            })
    return trainers, hiring
