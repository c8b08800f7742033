"""BREAKIT D6 and issue 12 point 2: the audit trail is complete and the application cannot get around it.

- ``audit_verify`` compares each chain with its head and with the anchored heads: a deleted tail, a
  deleted chain, a chain truncated (head rewritten) after an anchor are each named;
- connected as the application's role (PostgreSQL), UPDATE/DELETE/TRUNCATE on the events, DISABLE
  TRIGGER and ``SET session_replication_role`` fail;
- the admin writes no audited model (every registered model is walked).
"""

from __future__ import annotations

import json
import os

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from backend.accounts.admin_site import ADMIN_WRITABLE
from backend.audit.models import AuditChain, Event
from backend.audit.roles import grant_app_role
from backend.audit.services import Anchor, audit_anchor_heads, audit_record, audit_verify, chain_head
from backend.notifications.models import Notification
from tests.helpers.dbroles import as_attacker as _as_attacker


def _events(orgs, n=3, enterprise=None):
    ent = enterprise or orgs.owner
    return [audit_record(actor=orgs.officer, action="test.write", obj=ent, enterprise=ent,
                         changes={"name": ["a", f"b{i}"]}) for i in range(n)]


def _problems(**kw):
    return [(b.chain, b.seq, b.problem) for b in audit_verify(**kw)]


@pytest.mark.django_db(transaction=True)
class TestVerifyAgainstHeadsAndAnchors:
    def test_a_deleted_tail_is_named(self, orgs):
        events = _events(orgs, 4)
        _as_attacker(f"DELETE FROM audit_event WHERE id = {events[-1].pk}")
        [(chain, seq, problem)] = _problems()
        assert (chain, seq) == (f"enterprise:{orgs.owner.pk}", 4) and "链尾缺失" in problem
        with pytest.raises(CommandError):
            call_command("audit_verify")

    def test_a_deleted_chain_is_named(self, orgs):
        _events(orgs, 3)
        _events(orgs, 2, enterprise=orgs.outsider)
        _as_attacker(f"DELETE FROM audit_event WHERE chain = 'enterprise:{orgs.owner.pk}'")
        [(chain, seq, problem)] = _problems()
        assert chain == f"enterprise:{orgs.owner.pk}" and "整条链缺失" in problem

    def test_truncation_after_an_anchor_is_named_even_with_the_head_rewritten(self, orgs):
        events = _events(orgs, 3)
        assert audit_anchor_heads() == 1  # seq 3 sent to 高青县 through the outbox
        assert audit_anchor_heads() == 0  # once per head
        anchor = Notification.objects.filter(kind="audit_anchor").first()
        assert anchor.recipient_regulator == orgs.gaoqing
        assert anchor.payload["seq"] == 3 and anchor.payload["hash"] == events[-1].hash
        _events(orgs, 2)
        key = f"enterprise:{orgs.owner.pk}"
        # the attacker removes seq 3..5 and makes the head agree with what is left
        _as_attacker(f"DELETE FROM audit_event WHERE chain = '{key}' AND seq >= 3",
                     f"UPDATE audit_auditchain SET last_seq = 2, last_hash = '{events[1].hash}' WHERE key = '{key}'")
        [(chain, seq, problem)] = _problems()
        assert chain == key and seq == 3 and "链被截短" in problem

    def test_the_regulators_copy_catches_what_the_outbox_lost(self, orgs, tmp_path):
        events = _events(orgs, 3)
        audit_anchor_heads()
        received = [n.payload for n in Notification.objects.filter(kind="audit_anchor")]
        key = f"enterprise:{orgs.owner.pk}"
        _as_attacker(f"DELETE FROM audit_event WHERE chain = '{key}'", f"DELETE FROM audit_auditchain WHERE key = '{key}'",
                     "DELETE FROM notifications_notification WHERE kind = 'audit_anchor'")
        assert _problems() == []  # nothing left in the database to compare with…
        path = tmp_path / "anchors.json"
        path.write_text(json.dumps(received), encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("audit_verify", anchors=str(path))  # …but the regulator's copy names it
        [(chain, seq, _)] = _problems(anchors=[Anchor.from_payload(p) for p in received])
        assert (chain, seq) == (key, 1)
        assert events

    def test_an_intact_trail_verifies_with_its_anchors(self, orgs):
        _events(orgs, 2)
        audit_anchor_heads()
        _events(orgs, 2)
        assert _problems() == []
        assert chain_head(orgs.owner.pk)["seq"] == 4
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_head_ahead_of_its_rows_is_named(orgs):
    _events(orgs, 2)
    key = f"enterprise:{orgs.owner.pk}"
    AuditChain.objects.filter(key=key).update(last_seq=5)
    assert "链尾缺失" in _problems()[0][2]


def _statements_refused(cur_execute):
    refused = []
    for sql in ("DELETE FROM audit_event", "UPDATE audit_event SET reason = 'x'", "TRUNCATE audit_event",
                "ALTER TABLE audit_event DISABLE TRIGGER ALL", "SET session_replication_role = replica",
                "DELETE FROM audit_auditchain"):
        try:
            with transaction.atomic():
                cur_execute(sql)
        except DatabaseError:
            refused.append(sql)
    return refused


@pytest.mark.django_db
def test_the_application_role_cannot_get_around_the_trail(orgs):
    """As the application's role: every way around the trail fails (PostgreSQL). On SQLite only the
    triggers stand (no roles there): UPDATE and DELETE are refused."""
    _events(orgs, 2)
    with connection.cursor() as cur:
        if connection.vendor != "postgresql":
            assert _statements_refused(cur.execute)[:2] == ["DELETE FROM audit_event", "UPDATE audit_event SET reason = 'x'"]
            return
        cur.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, is_super = cur.fetchone()
        role = os.environ.get("DATABASE_APP_ROLE")
        if role:  # CI: the suite itself runs as the application role
            assert (user, is_super) == (role, False)
        else:  # a superuser connection: take a throwaway application role for this transaction
            cur.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sf_test_app') THEN "
                        "CREATE ROLE sf_test_app NOLOGIN NOSUPERUSER; END IF; END $$")
            grant_app_role(connection, "sf_test_app")
            cur.execute("SET LOCAL ROLE sf_test_app")
        assert _statements_refused(cur.execute) == [
            "DELETE FROM audit_event", "UPDATE audit_event SET reason = 'x'", "TRUNCATE audit_event",
            "ALTER TABLE audit_event DISABLE TRIGGER ALL", "SET session_replication_role = replica",
            "DELETE FROM audit_auditchain"]
        # and the application's ordinary work still goes through
        _events(orgs, 1)
    assert Event.objects.filter(chain=f"enterprise:{orgs.owner.pk}").count() == 3


