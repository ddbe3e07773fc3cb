"""The figures the example is built from, each with its source.

Three kinds of figures feed the generator:

- sourced figures from the OPCO 2i study synthesis, the Electro'Mob launch
  release and the package's data files (``planner/data/files/*.csv``, see
  their ``SOURCES.md``);
- conventions and derived values (7 h a day, 11,000 / 8,000 modules per
  person);
- ESTIMATEs: assumptions of ours, each with how it was derived, and the
  calibration knobs of ``CALIBRATION.md``.

Every figure the generator uses is a :class:`Fact` here (or is built from
them and recorded by the builder), so the ``Sources`` sheet lists them all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

STUDY = ("OPCO 2i, Observatoire Compétences Industries: study of the Hauts-de-France "
         "inter-industry, synthesis (EY), 2024")
ELECTROMOB_RELEASE = ("Préfecture de région Hauts-de-France, 'Lancement du projet "
                      "Electro'Mob' (2023-04-18); hautsdefrance.fr/electromob")
ZONES_FILE = "hdf_zones_emploi_2020.csv"
GIGAFACTORIES_FILE = "hdf_gigafactories.csv"
PARAMETERS_FILE = "training_offer_parameters.csv"

SOURCED, DERIVED, CONVENTION, ESTIMATE, CALIBRATION = (
    "sourced", "derived", "convention", "ESTIMATE", "ESTIMATE (calibration)")


@dataclass(frozen=True)
class Fact:
    """One figure of the example and where it comes from.

    ``status``: sourced, derived, convention, ESTIMATE, or ESTIMATE
    (calibration) for the knobs tuned so the example poses a real question.
    ``used_in``: where the figure shows in the workbook (sheet.column).
    """

    figure: str
    value: Any
    unit: str
    status: str
    source: str
    used_in: str
    note: str = ""

    def record(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        record = {"figure": self.figure, "value": value, "unit": self.unit,
                  "status": self.status, "source": self.source, "used_in": self.used_in,
                  "note": self.note}
        return {k: (None if v == "" else v) for k, v in record.items()}


# --- data files -------------------------------------------------------------

def read_csv(name: str) -> list[dict[str, str]]:
    """A data file of ``planner/data/files`` as records of text (ids keep their zeros)."""
    text = resources.files("planner.data").joinpath("files", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def parameters() -> dict[str, dict[str, str]]:
    """``training_offer_parameters.csv`` by parameter name."""
    return {row["parameter"]: row for row in read_csv(PARAMETERS_FILE)}


def parameter(name: str) -> float:
    return float(parameters()[name]["value"])


def parameter_fact(name: str, used_in: str, note: str = "") -> Fact:
    """A row of ``training_offer_parameters.csv`` as a :class:`Fact` (its own source)."""
    row = parameters()[name]
    status = row["status"] if row["status"] != "ESTIMATE/convention" else CONVENTION
    source = f"{row['source']} [{PARAMETERS_FILE}]"
    full_note = "; ".join(n for n in (row.get("notes", ""), note) if n)
    return Fact(name, _number_or_text(row["value"]), row["unit"], status, source, used_in,
                full_note)


def _number_or_text(text: str) -> Any:
    """``"314"`` -> 314, ``"57.3"`` -> 57.3, ``"2-3"`` stays text."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


# --- the OPCO 2i study -------------------------------------------------------

ORG_TYPES = ("Lycée pro / GRETA / CFA", "Associatif et privé", "Consulaire",
             "Université / IUT", "École d'ingénieurs", "Autre")
"""Organisation types in the study's order (labels as in the input schema)."""

SESSIONS_BY_TYPE = dict(zip(ORG_TYPES, (799, 328, 14, 134, 67, 6)))
"""Sessions a year by organisation type (study; 1,348 in all, 'about 1,350')."""

SESSION_PARAMETERS = dict(zip(ORG_TYPES, (
    "sessions_lycee_pro_greta_cfa", "sessions_assoc_private", "sessions_consular",
    "sessions_university_iut", "sessions_engineering_schools", "sessions_other")))

