"""``audit_record_many`` appends exactly the chain that one ``audit_record`` per event writes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from backend.audit.models import AuditChain, Event
from backend.audit.services import PendingEvent, _jsonable, audit_record, audit_record_many, audit_verify
from tests.factories.accounts import EnterpriseFactory

pytestmark = pytest.mark.django_db

SPECS = [
    {"action": "hazard.import", "object_type": "compliance.hazard", "object_id": n,
     "changes": {"title": [None, f"隐患{n}"], "funds_yuan": [None, "1500.50"]}, "payload": {"ledger_seq": n},
     "to_state": "rectifying" if n % 2 else "accepted"}
    for n in range(1, 8)
]


class _Rollback(Exception):
    pass


def _rows(chain: str) -> list[tuple]:
    return list(Event.objects.filter(chain=chain).order_by("seq").values_list(
        "seq", "created_at", "action", "object_id", "changes", "payload", "to_state", "prev_hash", "hash"))


def test_batch_append_equals_per_row_appends(time_machine):
    time_machine.move_to("2026-11-25T10:00:00+08:00", tick=False)
    ent = EnterpriseFactory()
    audit_record(actor=None, action="enterprise.note", obj=ent, enterprise=ent)  # a chain that already has a head
    key = f"enterprise:{ent.pk}"
    try:
        with transaction.atomic():
            for spec in SPECS:
                audit_record(actor=None, enterprise=ent, **spec)
            one_by_one = _rows(key)
            raise _Rollback
    except _Rollback:
        pass
    assert len(_rows(key)) == 1
    written = audit_record_many(actor=None, enterprise=ent, events=[PendingEvent(**spec) for spec in SPECS])
    assert [e.seq for e in written] == list(range(2, 9))
    assert _rows(key) == one_by_one
    head = AuditChain.objects.get(key=key)
    assert (head.last_seq, head.last_hash) == (8, one_by_one[-1][-1])
    assert audit_verify() == []
    call_command("audit_verify")  # the operator command agrees (exits 0)


def test_an_empty_batch_writes_nothing():
    assert audit_record_many(actor=None, enterprise=None, events=[]) == []
    assert Event.objects.count() == 0


def test_jsonable_is_the_json_round_trip():
    import datetime as dt
    import enum
    import json
    import uuid
    from decimal import Decimal

    class Grade(enum.StrEnum):
        MAJOR = "major"

    values = [
        {"b": [None, Decimal("1500.50")], "a": [None, dt.date(2026, 1, 2)], "c": (1, 2.5, True, None, "文字")},
        {"when": dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), "id": uuid.UUID(int=7), "grade": Grade.MAJOR},
        {2: "int keys", 1: "b"}, {"x": {"nested": [{"z": 1, "y": [Decimal("2")]}]}}, [float("nan")], "plain", 3, None,
    ]
    for v in values:
        got = _jsonable(v)
        want = json.loads(json.dumps(v, default=str, ensure_ascii=False, sort_keys=True))
        assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)
