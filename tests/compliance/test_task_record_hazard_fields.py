"""POST /investigation-tasks/{id}/record/ with 发现隐患 by a safety manager: the record body carries the
treatment and deadline a filed (confirmed) hazard needs; without them a 限期整改 hazard is a coded 400 naming
``deadline`` (the console's 巡检 page used to have no way to send them)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from backend.core.time import SHANGHAI
from compliance.models import Hazard, InvestigationTask
from compliance.services.investigation import investigation_tasks_generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/investigation-tasks/"


@pytest.fixture
def task(measure):
    investigation_tasks_generate(start=datetime(2026, 11, 25, tzinfo=SHANGHAI), end=datetime(2026, 11, 26, tzinfo=SHANGHAI))
    return InvestigationTask.objects.get()


def record(api, user, task, **hazard):
    return api(user).post(f"{URL}{task.pk}/record/", {"result": "hazard_found", "hazard": {"title": "呼吸阀卡涩", **hazard}},
                          format="json")


def test_manager_files_with_deadline_through_the_api(api, orgs, task):
    r = record(api, orgs.officer, task)
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "deadline"
    assert r.json()["errors"][0]["code"] == "required"
    assert InvestigationTask.objects.get().state == "pending"
    r = record(api, orgs.officer, task, treatment="deadline", deadline="2026-12-05")
    assert r.status_code == 200, r.json()
    h = Hazard.objects.get(pk=r.json()["record"]["hazard"])
    assert (h.state, h.treatment, h.deadline) == ("confirmed", "deadline", date(2026, 12, 5))


def test_manager_files_immediate_without_deadline(api, orgs, task):
    r = record(api, orgs.officer, task, treatment="immediate")
    assert r.status_code == 200, r.json()
    assert Hazard.objects.get(pk=r.json()["record"]["hazard"]).treatment == "immediate"


def test_bad_values_are_coded_on_the_nested_field(api, orgs, task):
    r = record(api, orgs.officer, task, treatment="sometime")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "hazard.treatment"
    r = record(api, orgs.officer, task, deadline="2026-11-01")  # before the finding
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "deadline"


def test_employee_report_ignores_the_manager_fields(api, orgs, task):
    r = record(api, orgs.employee, task, treatment="deadline", deadline="2026-12-05")
    assert r.status_code == 200, r.json()
    h = Hazard.objects.get(pk=r.json()["record"]["hazard"])
    assert h.state == "reported" and h.deadline is None
