"""Helpers the compliance services share: the hazard row lock, the membership check, the audit event,
the five-commitment facts of a hazard, the major-hazard report to the regulator, and the size cap
of an uploaded workbook (register and ledger imports)."""

from __future__ import annotations

from typing import Any

from backend.audit.services import audit_record
from backend.core.actors import Actor, require_enterprise_member
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import NotFound, PayloadTooLarge
from backend.notifications.services import notify_regulator_of
from compliance.error_codes import HazardEvent
from compliance.models import Hazard

_NOT_FOUND = "隐患不存在。"


def hazard_lock(hazard: Hazard | int) -> Hazard:
    """The hazard row locked for this transaction (``SELECT … FOR UPDATE`` of the hazard only),
    with its enterprise; 404 when it does not exist."""
    pk = getattr(hazard, "pk", hazard)
    found = Hazard.objects.select_for_update(of=("self",)).select_related("enterprise").filter(pk=pk).first()
    if found is None:
        raise NotFound(_NOT_FOUND, code=CoreErrorCode.NOT_FOUND)
    return found


def hazard_member(actor: Actor, hazard: Hazard, roles: Any = None) -> None:
    """404 unless ``actor`` is a member of the hazard's enterprise; 403 ``role_not_allowed`` for a
    role outside ``roles`` (None: any member)."""
    require_enterprise_member(actor, hazard.enterprise_id, roles, not_found=_NOT_FOUND)


def hazard_record(actor: Actor, hazard: Hazard, event: HazardEvent, *, from_state: str = "", to_state: str = "",
                  reason: str = "", changes: dict | None = None, payload: dict | None = None,
                  regulator: Any = None) -> None:
    """Append the hazard's audit event (its readable history, 责任追溯)."""
    audit_record(actor=actor.user, action=event, obj=hazard, enterprise=hazard.enterprise_id, regulator=regulator,
                 from_state=from_state, to_state=to_state, reason=reason, changes=changes, payload=payload)


def hazard_commitments(hazard: Hazard) -> dict[str, Any]:
    """The five commitments of ``hazard`` as ``rules.commitments.missing_commitments`` reads them."""
    return {
        "measures": hazard.measures,
        "responsible_person": hazard.responsible_person_id or hazard.responsible_name,
        "funds_yuan": hazard.funds_yuan,
        "deadline": hazard.deadline,
        "contingency_plan": hazard.contingency_plan,
    }


def notify_major(hazard: Hazard) -> None:
    """Outbox rows to the enterprise's regulator(s), in the caller's transaction (安全生产法 2021 §41).

    Idempotent (key ``hazard:<id>:major``): a hazard is reported as major once."""
    notify_regulator_of(
        enterprise=hazard.enterprise, key=f"hazard:{hazard.pk}:major", kind="hazard.major",
        title=f"重大事故隐患报告：{hazard.enterprise.name} {hazard.number}",
        body=f"{hazard.title}（部位：{hazard.location or '—'}；整改期限：{hazard.deadline or '—'}）",
        payload={"hazard_id": hazard.pk, "number": hazard.number, "enterprise_id": hazard.enterprise_id},
    )




#: Size cap of an uploaded register or ledger workbook [config]: 10 MB.
WORKBOOK_MAX_BYTES = 10 * 1024 * 1024


def check_workbook_size(source: Any) -> None:
    """413 ``file_too_large`` (field ``file``) for an upload over ``WORKBOOK_MAX_BYTES``; a path
    (the management commands) is not capped."""
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > WORKBOOK_MAX_BYTES:
        raise PayloadTooLarge(f"文件超过 {WORKBOOK_MAX_BYTES // (1024 * 1024)} MB。", code=CoreErrorCode.FILE_TOO_LARGE,
                              field="file")
