"""The outbox dispatcher: channels, signing, backoff, dead letters, requeue, lease, the kick."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from backend.notifications import dispatch as D
from backend.notifications.models import Channel, DeliveryAttempt, Notification
from backend.notifications.services import ON_ENQUEUE_HOOKS, notification_enqueue, notify_regulator_of
from tests.worker.receiver import Receiver

S = Notification.Status


@pytest.fixture
def webhook_regulator(orgs):
    def configure(url: str, secret: str = "s3cret"):
        orgs.gaoqing.webhook_url, orgs.gaoqing.webhook_secret = url, secret
        orgs.gaoqing.email = "yjj@gaoqing.example"
        orgs.gaoqing.save()
        return orgs.gaoqing
    return configure


def webhook_row(reg, key="hazard:1:esc:regulator"):
    n, _ = notification_enqueue(key=f"{key}:reg{reg.pk}:webhook", kind="hazard.escalation.regulator", title="逾期",
                                body="隐患逾期7天", payload={"hazard_id": 1}, regulator=reg, channel=Channel.WEBHOOK)
    return n


def test_in_app_and_email_are_delivered_once(orgs):
    orgs.officer.email = "officer@example.com"
    orgs.officer.save()
    notification_enqueue(key="k:inapp", kind="t", title="站内", user=orgs.officer)
    notification_enqueue(key="k:email", kind="t", title="邮件标题", body="正文", user=orgs.officer, channel=Channel.EMAIL)
    result = D.outbox_dispatch()
    assert (result.claimed, result.sent) == (2, 2)
    assert set(Notification.objects.values_list("status", flat=True)) == {S.SENT}
    assert [m.to for m in mail.outbox] == [["officer@example.com"]] and mail.outbox[0].subject == "邮件标题"
    assert D.outbox_dispatch().claimed == 0
    assert DeliveryAttempt.objects.filter(ok=True).count() == 2


def test_email_without_address_is_dead_at_once(orgs):
    n, _ = notification_enqueue(key="k:email", kind="t", title="x", user=orgs.employee, channel=Channel.EMAIL)
    D.outbox_dispatch()
    n.refresh_from_db()
    assert n.status == S.DEAD and "邮箱" in n.last_error


def test_webhook_is_signed_and_carries_the_key(orgs, webhook_regulator):
    with Receiver() as rx:
        reg = webhook_regulator(rx.url)
        n = webhook_row(reg)
        D.outbox_dispatch()
    n.refresh_from_db()
    assert n.status == S.SENT and n.attempts == 1
    (got,) = rx.received
    assert got["signature_ok"] and got["id"] == n.idempotency_key
    doc = json.loads(got["body"])
    assert doc["payload"] == {"hazard_id": 1} and doc["title"] == "逾期"
    assert not D.verify("wrong", got["timestamp"], got["body"], D.sign("s3cret", got["timestamp"], got["body"]))


def test_webhook_failing_twice_then_succeeding_is_received_once(orgs, webhook_regulator, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    with Receiver(fail_first=2) as rx:
        n = webhook_row(webhook_regulator(rx.url))
        now = timezone.now()
        for i in range(3):
            D.outbox_dispatch(now=now)
            n.refresh_from_db()
            if i < 2:
                assert n.status == S.PENDING and n.attempts == i + 1
                assert n.next_attempt_at > now  # backoff: not due yet
                assert D.outbox_dispatch(now=now).claimed == 0
                now = n.next_attempt_at + timedelta(seconds=1)
    assert n.status == S.SENT
    assert rx.ids() == [n.idempotency_key] and rx.received[0]["signature_ok"]
    attempts = list(n.delivery_attempts.values_list("ok", "status_code"))
    assert attempts == [(False, 500), (False, 500), (True, 200)]


def test_always_failing_webhook_goes_dead_after_n_and_can_be_requeued(orgs, webhook_regulator, settings, capsys):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    with Receiver(always_fail=True) as rx:
        n = webhook_row(webhook_regulator(rx.url))
        now = timezone.now()
        for _ in range(5):
            D.outbox_dispatch(now=now)
            now += timedelta(days=1)
        n.refresh_from_db()
        assert n.status == S.DEAD and n.attempts == 3 and n.delivery_attempts.count() == 3
        call_command("requeue_dead_letters")
        assert "requeued 1 dead-letter notification(s)" in capsys.readouterr().out
        n.refresh_from_db()
        assert (n.status, n.attempts) == (S.PENDING, 0)
        rx.always_fail = False
        call_command("dispatch", "--now")
        assert "sent 1" in capsys.readouterr().out
    n.refresh_from_db()
    assert n.status == S.SENT and rx.ids() == [n.idempotency_key]


def test_unreachable_webhook_is_retried(orgs, webhook_regulator):
    n = webhook_row(webhook_regulator("http://127.0.0.1:9/hook"))
    D.outbox_dispatch()
    n.refresh_from_db()
    assert n.status == S.PENDING and n.attempts == 1 and n.last_error


def test_backoff_grows_with_jitter_and_is_capped(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 100
    rng = random.Random(1)
    d1, d3, d9 = (D.backoff(a, rng=rng).total_seconds() for a in (1, 3, 9))
    assert 5 <= d1 <= 10 and 20 <= d3 <= 40 and 50 <= d9 <= 100


def test_claim_is_exclusive(orgs):
    notification_enqueue(key="k1", kind="t", title="x", user=orgs.officer)
    now = timezone.now()
    first = D.outbox_claim(now=now, limit=10)
    assert len(first) == 1 and D.outbox_claim(now=now, limit=10) == []


def test_row_stuck_in_sending_is_reclaimed_after_the_lease(orgs, settings):
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 300
    n, _ = notification_enqueue(key="k1", kind="t", title="x", user=orgs.officer)
    now = timezone.now()
    D.outbox_claim(now=now, limit=10)  # a worker claims, then dies
    assert D.outbox_dispatch(now=now + timedelta(seconds=100)).claimed == 0
    result = D.outbox_dispatch(now=now + timedelta(seconds=301))
    assert (result.reclaimed, result.sent) == (1, 1)
    n.refresh_from_db()
    assert n.status == S.SENT


def test_lease_is_at_least_three_webhook_timeouts(settings):
    settings.NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS = 10
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 5
    assert D.sending_lease() == timedelta(seconds=30)
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 300
    assert D.sending_lease() == timedelta(seconds=300)


def test_a_dispatcher_whose_lease_ran_out_does_not_send_the_row_again(orgs, webhook_regulator, settings):
    """A slow dispatcher claims a batch; a row's lease runs out while it waits its turn and a second
    dispatcher reclaims and claims it (and is posting it). When the first reaches the row it must
    skip it — sending it would deliver the webhook twice — and leave the second's claim alone."""
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 30
    settings.NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS = 2
    with Receiver() as rx:
        n = webhook_row(webhook_regulator(rx.url))
        now = timezone.now()
        slow, fast = D.new_claim_token(), D.new_claim_token()
        assert D.outbox_claim(now=now, limit=10, token=slow) == [n.pk]
        later = now + timedelta(seconds=31)
        assert D.outbox_reclaim_stale(now=later) == 1
        assert D.outbox_claim(now=later, limit=10, token=fast) == [n.pk]
        assert D.notification_deliver(notification_id=n.pk, token=slow, now=later) == "skipped"
        assert rx.ids() == []
        assert D.notification_deliver(notification_id=n.pk, token=fast, now=later) == S.SENT
        assert rx.ids() == [n.idempotency_key] and rx.header_keys() == [n.idempotency_key]
    n.refresh_from_db()
    assert (n.status, n.attempts, n.delivery_attempts.count()) == (S.SENT, 1, 1)


