"""``GET /api/v1/me/todos/``: what the caller must do now, one call (issue 15 §1 “我的待办”)."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.core.time import SHANGHAI
from compliance.models import Hazard
from tests.factories import RiskPointFactory
from tests.factories.compliance import ControlMeasureFactory, InvestigationTaskFactory, RiskEventFactory
from tests.helpers.permits import URL as PERMITS
from tests.helpers.permits import body_of, hot_work_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/me/todos/"


def kinds(client):
    r = client.get(URL)
    assert r.status_code == 200, r.content
    return [(i["kind"], i["object_id"]) for i in r.json()["items"]]


def _task(orgs, responsible, day=25):
    point = RiskPointFactory(enterprise=orgs.owner)
    measure = ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=point), responsible_person=responsible)
    start = dt.datetime(2026, 11, day, tzinfo=SHANGHAI)
    return InvestigationTaskFactory(measure=measure, due_start=start, due_end=start + dt.timedelta(days=1))


def test_each_role_sees_what_it_must_do(api, orgs, file_hazard):
    reported = api(orgs.employee).post("/api/v1/hazards/report/", {"title": "消防通道堆物"}, format="json").json()["id"]
    assigned = file_hazard()  # confirmed, the employee responsible
    someone_elses = file_hazard(responsible_person=orgs.colleague)
    pending = file_hazard()
    Hazard.objects.filter(pk=pending.pk).update(state="pending_acceptance", rectified_by=orgs.employee)
    mine_rectified = file_hazard(responsible_person=orgs.officer)
    Hazard.objects.filter(pk=mine_rectified.pk).update(state="pending_acceptance", rectified_by=orgs.officer)
    task = _task(orgs, "张工")
    _task(orgs, "张工", day=27)  # not today
    unassigned = _task(orgs, "")

    employee = kinds(api(orgs.employee))
    assert ("hazard_rectify", assigned.pk) in employee and ("task_due", task.pk) in employee
    assert not any(k in {"hazard_confirm", "hazard_accept"} for k, _ in employee)
    assert ("hazard_rectify", someone_elses.pk) not in employee and ("task_due", unassigned.pk) not in employee

    officer = kinds(api(orgs.officer))
    assert ("hazard_confirm", reported) in officer and ("hazard_accept", pending.pk) in officer
    assert ("hazard_accept", mine_rectified.pk) not in officer  # the rectifier does not accept
    assert ("task_due", unassigned.pk) in officer and ("task_due", task.pk) not in officer
    body = api(orgs.officer).get(URL).json()
    item = next(i for i in body["items"] if i["object_id"] == reported and i["kind"] == "hazard_confirm")
    assert item["link"] == f"/api/v1/hazards/{reported}/" and item["action"] == "confirm" and item["number"]
    assert body["counts"]["hazard_confirm"] == 1 and body["total"] == len(body["items"])
    assert ("hazard_accept", mine_rectified.pk) in kinds(api(orgs.colleague))


def test_permit_step_to_sign_is_a_todo(api, orgs, driver, points):
    body = body_of(hot_work_case(), points)
    pk = driver.create(body).json()["id"]
    assert not any(k.startswith("permit") for k, _ in kinds(api(orgs.employee)))  # a draft asks nothing
    driver.post(f"{PERMITS}{pk}/submit/")
    items = api(orgs.employee).get(URL).json()["items"]
    todo = next(i for i in items if i["kind"] == "permit_sign")
    assert (todo["object_id"], todo["step"], todo["link"]) == (pk, "work_leader", f"/api/v1/permits/{pk}/")
    assert not any(i["kind"] == "permit_sign" for i in api(orgs.principal).get(URL).json()["items"])


def test_todos_query_count_is_constant(api, orgs, file_hazard, django_assert_max_num_queries):
    client = api(orgs.officer)
    file_hazard()
    _task(orgs, "")
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    n = len(few.captured_queries)
    for _ in range(8):
        file_hazard()
        _task(orgs, "")
    for h in Hazard.objects.all()[:4]:
        Hazard.objects.filter(pk=h.pk).update(state="pending_acceptance", rectified_by=orgs.employee)
    with django_assert_max_num_queries(n):
        assert api(orgs.officer).get(URL).json()["total"] >= 12


def test_regulators_anonymous_and_parameters(api, orgs, file_hazard):
    file_hazard()
    r = api(orgs.inspector).get(URL)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "enterprise_only"
    assert api(None).get(URL).status_code == 401
    r = api(orgs.officer).get(URL, {"foo": 1})
    assert r.status_code == 400 and r.json()["errors"][0] == {"code": "unknown_filter", "detail": "未知的筛选参数：foo。",
                                                              "attr": "foo"}
    assert kinds(api(orgs.outsider_officer)) == []  # another enterprise's hazards are not its to-dos
