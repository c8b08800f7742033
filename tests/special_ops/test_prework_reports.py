"""作业前报告 for every special operation (issue 14 point 14): the table type × level × enterprise
kind (default: 一级 and above, plus every contractor permit, plus a holiday window), delivered
through the outbox to the jurisdiction's regulator on approval, the regulators' feed of the day's
reports, and 检维修 / 外包 as permit attributes regulators filter on."""

from __future__ import annotations

import pytest
import time_machine

from backend.notifications.models import Notification
from special_ops.models import WorkPermit
from special_ops.rules.prework import DEFAULT_TABLE, prework_reasons, table_from_config
from tests.helpers.permits import URL, body_of, hot_work_case

pytestmark = pytest.mark.django_db
FEED = "/api/v1/audit/prework-reports/"
AUDIT = "/api/v1/audit/permits/"
BEFORE = "2026-11-30T10:00:00+08:00"  # P01 is planned 2026-12-01 08:30–16:30


def T(s):
    from datetime import datetime

    return datetime.fromisoformat(s)


def reported(pk):
    return Notification.objects.filter(idempotency_key__startswith=f"permit:{pk}:prework")


def case(**kw):
    return hot_work_case(**kw)


@pytest.mark.parametrize(("ptype", "level", "kind", "expected"), [
    ("hot_work", "special", "hazchem", ("table",)), ("hot_work", "first", "industrial", ("table",)),
    ("hot_work", "second", "hazchem", ()), ("lifting", "first", "", ("table",)), ("lifting", "second", "hazchem", ()),
    ("height", "IV", "hazchem", ("table",)), ("height", "III", "hazchem", ("table",)), ("height", "II", "hazchem", ()),
    ("confined_space", "", "hazchem", ()), ("temporary_power", "", "industrial", ()),
])
def test_the_default_table_reports_first_level_and_above(ptype, level, kind, expected):
    assert prework_reasons(permit_type=ptype, level=level, kind=kind, contractor=False, holiday=False) == expected


def test_contractor_and_holiday_always_report():
    assert prework_reasons(permit_type="confined_space", level="", kind="hazchem", contractor=True,
                           holiday=True) == ("contractor", "holiday")


def test_a_configured_table_decides_first_match_by_type_level_and_kind():
    table = table_from_config([
        {"type": "hot_work", "levels": ["first"], "kinds": ["industrial"], "report": False},
        {"type": "hot_work", "levels": ["special", "first", "second"], "report": True},
        {"type": "confined_space", "report": True},
    ])
    assert prework_reasons(permit_type="hot_work", level="first", kind="industrial", contractor=False,
                           holiday=False, table=table) == ()
    assert prework_reasons(permit_type="hot_work", level="first", kind="hazchem", contractor=False,
                           holiday=False, table=table) == ("table",)
    assert prework_reasons(permit_type="confined_space", level="", kind="industrial", contractor=False,
                           holiday=False, table=table) == ("table",)
    assert table_from_config(None) == DEFAULT_TABLE


def test_a_first_level_hot_work_is_reported_on_approval(driver, points, orgs, api):
    p = driver.file_and_approve(body_of(case(level_declared="一级"), points), at=BEFORE)
    n = reported(p["id"]).get()
    assert n.recipient_regulator == orgs.gaoqing and n.kind == "permit_prework"
    assert n.payload["reasons"] == ["table"] and n.payload["contractor"] is False
    assert "报告原因：按报告规则表" in n.body
    body = driver.get(p["id"])
    assert body["prework_reported_at"] and body["prework_reasons"] == ["table"]


def test_a_second_level_internal_hot_work_is_not_reported(driver, points):
    p = driver.file_and_approve(body_of(case(), points), at=BEFORE)
    assert not reported(p["id"]).exists() and driver.get(p["id"])["prework_reported_at"] is None


