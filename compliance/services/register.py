"""Writes of the risk register: risk points, risk events (with assessment) and control measures.

Every write recomputes derived levels and appends an audit event in the same transaction, so a
risk point's level is always the highest level among its events (DOMAIN.md §2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.audit.updates import model_update
from backend.core.actors import Actor, actor_of
from backend.core.errors import FieldError, from_rule
from compliance.error_codes import RegisterErrorCode as Code
from compliance.error_codes import RegisterEvent
from compliance.models import ControlMeasure, RiskEvent, RiskPoint
from compliance.rules import assessment as rules
from compliance.rules.accident_types import parse_accident_names

POINT_FIELDS = (
    "code", "name", "kind", "location", "department", "responsible_person", "control_level",
    "is_major_hazard_source", "mhs_principal", "mhs_technical", "mhs_operational", "lon", "lat", "residual_level",
)
EVENT_FIELDS = (
    "seq", "step", "standard", "description", "accident_types", "accident_consequence", "method", "l", "e", "c", "s", "m",
    "direct_major", "direct_major_reason", "residual_level", "control_level", "department", "responsible_person",
    "written_score", "written_level", "source_ref",
)
MEASURE_FIELDS = ("category", "text", "responsible_person", "control_level", "check_cycle", "check_cycle_unit", "day_type")
INPUTS = {"lec": ("l", "e", "c"), "ls": ("l", "s"), "mes": ("m", "e", "s")}


def _immutable(instance: Any, values: dict[str, Any], field: str, label: str) -> None:
    """400 ``immutable`` naming ``field`` when ``values`` tries to move ``instance`` to another
    parent (break-it D21: the change used to be dropped silently with a 200)."""
    if field in values:
        new = getattr(values[field], "pk", values[field])
        if new != getattr(instance, f"{field}_id"):
            raise FieldError(f"{label}创建后不能更改，请删除后在新的上级下重新登记。", code=Code.IMMUTABLE, field=field)


def compute_assessment(values: dict[str, Any]) -> tuple[Decimal, str]:
    """(score, level) of an event's values; raises FieldError (off_scale / required / unknown_method).

    Source: DOMAIN.md §2 via :func:`compliance.rules.assessment.assess` and ``apply_direct_major``.
    """
    method = str(values.get("method") or "")
    try:
        inputs = {k: values.get(k) for k in INPUTS.get(method, ())}
        result = rules.assess(method, inputs)
        reason = values.get("direct_major_reason") or None if values.get("direct_major") else None
        if values.get("direct_major") and not reason:
            raise FieldError("直接判定重大风险须说明理由。", code=Code.REQUIRED, field="direct_major_reason")
        level = rules.apply_direct_major(result.level, reason)
    except rules.RuleError as exc:
        raise from_rule(exc) from exc
    return result.score, str(level)


def risk_point_recompute_level(point: RiskPoint) -> str:
    """Set ``point.level`` to the highest level of its events ('' when it has none); returns it."""
    levels = list(RiskEvent.objects.filter(risk_point=point).values_list("level", flat=True))
    highest = rules.highest_level(levels)
    new = str(highest) if highest else ""
    if point.level != new:
        RiskPoint.objects.filter(pk=point.pk).update(level=new)
        point.level = new
    return new


@transaction.atomic
def risk_point_create(*, actor: Actor | Any, enterprise: Enterprise, **values: Any) -> RiskPoint:
    """Create a risk point in ``enterprise``; 400 ``duplicate`` on ``code`` when it exists."""
    actor = actor_of(actor)
    data = {k: v for k, v in values.items() if k in POINT_FIELDS}
    if RiskPoint.objects.filter(enterprise=enterprise, code=data.get("code")).exists():
        raise FieldError("风险点编号已存在。", code=Code.DUPLICATE, field="code")
    try:
        with transaction.atomic():
            point = RiskPoint.objects.create(enterprise=enterprise, **data)
    except IntegrityError:
        raise FieldError("风险点编号已存在。", code=Code.DUPLICATE, field="code")
    audit_record(actor=actor.user, action=RegisterEvent.RISK_POINT_CREATE, obj=point, enterprise=enterprise,
                 changes={k: [None, v] for k, v in data.items()})
    return point


@transaction.atomic
def risk_point_update(*, actor: Actor | Any, point: RiskPoint, **values: Any) -> RiskPoint:
    """Update a risk point's descriptive fields (its level is always derived); 400 ``duplicate``."""
    actor = actor_of(actor)
    point = RiskPoint.objects.select_for_update().get(pk=point.pk)
    data = {k: v for k, v in values.items() if k in POINT_FIELDS}
    if data.get("code", point.code) != point.code and RiskPoint.objects.filter(
            enterprise_id=point.enterprise_id, code=data["code"]).exclude(pk=point.pk).exists():
        raise FieldError("风险点编号已存在。", code=Code.DUPLICATE, field="code")
    point, changes = model_update(instance=point, data=data)
    if changes:
        audit_record(actor=actor.user, action=RegisterEvent.RISK_POINT_UPDATE, obj=point,
                     enterprise=point.enterprise_id, changes=changes)
    return point


@transaction.atomic
def risk_point_delete(*, actor: Actor | Any, point: RiskPoint) -> None:
    """Delete a risk point with its events and measures (recorded in the audit trail)."""
    audit_record(actor=actor_of(actor).user, action=RegisterEvent.RISK_POINT_DELETE, obj=point, enterprise=point.enterprise_id,
                 payload={"code": point.code, "name": point.name})
    point.delete()