ORGS_BY_TYPE = dict(zip(ORG_TYPES, (185, 92, 6, 16, 12, 3)))
"""Organisations by type: ESTIMATE.  The study gives 314 organisations and the
sessions by type, not the organisations by type; it says lycées professionnels
are the majority of organisations in every department.  We take 185 lycées /
GRETA / CFA (59 %), 92 associative and private, 6 consular sites (CCI/CMA),
16 university and IUT sites, 12 engineering schools and 3 public industrial
and commercial establishments (EPIC, e.g. AFPA centres): the public higher
education sites of the region's five universities and its main engineering
schools, the rest split about 2 : 1 between lycées and private bodies."""

LEVELS_UP_TO_BAC2_SHARE = 0.78
MECHANICS_ELECTRICITY_SHARE = 0.47


@dataclass(frozen=True)
class Family:
    """A job family of the study with its annual recruitment need."""

    family_id: str
    name: str
    annual_need: int
    difficulty: float
    difficulty_status: str
    scope: float = 1.0
    """Share of the family's trained-first recruits whose course belongs to the
    *industrial* training offer the study inventories (ESTIMATE): 1 for the
    technical families; 0.25 for sales and support, whose recruits train
    mostly in business and management courses outside this offer (the part
    in scope: technical sales, industrial administration)."""


FAMILIES = (
    Family("PROD", "Production et assemblage", 14_340, 0.80, SOURCED),
    Family("SUPPORT", "Gestion et fonctions supports", 5_630, 0.28, SOURCED, 0.25),
    Family("MAINT", "Exploitation et maintenance", 4_670, 0.72, SOURCED),
    Family("SALES", "Achats et ventes", 4_300, 0.50, ESTIMATE, 0.25),
    Family("LOGI", "Logistique et transport", 3_910, 0.27, SOURCED),
    Family("RD", "Conception et R&D", 2_285, 0.50, ESTIMATE),
    Family("QHSE", "Planification et QHSE", 1_835, 0.50, ESTIMATE),
)
"""The study's 7 families, annual recruitment needs 2025-2030 (36,970 a year),
and the share of establishments reporting 'strong or very strong' recruitment
difficulties (study: 80 % production, 72 % maintenance, 27 % logistics, 28 %
support; the study does not give the other three: ESTIMATE 50 %, between the
extremes it reports)."""

TRAINING_SHARE_FACTOR = 1.0
"""alpha: the share of a family's recruits who must take a pre-hire course of
this offer is ``alpha x difficulty x scope``.  alpha = 1 reads: every
hard-to-fill recruitment (the study's difficulty share: lack of candidates,
unsuitable skills) needs a course first, and none of the others does.  It
is the assumption with no free parameter; values 0.55-0.9 were tried while
calibrating and left the current offer able to cover nearly everything
(CALIBRATION.md)."""

DEPARTMENT_SHARES = {"59": 0.46, "80": 0.105, "02": 0.085}
"""Share of the region's industrial establishments by department (study)."""

LILLE_METROPOLIS_SHARE = 0.21
LILLE_METROPOLIS_ZONES = ("3216", "3218")
"""The study's 'Métropole Européenne de Lille: ~21 % of establishments'.  The
MEL (95 communes) lies within the zones d'emploi of Lille and
Roubaix-Tourcoing, which we use as its proxy (ESTIMATE)."""

AMIENS_ZONE = "3202"
AMIENS_SHARE_OF_SOMME_OFFER = 0.90
"""'Amiens centralises almost all the Somme's industrial training offer'
(study): ESTIMATE 90 % of the Somme's organisations."""

MAINTENANCE_EMPLOYMENT_SHARE = {"60": 0.092, "62": 0.157}
MAINTENANCE_EMPLOYMENT_SHARE_REGION = 0.125
RD_EMPLOYMENT_SHARE = {"60": 0.085}
RD_EMPLOYMENT_SHARE_REGION = 0.06
"""Departmental variation of the family mix (study: maintenance 9.2 % of
inter-industry employees in the Oise to 15.7 % in the Pas-de-Calais; R&D 6 %
regionally, 8.5 % in the Oise).  The regional maintenance share is not given:
ESTIMATE 12.5 %, the middle of the range."""

