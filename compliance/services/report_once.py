"""An employee's hazard report made idempotent (随手拍 on a weak network, issue 15 §5).

The phone sends the same ``Idempotency-Key`` when it retries a report whose answer it never got;
the same key from the same user within :data:`KEY_TTL` answers the hazard the first request filed
instead of filing a second one. Enforced by the unique (user, key) row of
:class:`compliance.models.HazardReportKey`, inserted *before* the hazard in the same transaction:
of two identical requests racing, the second blocks on the first's row (PostgreSQL) or on the
database lock (SQLite) and then finds it — no check-then-insert window.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.core.actors import Actor, actor_of, require_enterprise_member, require_user
from backend.core.errors import Conflict, FieldError
from compliance.error_codes import HazardErrorCode
from compliance.models import Hazard, HazardReportKey
from compliance.rules.hazard_states import ACTION_ROLES
from compliance.services.hazards import hazard_report

#: How long a key answers its first hazard [config]: a phone retries within minutes; a day is ample.
KEY_TTL = timedelta(hours=24)
#: What a key may look like: 1–64 of letters, digits and ``-_.:`` (a UUID fits).
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def check_key(key: str, field: str) -> str:
    """``key`` stripped, or 400 ``invalid_idempotency_key`` naming ``field``."""
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        raise FieldError("幂等键须为 1–64 位字母、数字或 -_.: 字符（建议 UUID）。", code=HazardErrorCode.INVALID_IDEMPOTENCY_KEY,
                         field=field)
    return key


def fingerprint_of(values: dict[str, Any]) -> str:
    """SHA-256 (hex) of a report's fields, canonical: keys sorted, model instances by primary key,
    other values by ``str``. Two sends of one report give one fingerprint."""
    def plain(v: Any) -> Any:
        return getattr(v, "pk", None) if hasattr(v, "_meta") else v
    canonical = json.dumps({k: plain(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def hazard_report_once(*, actor: Actor | Any, enterprise: Enterprise, key: str, key_field: str = "Idempotency-Key",
                       **values: Any) -> tuple[Hazard, bool]:
    """:func:`compliance.services.hazards.hazard_report` under an idempotency ``key``.

    Returns ``(hazard, created)``: ``created`` False when the same user sent ``key`` with the same
    report within :data:`KEY_TTL` (the first request's hazard). The same key with a *different* report
    is 409 ``idempotency_key_reused`` naming ``field`` — never a report silently dropped. A key older
    than the TTL is reused for a new report. Errors: those of ``hazard_report`` (a refused report
    stores no key)."""
    actor = actor_of(actor)
    require_enterprise_member(actor, enterprise.pk, ACTION_ROLES["report"], not_found="隐患不存在。")
    user = require_user(actor)
    now = timezone.now()
    fingerprint = fingerprint_of(values)
    try:
        with transaction.atomic():
            row = HazardReportKey.objects.create(user=user, key=key, created_at=now, fingerprint=fingerprint)
    except IntegrityError:  # the key exists (or a racing twin just committed it): answer its hazard
        row = HazardReportKey.objects.select_for_update().get(user=user, key=key)
        if row.hazard_id is not None and row.created_at > now - KEY_TTL:
            if row.fingerprint and row.fingerprint != fingerprint:
                raise Conflict("该幂等键已用于另一条内容不同的上报：本次上报未保存，请使用新的幂等键重新提交。",
                                 code=HazardErrorCode.IDEMPOTENCY_KEY_REUSED, field=key_field)
            return Hazard.objects.get(pk=row.hazard_id), False
        row.created_at, row.fingerprint = now, fingerprint  # expired: the key starts a new report
    hazard = hazard_report(actor=actor, enterprise=enterprise, **values)
    row.hazard = hazard
    row.save()
    return hazard, True
