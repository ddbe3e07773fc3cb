"""The 314 training organisations: type, zone and sessions a year.

Placement: organisations per zone follow the establishments' geography
(:func:`geography.organisations_per_zone`); the higher-education, consular
and 'other' sites stand where ``facts.HIGHER_EDUCATION_SITES`` puts them; the
rest of each zone's organisations are lycées / GRETA / CFA and private
bodies, in the region-wide ratio 185 : 92 (largest remainder per zone).

Sessions: each type's sessions (799, 328, 14, 134, 67, 6) are shared among
its organisations in proportion to a reproducible draw in [0.5, 1.5), at
least one each, so sizes vary as in the study's map (5 to 120 sessions a
town) while the totals stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.example import facts
from planner.example.arith import apportion, unit
from planner.example.geography import Zone, organisations_per_zone

SEED = "hdf-2030-organisations"

NAME_PREFIX = {
    "Lycée pro / GRETA / CFA": "Lycée pro / GRETA / CFA",
    "Associatif et privé": "Organisme de formation",
    "Consulaire": "CCI formation",
    "Université / IUT": "Université / IUT",
    "École d'ingénieurs": "École d'ingénieurs",
    "Autre": "Centre public de formation (EPIC)",
}


@dataclass(frozen=True)
class Organisation:
    org_id: str
    name: str
    type: str
    zone_id: str
    sessions: int
    """Sessions a year of the study's inventory (the regional offers' baseline)."""


def types_per_zone(zs: list[Zone]) -> dict[str, dict[str, int]]:
    """zone -> type -> number of organisations; totals match ``facts.ORGS_BY_TYPE``."""
    total = sum(facts.ORGS_BY_TYPE.values())
    per_zone = organisations_per_zone(zs, total)
    special = facts.HIGHER_EDUCATION_SITES
    for t, sites in special.items():
        if sum(sites.values()) != facts.ORGS_BY_TYPE[t]:
            raise ValueError(f"{t}: {sum(sites.values())} sites placed, "
                             f"{facts.ORGS_BY_TYPE[t]} expected")
    ids = [z.zone_id for z in zs]
    remaining = []
    for z in ids:
        taken = sum(sites.get(z, 0) for sites in special.values())
        if taken > per_zone[z]:
            raise ValueError(f"zone {z}: {taken} special sites but {per_zone[z]} organisations")
        remaining.append(per_zone[z] - taken)
    lycee, private = facts.ORG_TYPES[0], facts.ORG_TYPES[1]
    lycees = apportion(facts.ORGS_BY_TYPE[lycee], remaining)
    out: dict[str, dict[str, int]] = {}
    for z, rest, n_lycee in zip(ids, remaining, lycees):
        counts = {t: 0 for t in facts.ORG_TYPES}
        counts[lycee] = n_lycee
        counts[private] = rest - n_lycee
        for t, sites in special.items():
            counts[t] = sites.get(z, 0)
        out[z] = counts
    if sum(c[private] for c in out.values()) != facts.ORGS_BY_TYPE[private]:
        raise ValueError("private organisations do not add up")
    return out


def organisations(zs: list[Zone]) -> list[Organisation]:
    """The organisations, ids ``OF001``.. in zone order then type order."""
    layout = types_per_zone(zs)
    names = {z.zone_id: z.name for z in zs}
    drafts: list[tuple[str, str, str]] = []  # (name, type, zone)
    for z in zs:
        for t in facts.ORG_TYPES:
            n = layout[z.zone_id][t]
            for k in range(1, n + 1):
                suffix = f" n°{k}" if n > 1 else ""
                drafts.append((f"{NAME_PREFIX[t]} {names[z.zone_id]}{suffix}", t, z.zone_id))
    ids = [f"OF{i:03d}" for i in range(1, len(drafts) + 1)]
    sessions: dict[str, int] = {}
    for t in facts.ORG_TYPES:
        members = [i for i, d in zip(ids, drafts) if d[1] == t]
        weights = [0.5 + unit(SEED, org_id) for org_id in members]
        sessions.update(zip(members, apportion(facts.SESSIONS_BY_TYPE[t], weights, minimum=1)))
    return [Organisation(org_id, name, t, zone, sessions[org_id])
            for org_id, (name, t, zone) in zip(ids, drafts)]