HIGHER_EDUCATION_SITES: dict[str, dict[str, int]] = {
    "Université / IUT": {"3216": 4, "3218": 1, "3213": 2, "3222": 3, "3202": 2,
                         "3205": 1, "3207": 1, "3217": 1, "0054": 1},
    "École d'ingénieurs": {"3216": 4, "3218": 1, "3213": 1, "3222": 2, "3212": 1,
                           "3210": 2, "3202": 1},
    "Consulaire": {"3216": 1, "3203": 1, "3202": 1, "3222": 1, "0054": 1, "3220": 1},
    "Autre": {"3215": 1, "3202": 1, "3222": 1},
}
"""Where the non-lycée, non-private organisations stand (ESTIMATE).  The study:
'higher-level training concentrates in the large towns of the Nord: Lille,
Dunkerque and Valenciennes'; 10 of the 16 university sites and 8 of the 12
engineering schools are placed there, the others where the region's
universities (Artois, Littoral, Picardie) and schools (IMT Nord Europe at
Douai, UTC at Compiègne, ESIEE at Amiens) have sites.  Consular sites: one
CCI training centre per main chamber; 'Autre': three AFPA-like centres."""

# --- gigafactories ----------------------------------------------------------

GIGAFACTORY_FAMILY = {"G_ACC": "GF_ACC", "G_AESC": "GF_AESC", "G_VERKOR": "GF_VERKOR",
                      "G_PROLOGIUM": "GF_PROLOGIUM"}
GIGAFACTORY_START = {"G_ACC": (2023, 450), "G_AESC": (2024, 0), "G_VERKOR": (2024, 0),
                     "G_PROLOGIUM": (2025, 0)}
"""(year, direct jobs at its end) from which each site ramps up linearly to its
target.  ACC: 450 staff late 2023 (La Tribune 2023, in the data file).  AESC
and Verkor: first production lines from 2025, ESTIMATE no staff to train
before.  ProLogium: 'from 2026' (SPEC; seed article 'à l'horizon 2026'),
hence 0 at the end of 2025."""

GIGAFACTORY_TRAINING_SHARE = 1.0
"""Every direct hire of a gigafactory takes a battery pre-hire course:
ESTIMATE (cell manufacturing is new in the region; that is why Electro'Mob
exists)."""

GIGAFACTORY_MAINTENANCE_SHARE = 0.17
"""Share of a gigafactory's hires who are maintenance technicians: the study's
current recruitment needs (65 % production, 17 % maintenance); it sizes the
maintenance pre-hire courses against the operator courses."""

# --- Electro'Mob ------------------------------------------------------------

ELECTROMOB_ID = "ELECTROMOB"
ELECTROMOB_NAME = "Electro'Mob"
BATTERY_VALLEY_ZONES = ("3215", "3212", "3213", "3205", "3203", "3216", "3222", "3207",
                        "3219")
"""Zones whose Electro'Mob partner also runs the battery (electrochemistry)
module: the three gigafactory zones and the zones around them (ESTIMATE)."""


