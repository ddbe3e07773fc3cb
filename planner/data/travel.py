"""Travel times between territories and the access set A (SPEC 4).

A learner living in territory ``t`` can attend an offer ``p`` when the
one-way travel time ``travel(t, t(p))`` is within ``t``'s limit (its own
``max_travel_minutes``, else the setting).  Travel times come from the
``Travel`` sheet where it gives the pair (in that direction); otherwise
they are estimated from the main towns' coordinates::

    minutes = haversine_km * detour_factor / average_speed_kmh * 60

with an Earth radius of 6371 km, and ``intra_territory_minutes`` for a
territory to itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data.schema import TRAVEL_SHEET
from planner.data.tables import PlanningData

EARTH_RADIUS_KM = 6371.0
TOLERANCE_MINUTES = 1e-9


def haversine_km(lat1: np.ndarray | float, lon1: np.ndarray | float,
                 lat2: np.ndarray | float, lon2: np.ndarray | float) -> np.ndarray:
    """Great-circle distance in km (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def travel_minutes(data: PlanningData, to_territories: list[str] | None = None) -> pd.DataFrame:
    """Minutes from every territory to each of ``to_territories``.

    ``to_territories`` defaults to the territories that host an offer.
    Returns columns ``from_territory``, ``to_territory``, ``minutes``,
    ``source`` (``Travel`` or ``estimate``); ``minutes`` is NaN where
    neither the Travel sheet nor coordinates give a time.
    """
    s = data.settings
    terr = data.territories
    if to_territories is None:
        to_territories = offer_territories(data)
    ids = terr["territory_id"].tolist()
    lat = terr.set_index("territory_id")["latitude"]
    lon = terr.set_index("territory_id")["longitude"]
    frm = np.repeat(np.array(ids, dtype=object), len(to_territories))
    to = np.tile(np.array(to_territories, dtype=object), len(ids))
    km = haversine_km(lat.loc[frm].to_numpy(float), lon.loc[frm].to_numpy(float),
                      lat.loc[to].to_numpy(float), lon.loc[to].to_numpy(float))
    minutes = km * s.detour_factor / s.average_speed_kmh * 60.0
    minutes = np.where(frm == to, s.intra_territory_minutes, minutes)
    out = pd.DataFrame({"from_territory": frm, "to_territory": to,
                        "minutes": minutes, "source": "estimate"})
    given = data.travel
    if len(given):
        keyed = given.set_index(["from_territory", "to_territory"])["minutes"]
        index = pd.MultiIndex.from_arrays([out["from_territory"], out["to_territory"]])
        override = keyed.reindex(index).to_numpy(float)
        hit = ~np.isnan(override)
        out.loc[hit, "minutes"] = override[hit]
        out.loc[hit, "source"] = TRAVEL_SHEET
    return out


def offer_territories(data: PlanningData) -> list[str]:
    """Territories hosting at least one offer, in Territories order."""
    org_terr = data.organisations.set_index("org_id")["territory_id"]
    hosting = set(org_terr.reindex(data.offers["org_id"]).dropna())
    return [t for t in data.territories["territory_id"] if t in hosting]


def travel_limits(data: PlanningData) -> pd.Series:
    """Each territory's travel limit in minutes (its own, else the setting)."""
    terr = data.territories.set_index("territory_id")
    return terr["max_travel_minutes"].fillna(data.settings.max_travel_minutes).astype(float)


def access_pairs(data: PlanningData, minutes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The access set A as (home territory, offer) pairs with their minutes.

    Columns: ``territory_id`` (home), ``offer_id``, ``org_territory``,
    ``minutes``.  Built by joining offers to the reachable territory pairs,
    so only pairs within the limit are ever materialised per offer.
    """
    if minutes is None:
        minutes = travel_minutes(data)
    limits = travel_limits(data)
    reach = minutes[minutes["minutes"].to_numpy(float)
                    <= limits.reindex(minutes["from_territory"]).to_numpy(float)
                    + TOLERANCE_MINUTES]
    org_terr = data.organisations.set_index("org_id")["territory_id"]
    offers = pd.DataFrame({"offer_id": data.offers["offer_id"],
                           "org_territory": org_terr.reindex(data.offers["org_id"]).to_numpy()})
    pairs = offers.merge(reach[["from_territory", "to_territory", "minutes"]],
                         left_on="org_territory", right_on="to_territory", how="inner")
    pairs = pairs.rename(columns={"from_territory": "territory_id"})
    return pairs[["territory_id", "offer_id", "org_territory", "minutes"]].reset_index(drop=True)
