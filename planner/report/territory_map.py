"""A map of the territories: each zone shaded by its unmet demand, on the region's borders.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no
global state, no display needed) and embedded in the workbook as a PNG.

- **Base map**: the departments of Hauts-de-France and the land around
  them, from the boundaries shipped with the package
  (:mod:`planner.report.boundaries`: Natural Earth, public domain), with
  the sea in blue.  It is drawn when most territories lie inside the
  region; elsewhere (another region, ``planner example --scale``) the map
  is **schematic** and says so.
- **Zones**: the input has a main town per zone, not the zone's
  boundary, so each zone is drawn as the part of the region nearer to its
  town than to any other zone's (a Voronoi cell of the towns, cut to the
  region's outline; on a schematic map, to a frame around the towns).
  The note under the map says the areas are approximate.
- **Shading**: unmet people at the end of the last year, on one colour
  scale from nothing unmet (pale) to the most (dark red), with a colour bar.
- **Organisations**: the input gives no site coordinates, so they are
  counted per zone, in each zone's label ("66 org.").
- **Labels**: every zone gets its name, unmet people and organisations if
  there is room; they are placed, largest unmet first, at the first free
  spot around the town that overlaps no other label, town or the frame.  A
  zone that finds no free spot is left unlabelled and named in the notes.

The same input draws the same picture.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.report.boundaries import load_base_map

INSIDE_SHARE = 0.8
"""Share of the territories inside the region's outline for the base map to be drawn."""

SEA = "#dbe9f4"
AROUND = "#eeeeea"
AROUND_EDGE = "#c8c8c0"
BORDER = "#4d4d4d"
NOTHING_UNMET = "#f4f1ea"
CMAP = "OrRd"

OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
"""Directions tried around a town for its label (right first)."""
DISTANCES = (5.0, 14.0, 24.0)
"""Points between the town and its label, tried in order (a leader line beyond the first)."""


@dataclass
class TerritoryMap:
    """The rendered map (``png`` is None when it could not be drawn) and what to say about it."""

    png: bytes | None
    notes: list[str] = field(default_factory=list)
    base_map: bool = False
    """True when drawn on the region's borders; False: schematic zone cells."""
    labels: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    """Each placed label's territory_id and its box in pixels (x0, y0, x1, y1)."""


