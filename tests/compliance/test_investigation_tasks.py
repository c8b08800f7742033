"""Investigation tasks: idempotent generation from check cycles, day types, overdue, recording."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.core.time import SHANGHAI
from compliance.models import ControlMeasure, Hazard, InvestigationTask
from compliance.services.investigation import investigation_task_record, investigation_tasks_generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/investigation-tasks/"


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_generation_is_idempotent(orgs, measure):
    start, end = at(2026, 11, 23), at(2026, 11, 30)
    assert investigation_tasks_generate(start=start, end=end) == 7
    assert investigation_tasks_generate(start=start, end=end) == 0
    assert investigation_tasks_generate(start=at(2026, 11, 20), end=end) == 3
    t = InvestigationTask.objects.order_by("due_start").first()
    assert t.due_start == at(2026, 11, 20) and t.due_end == at(2026, 11, 21)
    assert t.risk_point_id == measure.risk_event.risk_point_id


def test_cycles_and_day_types(orgs, measure):
    # 2 h patrol on working days only
    ControlMeasure.objects.filter(pk=measure.pk).update(check_cycle=2, check_cycle_unit="hour", day_type="workday")
    assert investigation_tasks_generate(start=at(2026, 11, 23), end=at(2026, 11, 30)) == 5 * 12  # Mon–Fri
    InvestigationTask.objects.all().delete()
    ControlMeasure.objects.filter(pk=measure.pk).update(check_cycle=1, check_cycle_unit="day", day_type="non_workday")
    assert investigation_tasks_generate(start=at(2026, 9, 28), end=at(2026, 10, 12)) == 8
    days = sorted(t.due_start.astimezone(SHANGHAI).day for t in InvestigationTask.objects.all())
    assert days == [1, 2, 3, 4, 5, 6, 7, 11]  # National Day 10-1..7; Sat 10-10 is a 调休 working day
    InvestigationTask.objects.all().delete()
    ControlMeasure.objects.filter(pk=measure.pk).update(check_cycle=3, check_cycle_unit="month", day_type="every_day")
    assert investigation_tasks_generate(start=at(2026, 1, 1), end=at(2027, 1, 1)) == 4
    assert sorted(t.due_start.astimezone(SHANGHAI).month for t in InvestigationTask.objects.all()) == [1, 4, 7, 10]


def test_overdue_tasks_and_isolation(api, orgs, measure, time_machine):
    investigation_tasks_generate(start=at(2026, 11, 23), end=at(2026, 11, 26))
    client = api(orgs.officer)
    time_machine.move_to("2026-11-25T10:00:00+08:00", tick=False)
    overdue = client.get(URL, {"overdue": "true"}).json()["results"]
    assert [r["due_start"][:10] for r in overdue] == ["2026-11-23", "2026-11-24"]
    tid = overdue[0]["id"]
    assert api(orgs.outsider_officer).get(f"{URL}{tid}/").status_code == 404
    assert api(orgs.outsider_officer).post(f"{URL}{tid}/record/", {"result": "normal"}, format="json").status_code == 404
    assert api(orgs.outsider_officer).get(URL).json()["count"] == 0
    r = api(orgs.employee).post(f"{URL}{tid}/record/", {"result": "normal"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "done" and r.json()["overdue"] is False
    r = api(orgs.employee).post(f"{URL}{tid}/record/", {"result": "normal"}, format="json")
    assert r.status_code == 409
    assert api(orgs.inspector).post(f"{URL}{overdue[1]['id']}/record/", {"result": "normal"},
                                    format="json").status_code == 403


def test_hazard_found_creates_a_linked_hazard(api, orgs, measure):
    investigation_tasks_generate(start=at(2026, 11, 25), end=at(2026, 11, 26))
    task = InvestigationTask.objects.get()
    r = api(orgs.officer).post(f"{URL}{task.pk}/record/", {"result": "hazard_found", "hazard": {}}, format="json")
    assert r.status_code == 400
    r = api(orgs.employee).post(f"{URL}{task.pk}/record/",
                                {"result": "hazard_found", "note": "呼吸阀卡涩", "hazard": {"title": "呼吸阀卡涩"}},
                                format="json")
    assert r.status_code == 200, r.json()
    h = Hazard.objects.get(pk=r.json()["record"]["hazard"])
    assert h.control_measure_id == measure.pk and h.risk_point_id == measure.risk_event.risk_point_id
    assert h.state == "reported" and h.source == "daily"


def test_officer_finding_is_filed(orgs, measure):
    investigation_tasks_generate(start=at(2026, 11, 25), end=at(2026, 11, 26))
    task = InvestigationTask.objects.get()
    rec = investigation_task_record(actor=orgs.officer, task=task, result="hazard_found",
                                    hazard={"title": "阻火器锈蚀", "treatment": "immediate"})
    assert rec.hazard.state == "confirmed" and rec.hazard.control_measure_id == measure.pk


def test_list_query_count_is_constant(api, orgs, measure, django_assert_max_num_queries):
    client = api(orgs.officer)
    investigation_tasks_generate(start=at(2026, 11, 23), end=at(2026, 11, 25))
    investigation_task_record(actor=orgs.employee, task=InvestigationTask.objects.first(), result="normal")
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).json()["count"] == 2
    investigation_tasks_generate(start=at(2026, 11, 1), end=at(2026, 11, 23))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 24
