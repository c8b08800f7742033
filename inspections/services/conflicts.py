"""Conflicts of interest (回避, DOMAIN.md §5): an inspector who must not inspect an enterprise;
the 双随机 draw never pairs them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backend.accounts.models import Enterprise, Membership, Role, User
from backend.audit.services import audit_record
from backend.core.errors import Conflict, FieldError, Forbidden
from inspections.error_codes import InspectionErrorCode as Code
from inspections.error_codes import InspectionEvent
from inspections.models import ConflictOfInterest
from inspections.services.common import covered_enterprise, regulator_actor


@transaction.atomic
def conflict_declare(*, actor: Any, inspector: User, enterprise: Enterprise, reason: str) -> ConflictOfInterest:
    """Declare that ``inspector`` must not inspect ``enterprise`` (回避). An inspector declares
    their own (403 ``not_self`` otherwise); a regulator admin anyone's of the roster. 400
    ``not_inspector`` (field ``inspector``), ``does_not_exist`` (``enterprise`` outside the
    jurisdiction), ``required`` (``reason``); 409 ``duplicate`` when already declared."""
    a = regulator_actor(actor, {Role.ADMIN, Role.INSPECTOR})
    regulator = a.regulator
    if a.role == Role.INSPECTOR and inspector.pk != a.user.pk:
        raise Forbidden("执法人员只能登记本人的回避事项。", code=Code.NOT_SELF)
    if not Membership.objects.filter(user=inspector, regulator=regulator, role=Role.INSPECTOR).exists():
        raise FieldError("须为本部门的监管执法人员。", code=Code.NOT_INSPECTOR, field="inspector")
    ent = covered_enterprise(regulator, enterprise)
    if not (reason or "").strip():
        raise FieldError("须说明回避原因。", code=Code.REQUIRED, field="reason")
    if ConflictOfInterest.objects.filter(inspector=inspector, enterprise=ent).exists():
        raise Conflict("已登记该回避事项。", code=Code.DUPLICATE)
    c = ConflictOfInterest.objects.create(regulator=regulator, inspector=inspector, enterprise=ent, reason=reason,
                                          declared_by=a.user)
    audit_record(actor=a.user, action=InspectionEvent.CONFLICT_DECLARE, obj=c, regulator=regulator, reason=reason,
                 payload={"inspector": inspector.pk, "enterprise": ent.pk})
    return c
