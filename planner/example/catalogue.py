"""The courses organisations can run: archetypes by organisation type.

An archetype is a typical programme of the region's industrial training
offer (a CAP/Bac pro cohort, a titre professionnel, a BUT, an engineering
degree, a short certification) with the parameters an offer needs.  Each
organisation draws a few archetypes of its type (see :mod:`offers`), so the
offer mix follows the study (78 % of sessions up to Bac+2, 47 % in mechanics,
electricity and electronics; both checked by the tests).

All figures here are ESTIMATEs of ours, bounded by sourced values:

- ``hours``: trainer-led hours of one session (one cohort-year).  A CAP/Bac
  pro or titre pro cohort ~350-420 h of professional teaching a year (the
  POEI/AFPR ceiling is 400 h); BTS ~560 h; BUT ~600 h; master or engineering
  year ~500 h; short certifications 70 h (10 days at 7 h).
- ``seats``: 14-15 for school cohorts, 10-12 in continuing education (the
  sourced default for industrial modules is 10, practice groups 6), 8 for
  CACES practice, 20-30 in higher education.
- ``placement``: 0.573, the employment rate 6 months after training (Pôle
  emploi 2016; Dares: 56 % at 6 months), for vocational courses; 0.64 for
  higher education (Dares: 64 % at 18 months, as graduates are recruited
  over a longer period).
- ``weight``: how often organisations of the type run the programme.

Skills name the trainer pools: ``mechanics``, ``electricity`` (electricity
and electronics), ``process`` (line and process operation), ``maintenance``,
``logistics``, ``quality``, ``business`` (sales and support functions),
``engineering`` (design and R&D), and ``electrochemistry`` (batteries, only
in Electro'Mob courses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PLACEMENT_VOCATIONAL = 0.573
PLACEMENT_HIGHER = 0.64
PLACEMENT_PRE_HIRE = 0.80
"""Pre-hire courses co-designed with a hiring gigafactory (POEI/AFPR-like: the
sourced 'higher access rates' of AFPR/POEI, value ESTIMATE)."""


@dataclass(frozen=True)
class Archetype:
    code: str
    title: str
    family_id: str
    skill: str
    level: str
    hours: float
    seats: int
    min_learners: int
    weight: float
    placement: float = PLACEMENT_VOCATIONAL


A = Archetype
LYCEE = (
    A("USI", "CAP / Bac pro usinage, chaudronnerie, soudage", "PROD", "mechanics", "CAP",
      420, 14, 8, 21),
    A("ELEC", "Bac pro métiers de l'électricité et de ses environnements connectés", "PROD",
      "electricity", "Bac", 420, 14, 8, 18),
    A("PLP", "Bac pro pilote de ligne de production", "PROD", "process", "Bac", 420, 14, 8, 12),
    A("MSPC", "Bac pro maintenance des systèmes de production connectés", "MAINT",
      "maintenance", "Bac", 420, 14, 8, 15),
    A("LOG", "CAP / Bac pro logistique", "LOGI", "logistics", "CAP", 420, 14, 8, 8),
    A("BTSMS", "BTS maintenance des systèmes", "MAINT", "maintenance", "Bac+2", 560, 15, 8, 6),
    A("BTSCP", "BTS conception des processus de réalisation de produits", "PROD",
      "mechanics", "Bac+2", 560, 15, 8, 6),
    A("BTSEL", "BTS électrotechnique", "PROD", "electricity", "Bac+2", 560, 15, 8, 7),
    A("BTSQ", "BTS qualité dans les industries", "QHSE", "quality", "Bac+2", 560, 15, 8, 3),
    A("BTSCS", "BTS conseil et commercialisation de solutions techniques", "SALES",
      "business", "Bac+2", 560, 15, 8, 3),
    A("BTSPM", "BTS gestion de la PME", "SUPPORT", "business", "Bac+2", 560, 15, 8, 2),
    A("LPRO", "Licence pro métiers de l'industrie (en apprentissage)", "PROD", "mechanics",
      "Bac+3", 450, 15, 8, 6),
)
PRIVATE = (
    A("SOUD", "Titre pro soudeur / CQPM opérateur régleur usinage", "PROD", "mechanics",
      "CAP", 350, 10, 6, 19),
    A("ELIN", "Titre pro électricien d'équipement du bâtiment et industriel", "PROD",
      "electricity", "Bac", 350, 10, 6, 16),
    A("CQPCL", "CQP conducteur de ligne / opérateur de production", "PROD", "process", "CAP",
      280, 10, 6, 12),
    A("TMI", "Titre pro technicien de maintenance industrielle", "MAINT", "maintenance",
      "Bac", 400, 10, 6, 13),
    A("CACES", "Cariste et préparateur de commandes (CACES R489)", "LOGI", "logistics",
      "CAP", 70, 8, 4, 13),
    A("QHSE", "Animateur qualité, sécurité, environnement", "QHSE", "quality", "Bac+2", 280,
      10, 6, 8),
    A("NTC", "Négociateur technico-commercial", "SALES", "business", "Bac+2", 350, 12, 6, 5),
    A("GPAI", "Gestionnaire de paie / comptable assistant", "SUPPORT", "business", "Bac+2",
      350, 12, 6, 4),
    A("BRP", "Bachelor responsable de production", "PROD", "process", "Bac+3", 450, 12, 6, 7),
    A("BCAI", "Bachelor chargé d'affaires industrielles", "SALES", "business", "Bac+3", 450,
      12, 6, 4),
)
CONSULAR = (
    A("CTC", "Titre négociateur technico-commercial (CCI)", "SALES", "business", "Bac+2", 350,
      12, 6, 3),
    A("CLOG", "Technicien supérieur méthodes et logistique (CCI)", "LOGI", "logistics",
      "Bac+2", 350, 12, 6, 3),
    A("CGES", "Bachelor gestion (CCI)", "SUPPORT", "business", "Bac+3", 400, 15, 8, 3),
    A("CQSE", "Responsable QHSE (CCI)", "QHSE", "quality", "Bac+3", 350, 12, 6, 2),
)
UNIVERSITY = (
    A("GMP", "BUT génie mécanique et productique", "PROD", "mechanics", "Bac+3", 600, 24, 12,
      6, PLACEMENT_HIGHER),
    A("GEII", "BUT génie électrique et informatique industrielle", "PROD", "electricity",
      "Bac+3", 600, 24, 12, 6, PLACEMENT_HIGHER),
    A("GIM", "BUT génie industriel et maintenance", "MAINT", "maintenance", "Bac+3", 600, 24,
      12, 4, PLACEMENT_HIGHER),
    A("QLIO", "BUT qualité, logistique industrielle et organisation", "QHSE", "quality",
      "Bac+3", 600, 24, 12, 4, PLACEMENT_HIGHER),
    A("LPLOG", "Licence pro logistique et transport", "LOGI", "logistics", "Bac+3", 450, 20,
      10, 2, PLACEMENT_HIGHER),
    A("MSI", "Master sciences de l'ingénieur (mécanique, énergie, matériaux)", "RD",
      "engineering", "Bac+5", 500, 20, 10, 5, PLACEMENT_HIGHER),
    A("TC", "BUT techniques de commercialisation", "SALES", "business", "Bac+3", 600, 24, 12,
      2, PLACEMENT_HIGHER),
    A("GEA", "BUT gestion des entreprises et des administrations", "SUPPORT", "business",
      "Bac+3", 600, 24, 12, 2, PLACEMENT_HIGHER),
)
ENGINEERING = (
    A("IPRO", "Ingénieur production / génie industriel", "PROD", "mechanics", "Bac+5", 500,
      30, 15, 3, PLACEMENT_HIGHER),
    A("IRD", "Ingénieur conception / R&D", "RD", "engineering", "Bac+5", 500, 30, 15, 5,
      PLACEMENT_HIGHER),
    A("IQM", "Ingénieur qualité / méthodes", "QHSE", "quality", "Bac+5", 500, 30, 15, 3,
      PLACEMENT_HIGHER),
    A("IMAI", "Ingénieur maintenance / énergie", "MAINT", "maintenance", "Bac+5", 500, 30,
      15, 2, PLACEMENT_HIGHER),
    A("IGE", "Ingénieur génie électrique / électronique de puissance", "RD", "electricity",
      "Bac+5", 500, 30, 15, 3, PLACEMENT_HIGHER),
)
OTHER = (
    A("OREG", "Titre pro opérateur régleur en usinage", "PROD", "mechanics", "Bac", 400, 12,
      6, 1),
    A("OTMI", "Titre pro technicien de maintenance industrielle", "MAINT", "maintenance",
      "Bac", 400, 12, 6, 1),
    A("OELE", "Titre pro électricien de maintenance", "PROD", "electricity", "Bac", 400, 12,
      6, 1),
)

CATALOGUE: dict[str, tuple[Archetype, ...]] = {
    "Lycée pro / GRETA / CFA": LYCEE,
    "Associatif et privé": PRIVATE,
    "Consulaire": CONSULAR,
    "Université / IUT": UNIVERSITY,
    "École d'ingénieurs": ENGINEERING,
    "Autre": OTHER,
}

# --- Electro'Mob courses ----------------------------------------------------
MODULE_HOURS = 21.0
"""One Electro'Mob module: 3 days of 7 h (sourced: modules 'generally short,
2-3 days'; 1 day = 7 h by convention)."""

