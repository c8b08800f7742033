"""安全风险一张图: ``GET /api/v1/audit/risk-map/`` and ``GET /api/v1/audit/boundaries/`` (issue 16 §1)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import Enterprise
from inspections.boundaries import boundary_features, feature_contains
from tests.factories import EnterpriseFactory, RiskPointFactory
from tests.factories.accounts import make_uscc
from tests.factories.compliance import HazardFactory
from tests.factories.special_ops import WorkPermitFactory
from tests.helpers.samples import ENTERPRISES_CSV

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit/risk-map/"
BOUNDARIES = "/api/v1/audit/boundaries/"
PAST, FUTURE = dt.date(2026, 1, 5), dt.date(2099, 1, 1)


def _by_id(body):
    return {f["properties"]["id"]: f for f in body["features"]}


@pytest.fixture
def mapped(orgs):
    """owner: 重大 + 一般 points, an overdue major hazard under supervision, a live permit;
    chem2: 较大 point, open general hazard not overdue; shop: 工贸 without coordinates and no points."""
    o = orgs
    Enterprise.objects.filter(pk=o.owner.pk).update(lon=Decimal("117.754300"), lat=Decimal("37.074900"))
    RiskPointFactory(enterprise=o.owner, level="major")
    RiskPointFactory(enterprise=o.owner, level="moderate")
    HazardFactory(enterprise=o.owner, grade="major", deadline=PAST, supervised=True, supervised_by=o.gaoqing)
    HazardFactory(enterprise=o.owner, state="closed", deadline=PAST)  # closed: counts nowhere
    now = timezone.now()
    WorkPermitFactory(enterprise=o.owner, state="in_progress", planned_start=now - dt.timedelta(hours=1),
                      planned_end=now + dt.timedelta(hours=3))
    o.chem2 = EnterpriseFactory(name="第二化工", division_code="370322106", lon=Decimal("117.86"), lat=Decimal("37.09"))
    RiskPointFactory(enterprise=o.chem2, level="high")
    RiskPointFactory(enterprise=o.chem2, level="low")
    HazardFactory(enterprise=o.chem2, deadline=FUTURE)
    o.shop = EnterpriseFactory(name="机械厂", division_code="370322001", industry="工贸-机械")
    RiskPointFactory(enterprise=o.outsider, level="major")  # another county's: never on this map
    return o


def test_map_features_levels_colours_counts_and_unlocated(api, mapped):
    r = api(mapped.inspector).get(URL)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["type"] == "FeatureCollection" and body["total"] == 3
    feats = _by_id(body)
    assert set(feats) == {mapped.owner.pk, mapped.chem2.pk}
    owner = feats[mapped.owner.pk]
    assert owner["geometry"] == {"type": "Point", "coordinates": [117.7543, 37.0749]}
    p = owner["properties"]
    assert (p["level"], p["colour"], p["level_display"]) == ("major", "red", "重大")
    assert p["counts"] == {"hazards_open": 1, "hazards_overdue": 1, "major_hazards_open": 1, "supervised": 1,
                           "permits_live": 1}
    assert (p["town"], p["town_name"], p["kind"]) == ("370322102", "高城镇", "hazchem")
    c2 = feats[mapped.chem2.pk]["properties"]
    assert (c2["level"], c2["colour"], c2["town_name"]) == ("high", "orange", "花沟镇")
    assert c2["counts"] == {"hazards_open": 1, "hazards_overdue": 0, "major_hazards_open": 0, "supervised": 0,
                            "permits_live": 0}
    # not dropped: the enterprise without coordinates is listed beside the map
    [shop] = body["unlocated"]
    assert (shop["id"], shop["level"], shop["colour"], shop["kind"]) == (mapped.shop.pk, None, "grey", "industrial")


@pytest.mark.parametrize(("params", "expected"), [
    ({"overdue": "true"}, {"owner"}),
    ({"overdue": "false"}, {"chem2", "shop"}),
    ({"supervised": "true"}, {"owner"}),
    ({"live_permits": "true"}, {"owner"}),
    ({"level": "high"}, {"chem2"}),  # the highest level: owner has no 较大 point, chem2's 低 does not count
    ({"level": ["major", "none"]}, {"owner", "shop"}),
    ({"level": "low"}, set()),
    ({"kind": "industrial"}, {"shop"}),
    ({"kind": "hazchem"}, {"owner", "chem2"}),
    ({"town": "370322106"}, {"chem2"}),
    ({"industry": "机械"}, {"shop"}),
])
def test_map_filters(api, mapped, params, expected):
    body = api(mapped.inspector).get(URL, params).json()
    ids = {f["properties"]["id"] for f in body["features"]} | {u["id"] for u in body["unlocated"]}
    names = {"owner": mapped.owner.pk, "chem2": mapped.chem2.pk, "shop": mapped.shop.pk}
    assert ids == {names[n] for n in expected}


def test_other_county_sees_nothing_enterprise_users_are_refused(api, mapped):
    body = api(mapped.other_inspector).get(URL).json()  # 张店区: only its own enterprise, none of 高青县's
    seen = {f["properties"]["id"] for f in body["features"]} | {u["id"] for u in body["unlocated"]}
    assert seen == {mapped.outsider.pk} and body["features"] == []
    for user in (mapped.officer, mapped.admin):
        r = api(user).get(URL)
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "regulator_only"
    r = api(mapped.inspector).post(URL, {}, format="json")
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "read_only"
    r = api(mapped.inspector).get(URL, {"level": "purple"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "level"


def _seed(n: int, start: int) -> None:
    ents = Enterprise.objects.bulk_create([
        Enterprise(name=f"批量企业{i}", uscc=make_uscc(start + i), division_code="370322104", industry="化工",
                   status=Enterprise.Status.APPROVED, lon=Decimal("117.9") if i % 3 else None,
                   lat=Decimal("37.1") if i % 3 else None) for i in range(n)])
    from compliance.models import Hazard, RiskPoint

    RiskPoint.objects.bulk_create([RiskPoint(enterprise=e, code=f"B{e.pk}", name="罐区", kind="facility",
                                             level=("major", "high", "moderate", "low")[e.pk % 4]) for e in ents])
    Hazard.objects.bulk_create([Hazard(enterprise=e, number=f"YH-B-{e.pk}", title="堵塞", found_on=PAST,
                                       state="rectifying", grade="general", deadline=PAST,
                                       deadline_at=timezone.make_aware(dt.datetime(2026, 1, 5, 23, 59)))
                                for e in ents[::2]])


def test_map_query_count_constant_from_10_to_1000_enterprises(api, orgs):
    client = api(orgs.inspector)

    def measure(expected_total):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(URL, {"overdue": "true"})
        assert r.status_code == 200
        with CaptureQueriesContext(connection) as ctx_all:
            body = client.get(URL).json()
        assert body["total"] == expected_total
        return len(ctx.captured_queries), len(ctx_all.captured_queries)

    _seed(10, 10_000)
    small = measure(11)  # + orgs.owner
    _seed(990, 20_000)
    large = measure(1001)
    assert small == large, f"{small} queries with 10 enterprises, {large} with 1,000"


def test_boundaries_of_the_jurisdiction(api, orgs):
    body = api(orgs.inspector).get(BOUNDARIES).json()
    assert body["type"] == "FeatureCollection"
    [county] = body["features"]
    assert county["properties"]["code"] == "370322" and county["geometry"]["type"] == "Polygon"
    assert {"code": "370322102", "name": "高城镇"} in body["towns"] and len(body["towns"]) == 9
    assert body["source"]["licence"] == "MIT" and body["source"]["town_geometry"] is False
    other = api(orgs.other_inspector).get(BOUNDARIES).json()
    assert other["features"] == [] and all(t["code"].startswith("370303") for t in other["towns"])
    r = api(orgs.officer).get(BOUNDARIES)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "regulator_only"


def test_sample_enterprises_lie_inside_the_shipped_county_outline():
    """The demo's enterprises (samples/enterprises.csv, loaded by load_demo) are inside 高青县."""
    [county] = boundary_features("370322")
    with open(ENTERPRISES_CSV, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 14
    for row in rows:
        lon, lat = float(row["经度"]), float(row["纬度"])
        assert 117.5 < lon < 118.1 and 37.0 < lat < 37.3, row["企业名称"]
        assert feature_contains(county, lon, lat), f"{row['企业名称']} ({lon}, {lat}) is outside 高青县"
    assert not feature_contains(county, 118.05, 36.80)  # 张店区, south of the county
