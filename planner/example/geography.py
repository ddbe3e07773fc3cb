"""Territories (the 24 zones d'emploi) and how establishments spread over them.

The study gives the industrial establishments' shares by department (Nord
46 %, Somme 10.5 %, Aisne 8.5 %) and the Lille metropolis' (~21 %).  Within
a department, and for the Pas-de-Calais and Oise that share the remaining
35 %, zones get their part in proportion to population.  These
*establishment weights* place the organisations (the study: the offer's
geography "corresponds overall to the establishments'") and, mixed half
and half with population, the demand.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.example import facts
from planner.example.arith import apportion


@dataclass(frozen=True)
class Zone:
    zone_id: str
    name: str
    department: str
    latitude: float
    longitude: float
    population: int


def zones() -> list[Zone]:
    """The 24 zones d'emploi, in the data file's order (ids are text: ``0054``)."""
    return [Zone(r["ze2020"], r["name"], r["department"], float(r["latitude"]),
                 float(r["longitude"]), int(r["population_hdf"]))
            for r in facts.read_csv(facts.ZONES_FILE)]


def establishment_weights(zs: list[Zone]) -> dict[str, float]:
    """Each zone's share of the region's industrial establishments (sums to 1)."""
    weights: dict[str, float] = {}
    mel = set(facts.LILLE_METROPOLIS_ZONES)
    groups: list[tuple[float, list[Zone]]] = []
    nord = facts.DEPARTMENT_SHARES["59"]
    groups.append((facts.LILLE_METROPOLIS_SHARE, [z for z in zs if z.zone_id in mel]))
    groups.append((nord - facts.LILLE_METROPOLIS_SHARE,
                   [z for z in zs if z.department == "59" and z.zone_id not in mel]))
    for dep in ("80", "02"):
        groups.append((facts.DEPARTMENT_SHARES[dep], [z for z in zs if z.department == dep]))
    rest = 1.0 - sum(facts.DEPARTMENT_SHARES.values())
    groups.append((rest, [z for z in zs if z.department in ("62", "60")]))
    for share, members in groups:
        pop = sum(z.population for z in members)
        for z in members:
            weights[z.zone_id] = share * z.population / pop
    return {z.zone_id: weights[z.zone_id] for z in zs}


def demand_weights(zs: list[Zone]) -> dict[str, float]:
    """Half population share, half establishment share (SPEC 6: population and industry)."""
    est = establishment_weights(zs)
    total_pop = sum(z.population for z in zs)
    return {z.zone_id: 0.5 * z.population / total_pop + 0.5 * est[z.zone_id] for z in zs}


def organisations_per_zone(zs: list[Zone], total: int) -> dict[str, int]:
    """``total`` organisations over the zones by establishment weight.

    The Somme is the exception the study names: Amiens holds almost all of
    its offer, so the Somme's organisations go 90 % to Amiens and the rest to
    its other zones by population.
    """
    est = establishment_weights(zs)
    ids = [z.zone_id for z in zs]
    somme = [z for z in zs if z.department == "80"]
    somme_ids = {z.zone_id for z in somme}
    somme_weight = sum(est[i] for i in somme_ids)
    others_pop = sum(z.population for z in somme if z.zone_id != facts.AMIENS_ZONE)
    adjusted = dict(est)
    for z in somme:
        if z.zone_id == facts.AMIENS_ZONE:
            adjusted[z.zone_id] = somme_weight * facts.AMIENS_SHARE_OF_SOMME_OFFER
        else:
            adjusted[z.zone_id] = (somme_weight * (1 - facts.AMIENS_SHARE_OF_SOMME_OFFER)
                                   * z.population / others_pop)
    counts = dict(zip(ids, apportion(total, [adjusted[i] for i in ids])))
    empty = [i for i, n in counts.items() if n == 0]
    if empty:
        raise ValueError(f"zones without any organisation: {empty}")
    return counts