def _accident_names(data: dict[str, Any]) -> None:
    """``data["accident_types"]`` as stored names of GB 6441-1986 or GB 6441-2025 (either standard's
    names are accepted, :func:`compliance.rules.accident_types.parse_accident_names`); 400
    ``unknown_accident_type`` naming ``accident_types`` for a word of neither."""
    if data.get("accident_types"):
        try:
            data["accident_types"] = parse_accident_names("、".join(data["accident_types"]))
        except rules.RuleError as exc:
            raise from_rule(exc) from exc


@transaction.atomic
def risk_event_create(*, actor: Actor | Any, point: RiskPoint, flag_reason: str = "", **values: Any) -> RiskEvent:
    """Create an assessed risk event on ``point``; recomputes the point's level.

    Inputs are the method's scale values (LEC: l, e, c; LS: l, s; MES: m, e, s). Off-scale → 400.
    """
    actor = actor_of(actor)
    data = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    score, level = compute_assessment(data)
    _accident_names(data)
    event = RiskEvent.objects.create(
        enterprise_id=point.enterprise_id, risk_point=point, score=score, level=level,
        flagged=bool(flag_reason), flag_reason=flag_reason, **data,
    )
    risk_point_recompute_level(point)
    audit_record(actor=actor.user, action=RegisterEvent.RISK_EVENT_CREATE, obj=event, enterprise=point.enterprise_id,
                 changes={**{k: [None, v] for k, v in data.items()}, "score": [None, score], "level": [None, level]})
    return event


@transaction.atomic
def risk_event_update(*, actor: Actor | Any, event: RiskEvent, **values: Any) -> RiskEvent:
    """Update an event; re-assesses it and recomputes its risk point's level.

    An event does not move between risk points: a different ``risk_point`` is 400 ``immutable``."""
    actor = actor_of(actor)
    event = RiskEvent.objects.select_for_update().get(pk=event.pk)
    _immutable(event, values, "risk_point", "风险事件所属的风险点")
    data = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    _accident_names(data)
    merged = {k: getattr(event, k) for k in EVENT_FIELDS} | data
    if "method" in data:  # inputs of another method do not carry over
        for k in {"l", "e", "c", "s", "m"} - set(INPUTS.get(data["method"], ())):
            merged[k] = None
            data[k] = None
    score, level = compute_assessment(merged)
    data.update(score=score, level=level)
    event, changes = model_update(instance=event, data=data)
    if changes:
        risk_point_recompute_level(event.risk_point)
        audit_record(actor=actor.user, action=RegisterEvent.RISK_EVENT_UPDATE, obj=event,
                     enterprise=event.enterprise_id, changes=changes)
    return event


@transaction.atomic
def risk_event_delete(*, actor: Actor | Any, event: RiskEvent) -> None:
    """Delete an event with its measures; recomputes its risk point's level."""
    point = event.risk_point
    audit_record(actor=actor_of(actor).user, action=RegisterEvent.RISK_EVENT_DELETE, obj=event, enterprise=event.enterprise_id,
                 payload={"description": event.description, "level": event.level})
    event.delete()
    risk_point_recompute_level(point)


@transaction.atomic
def control_measure_create(*, actor: Actor | Any, event: RiskEvent, **values: Any) -> ControlMeasure:
    """Create a control measure of ``event``; a check cycle needs its unit (400 ``required``)."""
    actor = actor_of(actor)
    data = {k: v for k, v in values.items() if k in MEASURE_FIELDS}
    if bool(data.get("check_cycle")) != bool(data.get("check_cycle_unit")):
        raise FieldError("排查周期与周期单位须同时填写。", code=Code.REQUIRED, field="check_cycle_unit")
    measure = ControlMeasure.objects.create(enterprise_id=event.enterprise_id, risk_event=event, **data)
    audit_record(actor=actor.user, action=RegisterEvent.CONTROL_MEASURE_CREATE, obj=measure, enterprise=event.enterprise_id,
                 changes={k: [None, v] for k, v in data.items()})
    return measure


@transaction.atomic
def control_measure_update(*, actor: Actor | Any, measure: ControlMeasure, **values: Any) -> ControlMeasure:
    """Update a measure; it does not move between risk events (a different ``risk_event`` is 400
    ``immutable``); a check cycle needs its unit (400 ``required``)."""
    actor = actor_of(actor)
    measure = ControlMeasure.objects.select_for_update().get(pk=measure.pk)
    _immutable(measure, values, "risk_event", "管控措施所属的风险事件")
    data = {k: v for k, v in values.items() if k in MEASURE_FIELDS}
    merged = {k: getattr(measure, k) for k in MEASURE_FIELDS} | data
    if bool(merged.get("check_cycle")) != bool(merged.get("check_cycle_unit")):
        raise FieldError("排查周期与周期单位须同时填写。", code=Code.REQUIRED, field="check_cycle_unit")
    measure, changes = model_update(instance=measure, data=data)
    if changes:
        audit_record(actor=actor.user, action=RegisterEvent.CONTROL_MEASURE_UPDATE, obj=measure,
                     enterprise=measure.enterprise_id, changes=changes)
    return measure


@transaction.atomic
def control_measure_delete(*, actor: Actor | Any, measure: ControlMeasure) -> None:
    """Delete a measure (recorded in the audit trail)."""
    audit_record(actor=actor_of(actor).user, action=RegisterEvent.CONTROL_MEASURE_DELETE, obj=measure, enterprise=measure.enterprise_id,
                 payload={"text": measure.text})
    measure.delete()
