"""Demand: people to recruit who must be trained first (SPEC 3, Demand).

Study families.  The study projects 36,970 recruitments a year in 2025-2030;
the region's 1,350 sessions a year cannot (and need not) train them all:
most recruits are hired already qualified.  The people who must take a
pre-hire course of this offer are, per family,

    training demand_j = annual need_j x alpha x difficulty_j x scope_j

with ``difficulty_j`` the study's share of establishments reporting strong
recruitment difficulties in the family (hard-to-fill jobs are the ones that
need training first), ``scope_j`` the part of those courses that belongs to
the industrial training offer (1, but 0.25 for sales and support:
``facts.Family.scope``) and ``alpha`` the calibration knob
(``facts.TRAINING_SHARE_FACTOR``; see CALIBRATION.md).  Each family's need
and training demand are spread over the zones by ``demand weight`` (half
population, half establishments), tilted for maintenance and R&D by the
study's departmental employment shares, in whole people by largest
remainder, identical every year 2025-2030 (the study gives an annual
average).

Gigafactories.  Each site ramps up linearly from its start (``facts.
GIGAFACTORY_START``) to its direct jobs target (``hdf_gigafactories.csv``);
the year-on-year increase is hired in that year, all of it trained first,
as demand of the site's own family (``GF_ACC`` ...) in its zone.  A family
per site keeps its rows apart from the study families' (Demand's key is
territory, family, year), so a scenario can address one site by
``where_column = family_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.example import facts
from planner.example.arith import apportion
from planner.example.geography import Zone, demand_weights


@dataclass(frozen=True)
class FamilyDemand:
    """A study family's annual need and training demand, by zone (whole people)."""

    family: facts.Family
    annual_training_demand: int
    need_by_zone: dict[str, int]
    demand_by_zone: dict[str, int]

    @property
    def training_share(self) -> float:
        return training_share(self.family)


def training_share(family: facts.Family) -> float:
    """Share of the family's recruits who must take a course of this offer first."""
    return facts.TRAINING_SHARE_FACTOR * family.difficulty * family.scope


def family_weights(zs: list[Zone], family_id: str) -> list[float]:
    """Demand weights of the zones, tilted by the family's departmental share."""
    base = demand_weights(zs)
    tilt: dict[str, float] = {}
    if family_id == "MAINT":
        tilt = {d: s / facts.MAINTENANCE_EMPLOYMENT_SHARE_REGION
                for d, s in facts.MAINTENANCE_EMPLOYMENT_SHARE.items()}
    elif family_id == "RD":
        tilt = {d: s / facts.RD_EMPLOYMENT_SHARE_REGION
                for d, s in facts.RD_EMPLOYMENT_SHARE.items()}
    return [base[z.zone_id] * tilt.get(z.department, 1.0) for z in zs]


def study_demand(zs: list[Zone]) -> list[FamilyDemand]:
    out = []
    ids = [z.zone_id for z in zs]
    for fam in facts.FAMILIES:
        weights = family_weights(zs, fam.family_id)
        need = apportion(fam.annual_need, weights)
        total = round(fam.annual_need * training_share(fam))
        demand = apportion(total, weights)
        out.append(FamilyDemand(fam, total, dict(zip(ids, need)), dict(zip(ids, demand))))
    return out


def gigafactory_hires(site: dict[str, str], years: tuple[int, ...]) -> dict[int, int]:
    """Direct hires per planning year: the linear ramp's yearly increase, in whole people."""
    start_year, start_jobs = facts.GIGAFACTORY_START[site["site_id"]]
    target, target_year = int(site["direct_jobs_target"]), int(site["jobs_target_year"])

    def jobs(y: int) -> float:
        if y <= start_year:
            return float(start_jobs)
        if y >= target_year:
            return float(target)
        return start_jobs + (target - start_jobs) * (y - start_year) / (target_year - start_year)

    increments = [max(0.0, jobs(y) - jobs(y - 1)) for y in years]
    total = round(jobs(years[-1]) - jobs(years[0] - 1))
    return dict(zip(years, apportion(total, increments)))


def demand_rows(zs: list[Zone], sites: list[dict[str, str]], years: tuple[int, ...],
                study: list[FamilyDemand]) -> list[dict[str, Any]]:
    """Demand records: study families every year in every zone, then the sites."""
    rows = []
    for z in zs:
        for fd in study:
            people = fd.demand_by_zone[z.zone_id]
            if people <= 0:
                continue
            for y in years:
                rows.append({"territory_id": z.zone_id, "family_id": fd.family.family_id,
                             "year": y, "people": people})
    for site in sites:
        family = facts.GIGAFACTORY_FAMILY[site["site_id"]]
        hires = gigafactory_hires(site, years)
        for y in years:
            people = round(hires[y] * facts.GIGAFACTORY_TRAINING_SHARE)
            if people > 0:
                rows.append({"territory_id": site["ze2020"], "family_id": family, "year": y,
                             "people": people})
    return rows
