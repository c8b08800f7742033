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


def notify_regulator_of_many(*, enterprise: Any, items: list[dict[str, Any]]) -> int:
    """:func:`notify_regulator_of` for many subjects of one enterprise at once: ``items`` are its
    keyword arguments (``key``, ``kind``, ``title``, ``body``, ``payload``). The regulators are
    looked up once, the keys already in the outbox in one query, and the missing rows written with
    one ``bulk_create`` (same idempotency keys, channels and recipients as one call per item, so a
    later :func:`notify_regulator_of` of the same key writes nothing). Returns the rows written.
    Call it inside the transaction of the change that causes it."""
    from backend.accounts.selectors import regulators_covering

    regs = regulators_covering(enterprise)
    rows: dict[str, Notification] = {}
    for item in items:
        for reg in regs:
            channels = [Channel.IN_APP] + ([Channel.WEBHOOK] if reg.webhook_url else [])
            for channel in channels:
                key = f"{item['key']}:reg{reg.pk}:{channel.value}"
                rows.setdefault(key, Notification(
                    idempotency_key=key, kind=item["kind"], title=item["title"], body=item.get("body", ""),
                    payload=item.get("payload") or {}, channel=channel, recipient_regulator=reg))
    if not rows:
        return 0
    keys = list(rows)
    seen: set[str] = set()
    for i in range(0, len(keys), 500):
        seen.update(Notification.objects.filter(idempotency_key__in=keys[i:i + 500])
                    .values_list("idempotency_key", flat=True))
    new = [n for k, n in rows.items() if k not in seen]
    if new:
        with transaction.atomic():
            Notification.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        _schedule_hooks()
    return len(new)


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark ``notification`` read now (idempotent: a read one keeps its first ``read_at``)."""
    from django.utils import timezone

    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db()
    return notification
