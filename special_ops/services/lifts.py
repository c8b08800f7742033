"""Lifts under 10 t done without a permit: the light record (risk analysis + measures) the enterprise
keeps instead (可不办理, GB 30871-2022 Table B.1 note 3; DOMAIN.md §4 "Lifting")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise_member
from backend.core.errors import FieldError
from special_ops.error_codes import PermitErrorCode as E
from special_ops.models import LiftRiskRecord
from special_ops.rules.levels import LIFTING_PERMIT_OPTIONAL_BELOW_T
from special_ops.services.common import display_name, signer


@transaction.atomic
def lift_record_create(*, actor: Actor, enterprise: Enterprise, load_t: Decimal, work_content: str, location: str,
                       planned_at: datetime, risk_analysis: str, measures: list[str], crane: str = "") -> LiftRiskRecord:
    """Record a lift of ``load_t`` t (< 10 t) done without a permit, with its risk analysis and the
    measures taken (non-blank items), recorded by the caller now. Raises FieldError
    ``lifting_permit_required`` (``load_t`` ≥ 10 t: file a lifting permit), ``required``
    (``risk_analysis``/``measures``); NotFound for a non-member."""
    actor = actor_of(actor)
    require_enterprise_member(actor, enterprise.pk)
    if float(load_t) >= LIFTING_PERMIT_OPTIONAL_BELOW_T:
        raise FieldError(f"吊装质量 {float(load_t):g} t，10 t 及以上须办理吊装作业票（GB 30871-2022 表B.1 注3）。",
                         code=E.LIFTING_PERMIT_REQUIRED, field="load_t")
    if not risk_analysis.strip():
        raise FieldError("不办理作业票的吊装须记录风险分析。", code=E.REQUIRED, field="risk_analysis")
    items = [m.strip() for m in measures if m and m.strip()]
    if not items:
        raise FieldError("不办理作业票的吊装须记录安全措施。", code=E.REQUIRED, field="measures")
    record = LiftRiskRecord.objects.create(
        enterprise=enterprise, load_t=load_t, work_content=work_content, location=location, planned_at=planned_at,
        crane=crane, risk_analysis=risk_analysis.strip(), measures=items, recorded_by=signer(actor),
        recorded_by_name=display_name(actor))
    audit_record(actor=actor.user, action="lift_record.create", obj=record, enterprise=enterprise,
                 payload={"load_t": str(load_t), "measures": len(items)})
    return record