def test_a_contractors_second_level_permit_is_reported_and_marked_maintenance(driver, points):
    body = body_of(case(), points)
    body["work_unit"] = {"name": "淄博安泰检修工程有限公司", "kind": "contractor"}
    body["maintenance"] = True
    p = driver.file_and_approve(body, at=BEFORE)
    n = reported(p["id"]).get()
    assert n.payload["reasons"] == ["contractor"] and n.payload["maintenance"] is True
    assert "（检维修、外包）" in n.body
    out = driver.get(p["id"])
    assert out["maintenance"] is True and out["contractor"] is True


def test_the_table_is_configurable_per_kind(driver, points, settings):
    settings.PREWORK_REPORT_TABLE = [{"type": "hot_work", "levels": ["second"], "kinds": ["hazchem"], "report": True}]
    p = driver.file_and_approve(body_of(case(), points), at=BEFORE)
    assert reported(p["id"]).get().payload["reasons"] == ["table"]


def test_regulators_filter_permits_on_maintenance_and_contractor(driver, points, api, orgs):
    plain = driver.create(body_of(case(), points)).json()
    body = body_of(case(permit_no="DH-20261201-07"), points)
    body.update(maintenance=True, work_unit={"name": "外委检修队", "kind": "contractor"})
    both = driver.create(body).json()
    insp = api(orgs.inspector)
    ids = lambda q: [p["id"] for p in insp.get(f"{AUDIT}?{q}").json()["results"]]  # noqa: E731
    assert ids("maintenance=true") == [both["id"]] and ids("contractor=true") == [both["id"]]
    assert ids("maintenance=false") == [plain["id"]] and ids("contractor=false") == [plain["id"]]
    # the enterprise edits the attribute (draft)
    r = api(orgs.officer).patch(f"{URL}{plain['id']}/", {"maintenance": True}, format="json")
    assert r.status_code == 200 and r.json()["maintenance"] is True


def test_the_feed_lists_the_days_reports_of_the_jurisdiction(driver, points, api, orgs):
    first = driver.file_and_approve(body_of(case(level_declared="一级"), points), at=BEFORE)
    later = driver.file_and_approve(body_of(case(
        permit_no="DH-20261204-01", level_declared="一级", planned_start="2026-12-04T08:30:00+08:00",
        planned_end="2026-12-04T16:30:00+08:00"), points), at=BEFORE)
    plain_body = body_of(case(permit_no="DH-20261201-09"), points)
    plain_body["guardian"] = {"name": "孙监护", "cert_no": "JH-TEST-0099"}
    plain = driver.file_and_approve(plain_body, at=BEFORE)
    insp = api(orgs.inspector)
    ids = lambda q="": [p["id"] for p in insp.get(f"{FEED}{q}").json()["results"]]  # noqa: E731
    assert ids("?date=2026-12-01") == [first["id"]]
    assert ids("?date=2026-12-04") == [later["id"]]
    assert ids("?date=2026-12-02") == []
    with time_machine.travel(T("2026-12-01T09:00:00+08:00"), tick=False):  # default: today
        assert ids() == [first["id"]]
        row = insp.get(FEED).json()["results"][0]
        assert row["prework_reasons"] == ["table"] and row["contractor"] is False
    assert plain["id"] not in ids("?date=2026-12-01")
    assert ids("?date=2026-12-01&type=height") == []
    assert insp.get(f"{FEED}{first['id']}/").status_code == 200
    assert insp.get(f"{FEED}{plain['id']}/").status_code == 404  # not reported


def test_the_feed_tenancy_roles_and_bad_input(driver, points, api, orgs):
    first = driver.file_and_approve(body_of(case(level_declared="一级"), points), at=BEFORE)
    other = api(orgs.other_inspector)
    assert other.get(f"{FEED}?date=2026-12-01").json()["count"] == 0
    assert other.get(f"{FEED}{first['id']}/").status_code == 404
    r = api(orgs.officer).get(f"{FEED}?date=2026-12-01")
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "regulator_only"
    r = api(orgs.inspector).get(f"{FEED}?date=2026-13-01")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "date"
    r = api(orgs.inspector).get(f"{FEED}?colour=red")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "unknown_filter"
    assert api(orgs.inspector).post(FEED, {}, format="json").status_code in (403, 405)
    assert WorkPermit.objects.filter(prework_reported_at__isnull=False).count() == 1
