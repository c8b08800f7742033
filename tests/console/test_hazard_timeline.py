"""``GET /hazards/{id}/timeline/``: every audit event of the hazard in order, with actor name, role,
organization, time, from → to, reason and a Chinese summary (DOMAIN.md §3 留痕)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.api.serializers.hazards import HAZARD_FIELD_LABELS, TIMELINE_VALUE_LABELS
from compliance.rules.hazard_timeline import display_value, event_summary
from compliance.services.escalation import escalation_sweep
from tests.compliance.test_hazard_photos import png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/hazards/"


def test_summary_names_changed_fields_and_hides_plumbing():
    labels = {"deadline": "整改期限", "responsible_person": "整改责任人"}
    assert event_summary("hazard.confirm", {"deadline": [None, "2026-12-01"], "responsible_person": [None, 3]}, {},
                         labels) == "修改：整改期限、整改责任人"
    assert event_summary("hazard.photo_add", {}, {"photo_id": 4, "kind": "before", "file": "x/y.png"}, labels,
                         {"kind": {"before": "整改前"}}) == "类别：整改前"
    assert event_summary("hazard.supervise", {"supervised_by_id": [None, 3], "supervised": [False, True]}, {},
                         {"supervised_by": "督办部门", "supervised": "挂牌督办"}) == "修改：督办部门、挂牌督办"
    assert event_summary("hazard.update_plan", {"unknown_internal": [1, 2]}, {"at": "x", "notifications": 2}, {}) == ""
    assert event_summary("hazard.start_rectification", None, None, labels) == ""
    many = {f"f{i}": f"字段{i}" for i in range(200)}
    assert len(event_summary("x", dict.fromkeys(many, [1, 2]), {}, many)) == 200


def test_values_are_shown_in_shanghai_time_and_by_label():
    tick = event_summary("hazard.tick_checklist", {"grade": ["general", "major"]},
                         {"checklist": "chem-2017", "version": "2017（试行）", "rule_set": "hazchem", "items": [1, 3]},
                         HAZARD_FIELD_LABELS, TIMELINE_VALUE_LABELS)
    assert tick.startswith("修改：隐患级别；判定标准：化工和危险化学品") and "规则集：危险化学品/化工/医药" in tick
    assert "chem-2017" not in tick and "hazchem" not in tick and "条款：1、3" in tick
    assert display_value("2026-12-01T15:59:59.999999+00:00") == "2026-12-01 23:59"
    assert display_value(datetime.fromisoformat("2026-12-02T02:42:10+00:00")) == "2026-12-02 10:42"
    assert display_value("2026-12-01") == "2026-12-01"
    assert display_value(["a", "b"], {"a": "甲"}) == "甲、b" and display_value(True) == "是"


#: What a reader must never see in a summary: code identifiers, ISO timestamps, UTC offsets.
IDENTIFIER = re.compile(r"[a-z]+_[a-z_]+")
ISO_STAMP = re.compile(r"T\d\d:\d\d:\d\d")


def test_timeline_summaries_read_as_chinese_through_a_walk(api, orgs, point):
    """report → confirm → before photo → escalation sweep: every summary is for people (no field
    names, no UTC ISO times, enum codes by label, the sweep named 系统, the report as 上报)."""
    r = api(orgs.employee).post(f"{URL}report/", {"title": "泵房地面油污", "location": "1号泵房", "risk_point": point.pk},
                                format="json")
    assert r.status_code == 201, r.json()
    hid = r.json()["id"]
    body = {"deadline": "2026-12-01", "responsible_person": orgs.employee.pk}
    assert api(orgs.officer).post(f"{URL}{hid}/confirm/", body, format="json").status_code == 200
    photo = SimpleUploadedFile("before.png", png_bytes(), content_type="image/png")
    assert api(orgs.employee).post(f"{URL}{hid}/photos/", {"kind": "before", "file": photo},
                                   format="multipart").status_code == 201
    result = escalation_sweep(now=datetime.fromisoformat("2026-12-02T10:42:10+08:00"))
    assert result.hazards == 1
    rows = api(orgs.officer).get(f"{URL}{hid}/timeline/").json()
    actions = [e["action"] for e in rows]
    assert actions[:3] == ["hazard.report", "hazard.confirm", "hazard.photo_add"]
    assert set(actions[3:]) == {"hazard.escalate"} and len(actions) > 3
    for e in rows:
        assert not IDENTIFIER.search(e["summary"]), e["summary"]
        assert not ISO_STAMP.search(e["summary"]) and "+00:00" not in e["summary"], e["summary"]
    report, confirm, photo_row, first_step = rows[0], rows[1], rows[2], rows[3]
    assert report["summary"].startswith("上报：") and "修改" not in report["summary"]
    assert "泵房地面油污" in report["summary"] and "1号泵房" in report["summary"]
    assert confirm["summary"].startswith("修改：") and "整改期限" in confirm["summary"]
    assert photo_row["summary"] == "类别：整改前"
    assert first_step["actor_name"] == "系统" and first_step["actor_role_display"] == ""
    assert "升级环节：整改期限前一天提醒" in first_step["summary"]
    assert "到期时间：2026-11-30 23:59" in first_step["summary"]
    assert "notifications" not in first_step["summary"] and "2026-12-02 10:42" not in first_step["summary"]


def test_timeline_shows_each_step_with_who_and_how(api, orgs, point):
    r = api(orgs.employee).post(f"{URL}report/", {"title": "泵房地面油污", "risk_point": point.pk}, format="json")
    hid = r.json()["id"]
    steps = [
        (orgs.officer, "confirm", {"deadline": "2026-12-01", "responsible_person": orgs.employee.pk}),
        (orgs.employee, "start-rectification", {}),
        (orgs.employee, "submit-for-acceptance", {"comment": "已清理"}),
        (orgs.colleague, "fail-acceptance", {"reason": "仍有油迹"}),
        (orgs.employee, "submit-for-acceptance", {}),
        (orgs.colleague, "accept", {"comment": "合格"}),
        (orgs.officer, "close", {}),
    ]
    for user, path, body in steps:
        assert api(user).post(f"{URL}{hid}/{path}/", body, format="json").status_code == 200, path
    rows = api(orgs.officer).get(f"{URL}{hid}/timeline/").json()
    assert [(e["action"], e["from_state"], e["to_state"]) for e in rows] == [
        ("hazard.report", "", "reported"), ("hazard.confirm", "reported", "confirmed"),
        ("hazard.start_rectification", "confirmed", "rectifying"),
        ("hazard.submit_for_acceptance", "rectifying", "pending_acceptance"),
        ("hazard.fail_acceptance", "pending_acceptance", "rectifying"),
        ("hazard.submit_for_acceptance", "rectifying", "pending_acceptance"),
        ("hazard.accept", "pending_acceptance", "accepted"), ("hazard.close", "accepted", "closed")]
    first, confirm, failed = rows[0], rows[1], rows[4]
    assert (first["actor_name"], first["actor_role"], first["actor_role_display"]) == ("张工", "employee", "职工")
    assert first["action_display"] == "职工上报" and first["organization"] == orgs.owner.name
    assert confirm["actor_name"] == "刘晓燕" and confirm["to_state_display"] == "已确认"
    assert "整改期限" in confirm["summary"] and "整改责任人" in confirm["summary"]
    assert failed["reason"] == "仍有油迹" and failed["from_state_display"] == "待验收"
    assert rows == sorted(rows, key=lambda e: (e["at"], e["id"]))


def test_timeline_queries_do_not_grow_with_events(api, orgs, file_hazard, django_assert_max_num_queries):
    h = file_hazard()
    client = api(orgs.officer)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(f"{URL}{h.pk}/timeline/").json()) == 1
    n = len(few.captured_queries)
    api(orgs.employee).post(f"{URL}{h.pk}/start-rectification/", {}, format="json")
    api(orgs.employee).post(f"{URL}{h.pk}/submit-for-acceptance/", {}, format="json")
    with django_assert_max_num_queries(n):
        assert len(client.get(f"{URL}{h.pk}/timeline/").json()) == 3


def test_timeline_tenancy_and_regulator_read(api, orgs, file_hazard):
    h = file_hazard()
    assert api(orgs.outsider_officer).get(f"{URL}{h.pk}/timeline/").status_code == 404
    assert api(orgs.other_inspector).get(f"/api/v1/audit/hazards/{h.pk}/timeline/").status_code == 404
    r = api(orgs.inspector).get(f"/api/v1/audit/hazards/{h.pk}/timeline/")
    assert r.status_code == 200 and r.json()[0]["action"] == "hazard.file"
    assert api(orgs.inspector).post(f"{URL}{h.pk}/timeline/", {}, format="json").status_code in (403, 405)
    assert api(None).get(f"{URL}{h.pk}/timeline/").status_code == 401