def _coordinates(territories: pd.DataFrame) -> pd.DataFrame:
    """Territories whose latitude and longitude are finite and on the globe."""
    frame = territories[["territory_id", "name", "latitude", "longitude"]].copy()
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    ok = lat.between(-90, 90) & lon.between(-180, 180)
    frame["latitude"], frame["longitude"] = lat, lon
    return frame[ok.fillna(False)].reset_index(drop=True)


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

    # imported here: matplotlib takes half a second to load, which every other
    # command (validate, template, compare, --help) would pay for nothing
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ids = placed["territory_id"].astype(str).to_numpy()
    lon = placed["longitude"].to_numpy(float)
    lat = placed["latitude"].to_numpy(float)
    names = placed["name"].fillna(placed["territory_id"]).astype(str).to_numpy()
    unmet = np.clip(unmet_people.reindex(placed["territory_id"]).fillna(0.0)
                    .to_numpy(float), 0.0, None)
    orgs = organisations.groupby("territory_id").size()
    org_count = orgs.reindex(placed["territory_id"]).fillna(0).astype(int).to_numpy()
    stretch = 1.0 / max(0.1, math.cos(math.radians(float(np.mean(lat)))))

    fig = Figure(figsize=(8.0, 7.4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.02, 0.76, 0.90))
    ax.set_aspect(stretch)
    region = _region_path(lon, lat)
    base = region is not None
    window = _window(lon, lat, region)
    ax.set_xlim(window[0], window[2])
    ax.set_ylim(window[1], window[3])
    ax.set_xticks([])
    ax.set_yticks([])

    from matplotlib.colors import Normalize
    from matplotlib import colormaps
    top = float(unmet.max()) if len(unmet) else 0.0
    norm = Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)
    cmap = colormaps[CMAP]

    clip = _draw_ground(ax, base, window, lon, lat)
    cells = _cells(lon, lat, stretch)
    from matplotlib.patches import Polygon
    for k, cell in enumerate(cells):
        colour = NOTHING_UNMET if unmet[k] <= 1e-9 else cmap(0.12 + 0.88 * norm(unmet[k]))
        patch = Polygon(cell, closed=True, facecolor=colour, edgecolor="white",
                        linewidth=0.9, zorder=2)
        ax.add_patch(patch)
        patch.set_clip_path(clip)
    if base:
        _draw_departments(ax)
    ax.scatter(lon, lat, s=9, color="#222222", zorder=5, linewidths=0)

    import matplotlib.cm as cm
    bar_ax = fig.add_axes((0.80, 0.30, 0.025, 0.45))
    mappable = cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, cax=bar_ax)
    bar.set_label(f"unmet people at the end of {last_year}", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    bar.ax.yaxis.set_major_formatter(_thousands())
    fig.text(0.785, 0.24, "Pale: nothing unmet.\nLabels: zone, unmet people,\n"
             "training organisations\nin the zone (org.).", fontsize=7.5, va="top",
             color="#333333")
    kind = "" if base else " (schematic)"
    ax.set_title(f"Unmet demand at the end of {last_year}, by zone{kind}", fontsize=11)
    _scale_bar(ax, window, stretch)

    order = np.argsort(-unmet, kind="stable")
    texts = [(k, f"{names[k]}\n{unmet[k]:,.0f} · {org_count[k]} org.") for k in order]
    placed_labels, unlabelled = _place_labels(fig, ax, lon, lat, texts, ids)

    if base:
        notes.append("Zones shaded by unmet people at the end of the last year (colour bar). "
                     "Borders: the Hauts-de-France departments (Natural Earth, public domain; "
                     "see planner/report/files/BOUNDARIES.md). A zone's area is approximate: "
                     "the part of the region nearer to its main town than to any other "
                     "(the input has no zone boundaries).")
    else:
        notes.append("Schematic map: no boundary data covers these territories (the package "
                     "ships the Hauts-de-France borders only), so each zone is drawn as the "
                     "cell of points nearer to its main town than to any other, shaded by "
                     "unmet people at the end of the last year.")
    notes.append("Organisations are counted per zone (org. in the labels): the input gives "
                 "their zone, not their address.")
    if unlabelled:
        notes.append("No room for the label of: " + ", ".join(
            f"{names[k]} ({unmet[k]:,.0f} unmet)" for k in unlabelled)
            + " (see the Unmet sheet).")

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return TerritoryMap(buffer.getvalue(), notes, base, placed_labels)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter
    return FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _region_path(lon: np.ndarray, lat: np.ndarray) -> Any | None:
    """The region's outline as one path, when most territories lie inside it (else None)."""
    from matplotlib.path import Path
    areas = [a for a in load_base_map() if a.in_region]
    if not areas:
        return None
    path = _compound([ring for a in areas for poly in a.polygons for ring in poly[:1]])
    inside = path.contains_points(np.column_stack([lon, lat]))
    if float(np.mean(inside)) < INSIDE_SHARE:
        return None
    return path if isinstance(path, Path) else None


def _compound(rings: list[list[tuple[float, float]]]) -> Any:
    """One matplotlib path of several closed rings."""
    from matplotlib.path import Path
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for ring in rings:
        if len(ring) < 3:
            continue
        vertices += list(ring)
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
    return Path(np.array(vertices, dtype=float), codes)


def _window(lon: np.ndarray, lat: np.ndarray, region: Any | None) -> tuple[float, ...]:
    """lon_min, lat_min, lon_max, lat_max of the map: the region (or the towns) and a margin."""
    if region is not None:
        extent = region.get_extents()
        x0, y0, x1, y1 = extent.x0, extent.y0, extent.x1, extent.y1
    else:
        x0, x1, y0, y1 = lon.min(), lon.max(), lat.min(), lat.max()
    span = max(x1 - x0, y1 - y0, 0.4)
    pad = 0.06 * span
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _draw_ground(ax: Any, base: bool, window: tuple[float, ...], lon: np.ndarray,
                 lat: np.ndarray) -> Any:
    """Sea and the land around (base map) or a plain frame; returns the zones' clip patch."""
    from matplotlib.patches import PathPatch, Rectangle
    if not base:
        ax.set_facecolor("white")
        x0, y0, x1, y1 = window
        frame = Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor="none")
        ax.add_patch(frame)
        return frame
    ax.set_facecolor(SEA)
    for area in load_base_map():
        if area.in_region:
            continue
        for poly in area.polygons:
            ax.add_patch(PathPatch(_compound(list(poly)), facecolor=AROUND,
                                   edgecolor=AROUND_EDGE, linewidth=0.5, zorder=1))
    rings = [ring for a in load_base_map() if a.in_region for poly in a.polygons
             for ring in poly[:1]]
    outline = PathPatch(_compound(rings), facecolor="none", edgecolor="none", zorder=0)
    ax.add_patch(outline)
    return outline


def _draw_departments(ax: Any) -> None:
    """Department borders (thin) and the region's outline (thick), over the zones."""
    from matplotlib.patches import PathPatch
    for area in load_base_map():
        if not area.in_region:
            continue
        for poly in area.polygons:
            ax.add_patch(PathPatch(_compound(list(poly)), facecolor="none", edgecolor=BORDER,
                                   linewidth=1.3, zorder=3))


