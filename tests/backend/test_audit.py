"""The audit trail is append-only in the database and tamper-evident (hash chain)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from backend.audit.models import Event
from backend.audit.services import audit_record, audit_verify
from tests.helpers.dbroles import as_attacker

pytestmark = pytest.mark.django_db


def _events(orgs, n=3):
    return [audit_record(actor=orgs.officer, action="test.write", obj=orgs.owner, enterprise=orgs.owner,
                         changes={"name": ["a", f"b{i}"]}) for i in range(n)]


def test_update_and_delete_are_rejected_by_the_database(orgs):
    e = _events(orgs)[0]
    for sql in (f"UPDATE audit_event SET action='x' WHERE id={e.pk}", f"DELETE FROM audit_event WHERE id={e.pk}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=e.pk).update(reason="rewritten")
    assert Event.objects.get(pk=e.pk).action == "test.write"


def test_chain_is_per_enterprise_and_verifies(orgs):
    _events(orgs)
    audit_record(actor=orgs.outsider_officer, action="test.write", obj=orgs.outsider, enterprise=orgs.outsider)
    assert audit_verify() == []
    seqs = list(Event.objects.filter(chain=f"enterprise:{orgs.owner.pk}").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    call_command("audit_verify")


@pytest.mark.django_db(transaction=True)
def test_direct_tampering_is_detected_and_named(orgs):
    events = _events(orgs, 4)
    victim = events[2]
    # an attacker with the owner's rights disables the guard… (the application role cannot: test_breakit_audit)
    as_attacker(f"UPDATE audit_event SET payload = '{{\"forged\": true}}' WHERE id = {victim.pk}")
    breaks = audit_verify()
    assert [(b.event_id, b.seq) for b in breaks] == [(victim.pk, victim.seq)]
    with pytest.raises(CommandError):
        call_command("audit_verify")