@pytest.mark.django_db
def test_the_admin_writes_no_audited_model(django_user_model):
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-12345")
    request = RequestFactory().get("/admin/")
    request.user = su
    writable = []
    for model, model_admin in admin.site._registry.items():
        ops = {op for op, allowed in (("add", model_admin.has_add_permission(request)),
                                      ("change", model_admin.has_change_permission(request)),
                                      ("delete", model_admin.has_delete_permission(request))) if allowed}
        if ops:
            writable.append((model._meta.label_lower, ops))
    assert sorted(writable) == sorted((label, set(ops)) for label, ops in ADMIN_WRITABLE.items())
    # every audited model is among the registered ones, and read-only
    audited = {"compliance.hazard", "compliance.riskpoint", "special_ops.workpermit", "accounts.enterprise",
               "accounts.user", "accounts.membership", "audit.event", "audit.auditchain"}
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert audited <= registered and not audited & set(ADMIN_WRITABLE)


@pytest.mark.django_db
def test_a_hazard_cannot_be_changed_through_the_admin(client, orgs, django_user_model):
    from tests.factories.compliance import HazardFactory

    hazard = HazardFactory(enterprise=orgs.owner)
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-12345")
    client.force_login(su)
    url = f"/admin/compliance/hazard/{hazard.pk}/change/"
    assert client.get(url).status_code == 200  # view-only page
    before = Event.objects.count()
    r = client.post(url, {"grade": "major", "state": "closed"})
    assert r.status_code == 403
    assert client.post(f"/admin/compliance/hazard/{hazard.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_an_admin_write_to_a_regulator_is_recorded(client, orgs, django_user_model):
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-12345")
    client.force_login(su)
    url = f"/admin/accounts/regulator/{orgs.gaoqing.pk}/change/"
    r = client.post(url, {"name": orgs.gaoqing.name, "jurisdiction": "370322", "email": "a@example.gov.cn",
                          "webhook_url": "", "webhook_secret": "s3cret"})
    assert r.status_code == 302, r.content[:500]
    e = Event.objects.filter(action="admin.change", object_type="accounts.regulator").get()
    assert e.actor_id == su.pk and e.changes["email"] == [None, "a@example.gov.cn"]
    assert "s3cret" not in json.dumps(e.changes)
    assert audit_verify() == []


@pytest.mark.django_db
def test_heads_are_anchored_on_a_schedule(orgs):
    from celery_worker.app import app
    from celery_worker.schedule import build_schedule

    entry = build_schedule()["audit-anchor"]
    assert entry["task"] == "shuangfang.audit_anchor" and entry["schedule"] <= 24 * 3600
    _events(orgs, 2)
    assert app.tasks["shuangfang.audit_anchor"].run() == {"anchored": 1}
    assert Notification.objects.filter(kind="audit_anchor", recipient_regulator=orgs.gaoqing).exists()


@pytest.mark.django_db
def test_an_issued_dual_report_prints_the_chain_head(orgs):
    from inspections.reports import render
    from inspections.reports.services import report_document
    from tests.factories.inspections import ReportJobFactory

    events = _events(orgs, 3)
    document = report_document(ReportJobFactory(enterprise=orgs.owner))
    head = document["report"]["audit_head"]
    assert head == {"chain": f"enterprise:{orgs.owner.pk}", "seq": 3, "hash": events[-1].hash}
    html = render.render_html(document, sha256_json="0" * 64, verify_url="http://localhost/verify")
    assert "审计链锚点" in html and events[-1].hash in html
    # a report is an anchor too: the head it printed must stay in the chain
    assert audit_verify(anchors=[Anchor.from_payload(head)]) == []