def test_a_failed_try_by_a_lost_claim_does_not_overwrite_the_new_owner(orgs, settings):
    settings.NOTIFICATION_SENDING_LEASE_SECONDS = 30
    n, _ = notification_enqueue(key="k1", kind="t", title="x", user=orgs.officer)
    now = timezone.now()
    old = D.new_claim_token()
    D.outbox_claim(now=now, limit=10, token=old)
    D.outbox_reclaim_stale(now=now + timedelta(seconds=31))
    new = D.new_claim_token()
    assert D.outbox_claim(now=now + timedelta(seconds=31), limit=10, token=new) == [n.pk]
    assert D.notification_deliver(notification_id=n.pk, token=old) == "skipped"
    n.refresh_from_db()
    assert (n.status, n.claim_token) == (S.SENDING, new)
    assert D.notification_deliver(notification_id=n.pk, token=new) == S.SENT


def test_kick_is_registered_once_per_transaction_and_never_raises(orgs, django_capture_on_commit_callbacks, monkeypatch):
    from celery_worker import kick
    from celery_worker.tasks import dispatch_outbox

    assert kick.kick_dispatch in ON_ENQUEUE_HOOKS
    calls = []

    def broken(*args, **kwargs):
        calls.append(kwargs)
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(dispatch_outbox, "apply_async", broken)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_regulator_of(enterprise=orgs.owner, key="hazard:9:major", kind="hazard.major", title="重大隐患")
        notification_enqueue(key="k2", kind="t", title="x", user=orgs.officer)
    assert len(callbacks) == 1 and calls == [{"retry": False}]
    assert Notification.objects.filter(status=S.PENDING).count() == 2


def test_notifications_api_lists_mine_and_marks_read(orgs, api):
    n, _ = notification_enqueue(key="k1", kind="hazard.escalation.overdue", title="逾期", user=orgs.officer)
    D.outbox_dispatch()
    res = api(orgs.officer).get("/api/v1/notifications/", {"unread": "true"})
    assert res.status_code == 200 and [r["id"] for r in res.json()["results"]] == [n.pk]
    res = api(orgs.officer).post(f"/api/v1/notifications/{n.pk}/read/")
    assert res.status_code == 200 and res.json()["read_at"]
    assert api(orgs.outsider_officer).get(f"/api/v1/notifications/{n.pk}/").status_code == 404
    assert api(orgs.outsider_officer).post(f"/api/v1/notifications/{n.pk}/read/").status_code == 404