def _cells(lon: np.ndarray, lat: np.ndarray, stretch: float) -> list[np.ndarray]:
    """Each town's Voronoi cell (lon, lat vertices), closed by far-away guard points.

    Distances are measured with longitude shrunk by cos(latitude) (the map's
    own scale), so a cell is what looks nearest on the map.
    """
    n = len(lon)
    if n == 1:
        return [np.array([[lon[0] - 50, lat[0] - 50], [lon[0] + 50, lat[0] - 50],
                          [lon[0] + 50, lat[0] + 50], [lon[0] - 50, lat[0] + 50]])]
    from scipy.spatial import Voronoi
    x = lon / stretch
    points = np.column_stack([x, lat])
    # identical towns would make no cell: nudge repeats apart (deterministically)
    seen: dict[tuple[float, float], int] = {}
    for k in range(n):
        key = (round(points[k, 0], 9), round(points[k, 1], 9))
        if key in seen:
            seen[key] += 1
            points[k] += 1e-4 * seen[key]
        else:
            seen[key] = 0
    cx, cy = points.mean(axis=0)
    far = 100.0 + float(np.ptp(points, axis=0).max())
    guards = np.array([[cx - far, cy - far], [cx + far, cy - far], [cx + far, cy + far],
                       [cx - far, cy + far]])
    vor = Voronoi(np.vstack([points, guards]))
    cells = []
    for k in range(n):
        region = vor.regions[vor.point_region[k]]
        vertices = vor.vertices[[v for v in region if v >= 0]]
        centre = vertices.mean(axis=0)
        angles = np.arctan2(vertices[:, 1] - centre[1], vertices[:, 0] - centre[0])
        vertices = vertices[np.argsort(angles)]
        cells.append(np.column_stack([vertices[:, 0] * stretch, vertices[:, 1]]))
    return cells


def _scale_bar(ax: Any, window: tuple[float, ...], stretch: float) -> None:
    """A 50 km bar in the lower left corner."""
    x0, y0, x1, y1 = window
    km = 50.0
    width = km / 111.32 * stretch  # degrees of longitude for 50 km at this latitude
    x, y = x0 + 0.04 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    ax.plot([x, x + width], [y, y], color="#222222", linewidth=2.2, zorder=6,
            solid_capstyle="butt")
    ax.text(x + width / 2, y + 0.012 * (y1 - y0), f"{km:g} km", ha="center", va="bottom",
            fontsize=7, zorder=6)


def _place_labels(fig: Any, ax: Any, lon: np.ndarray, lat: np.ndarray,
                  texts: list[tuple[int, str]], ids: np.ndarray
                  ) -> tuple[list[tuple[str, tuple[float, float, float, float]]], list[int]]:
    """Greedy placement: each label at the first spot around its town that is free."""
    from matplotlib.text import Text
    fig.canvas.draw()  # fixes the axes' aspect, hence where every town is
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    towns = ax.transData.transform(np.column_stack([lon, lat]))
    occupied = [(x - 3.0, y - 3.0, x + 3.0, y + 3.0) for x, y in towns]
    placed: list[tuple[str, tuple[float, float, float, float]]] = []
    left_out: list[int] = []
    for k, text in texts:
        done = False
        for distance in DISTANCES:
            for dx, dy in OFFSETS:
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
                norm = math.hypot(dx, dy)
                offset = (distance * dx / norm, distance * dy / norm)
                label = ax.annotate(
                    text, (lon[k], lat[k]), xytext=offset, textcoords="offset points",
                    ha=ha, va=va, fontsize=6.8, zorder=7, linespacing=1.05,
                    bbox=dict(boxstyle="square,pad=0.12", facecolor="white", alpha=0.78,
                              edgecolor="none"),
                    arrowprops=None if distance == DISTANCES[0] else dict(
                        arrowstyle="-", color="#555555", linewidth=0.5,
                        shrinkA=0, shrinkB=2))
                label.update_positions(renderer)
                box = Text.get_window_extent(label, renderer)  # the text, not its leader
                mine = (box.x0 - 2.0, box.y0 - 2.0, box.x1 + 2.0, box.y1 + 2.0)
                own = (towns[k][0] - 3.0, towns[k][1] - 3.0, towns[k][0] + 3.0,
                       towns[k][1] + 3.0)
                inside = (box.x0 >= frame.x0 + 2 and box.y0 >= frame.y0 + 2
                          and box.x1 <= frame.x1 - 2 and box.y1 <= frame.y1 - 2)
                clash = any(_overlap(mine, other) for other in occupied if other != own)
                if inside and not clash:
                    occupied.append(mine)
                    placed.append((str(ids[k]), mine))
                    done = True
                    break
                label.remove()
            if done:
                break
        if not done:
            left_out.append(k)
    return placed, left_out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
             margin: float = 1.0) -> bool:
    return not (a[2] + margin <= b[0] or b[2] + margin <= a[0]
                or a[3] + margin <= b[1] or b[3] + margin <= a[1])
