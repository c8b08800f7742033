"""The escalation sweep against the database: each step once, in order, at the right time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.audit.models import Event
from backend.core.time import SHANGHAI
from backend.notifications.models import Notification
from compliance.models import HazardEscalation
from compliance.services.escalation import due_hazards, escalation_sweep
from tests.factories.compliance import HazardFactory

DEADLINE = date(2026, 12, 10)
END = datetime(2026, 12, 10, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def steps_of(h):
    return list(HazardEscalation.objects.filter(hazard=h).order_by("id").values_list("step", flat=True))


@pytest.fixture
def hazard(orgs):
    orgs.gaoqing.webhook_url = "http://127.0.0.1:9/hook"
    orgs.gaoqing.webhook_secret = "s3cret"
    orgs.gaoqing.save()
    orgs.officer.email = "officer@example.com"
    orgs.officer.save()
    return HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, responsible_person=orgs.employee)


def test_each_step_once_in_order_at_the_right_time(orgs, hazard):
    timeline = [
        (END - timedelta(days=2), []),
        (END - timedelta(days=1) + timedelta(minutes=1), ["reminder"]),
        (END - timedelta(hours=1), ["reminder"]),
        (END + timedelta(minutes=1), ["reminder", "overdue"]),
        (END + timedelta(days=3, minutes=1), ["reminder", "overdue", "principal"]),
        (END + timedelta(days=6), ["reminder", "overdue", "principal"]),
        (END + timedelta(days=7, minutes=1), ["reminder", "overdue", "principal", "regulator"]),
        (END + timedelta(days=9), ["reminder", "overdue", "principal", "regulator"]),
    ]
    for moment, expected in timeline:
        with time_machine.travel(moment, tick=False):
            escalation_sweep()
            escalation_sweep()  # a second pass (second beat, redelivery) changes nothing
        assert steps_of(hazard) == expected, moment
    rows = {e.step: e for e in HazardEscalation.objects.filter(hazard=hazard)}
    assert rows["overdue"].due_at == END
    assert rows["principal"].at == END + timedelta(days=3, minutes=1)
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    h = hazard.pk
    assert f"hazard:{h}:esc:reminder:user{orgs.employee.pk}" in keys  # the responsible person
    assert f"hazard:{h}:esc:overdue:user{orgs.officer.pk}" in keys  # safety dept
    assert f"hazard:{h}:esc:overdue:user{orgs.officer.pk}:email" in keys
    assert f"hazard:{h}:esc:overdue:user{orgs.admin.pk}" in keys  # department head / admin
    assert f"hazard:{h}:esc:principal:user{orgs.principal.pk}" in keys
    assert f"hazard:{h}:esc:regulator:reg{orgs.gaoqing.pk}:in_app" in keys
    assert f"hazard:{h}:esc:regulator:reg{orgs.gaoqing.pk}:webhook" in keys
    assert not any(f"reg{orgs.other_reg.pk}" in k for k in keys)
    events = Event.objects.filter(object_type="compliance.hazard", object_id=str(h), action="hazard.escalate")
    assert [e.payload["step"] for e in events.order_by("id")] == ["reminder", "overdue", "principal", "regulator"]


def test_first_sweep_eight_days_late_takes_all_steps_in_order(orgs, hazard):
    with time_machine.travel(END + timedelta(days=8), tick=False):
        result = escalation_sweep()
    assert steps_of(hazard) == ["reminder", "overdue", "principal", "regulator"]
    assert result.hazards == 1 and sum(result.steps.values()) == 4


def test_major_hazard_goes_to_regulator_at_once(orgs):
    h = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, grade="major")
    with time_machine.travel(END - timedelta(days=20), tick=False):
        escalation_sweep()
    assert steps_of(h) == ["regulator"]
    # it is reported as a major hazard, not (falsely) as seven days overdue
    titles = set(Notification.objects.filter(kind="hazard.escalation.regulator").values_list("title", flat=True))
    assert titles and all(t.startswith("【重大隐患，报告监管部门】") for t in titles)
    with time_machine.travel(END + timedelta(days=8), tick=False):
        escalation_sweep()
    assert steps_of(h) == ["regulator", "reminder", "overdue", "principal"]


@pytest.mark.parametrize("state", ["pending_acceptance", "accepted", "closed", "rejected"])
def test_hazards_past_rectification_are_not_escalated(orgs, state):
    h = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, state=state, grade="major")
    with time_machine.travel(END + timedelta(days=30), tick=False):
        assert escalation_sweep().hazards == 0
    assert steps_of(h) == []


def test_batches_cover_every_due_hazard_and_not_the_others(orgs):
    due = [HazardFactory(enterprise=orgs.owner, deadline=DEADLINE - timedelta(days=i % 3)) for i in range(7)]
    later = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE + timedelta(days=30))
    with time_machine.travel(END + timedelta(minutes=5), tick=False):
        result = escalation_sweep(batch_size=2)
    assert result.hazards == 7
    assert all("overdue" in steps_of(h) for h in due)
    assert steps_of(later) == []


def test_enterprise_without_principal_gets_an_enterprise_inbox_row(orgs):
    orgs.principal.membership.delete()
    h = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE)
    with time_machine.travel(END + timedelta(days=4), tick=False):
        escalation_sweep()
    assert Notification.objects.filter(idempotency_key=f"hazard:{h.pk}:esc:principal:ent{orgs.owner.pk}").exists()


def test_ladder_override_setting(orgs, hazard, settings):
    settings.ESCALATION_LADDER = {"principal": 24, "reminder": None}
    with time_machine.travel(END + timedelta(days=1, minutes=1), tick=False):
        escalation_sweep()
    assert steps_of(hazard) == ["overdue", "principal"]


def test_due_query_is_bounded_and_uses_the_deadline_filter(orgs, hazard):
    from compliance.services.escalation import current_ladder

    with CaptureQueriesContext(connection) as ctx:
        list(due_hazards(current_ladder()[1], END + timedelta(minutes=1)).values_list("pk", flat=True)[:500])
    sql = ctx.captured_queries[0]["sql"]
    assert '"deadline_at" <=' in sql and "LIMIT 500" in sql and "NOT EXISTS" in sql.upper()


def test_escalate_command_prints_what_it_did(orgs, hazard, capsys):
    call_command("escalate", "--now", "--at", (END + timedelta(days=8)).isoformat())
    out = capsys.readouterr().out
    assert "escalated 1 hazard(s): reminder=1, overdue=1, principal=1, regulator=1" in out
    call_command("escalate", "--now", "--at", (END + timedelta(days=8)).isoformat())
    assert "escalated 0 hazard(s)" in capsys.readouterr().out


def test_one_failing_hazard_does_not_stop_the_others(orgs, monkeypatch):
    from compliance.services import escalation

    bad = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, responsible_person=orgs.employee)
    good = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, responsible_person=orgs.employee)
    real = escalation.hazard_escalate

    def flaky(*, hazard_id, **kw):
        if hazard_id == bad.pk:
            raise OverflowError("date value out of range")
        return real(hazard_id=hazard_id, **kw)

    monkeypatch.setattr(escalation, "hazard_escalate", flaky)
    with time_machine.travel(END + timedelta(minutes=1), tick=False):
        result = escalation_sweep()
    assert steps_of(good) == ["reminder", "overdue"]
    assert steps_of(bad) == []
    assert set(result.failed) == {bad.pk}
    assert "failed on hazard(s)" in result.lines()[-1]


def test_major_hazard_filed_through_the_service_is_reported_once(orgs):
    from compliance.services.hazards import hazard_file

    with time_machine.travel(END - timedelta(days=20), tick=False):
        h = hazard_file(actor=orgs.officer, enterprise=orgs.owner, title="控制室未抗爆", grade="major",
                        deadline=DEADLINE, responsible_person=orgs.employee)
        escalation_sweep()
        escalation_sweep()
    assert steps_of(h) == ["regulator"]  # the ladder records the step …
    to_regulator = Notification.objects.filter(recipient_regulator=orgs.gaoqing)
    assert [n.kind for n in to_regulator] == ["hazard.major"]  # … but the regulator hears it once


def test_a_reminder_found_after_the_deadline_is_recorded_but_not_sent(orgs):
    h = HazardFactory(enterprise=orgs.owner, deadline=DEADLINE, responsible_person=orgs.employee)
    with time_machine.travel(END + timedelta(days=1), tick=False):
        escalation_sweep()
    assert steps_of(h) == ["reminder", "overdue"]
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert "hazard.escalation.overdue" in kinds and "hazard.escalation.reminder" not in kinds
