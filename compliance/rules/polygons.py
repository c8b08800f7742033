"""Zones of the 四色风险分布图 drawn on the plant layout: polygon checks and the centroid. Pure: no Django.

A zone's polygon is a list of ``[x, y]`` vertices in the plan image's pixel coordinates (origin top
left, x to the right, y down), not closed (the last vertex is not the first repeated; a repeated
first vertex is dropped). It must have at least 3 distinct vertices, lie inside the image
(0 ≤ x ≤ width, 0 ≤ y ≤ height), enclose an area and not cross itself. An optional WGS-84 ring
([lon, lat]) follows the same shape rules within −180…180 / −90…90.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backend.core.rules import RuleError

#: At most this many vertices per zone (a hand-drawn zone has tens; this bounds the O(n²) check).
MAX_VERTICES = 500

Point = tuple[float, float]


class PolygonInvalid(RuleError):
    """A zone polygon that cannot be drawn (400; ``code`` says why, ``field`` is the polygon field)."""

    default_code = "polygon_invalid"
    default_message = "区域边界无效。"
    default_field = "polygon"


def _as_points(raw: Any, field: str) -> list[Point]:
    if not isinstance(raw, list | tuple):
        raise PolygonInvalid("区域边界须为 [[x, y], …] 坐标列表。", field=field)
    pts: list[Point] = []
    for v in raw:
        if (not isinstance(v, list | tuple) or len(v) != 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in v)):
            raise PolygonInvalid("每个顶点须为 [x, y] 两个数。", field=field)
        x, y = float(v[0]), float(v[1])
        if x != x or y != y or abs(x) == float("inf") or abs(y) == float("inf"):
            raise PolygonInvalid("顶点坐标须为有限数。", field=field)
        pts.append((x, y))
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()  # a closed ring given: keep it open
    if len(pts) > MAX_VERTICES:
        raise PolygonInvalid(f"顶点过多（最多 {MAX_VERTICES} 个）。", code="polygon_too_many_points", field=field)
    return pts


def signed_area(pts: Sequence[Point]) -> float:
    """Shoelace area (positive when the vertices run counter-clockwise in x-right/y-up axes)."""
    return sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1]
               for i in range(len(pts))) / 2.0


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_intersect(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether the closed segments p1–p2 and q1–q2 share a point (touching and collinear overlap count)."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return ((d1 == 0 and _on_segment(q1, q2, p1)) or (d2 == 0 and _on_segment(q1, q2, p2))
            or (d3 == 0 and _on_segment(p1, p2, q1)) or (d4 == 0 and _on_segment(p1, p2, q2)))


def is_simple(pts: Sequence[Point]) -> bool:
    """Whether the closed ring ``pts`` does not cross or touch itself (edges meet only at their shared
    vertex with the next edge). O(n²) over at most :data:`MAX_VERTICES` vertices."""
    n = len(pts)
    edges = [(pts[i], pts[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):  # neighbours share a vertex
                a, b = edges[i], edges[j]
                shared = a[1] if j == i + 1 else a[0]
                other_a = a[0] if j == i + 1 else a[1]
                other_b = b[1] if j == i + 1 else b[0]
                # neighbours may only meet at the shared vertex: folding back onto each other is a touch
                if _orient(other_a, shared, other_b) == 0 and (
                        _on_segment(shared, other_b, other_a) or _on_segment(shared, other_a, other_b)):
                    return False
                continue
            if segments_intersect(*edges[i], *edges[j]):
                return False
    return True


def collinear(pts: Sequence[Point]) -> bool:
    """Whether every vertex lies on one straight line (no area at all)."""
    a = pts[0]
    b = next((p for p in pts if p != a), a)
    return all(_orient(a, b, p) == 0 for p in pts)


def check_polygon(raw: Any, *, width: int | None, height: int | None, field: str = "polygon") -> list[list[float]]:
    """The zone's vertices (``[[x, y], …]``, open ring) after the checks, for storing.

    ``width``/``height``: the plan image's size in pixels (None: no plan uploaded yet — 400
    ``plant_layout_missing``, a zone is drawn on a plan). Raises :class:`PolygonInvalid` with
    ``polygon_too_few_points`` (fewer than 3 distinct vertices), ``polygon_outside_image`` (a
    vertex off the image), ``polygon_degenerate`` (no area: all on one line),
    ``polygon_self_intersecting``, ``polygon_too_many_points`` or ``polygon_invalid`` (shape)."""
    if width is None or height is None:
        raise PolygonInvalid("请先上传厂区平面图，再在图上绘制区域。", code="plant_layout_missing", field=field)
    pts = _as_points(raw, field)
    if len(set(pts)) < 3:
        raise PolygonInvalid("区域至少需要 3 个不同的顶点。", code="polygon_too_few_points", field=field)
    off = next((p for p in pts if not (0 <= p[0] <= width and 0 <= p[1] <= height)), None)
    if off is not None:
        raise PolygonInvalid(f"顶点 ({off[0]:g}, {off[1]:g}) 超出平面图范围（{width}×{height} 像素）。",
                             code="polygon_outside_image", field=field)
    if collinear(pts):
        raise PolygonInvalid("区域顶点共线，没有面积。", code="polygon_degenerate", field=field)
    if not is_simple(pts) or signed_area(pts) == 0:
        raise PolygonInvalid("区域边界自相交，请重新绘制。", code="polygon_self_intersecting", field=field)
    return [[x, y] for x, y in pts]


def check_wgs84(raw: Any, field: str = "polygon_wgs84") -> list[list[float]] | None:
    """The optional WGS-84 ring ``[[lon, lat], …]`` (None/empty: none) with the same shape rules, the
    bounds being −180…180 and −90…90 (400 ``polygon_outside_image`` becomes ``polygon_out_of_range``)."""
    if raw in (None, []):
        return None
    pts = _as_points(raw, field)
    if len(set(pts)) < 3:
        raise PolygonInvalid("区域至少需要 3 个不同的顶点。", code="polygon_too_few_points", field=field)
    if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in pts):
        raise PolygonInvalid("经纬度超出范围。", code="polygon_out_of_range", field=field)
    if collinear(pts) or not is_simple(pts) or signed_area(pts) == 0:
        raise PolygonInvalid("区域边界自相交或没有面积。", code="polygon_self_intersecting", field=field)
    return [[x, y] for x, y in pts]


def centroid(pts: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The area centroid of a simple polygon (the vertex mean when its area is 0), rounded to 0.1 px."""
    ring = [(float(p[0]), float(p[1])) for p in pts]
    a = signed_area(ring)
    if a == 0:
        return (round(sum(p[0] for p in ring) / len(ring), 1), round(sum(p[1] for p in ring) / len(ring), 1))
    cx = cy = 0.0
    for i in range(len(ring)):
        (x0, y0), (x1, y1) = ring[i], ring[(i + 1) % len(ring)]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (round(cx / (6 * a), 1), round(cy / (6 * a), 1))
