"""Zone polygon checks (compliance.rules.polygons)."""

from __future__ import annotations

import pytest

from compliance.rules.polygons import PolygonInvalid, centroid, check_polygon, check_wgs84, is_simple

SQUARE = [[10, 10], [110, 10], [110, 60], [10, 60]]


def code(raw, **kw):
    with pytest.raises(PolygonInvalid) as exc:
        check_polygon(raw, width=kw.get("width", 200), height=kw.get("height", 100))
    return exc.value.code


def test_a_square_passes_and_a_closed_ring_is_opened():
    assert check_polygon(SQUARE, width=200, height=100) == [[10.0, 10.0], [110.0, 10.0], [110.0, 60.0], [10.0, 60.0]]
    assert len(check_polygon([*SQUARE, SQUARE[0]], width=200, height=100)) == 4
    assert check_polygon([[0, 0], [200, 0], [200, 100]], width=200, height=100)  # edges of the image are inside


@pytest.mark.parametrize(("raw", "expected"), [
    ([[10, 10], [20, 20]], "polygon_too_few_points"),
    ([[10, 10], [20, 20], [10, 10], [20, 20]], "polygon_too_few_points"),
    ([[10, 10], [210, 10], [50, 50]], "polygon_outside_image"),
    ([[10, -1], [50, 10], [50, 50]], "polygon_outside_image"),
    ([[10, 10], [20, 20], [30, 30]], "polygon_degenerate"),
    ([[10, 10], [110, 60], [110, 10], [30, 60]], "polygon_self_intersecting"),  # a bow tie
    ([[10, 10], [100, 10], [100, 50], [50, 10], [10, 50]], "polygon_self_intersecting"),  # touches an edge
    ("10,10", "polygon_invalid"),
    ([[10, 10], [20, "x"], [30, 5]], "polygon_invalid"),
    ([[10, 10], [20, True], [30, 5]], "polygon_invalid"),
    ([[float("nan"), 10], [20, 1], [30, 5]], "polygon_invalid"),
    ([[i % 200, (i * 7) % 100] for i in range(501)], "polygon_too_many_points"),
])
def test_bad_polygons_are_refused_with_their_code(raw, expected):
    assert code(raw) == expected


def test_no_plan_no_zone():
    with pytest.raises(PolygonInvalid) as exc:
        check_polygon(SQUARE, width=None, height=None)
    assert exc.value.code == "plant_layout_missing" and exc.value.field == "polygon"


def test_simple_and_concave():
    assert is_simple([(0, 0), (10, 0), (10, 10), (5, 3), (0, 10)])  # concave, simple
    assert not is_simple([(0, 0), (10, 0), (5, 0), (5, 5)])  # folds back along its own edge


def test_centroid_and_wgs84():
    assert centroid(SQUARE) == (60.0, 35.0)
    assert centroid([[0, 0], [0, 0], [0, 0]]) == (0.0, 0.0)
    assert check_wgs84(None) is None
    assert check_wgs84([[117.8, 37.1], [117.81, 37.1], [117.81, 37.11]])
    with pytest.raises(PolygonInvalid) as exc:
        check_wgs84([[190, 37.1], [117.81, 37.1], [117.81, 37.11]])
    assert exc.value.code == "polygon_out_of_range" and exc.value.field == "polygon_wgs84"
