"""Hazard lifecycle through the API (DOMAIN.md §3): filing, reporting, transitions, events,
isolation, overdue, query counts."""

from __future__ import annotations

from datetime import date

import pytest

from backend.notifications.models import Notification
from compliance.models import Hazard
from tests.helpers.hazards import FIVE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/hazards/"


def post(client, path, body=None):
    return client.post(path, body or {}, format="json")


def code_of(r):
    return r.json()["errors"][0]["code"]


def test_general_hazard_walks_from_report_to_closure(api, orgs, point):
    r = post(api(orgs.employee), f"{URL}report/", {"title": "泵房地面油污未清理", "location": "泵房", "risk_point": point.pk})
    assert r.status_code == 201, r.json()
    h = r.json()
    assert h["state"] == "reported" and h["source"] == "employee_report"
    assert h["number"] == "YH-2026-00001"
    hid = h["id"]
    officer, colleague = api(orgs.officer), api(orgs.colleague)
    r = post(officer, f"{URL}{hid}/confirm/", {"deadline": "2026-12-01", "responsible_person": orgs.employee.pk,
                                              "measures": "清理油污", "hazard_type": "safety"})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "confirmed"
    assert post(api(orgs.employee), f"{URL}{hid}/start-rectification/").json()["state"] == "rectifying"
    assert post(api(orgs.employee), f"{URL}{hid}/submit-for-acceptance/").json()["state"] == "pending_acceptance"
    r = post(api(orgs.employee), f"{URL}{hid}/accept/")
    assert r.status_code == 403  # employees do not accept
    r = post(officer, f"{URL}{hid}/fail-acceptance/", {"reason": "地面仍有油迹"})
    assert r.json()["state"] == "rectifying"
    assert r.json()["acceptance_comment"] == "地面仍有油迹"
    post(api(orgs.employee), f"{URL}{hid}/submit-for-acceptance/")
    r = post(colleague, f"{URL}{hid}/accept/", {"comment": "合格"})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "accepted" and r.json()["acceptor_display"] == "王强"
    assert post(officer, f"{URL}{hid}/close/").json()["state"] == "closed"

    events = api(orgs.officer).get(f"{URL}{hid}/events/").json()
    steps = [(e["action"], e["from_state"], e["to_state"]) for e in events]
    assert steps == [
        ("hazard.report", "", "reported"),
        ("hazard.confirm", "reported", "confirmed"),
        ("hazard.start_rectification", "confirmed", "rectifying"),
        ("hazard.submit_for_acceptance", "rectifying", "pending_acceptance"),
        ("hazard.fail_acceptance", "pending_acceptance", "rectifying"),
        ("hazard.submit_for_acceptance", "rectifying", "pending_acceptance"),
        ("hazard.accept", "pending_acceptance", "accepted"),
        ("hazard.close", "accepted", "closed"),
    ]
    assert events[4]["reason"] == "地面仍有油迹"
    assert all(e["actor"] for e in events)


def test_acceptance_by_the_rectifier_is_refused(api, orgs, file_hazard):
    h = file_hazard(responsible_person=orgs.officer)
    officer = api(orgs.officer)
    post(officer, f"{URL}{h.pk}/start-rectification/")
    post(officer, f"{URL}{h.pk}/submit-for-acceptance/")
    r = post(officer, f"{URL}{h.pk}/accept/")
    assert r.status_code == 403
    assert code_of(r) == "acceptor_is_rectifier"
    assert Hazard.objects.get(pk=h.pk).state == "pending_acceptance"


