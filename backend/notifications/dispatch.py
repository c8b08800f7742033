"""Delivering the outbox: claim pending rows, send them over their channel, record every attempt.

A row is claimed (pending → sending, with a fresh ``claim_token``) by exactly one dispatcher,
delivered outside any transaction, then marked ``sent`` or rescheduled with exponential backoff and
jitter; after ``NOTIFICATION_MAX_ATTEMPTS`` it is ``dead`` until :func:`dead_letters_requeue`.
A row left in ``sending`` longer than the lease (a worker killed mid-delivery) is reclaimed by
:func:`outbox_reclaim_stale`.

No double delivery by a live dispatcher: the lease (:func:`sending_lease`, at least three webhook
timeouts) is renewed right before each row is sent, and the renewal and every later write are a
compare-and-set on the claim token — a row whose lease ran out while it waited in its batch (and
was re-claimed by another dispatcher) is skipped, not sent a second time. Only a dispatcher that
dies (or stalls past the lease) between a successful send and its write can cause a repeat, so a
webhook carries the row's idempotency key as ``id`` and in the ``X-Shuangfang-Id`` header for the
receiver to drop it.

Channels:
- ``in_app``: the row itself is the message (listed by ``/api/v1/notifications/``) → ``sent``.
- ``email``: Django ``send_mail`` (``EMAIL_BACKEND``; the console backend by default) to the
  user's / regulator's address.
- ``webhook``: ``POST`` JSON to the regulator's ``webhook_url`` with headers
  ``X-Shuangfang-Timestamp: <unix seconds>`` and
  ``X-Shuangfang-Signature: sha256=<hex HMAC-SHA256(webhook_secret, f"{timestamp}.{body}")>``.

Settings (defaults): ``NOTIFICATION_MAX_ATTEMPTS`` (5), ``NOTIFICATION_RETRY_BASE_SECONDS`` (30),
``NOTIFICATION_RETRY_MAX_SECONDS`` (3600), ``NOTIFICATION_SENDING_LEASE_SECONDS`` (300; at least
3 × the webhook timeout),
``NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS`` (10), ``NOTIFICATION_DISPATCH_BATCH`` (200).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.notifications.models import Channel, DeliveryAttempt, Notification

log = logging.getLogger(__name__)
S = Notification.Status

SIGNATURE_HEADER = "X-Shuangfang-Signature"
TIMESTAMP_HEADER = "X-Shuangfang-Timestamp"
KEY_HEADER = "X-Shuangfang-Id"


def max_attempts() -> int:
    return int(settings.NOTIFICATION_MAX_ATTEMPTS)


def webhook_timeout() -> float:
    """Seconds urllib may wait on each socket operation of a webhook POST (connect, send, read)."""
    return float(settings.NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS)


def sending_lease() -> timedelta:
    """How long a ``sending`` row stays its dispatcher's: ``NOTIFICATION_SENDING_LEASE_SECONDS``, but
    never less than three webhook timeouts (connect + read of one POST, plus the same again as
    margin for the write after it), so a lease cannot run out while its POST is still in flight."""
    seconds = max(float(settings.NOTIFICATION_SENDING_LEASE_SECONDS), 3 * webhook_timeout())
    return timedelta(seconds=seconds)


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Delay before try ``attempts + 1``: base·2^(attempts−1), capped, times a jitter in [0.5, 1.0]."""
    base = float(settings.NOTIFICATION_RETRY_BASE_SECONDS)
    cap = float(settings.NOTIFICATION_RETRY_MAX_SECONDS)
    raw = min(cap, base * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=raw * (rng or random).uniform(0.5, 1.0))