EM_HAB = A("EM-HAB", "Habilitation électrique véhicules et batteries (B1VL/B2VL/BCL), "
           "module Electro'Mob", "MAINT", "electricity", "Bac", MODULE_HOURS, 10, 6, 1)
"""3 days (sourced: B1V/B2V initial habilitation 3 days), 10 seats, 6 minimum
(sourced NF C 18-550 group limits)."""
EM_BAT = A("EM-BAT", "Fabrication de cellules et sécurité batteries, module Electro'Mob",
           "PROD", "electrochemistry", "Bac", MODULE_HOURS, 12, 6, 1)
GF_OP = A("GF-OP", "Pré-embauche opérateur de production de cellules (2 modules Electro'Mob)",
          "", "electrochemistry", "Bac", 2 * MODULE_HOURS, 12, 6, 1, PLACEMENT_PRE_HIRE)
GF_MT = A("GF-MT", "Pré-embauche technicien de maintenance gigafactory (2 modules "
          "Electro'Mob)", "", "maintenance", "Bac+2", 2 * MODULE_HOURS, 10, 6, 1,
          PLACEMENT_PRE_HIRE)
"""Gigafactory pre-hire courses; ``family_id`` is the gigafactory's family, set
when the offer is made.  Two modules a learner: with the one-module partner
courses the programme's mix lands near the sourced 11,000 / 8,000 = 1.375
modules a person."""

