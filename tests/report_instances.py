"""Small solved instances for the report tests (solved once per process).

``regional()`` is a slightly larger synthetic instance than ``tiny``: six
territories with real Hauts-de-France coordinates, three job families of
different weights, five organisations, a programme with targets and a
budget, trainer hiring, and trainers scarce enough to leave demand unmet
in some places (so the matrix, the charts and the map have something to
show).  ``hostile=True`` gives every text that reaches the workbook a
formula-looking or error-looking value.
"""

from __future__ import annotations

import functools
from typing import Any

from planner.data.tables import PlanningData, planning_data
from planner.report.run import RunRecord
from planner.results import Results
from planner.solve import Solution
from tests.helpers import solve_checked

TOWNS = [  # zone id, name, latitude, longitude
    ("LIL", "Lille", 50.6309, 3.0709),
    ("DUN", "Dunkerque", 51.0344, 2.3768),
    ("LEN", "Lens", 50.4325, 2.8333),
    ("VAL", "Valenciennes", 50.3570, 3.5235),
    ("AMI", "Amiens", 49.8941, 2.2958),
    ("BEA", "Beauvais", 49.4300, 2.0810),
]

HOSTILE = {
    "org_name": '=HYPERLINK("http://x","y")',
    "territory_name": "+33 Lens",
    "family_name": "@SUM(A1)",
    "offer_id": "-OF1",
    "org_type": "=1+1",
    "skill": "=cmd|' /C calc'!A0",
    "programme_name": "#N/A",
    "scenario": "=2*3",
}


def regional_spec(hostile: bool = False, coordinates: bool = True) -> tuple[dict, dict]:
    """Settings and sheets of the regional instance."""
    h = HOSTILE if hostile else {}
    territories = []
    for tid, name, lat, lon in TOWNS:
        row: dict[str, Any] = {"territory_id": tid, "name": name, "department": "59"}
        if coordinates:
            row.update(latitude=lat, longitude=lon)
        territories.append(row)
    if hostile:
        territories[2]["name"] = h["territory_name"]
    families = [
        {"family_id": "PROD", "name": "Production et assemblage", "weight": 1.0},
        {"family_id": "MAINT", "name": "Exploitation et maintenance", "weight": 2.0},
        {"family_id": "QHSE", "name": h.get("family_name", "Planification et QHSE"),
         "weight": 1.5},
    ]
    orgs = [
        {"org_id": "O1", "name": h.get("org_name", "Lycée Baggio"),
         "type": h.get("org_type", "Lycée pro / GRETA / CFA"), "territory_id": "LIL",
         "capacity_hours": 3000},
        {"org_id": "O2", "name": "AFPA Dunkerque", "type": "Associatif et privé",
         "territory_id": "DUN"},
        {"org_id": "O3", "name": "IUT de Lens", "type": "Université / IUT",
         "territory_id": "LEN", "capacity_hours": 2500},
        {"org_id": "O4", "name": "CCI Valenciennes", "type": "Consulaire",
         "territory_id": "VAL"},
        {"org_id": "O5", "name": "GRETA Amiens", "type": "Lycée pro / GRETA / CFA",
         "territory_id": "AMI", "capacity_hours": 2000},
    ]
    offers = []
    skills = {"PROD": "assembly", "MAINT": "maintenance",
              "QHSE": h.get("skill", "quality")}
    for k, org in enumerate(orgs, start=1):
        for fam in ("PROD", "MAINT", "QHSE"):
            if (k + len(fam)) % 4 == 0:
                continue  # not every organisation teaches every family
            offers.append({
                "offer_id": f"OF{k}-{fam}", "org_id": org["org_id"], "family_id": fam,
                "skill": skills[fam], "programme_id": "EM" if fam != "QHSE" else None,
                "seats": 12, "min_learners": 4, "trainer_hours_per_session": 120,
                "cost_per_session": 9000.0 + 500 * k, "cost_per_learner": 250.0,
                "max_sessions_per_year": 6, "placement_rate": 0.85,
            })
    # an offer that cannot run: nobody teaches its skill (a zero row in Sessions)
    offers.append(dict(offers[0], offer_id="OF2-WELD", org_id="O2", skill="welding"))
    if hostile:
        offers[0]["offer_id"] = h["offer_id"]
    demand = []
    for i, (tid, *_rest) in enumerate(TOWNS):
        for j, fam in enumerate(("PROD", "MAINT", "QHSE")):
            for y in (2029, 2030):
                people = 20 + 17 * ((i * 3 + j * 5 + y) % 7)
                if tid == "BEA" and fam == "QHSE":
                    continue  # a pair without demand: a blank in the matrix
                demand.append({"territory_id": tid, "family_id": fam, "year": y,
                               "people": float(people)})
    trainers = []
    for tid, *_rest in TOWNS:
        for skill in set(skills.values()):
            for y in (2029, 2030):
                hours = 900.0 if skill == skills["MAINT"] else 1800.0
                trainers.append({"territory_id": tid, "skill": skill, "year": y,
                                 "available_hours": hours})
    hiring = [{"territory_id": "LIL", "skill": "maintenance", "max_new_per_year": 2,
               "hours_per_trainer": 600, "lead_years": 0, "cost_per_trainer_year": 40000,
               "programme_id": "EM"}]
    programmes = [{"programme_id": "EM", "name": h.get("programme_name", "Electro'Mob"),
                   "modules_target": 900, "persons_target": 700, "budget": 2_500_000}]
    settings = {"first_year": 2029, "last_year": 2030, "mip_gap": 0.0,
                "objective_stages": "targets,unmet,cost",
                "scenario_name": h.get("scenario", "baseline")}
    tables = {"Territories": territories, "JobFamilies": families, "Organisations": orgs,
              "Offers": offers, "Demand": demand, "Trainers": trainers,
              "TrainerHiring": hiring, "Programmes": programmes}
    return settings, tables


def regional_data(hostile: bool = False, coordinates: bool = True) -> PlanningData:
    settings, tables = regional_spec(hostile, coordinates)
    return planning_data(settings, tables)


@functools.lru_cache(maxsize=None)
def regional(hostile: bool = False,
             coordinates: bool = True) -> tuple[PlanningData, Solution, Results]:
    """The regional instance, solved once per process (callers must not mutate it)."""
    data = regional_data(hostile, coordinates)
    solution, results = solve_checked(data)
    return data, solution, results


def fixed_run(data: PlanningData, solution: Solution | None = None,
              input_path: Any = None) -> RunRecord:
    """A run record with a fixed date and wall time, so two writes can be compared."""
    return RunRecord.create(input_path, data, solution, wall_seconds=1.25,
                            started_at="2030-01-01T00:00:00+01:00")