def test_reject_needs_a_reason_and_wrong_state_is_409(api, orgs):
    hid = post(api(orgs.employee), f"{URL}report/", {"title": "消防通道堆放杂物"}).json()["id"]
    officer = api(orgs.officer)
    r = post(officer, f"{URL}{hid}/reject/", {"reason": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "reason"
    r = post(officer, f"{URL}{hid}/reject/", {"reason": "已于当日清理，非隐患"})
    assert r.json()["state"] == "rejected" and r.json()["reject_reason"] == "已于当日清理，非隐患"
    r = post(officer, f"{URL}{hid}/confirm/", {"deadline": "2026-12-01"})
    assert r.status_code == 409 and code_of(r) == "invalid_transition"


def test_employee_may_not_file_or_confirm(api, orgs):
    r = post(api(orgs.employee), URL, {"title": "x", "deadline": "2026-12-01"})
    assert r.status_code == 403
    hid = post(api(orgs.employee), f"{URL}report/", {"title": "x"}).json()["id"]
    assert post(api(orgs.employee), f"{URL}{hid}/confirm/", {"deadline": "2026-12-01"}).status_code == 403


def test_filing_validates_fields(api, orgs, point):
    officer = api(orgs.officer)
    r = post(officer, URL, {"title": "无期限"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "deadline"
    r = post(officer, URL, {"title": "x", "deadline": "2026-12-01", "grade": "huge"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "grade"
    r = post(officer, URL, {"title": "即改", "treatment": "immediate", "found_on": "2026-11-24"})
    assert r.status_code == 201 and r.json()["deadline"] == "2026-11-24"
    other_point = __import__("tests.factories", fromlist=["RiskPointFactory"]).RiskPointFactory(enterprise=orgs.outsider)
    r = post(officer, URL, {"title": "x", "deadline": "2026-12-01", "risk_point": other_point.pk})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "risk_point"


def test_numbers_are_sequential_per_enterprise(orgs, file_hazard):
    a, b = file_hazard(), file_hazard()
    c = file_hazard(enterprise=orgs.outsider, actor=orgs.outsider_officer)
    assert (a.number, b.number, c.number) == ("YH-2026-00001", "YH-2026-00002", "YH-2026-00001")


# --- major hazards ----------------------------------------------------------------------------
def test_major_hazard_needs_five_commitments_before_rectification(api, orgs, file_hazard):
    h = file_hazard(grade="major", responsible_person=None, responsible_name="")
    r = post(api(orgs.officer), f"{URL}{h.pk}/start-rectification/")
    assert r.status_code == 400
    assert code_of(r) == "five_commitments_incomplete"
    assert r.json()["errors"][0]["attr"] == "measures"
    Hazard.objects.filter(pk=h.pk).update(measures=FIVE["measures"], contingency_plan=FIVE["contingency_plan"],
                                          responsible_name="韩德茂")
    r = post(api(orgs.officer), f"{URL}{h.pk}/start-rectification/")
    assert r.json()["errors"][0]["attr"] == "funds_yuan"
    Hazard.objects.filter(pk=h.pk).update(funds_yuan=6800)
    assert post(api(orgs.officer), f"{URL}{h.pk}/start-rectification/").json()["state"] == "rectifying"


def test_filing_a_major_hazard_notifies_the_regulator(api, orgs):
    r = post(api(orgs.officer), URL, {"title": "控制室未抗爆", "grade": "major", "deadline": "2027-04-30", **FIVE})
    assert r.status_code == 201
    n = Notification.objects.get(idempotency_key=f"hazard:{r.json()['id']}:major:reg{orgs.gaoqing.pk}:in_app")
    assert n.recipient_regulator == orgs.gaoqing and n.kind == "hazard.major"
    assert not Notification.objects.filter(recipient_regulator=orgs.other_reg).exists()


def test_ticking_a_checklist_item_makes_a_general_hazard_major(api, orgs, file_hazard):
    h = file_hazard()
    r = post(api(orgs.officer), f"{URL}{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [12]})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["grade"] == "major" and body["checklist_items"] == [12] and body["checklist_version"]
    assert Notification.objects.filter(idempotency_key__startswith=f"hazard:{h.pk}:major").count() == 1
    r = post(api(orgs.officer), f"{URL}{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [99]})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "items"
    r = post(api(orgs.officer), f"{URL}{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [13]})
    assert r.json()["checklist_items"] == [12, 13]
    assert Notification.objects.filter(idempotency_key__startswith=f"hazard:{h.pk}:major").count() == 1


def test_major_hazard_is_accepted_by_the_principal_only(api, orgs, file_hazard):
    h = file_hazard(grade="major", **FIVE)
    emp = api(orgs.employee)
    post(emp, f"{URL}{h.pk}/start-rectification/")
    post(emp, f"{URL}{h.pk}/submit-for-acceptance/")
    r = post(api(orgs.officer), f"{URL}{h.pk}/accept/")
    assert r.status_code == 403 and code_of(r) == "principal_required"
    assert post(api(orgs.principal), f"{URL}{h.pk}/accept/").json()["state"] == "accepted"


# --- overdue --------------------------------------------------------------------------------
def test_overdue_flips_at_the_end_of_the_deadline_day(api, orgs, file_hazard, time_machine):
    h = file_hazard(deadline=date(2026, 12, 1))
    done = file_hazard(deadline=date(2026, 11, 21))
    post(api(orgs.employee), f"{URL}{done.pk}/start-rectification/")
    post(api(orgs.employee), f"{URL}{done.pk}/submit-for-acceptance/")  # pending acceptance: never overdue
    client = api(orgs.officer)
    time_machine.move_to("2026-12-01T23:59:00+08:00", tick=False)
    assert [x["id"] for x in client.get(URL, {"overdue": "true"}).json()["results"]] == []
    assert {x["id"] for x in client.get(URL, {"overdue": "false"}).json()["results"]} == {h.pk, done.pk}
    time_machine.move_to("2026-12-02T00:00:01+08:00", tick=False)
    assert [x["id"] for x in client.get(URL, {"overdue": "true"}).json()["results"]] == [h.pk]
    rows = client.get(URL, {"ordering": "-overdue"}).json()["results"]
    assert rows[0]["id"] == h.pk and rows[0]["overdue"] is True
    assert client.get(URL, {"overdue": "maybe"}).status_code == 400


def test_unknown_filter_is_400(api, orgs):
    assert api(orgs.officer).get(URL, {"colour": "red"}).status_code == 400


# --- isolation and roles --------------------------------------------------------------------
def test_outsiders_get_404_on_every_hazard_endpoint(api, orgs, file_hazard):
    h = file_hazard()
    out = api(orgs.outsider_officer)
    assert out.get(f"{URL}{h.pk}/").status_code == 404
    assert out.get(f"{URL}{h.pk}/events/").status_code == 404
    assert out.get(f"{URL}{h.pk}/photos/").status_code == 404
    assert out.get(f"{URL}{h.pk}/extensions/").status_code == 404
    for action in ("confirm", "start-rectification", "accept", "close", "tick-checklist"):
        assert post(out, f"{URL}{h.pk}/{action}/").status_code == 404, action
    assert out.get(URL).json()["count"] == 0
    assert api(orgs.other_inspector).get(f"{URL}{h.pk}/").status_code == 404


def test_regulators_read_within_jurisdiction_but_never_write(api, orgs, file_hazard):
    h = file_hazard()
    insp = api(orgs.inspector)
    assert insp.get(f"{URL}{h.pk}/").status_code == 200
    r = post(insp, f"{URL}{h.pk}/start-rectification/")
    assert r.status_code == 403 and code_of(r) == "read_only"


def test_list_query_count_is_constant(api, orgs, file_hazard, point, django_assert_max_num_queries):
    client = api(orgs.officer)
    for _ in range(2):
        file_hazard(risk_point=point)
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).json()["count"] == 2
    for _ in range(18):
        file_hazard(risk_point=point, responsible_person=orgs.colleague)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 20
