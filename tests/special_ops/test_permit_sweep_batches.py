"""The permit sweeps' shape: bounded keyset batches, a guarded UPDATE per permit (compare-and-set on
the old state) and one audit event per permit — so a backlog larger than a batch is done in one
run, and two sweeps running at once never process a permit twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.audit.models import Event
from special_ops.models import WorkPermit
from special_ops.services.sweeps import permits_expire, permits_suspend_stale_gas
from tests.factories.special_ops import GasTestFactory, WorkPermitFactory
from tests.helpers.concurrency import run_concurrently

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The factory's permits end 2026-11-25 16:00 (Asia/Shanghai); the sweeps run an hour later.
AFTER_END = datetime(2026, 11, 25, 17, 0, tzinfo=SHANGHAI)
DURING = datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)


def events(action: str, pk: int) -> int:
    return Event.objects.filter(action=action, object_type="special_ops.workpermit", object_id=str(pk)).count()


@pytest.mark.django_db
def test_expire_backlog_larger_than_a_batch_is_done_in_one_run(orgs):
    due = [WorkPermitFactory(enterprise=orgs.owner, state=s).pk
           for s in ("submitted", "approved", "in_progress", "suspended", "approved", "submitted", "in_progress")]
    kept = [WorkPermitFactory(enterprise=orgs.owner, state=s).pk for s in ("draft", "completed", "accepted")]
    later = WorkPermitFactory(enterprise=orgs.owner, state="approved",
                              planned_end=AFTER_END + timedelta(hours=1)).pk

    assert permits_expire(now=AFTER_END, batch_size=3) == sorted(due)

    states = dict(WorkPermit.objects.values_list("pk", "state"))
    assert {states[pk] for pk in due} == {"expired"}
    assert [states[pk] for pk in kept] == ["draft", "completed", "accepted"] and states[later] == "approved"
    assert all(events("permit.expire", pk) == 1 for pk in due)
    first = Event.objects.get(action="permit.expire", object_id=str(due[2]))
    assert (first.from_state, first.to_state, first.actor_id) == ("in_progress", "expired", None)
    assert permits_expire(now=AFTER_END, batch_size=3) == []  # a second run changes nothing


@pytest.mark.django_db
def test_stale_gas_backlog_larger_than_a_batch_is_done_in_one_run(orgs):
    # In-progress hot work without any sample: the gas gate lapsed (e.g. a data fix) → suspended.
    stale = [WorkPermitFactory(enterprise=orgs.owner, state="in_progress").pk for _ in range(5)]
    fresh = WorkPermitFactory(enterprise=orgs.owner, state="in_progress")
    GasTestFactory(permit=fresh, sampled_at=DURING - timedelta(minutes=10))
    lifting = WorkPermitFactory(enterprise=orgs.owner, state="in_progress", type="lifting", number="DZ-20261125-01",
                                detail=None).pk  # never needs a gas test: not even read

    assert permits_suspend_stale_gas(now=DURING, batch_size=2) == sorted(stale)

    states = dict(WorkPermit.objects.values_list("pk", "state"))
    assert {states[pk] for pk in stale} == {"suspended"} and states[fresh.pk] == states[lifting] == "in_progress"
    suspended = WorkPermit.objects.get(pk=stale[0])
    assert suspended.suspended_at == DURING and suspended.suspend_reason == "气体检测超过规定间隔，自动暂停"
    assert all(events("permit.suspend", pk) == 1 for pk in stale)
    assert Event.objects.get(action="permit.suspend", object_id=str(stale[0])).payload == {"automatic": True}
    assert permits_suspend_stale_gas(now=DURING, batch_size=2) == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_expiry_sweeps_process_each_permit_once(orgs):
    due = [WorkPermitFactory(enterprise=orgs.owner, state="approved").pk for _ in range(12)]

    results, errors = run_concurrently(lambda: permits_expire(now=AFTER_END, batch_size=4), 2)

    assert errors == []
    claimed = [pk for r in results for pk in r]
    assert sorted(claimed) == sorted(due), "every permit expired exactly once across both sweeps"
    assert set(WorkPermit.objects.values_list("state", flat=True)) == {"expired"}
    assert all(events("permit.expire", pk) == 1 for pk in due)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_stale_gas_sweeps_process_each_permit_once(orgs):
    stale = [WorkPermitFactory(enterprise=orgs.owner, state="in_progress").pk for _ in range(12)]

    results, errors = run_concurrently(lambda: permits_suspend_stale_gas(now=DURING, batch_size=4), 2)

    assert errors == []
    assert sorted(pk for r in results for pk in r) == sorted(stale)
    assert all(events("permit.suspend", pk) == 1 for pk in stale)


@pytest.mark.django_db
def test_a_permit_changed_after_the_batch_was_read_is_left_alone(orgs, monkeypatch):
    """The UPDATE is guarded on the state read with the batch: a permit completed in between is
    not expired (and gets no event)."""
    pk = WorkPermitFactory(enterprise=orgs.owner, state="in_progress").pk
    from special_ops.services import sweeps

    real = sweeps._keyset

    def racing(qs, size):
        for batch in real(qs, size):
            WorkPermit.objects.filter(pk=pk).update(state="completed")  # a user completes it meanwhile
            yield batch

    monkeypatch.setattr(sweeps, "_keyset", racing)
    assert permits_expire(now=AFTER_END) == []
    assert WorkPermit.objects.get(pk=pk).state == "completed" and events("permit.expire", pk) == 0