def static_facts() -> list[Fact]:
    """The figures above as Sources rows (the builder adds the derived ones)."""
    facts = [
        parameter_fact("training_orgs_total", "Organisations (row count)"),
        *[parameter_fact(SESSION_PARAMETERS[t], f"Offers.baseline_sessions of '{t}' "
                         "organisations (sum)") for t in ORG_TYPES],
        Fact("organisations_by_type", [f"{t}: {n}" for t, n in ORGS_BY_TYPE.items()],
             "organisations", ESTIMATE, "derived from the study's 314 organisations "
             "(lycées professionnels are the majority in every department)",
             "Organisations.type", "see planner/example/facts.py ORGS_BY_TYPE"),
        Fact("sessions_up_to_bac2_share", LEVELS_UP_TO_BAC2_SHARE, "share of sessions",
             SOURCED, STUDY, "Offers.level (checked, not forced)"),
        Fact("sessions_mechanics_electricity_share", MECHANICS_ELECTRICITY_SHARE,
             "share of sessions", SOURCED, STUDY,
             "Offers.skill mechanics + electricity (checked, not forced)"),
        Fact("establishments_nord_share", DEPARTMENT_SHARES["59"], "share", SOURCED, STUDY,
             "Organisations per zone; Demand per zone (industrial weight)"),
        Fact("establishments_lille_metropolis_share", LILLE_METROPOLIS_SHARE, "share",
             SOURCED, STUDY, "Organisations and Demand of zones 3216 + 3218",
             "MEL proxied by the zones d'emploi of Lille and Roubaix-Tourcoing (ESTIMATE)"),
        Fact("establishments_somme_share", DEPARTMENT_SHARES["80"], "share", SOURCED, STUDY,
             "Organisations per zone; Demand per zone"),
        Fact("establishments_aisne_share", DEPARTMENT_SHARES["02"], "share", SOURCED, STUDY,
             "Organisations per zone; Demand per zone"),
        Fact("establishments_pas_de_calais_oise_split", "by population", "", ESTIMATE,
             "the study gives Nord, Somme, Aisne; the remaining 35 % is split between "
             "Pas-de-Calais and Oise zones by population_hdf", "Organisations; Demand"),
        Fact("amiens_share_of_somme_offer", AMIENS_SHARE_OF_SOMME_OFFER, "share", ESTIMATE,
             f"{STUDY}: 'Amiens centralise la quasi-totalité de l'offre'",
             "Organisations of zone 3202"),
        Fact("higher_education_sites", "Lille, Dunkerque, Valenciennes first", "", ESTIMATE,
             f"{STUDY}: higher-level training concentrates in Lille, Dunkerque and "
             "Valenciennes", "Organisations of type Université / IUT, École d'ingénieurs",
             "see planner/example/facts.py HIGHER_EDUCATION_SITES"),
        Fact("maintenance_employment_share_by_department", "Oise 9.2 %, Pas-de-Calais 15.7 %",
             "share of employees", SOURCED, STUDY, "Demand of MAINT by zone (tilt)",
             "regional reference 12.5 % is an ESTIMATE (middle of the range)"),
        Fact("rd_employment_share", "region 6 %, Oise 8.5 %", "share of employees", SOURCED,
             STUDY, "Demand of RD by zone (tilt)"),
        Fact("demand_zone_weight", "0.5 population + 0.5 establishments", "", ESTIMATE,
             "'spread by population and industrial weight' (SPEC 6); the study's "
             "establishment shares stand for the industrial weight",
             "Demand.people by zone"),
    ]
    for fam in FAMILIES:
        facts.append(Fact(f"annual_recruitment_need_{fam.family_id}", fam.annual_need,
                          "recruits/year", SOURCED, STUDY,
                          "Demand.people (before the training share)", fam.name))
        facts.append(Fact(f"recruitment_difficulty_{fam.family_id}", fam.difficulty,
                          "share of establishments", fam.difficulty_status,
                          STUDY if fam.difficulty_status == SOURCED else
                          "not in the study: between its extremes (27 % .. 80 %)",
                          "Demand.people (training share)"))
    for fam in FAMILIES:
        if fam.scope != 1.0:
            facts.append(Fact(f"industrial_scope_{fam.family_id}", fam.scope,
                              "share of trained-first recruits", ESTIMATE,
                              "recruits of this family train mostly in business and "
                              "management courses outside the industrial offer the study "
                              "inventories; in scope: technical sales, industrial "
                              "administration", "Demand.people (training share)", fam.name))
    facts.append(Fact("training_share_factor_alpha", TRAINING_SHARE_FACTOR, "", CALIBRATION,
                      "every hard-to-fill recruitment needs a pre-hire course of this "
                      "offer, no other does (no free parameter); lower values leave the "
                      "current offer covering nearly everything",
                      "Demand.people = need x alpha x difficulty x scope",
                      "see CALIBRATION.md"))
    for site, (year, jobs) in GIGAFACTORY_START.items():
        facts.append(Fact(f"gigafactory_ramp_start_{site}", f"{jobs} jobs at end {year}",
                          "jobs", SOURCED if site in ("G_ACC", "G_PROLOGIUM") else ESTIMATE,
                          "La Tribune 2023 (ACC, 450 staff late 2023); SPEC / seed: "
                          "ProLogium from 2026" if site in ("G_ACC", "G_PROLOGIUM") else
                          "first lines in 2025: no staff to train before",
                          f"Demand of {GIGAFACTORY_FAMILY[site]}",
                          "linear ramp to the direct jobs target of hdf_gigafactories.csv"))
    facts += [
        Fact("gigafactory_training_share", GIGAFACTORY_TRAINING_SHARE, "share of hires",
             ESTIMATE, "battery cell manufacturing is new in the region (Electro'Mob's "
             "raison d'être)", "Demand of GF_* families"),
        Fact("gigafactory_maintenance_share", GIGAFACTORY_MAINTENANCE_SHARE, "share of hires",
             SOURCED, f"{STUDY}: current recruitment needs 65 % production, 17 % "
             "maintenance", "Offers GF-MT max_sessions_per_year (vs GF-OP)"),
        *[parameter_fact(name, "Offers.duration_years", note) for name, note in (
            ("duration_cap", "lycée / CFA courses of level CAP"),
            ("duration_bac_pro", "lycée / CFA courses of level Bac"),
            ("duration_bts", "lycée / CFA courses of level Bac+2"),
            ("duration_licence_pro", "licences pro"),
            ("duration_but", "BUT"),
            ("duration_engineering_cycle", "engineering schools"),
            ("duration_continuing_module", "continuing education and Electro'Mob modules: "
                                           "1 year (the model's shortest)"))],
        parameter_fact("completion_rate_default", "Offers.completion_rate",
                       "values used: see completion_rate_* (estimates)"),
        parameter_fact("electromob_modules_target", "Programmes.modules_target"),
        parameter_fact("electromob_people_target", "Programmes.persons_target"),
        parameter_fact("electromob_budget_total", "Programmes.budget",
                       "the whole budget is counted over 2025-2030 (ESTIMATE: the model "
                       "has no 2023-2024 spending)"),
        parameter_fact("electromob_state_subsidy", "Scenarios electromob_budget_state_share"),
        parameter_fact("electromob_partners", "Offers with programme_id ELECTROMOB",
                       "ESTIMATE: 24 of the 40 partners are training organisations (one "
                       "per zone d'emploi); the others are manufacturers and institutions"),
        parameter_fact("electromob_module_duration_typical",
                       "Offers EM-*/GF-* trainer_hours_per_session (3 days = 21 h a module)"),
        parameter_fact("hours_per_training_day", "Offers trainer_hours_per_session"),
        parameter_fact("modules_per_person_implied", "Offers.modules_per_learner (mix)"),
        parameter_fact("trainer_face_to_face_greta_contractual",
                       "TrainerHiring.hours_per_trainer; Trainers.available_hours (units)"),
        parameter_fact("cost_per_hour_learner_default",
                       "Offers.cost_per_session, cost_per_learner (regional offers)"),
        parameter_fact("employment_rate_6m_after_training_pe_2015",
                       "Offers.placement_rate (0.573, vocational offers)"),
        parameter_fact("employment_rate_6m_after_training_dares_2006cohort",
                       "cross-check of the 0.573 placement rate"),
        parameter_fact("afpr_poe_employment_premium",
                       "Offers.placement_rate of GF pre-hire courses (0.8, ESTIMATE)"),
        parameter_fact("seats_per_session_theory_max", "Offers.seats of EM-HAB (10)"),
        parameter_fact("seats_per_session_practice_max", "Offers.min_learners of EM-HAB (6)"),
        parameter_fact("habilitation_B1V_B2V_initial",
                       "Offers EM-HAB trainer_hours_per_session (21 h)"),
        parameter_fact("afpr_poei_max_hours", "Offers.trainer_hours_per_session of "
                       "continuing-education courses (titres pro, CQP: <= 400 h; school and "
                       "university cohort-years are longer)"),
    ]
    return facts
