"""Writing notifications into the outbox (delivery lives in the worker)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from backend.notifications.models import Channel, Notification

#: Called after commit whenever a new notification row is written (the worker sets a kick here).
ON_ENQUEUE_HOOKS: list[Any] = []


@transaction.atomic
def notification_enqueue(
    *,
    key: str,
    kind: str,
    title: str,
    body: str = "",
    payload: dict[str, Any] | None = None,
    channel: str = Channel.IN_APP,
    user: Any | None = None,
    enterprise: Any | None = None,
    regulator: Any | None = None,
) -> tuple[Notification, bool]:
    """Write one outbox row unless one with ``key`` exists; returns (row, created).

    Call it inside the transaction of the change that causes it: the row commits or rolls back with
    the change. Raises ValueError when no recipient is given.
    """
    if user is None and enterprise is None and regulator is None:
        raise ValueError("notification needs a recipient")
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                idempotency_key=key,
                kind=kind,
                title=title,
                body=body,
                payload=payload or {},
                channel=channel,
                recipient_user=user,
                recipient_enterprise=enterprise,
                recipient_regulator=regulator,
            )
    except IntegrityError:
        return Notification.objects.get(idempotency_key=key), False
    _schedule_hooks()
    return n, True


def _schedule_hooks() -> None:
    """Register each hook once per outermost transaction (``robust``: a failing hook is logged by
    Django and never breaks the request that wrote the row)."""
    conn = transaction.get_connection()
    pending = {entry[1] for entry in getattr(conn, "run_on_commit", ())}
    for hook in ON_ENQUEUE_HOOKS:
        if hook not in pending:
            transaction.on_commit(hook, robust=True)


def notify_regulator_of(
    *, enterprise: Any, key: str, kind: str, title: str, body: str = "", payload: dict[str, Any] | None = None
) -> list[Notification]:
    """Notify every regulator whose jurisdiction covers ``enterprise`` (in-app, plus webhook where configured)."""
    from backend.accounts.selectors import regulators_covering

    out: list[Notification] = []
    for reg in regulators_covering(enterprise):
        n, _ = notification_enqueue(key=f"{key}:reg{reg.pk}:in_app", kind=kind, title=title, body=body, payload=payload, regulator=reg)
        out.append(n)
        if reg.webhook_url:
            n, _ = notification_enqueue(
                key=f"{key}:reg{reg.pk}:webhook", kind=kind, title=title, body=body, payload=payload,
                regulator=reg, channel=Channel.WEBHOOK,
            )
            out.append(n)
    return out


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark ``notification`` read now (idempotent: a read one keeps its first ``read_at``)."""
    from django.utils import timezone

    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db()
    return notification
