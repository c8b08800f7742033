"""Writing and verifying the audit trail.

Every service that writes domain data calls :func:`audit_record` inside its transaction, so the
event commits or rolls back with the change it describes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from backend.audit.models import AuditChain, Event

GENESIS_HASH = "0" * 64


def _jsonable(value: Any) -> Any:
    """Normalise to plain JSON types (Decimal, dates, UUIDs become strings) so hashing is stable."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False, sort_keys=True))


def event_digest(*, prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 hex of ``prev_hash`` + canonical JSON of ``fields`` (sorted keys, no spaces)."""
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _hashed_fields(e: Event) -> dict[str, Any]:
    return {
        "chain": e.chain,
        "seq": e.seq,
        "created_at": e.created_at.astimezone(datetime.UTC).isoformat(),
        "actor_id": e.actor_id,
        "actor_label": e.actor_label,
        "enterprise_id": e.enterprise_id,
        "regulator_id": e.regulator_id,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "action": e.action,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "reason": e.reason,
        "changes": e.changes,
        "payload": e.payload,
    }


def chain_key(enterprise_id: int | None) -> str:
    return f"enterprise:{enterprise_id}" if enterprise_id else "platform"


def _lock_chain(key: str) -> AuditChain:
    try:
        with transaction.atomic():
            AuditChain.objects.get_or_create(key=key)
    except IntegrityError:  # created concurrently: fine, lock it below
        pass
    return AuditChain.objects.select_for_update().get(key=key)


@transaction.atomic
def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    enterprise: Any | None = None,
    regulator: Any | None = None,
    changes: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    actor_label: str = "",
) -> Event:
    """Append one event to the enterprise's chain (or the platform chain) and return it.

    ``obj`` names the object (``app_label.model`` and pk); ``changes`` maps field → [old, new].
    Must run inside the caller's transaction; the chain head row is locked (SELECT … FOR UPDATE)
    so concurrent writers append in a strict order.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    enterprise_id = getattr(enterprise, "pk", enterprise)
    head = _lock_chain(chain_key(enterprise_id))
    user_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    event = Event(
        chain=head.key,
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor_id=user_id,
        actor_label=actor_label or (str(actor) if user_id else (actor_label or "system")),
        enterprise_id=enterprise_id,
        regulator_id=getattr(regulator, "pk", regulator),
        object_type=object_type,
        object_id=str(object_id),
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        changes=_jsonable(changes or {}),
        payload=_jsonable(payload or {}),
        prev_hash=head.last_hash,
    )
    event.hash = event_digest(prev_hash=event.prev_hash, fields=_hashed_fields(event))
    event.save(force_insert=True)
    AuditChain.objects.filter(pk=head.pk).update(last_seq=event.seq, last_hash=event.hash)
    return event


def diff(instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for the values that differ from ``instance``'s current ones."""
    out: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(instance, name, None)
        if old != new:
            out[name] = [old, new]
    return out


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    event_id: int
    seq: int
    problem: str


def audit_verify(*, chain: str | None = None) -> list[ChainBreak]:
    """Re-hash every chain (or one) and return the first break of each broken chain.

    A break is a row whose stored hash differs from its recomputed one (content altered), whose
    ``prev_hash`` is not the previous row's hash, or whose ``seq`` skips (a row removed).
    """
    keys = [chain] if chain else list(Event.objects.values_list("chain", flat=True).distinct().order_by("chain"))
    breaks: list[ChainBreak] = []
    for key in keys:
        prev, expected_seq = GENESIS_HASH, 1
        for e in Event.objects.filter(chain=key).order_by("seq").iterator(chunk_size=2000):
            problem = ""
            if e.seq != expected_seq:
                problem = f"序号不连续：期望 {expected_seq}，实际 {e.seq}"
            elif e.prev_hash != prev:
                problem = "前一哈希不匹配"
            elif event_digest(prev_hash=e.prev_hash, fields=_hashed_fields(e)) != e.hash:
                problem = "内容被篡改（哈希不匹配）"
            if problem:
                breaks.append(ChainBreak(key, e.pk, e.seq, problem))
                break
            prev, expected_seq = e.hash, e.seq + 1
    return breaks
