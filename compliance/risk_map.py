"""The 四色风险分布图 as GeoJSON (read side of :mod:`compliance.services.riskmap`).

``risk_map_geojson(enterprise)`` is a FeatureCollection in the plan image's pixel coordinates (x right,
y down; the ``crs`` member names them, ``metadata`` gives the image size): one Polygon feature per
zone — its level is the highest level of its points (DOMAIN.md §2), coloured 红/橙/黄/蓝
(compliance.rules.colours), with counts by level and whether it holds a 重大危险源 — and one Point
feature per risk point, placed at its zone's centroid (``position: "zone_centroid"``) or, outside
every zone, with ``geometry: null`` (``position: "unplaced"``). Three queries whatever the size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.accounts.models import Enterprise
from compliance.models import PlantLayout, RiskPoint, RiskZone
from compliance.rules.assessment import RiskLevel
from compliance.rules.colours import LEVELS_BY_SEVERITY, UNASSESSED, highest_level, level_colour
from compliance.rules.polygons import centroid

#: The plan image's pixel frame (GeoJSON 2008 named-CRS member; not a geographic CRS).
PIXEL_CRS = {"type": "name", "properties": {"name": "urn:shuangfang:crs:plan-image-pixels",
                                              "description": "厂区平面图像素坐标：原点左上角，x 向右，y 向下"}}


def _colour_props(level: str) -> dict[str, Any]:
    colour, colour_label, hex_ = level_colour(level)
    label = RiskLevel(level).label if level else UNASSESSED[1]
    return {"level": level, "level_label": label, "colour": colour, "colour_label": colour_label, "colour_hex": hex_}


def legend() -> list[dict[str, Any]]:
    """The map legend: the four levels (most severe first) and 未评估."""
    return [_colour_props(lv.value) for lv in LEVELS_BY_SEVERITY] + [_colour_props("")]


def risk_map_geojson(enterprise: Enterprise, *, image_url: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The enterprise's map (see the module docstring). ``image_url``: the plan image's URL for the
    layout's sha256 (put in ``metadata.image``, so a replaced plan gets a new URL);
    ``metadata.width``/``height`` are None while no plan is uploaded."""
    layout = PlantLayout.objects.filter(enterprise=enterprise).first()
    zones = list(RiskZone.objects.filter(enterprise=enterprise).order_by("name", "id"))
    points = list(RiskPoint.objects.filter(enterprise=enterprise).select_related("zone_membership")
                  .order_by("code", "id"))
    by_zone: dict[int, list[RiskPoint]] = {}
    zone_of: dict[int, int] = {}
    for p in points:
        membership = getattr(p, "zone_membership", None)
        if membership is not None:
            by_zone.setdefault(membership.zone_id, []).append(p)
            zone_of[p.pk] = membership.zone_id
    features: list[dict[str, Any]] = []
    centres: dict[int, tuple[float, float]] = {}
    for z in zones:
        members = by_zone.get(z.pk, [])
        level = highest_level([p.level for p in members])
        counts = {lv.value: sum(1 for p in members if p.level == lv.value) for lv in LEVELS_BY_SEVERITY}
        counts["unassessed"] = sum(1 for p in members if not p.level)
        centres[z.pk] = centroid(z.polygon)
        ring = [list(v) for v in z.polygon] + [list(z.polygon[0])]
        features.append({
            "type": "Feature", "id": f"zone-{z.pk}",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"kind": "zone", "zone_id": z.pk, "name": z.name, "note": z.note, **_colour_props(level),
                           "counts": counts, "point_count": len(members), "point_ids": [p.pk for p in members],
                           "has_major_hazard_source": any(p.is_major_hazard_source for p in members),
                           "centroid": list(centres[z.pk]), "polygon_wgs84": z.polygon_wgs84},
        })
    for p in points:
        zid = zone_of.get(p.pk)
        geometry = {"type": "Point", "coordinates": list(centres[zid])} if zid is not None else None
        features.append({
            "type": "Feature", "id": f"point-{p.pk}", "geometry": geometry,
            "properties": {"kind": "point", "point_id": p.pk, "code": p.code, "name": p.name, **_colour_props(p.level),
                           "zone_id": zid, "position": "zone_centroid" if zid is not None else "unplaced",
                           "is_major_hazard_source": p.is_major_hazard_source,
                           "lonlat": [float(p.lon), float(p.lat)] if p.lon is not None and p.lat is not None else None},
        })
    return {
        "type": "FeatureCollection", "crs": PIXEL_CRS,
        "metadata": {"enterprise": enterprise.pk, "enterprise_name": enterprise.name,
                     "width": layout.width if layout else None, "height": layout.height if layout else None,
                     "image": image_url(layout.sha256) if layout and image_url else None, "legend": legend(),
                     "zones": len(zones), "points": len(points), "unplaced": len(points) - len(zone_of)},
        "features": features,
    }