class DeliveryError(Exception):
    """A failed try; ``permanent`` skips the remaining retries (no address, no secret)."""

    def __init__(self, message: str, *, status_code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status_code = status_code
        self.permanent = permanent


# --- signing --------------------------------------------------------------------------------
def sign(secret: str, timestamp: str, body: bytes | str) -> str:
    """``sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``."""
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.{raw}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes | str, signature: str) -> bool:
    """Constant-time check of a received signature (for receivers and tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")


def webhook_body(n: Notification) -> bytes:
    """The JSON posted for ``n``: ``id`` is the idempotency key (dedupe on it)."""
    doc = {
        "id": n.idempotency_key,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "payload": n.payload,
        "created_at": n.created_at.isoformat() if n.created_at else None,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --- channels -------------------------------------------------------------------------------
def _send_in_app(n: Notification) -> int | None:
    return None


def _address(n: Notification) -> str:
    if n.recipient_user_id:
        return n.recipient_user.email
    if n.recipient_regulator_id:
        return n.recipient_regulator.email
    return ""  # an enterprise inbox is in-app only


def _send_email(n: Notification) -> int | None:
    to = _address(n)
    if not to:
        raise DeliveryError("收件人没有邮箱地址", permanent=True)
    send_mail(n.title, n.body or n.title, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    return None


def _send_webhook(n: Notification) -> int | None:
    reg = n.recipient_regulator
    if reg is None or not reg.webhook_url:
        raise DeliveryError("监管部门未配置 Webhook 地址", permanent=True)
    if not reg.webhook_secret:
        raise DeliveryError("监管部门未配置 Webhook 签名密钥", permanent=True)
    body = webhook_body(n)
    ts = str(int(time.time()))
    req = urllib.request.Request(
        reg.webhook_url, data=body, method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: ts,
            SIGNATURE_HEADER: sign(reg.webhook_secret, ts, body),
            KEY_HEADER: n.idempotency_key,
            "User-Agent": "shuangfang-dispatcher/1",
        },
    )
    timeout = webhook_timeout()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (URL set by an admin)
            return resp.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}", status_code=exc.code)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}")


SENDERS = {Channel.IN_APP: _send_in_app, Channel.EMAIL: _send_email, Channel.WEBHOOK: _send_webhook}


# --- claiming -------------------------------------------------------------------------------
def _claimable(now: datetime):
    return Notification.objects.filter(status=S.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def new_claim_token() -> str:
    """A fresh claim token (32 hex characters)."""
    return uuid.uuid4().hex


def outbox_claim(*, now: datetime, limit: int, token: str | None = None) -> list[int]:
    """Move up to ``limit`` due pending rows to ``sending`` under ``token`` (a fresh one when None);
    returns the ids this caller owns. Deliver them with the same token (:func:`notification_deliver`).

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then one UPDATE. Elsewhere (SQLite): a
    conditional UPDATE per candidate (``WHERE id = … AND status = 'pending'``); only a caller whose
    UPDATE changed the row owns it."""
    token = token or new_claim_token()
    claim = {"status": S.SENDING, "claimed_at": now, "claim_token": token}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(_claimable(now).order_by("id").select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if ids:
                Notification.objects.filter(pk__in=ids, status=S.PENDING).update(**claim)
            return ids
    owned: list[int] = []
    for pk in list(_claimable(now).order_by("id").values_list("pk", flat=True)[:limit]):
        if Notification.objects.filter(pk=pk, status=S.PENDING).update(**claim):
            owned.append(pk)
    return owned


def outbox_reclaim_stale(*, now: datetime) -> int:
    """Rows in ``sending`` past the lease go back to ``pending`` (their dispatcher died)."""
    n = Notification.objects.filter(status=S.SENDING, claimed_at__lt=now - sending_lease()).update(
        status=S.PENDING, claimed_at=None, claim_token="", next_attempt_at=None)
    if n:
        log.warning("reclaimed %d notification(s) stuck in sending", n)
    return n


# --- delivering -----------------------------------------------------------------------------
def notification_deliver(*, notification_id: int, token: str | None = None, now: datetime | None = None) -> str:
    """Try once to deliver a row this caller has claimed (status ``sending``); returns the new status,
    or ``"skipped"`` when the row is no longer this caller's.

    With ``token`` (the claim's, as :func:`outbox_dispatch` passes it) the lease is first renewed —
    ``claimed_at`` set to ``now`` (default: the current time) only where ``claim_token`` still
    matches — and the row is sent only if that compare-and-set succeeded; without it the row is
    taken as it is (any ``sending`` row: for callers that claimed it themselves by other means).
    The attempt is logged (``DeliveryAttempt``) and the row updated in one transaction, guarded by
    ``status='sending'`` and the token, so a row reclaimed meanwhile is not overwritten."""
    mine = Q(pk=notification_id, status=S.SENDING)
    if token is not None:
        mine &= Q(claim_token=token)
        renewed = Notification.objects.filter(mine).update(claimed_at=max(now or timezone.now(), timezone.now()))
        if not renewed:
            log.warning("notification %s: lease lost before sending (re-claimed elsewhere); skipped", notification_id)
            return "skipped"
    n = (Notification.objects.select_related("recipient_user", "recipient_regulator", "recipient_enterprise")
         .filter(mine).first())
    if n is None:
        return "skipped"
    status_code: int | None = None
    error: DeliveryError | None = None
    try:
        status_code = SENDERS[Channel(n.channel)](n)
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # a broken SMTP server etc.: a failed try, not a crashed sweep
        log.exception("delivery of notification %s failed", n.pk)
        error = DeliveryError(f"{type(exc).__name__}: {exc}")
    now = timezone.now()
    with transaction.atomic():
        if error is None:
            DeliveryAttempt.objects.create(notification=n, ok=True, status_code=status_code)
            if not Notification.objects.filter(mine).update(
                    status=S.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", claimed_at=None, claim_token=""):
                log.error("notification %s was delivered after its lease ran out (re-claimed elsewhere): "
                          "the receiver may see it twice (same idempotency key)", n.pk)
            return S.SENT
        DeliveryAttempt.objects.create(notification=n, ok=False, status_code=error.status_code, error=str(error)[:2000])
        attempts = n.attempts + 1
        if error.permanent or attempts >= max_attempts():
            Notification.objects.filter(mine).update(
                status=S.DEAD, attempts=attempts, last_error=str(error)[:2000], claimed_at=None, claim_token="",
                next_attempt_at=None)
            log.warning("notification %s is dead after %d attempt(s): %s", n.pk, attempts, error)
            return S.DEAD
        Notification.objects.filter(mine).update(
            status=S.PENDING, attempts=attempts, last_error=str(error)[:2000], claimed_at=None, claim_token="",
            next_attempt_at=now + backoff(attempts))
        return S.PENDING


@dataclass
class DispatchResult:
    """Counts of one dispatcher pass."""

    claimed: int = 0
    sent: int = 0
    retry: int = 0
    dead: int = 0
    reclaimed: int = 0

    def lines(self) -> list[str]:
        return [f"claimed {self.claimed}: sent {self.sent}, retry later {self.retry}, dead {self.dead}; "
                f"reclaimed {self.reclaimed} stale"]


def outbox_dispatch(*, now: datetime | None = None, limit: int | None = None, max_rounds: int = 50) -> DispatchResult:
    """Reclaim stale rows, then claim and deliver due rows in rounds of ``limit`` until none is due
    (at most ``max_rounds`` rounds per call, so one call stays bounded)."""
    limit = limit or int(settings.NOTIFICATION_DISPATCH_BATCH)
    result = DispatchResult(reclaimed=outbox_reclaim_stale(now=now or timezone.now()))
    for _ in range(max_rounds):
        token = new_claim_token()
        ids = outbox_claim(now=now or timezone.now(), limit=limit, token=token)
        if not ids:
            break
        result.claimed += len(ids)
        for pk in ids:
            status = notification_deliver(notification_id=pk, token=token, now=now)
            if status == S.SENT:
                result.sent += 1
            elif status == S.PENDING:
                result.retry += 1
            elif status == S.DEAD:
                result.dead += 1
        if len(ids) < limit:
            break
    return result


@transaction.atomic
def dead_letters_requeue(*, ids: list[int] | None = None) -> int:
    """Operator action: ``dead`` rows (all, or ``ids``) → ``pending`` with attempts 0; returns count."""
    qs = Notification.objects.filter(status=S.DEAD)
    if ids:
        qs = qs.filter(pk__in=ids)
    return qs.update(status=S.PENDING, attempts=0, next_attempt_at=None, claimed_at=None, claim_token="", last_error="")
