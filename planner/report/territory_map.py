"""A map of the territories: unmet demand as bubbles, organisations as dots.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no
global state, no display needed) and embedded in the workbook as a PNG.
There is no base map (no network, no tiles): the zones' own positions,
with longitude stretched by 1/cos(latitude) so distances look right, are
enough for a planner who knows the region.

- Bubble **area** is proportional to the territory's unmet people at the
  end of the last year (the eye reads area, not radius); territories with
  nothing unmet are small grey rings, so the whole region stays visible.
- Organisations sit at their territory's coordinates (the input has no
  site address), spread on a small deterministic spiral so several in one
  zone stay distinguishable; the same input draws the same picture.
- The largest bubbles are labelled with name and value; a legend gives
  three reference bubble sizes.

Territories without usable coordinates are left out and listed in the
notes; with none usable, there is no map and the note says why.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_BUBBLE_AREA = 2200.0
"""Marker area (points^2) of the largest bubble."""

LABELLED = 8
"""How many of the largest bubbles carry a label."""

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


@dataclass
class TerritoryMap:
    """The rendered map (``png`` is None when it could not be drawn) and what to say about it."""

    png: bytes | None
    notes: list[str] = field(default_factory=list)


def _coordinates(territories: pd.DataFrame) -> pd.DataFrame:
    """Territories whose latitude and longitude are finite and on the globe."""
    frame = territories[["territory_id", "name", "latitude", "longitude"]].copy()
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    ok = lat.between(-90, 90) & lon.between(-180, 180)
    frame["latitude"], frame["longitude"] = lat, lon
    return frame[ok.fillna(False)]


def _nice(value: float) -> float:
    """1, 2 or 5 times a power of ten, at most ``value``."""
    if value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value:
            return step * power
    return power


def render_map(territories: pd.DataFrame, unmet_people: pd.Series,
               organisations: pd.DataFrame, *, last_year: int) -> TerritoryMap:
    """The map of ``unmet_people`` (indexed by territory_id) and the organisations.

    ``territories``: territory_id, name, latitude, longitude;
    ``organisations``: org_id, territory_id.
    """
    placed = _coordinates(territories)
    shown = set(unmet_people.index) | set(organisations["territory_id"])
    missing = sorted(str(t) for t in shown if t not in set(placed["territory_id"]))
    if placed.empty:
        return TerritoryMap(None, [
            "No map: no territory has a latitude and longitude (Territories sheet of the "
            "input). Fill them in to get the map."])
    notes: list[str] = []
    if missing:
        notes.append("Not on the map (no usable latitude/longitude): " + ", ".join(missing))

    lat = placed["latitude"].to_numpy(float)
    lon = placed["longitude"].to_numpy(float)
    names = placed["name"].fillna(placed["territory_id"]).astype(str).to_numpy()
    unmet = unmet_people.reindex(placed["territory_id"]).fillna(0.0).to_numpy(float)
    unmet = np.clip(unmet, 0.0, None)
    top = float(unmet.max()) if len(unmet) else 0.0
    stretch = 1.0 / max(0.1, math.cos(math.radians(float(np.mean(lat)))))

    # imported here: matplotlib takes half a second to load, which every other
    # command (validate, template, compare, --help) would pay for nothing
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 7.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_aspect(stretch)
    span = max(float(np.ptp(lon)), float(np.ptp(lat)), 0.4)
    pad = 0.12 * span
    ax.set_xlim(lon.min() - pad, lon.max() + pad)
    ax.set_ylim(lat.min() - pad, lat.max() + pad)

    zero = unmet <= 1e-9
    ax.scatter(lon[zero], lat[zero], s=30, facecolors="none", edgecolors="#9aa5b1",
               linewidths=1.0, zorder=2)
    if top > 0:
        area = MAX_BUBBLE_AREA * unmet / top
        order = np.argsort(-unmet, kind="stable")  # small bubbles drawn over large ones
        ax.scatter(lon[order][~zero[order]], lat[order][~zero[order]],
                   s=area[order][~zero[order]], color="#d7301f", alpha=0.45,
                   edgecolors="#7f0000", linewidths=0.8, zorder=3)
        for i in order[:LABELLED]:
            if unmet[i] <= 1e-9:
                break
            radius = math.sqrt(area[i]) / 2.0  # marker size is the diameter squared
            ax.annotate(f"{names[i]}\n{unmet[i]:,.0f}", (lon[i], lat[i]),
                        xytext=(radius + 2.0, 0), textcoords="offset points", ha="left",
                        va="center", fontsize=7.5, zorder=5)

    org_lon, org_lat = _organisation_points(organisations, placed, span, stretch)
    ax.scatter(org_lon, org_lat, s=7, color="#1f3b73", alpha=0.8, zorder=4, linewidths=0)

    handles = []
    if top > 0:
        for value in sorted({_nice(top), _nice(top / 4), _nice(top / 16)} - {0.0},
                            reverse=True):
            handles.append(ax.scatter([], [], s=MAX_BUBBLE_AREA * value / top, color="#d7301f",
                                      alpha=0.45, edgecolors="#7f0000",
                                      label=f"{value:,.0f} people unmet"))
    handles.append(ax.scatter([], [], s=30, facecolors="none", edgecolors="#9aa5b1",
                              label="territory, nothing unmet"))
    handles.append(ax.scatter([], [], s=12, color="#1f3b73",
                              label=f"training organisation ({len(org_lon)})"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              labelspacing=2.2, borderpad=1.5, handletextpad=2.0, frameon=False)
    ax.set_title(f"Unmet demand at the end of {last_year} (bubble area = people)",
                 fontsize=11)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#eeeeee", linewidth=0.6, zorder=0)
    fig.tight_layout()

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return TerritoryMap(buffer.getvalue(), notes)


def _organisation_points(organisations: pd.DataFrame, placed: pd.DataFrame,
                         span: float, stretch: float) -> tuple[np.ndarray, np.ndarray]:
    """Each organisation near its territory's point, on a golden-angle spiral.

    ``stretch`` (the map's longitude stretch) keeps the spiral round on screen.
    """
    where = dict(zip(placed["territory_id"],
                     zip(placed["longitude"].to_numpy(float), placed["latitude"].to_numpy(float))))
    step = 0.012 * span
    xs: list[float] = []
    ys: list[float] = []
    count: dict[str, int] = {}
    for org in sorted(zip(organisations["territory_id"], organisations["org_id"]),
                      key=lambda pair: (str(pair[0]), str(pair[1]))):
        t = org[0]
        if t not in where:
            continue
        k = count.get(t, 0)
        count[t] = k + 1
        r = step * math.sqrt(k + 0.5)
        x0, y0 = where[t]
        xs.append(x0 + r * stretch * math.cos(k * GOLDEN_ANGLE))
        ys.append(y0 + r * math.sin(k * GOLDEN_ANGLE))
    return np.array(xs), np.array(ys)
