"""The hourly investigation sweeps the worker schedules: generation and overdue notices, both idempotent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from backend.notifications.models import Notification
from celery_worker.tasks import investigation_generate, investigation_mark_overdue
from compliance.models import InvestigationTask

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_generate_then_notify_overdue_once(orgs, measure):
    now = datetime(2026, 11, 25, 10, 0, tzinfo=SH)
    created = investigation_generate.run(now=now.isoformat())
    assert created == InvestigationTask.objects.count() > 0
    assert investigation_generate.run(now=now.isoformat()) == 0  # idempotent
    later = datetime(2026, 11, 27, 12, 0, tzinfo=SH)
    n = investigation_mark_overdue.run(now=later.isoformat())
    overdue = InvestigationTask.objects.filter(due_end__lte=later, state="pending").count()
    assert n == overdue > 0
    assert investigation_mark_overdue.run(now=later.isoformat()) == 0
    notes = Notification.objects.filter(kind="investigation_task_overdue")
    assert notes.count() == overdue
    assert {x.recipient_enterprise_id for x in notes} == {orgs.owner.pk}


def test_overdue_notices_page_through_more_than_one_batch(orgs, measure, monkeypatch):
    from compliance.services import investigation

    monkeypatch.setattr(investigation, "OVERDUE_BATCH", 1)
    investigation_generate.run(now=datetime(2026, 11, 25, 10, 0, tzinfo=SH).isoformat())
    later = datetime(2026, 11, 27, 12, 0, tzinfo=SH).isoformat()
    overdue = InvestigationTask.objects.filter(due_end__lte=later, state="pending").count()
    assert overdue > 1
    total = 0
    for _ in range(5):
        total += investigation_mark_overdue.run(now=later)
    assert total == overdue == Notification.objects.filter(kind="investigation_task_overdue").count()