PROGRAMME_COST_PER_LEARNER_HOUR = 25.0
"""Battery courses: top of the sourced 8-25 EUR per learner-hour bracket
(specialised platforms, cells, dry rooms): ESTIMATE."""
REGIONAL_COST_PER_LEARNER_HOUR = 15.0
"""Regional courses: the sourced default (ESTIMATE in the data file)."""
SESSION_COST_SHARE = 0.7
"""Of a full session's cost, 70 % is fixed per session (trainer, rooms,
equipment) and 30 % per learner (materials, certification): ESTIMATE."""


# --- Programme lengths and completion (SPEC revision 2) -------------------------
INITIAL_TYPES = ("Lycée pro / GRETA / CFA", "Université / IUT", "École d'ingénieurs")
"""Organisation types whose courses here are initial training (diplomas over several years):
the lycée / GRETA / CFA archetypes are CAP, bac pro, BTS and licence pro cohorts, the
university ones BUT, licence pro and master, the schools' their engineering cycle. The
associations and private bodies, consular and other organisations run continuing training
(titres pro, CQP, certifications) within a year: ESTIMATE, stated in Sources with the share
of sessions it gives."""
LENGTH_BY_LEVEL = {"CAP": "duration_cap", "Bac": "duration_bac_pro", "Bac+2": "duration_bts",
                   "Bac+3": "duration_licence_pro"}
"""Initial training in lycées / CFA: the sourced Onisep length of the diploma of the level."""
BUT_CODES = ("GMP", "GEII", "GIM", "QLIO", "TC", "GEA")
MASTER_YEARS = 2
"""Master: 2 years after a licence (ESTIMATE: not in the sourced parameters file)."""

COMPLETION = {"CAP / bac pro": 0.80, "BTS": 0.75, "BUT": 0.70, "licence pro": 0.85,
              "master": 0.85, "engineering cycle": 0.90, "continuing": 0.90,
              "Electro'Mob and pre-hire modules": 0.95}
"""Share of a cohort's learners who complete the programme: ESTIMATE (no single regional
figure was found; stated in Sources)."""


def programme_kind(org_type: str, arch: Archetype) -> str:
    """The kind of programme an archetype is, for its length and completion rate."""
    if arch.code.startswith(("EM-", "GF-")):
        return "Electro'Mob and pre-hire modules"
    if org_type == "École d'ingénieurs":
        return "engineering cycle"
    if org_type == "Université / IUT":
        return ("BUT" if arch.code in BUT_CODES else "master" if arch.level == "Bac+5"
                else "licence pro")
    if org_type == "Lycée pro / GRETA / CFA":
        return {"Bac+2": "BTS", "Bac+3": "licence pro"}.get(arch.level, "CAP / bac pro")
    return "continuing"


def programme_length(org_type: str, arch: Archetype, parameter: Callable[[str], float]) -> int:
    """Years a cohort of ``arch`` lasts at an organisation of ``org_type``.

    ``parameter`` reads a sourced value of ``training_offer_parameters.csv``.
    """
    kind = programme_kind(org_type, arch)
    if kind == "engineering cycle":
        return int(parameter("duration_engineering_cycle"))
    if kind == "BUT":
        return int(parameter("duration_but"))
    if kind == "master":
        return MASTER_YEARS
    if kind == "licence pro":
        return int(parameter("duration_licence_pro"))
    if kind in ("CAP / bac pro", "BTS"):
        return int(parameter(LENGTH_BY_LEVEL[arch.level]))
    return 1  # continuing education and Electro'Mob modules: within the year


def session_costs(arch: Archetype, rate: float) -> tuple[float, float]:
    """(cost_per_session, cost_per_learner) in EUR, from a per learner-hour rate."""
    full = rate * arch.hours * arch.seats
    per_session = round(SESSION_COST_SHARE * full, -1)
    per_learner = round((1 - SESSION_COST_SHARE) * rate * arch.hours, 0)
    return per_session, per_learner
