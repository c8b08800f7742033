"""``GET /hazards/{id}/timeline/``: every audit event of the hazard in order, with actor name, role,
organization, time, from → to, reason and a Chinese summary (DOMAIN.md §3 留痕)."""

from __future__ import annotations

import pytest

from compliance.rules.hazard_timeline import event_summary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/hazards/"


def test_summary_names_changed_fields_and_hides_plumbing():
    labels = {"deadline": "整改期限", "responsible_person": "整改责任人"}
    assert event_summary("hazard.confirm", {"deadline": [None, "2026-12-01"], "responsible_person": [None, 3]}, {},
                         labels) == "修改：整改期限、整改责任人"
    assert event_summary("hazard.photo_add", {}, {"photo_id": 4, "kind": "before", "file": "x/y.png"}, labels) == \
        "类别：before"
    assert event_summary("hazard.start_rectification", None, None, labels) == ""
    assert len(event_summary("x", {f"f{i}": [1, 2] for i in range(200)}, {}, {})) == 200


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
