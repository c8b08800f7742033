"""Reads of special-operation permits: the live-permit query, the API's querysets and the read
helpers that put stored rows into the shapes the pure rules take (facts, workers, gas readings,
approval chain, safety measures, conflict snapshots).

Nothing here writes. Services, the API, the printout and other apps (inspections' enterprise
summary) read permits through these functions, so each query is written once.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from backend.core.actors import Actor
from special_ops.models import (
    DETAIL_ACCESSORS,
    BlindingDetail,
    ConfinedSpaceDetail,
    GasTest,
    HotWorkDetail,
    PermitApproval,
    PermitApproverSetting,
    PermitMeasureCheck,
    WorkPermit,
    detail_of,
)
from special_ops.rules import allowed as allowed_rules
from special_ops.rules import approvals as approval_rules
from special_ops.rules.conflicts import PermitSnapshot
from special_ops.rules.levels import LEVELS_BY_TYPE, PermitLevel
from special_ops.rules.types import CONFLICT_STATES, LIVE_STATES, PermitState, PermitType

#: ``?live=true`` looks this far ahead: today's live operations plus those starting within 24 h.
LIVE_HORIZON = timedelta(hours=24)

_PHASE_OF_STATE = {PermitState.SUBMITTED: approval_rules.PHASE_APPROVAL,
                   PermitState.APPROVED: approval_rules.PHASE_PRE_START,
                   PermitState.COMPLETED: approval_rules.PHASE_ACCEPTANCE}


def plain(value: Any) -> Any:
    """A stored value in the rules' JSON shape (Decimal → float)."""
    return float(value) if isinstance(value, Decimal) else value


# --- querysets ------------------------------------------------------------------------------------
def permits_live_q(now: datetime) -> Q:
    """The one "live permit" condition (``?live=true``, the regulators' enterprise summary):
    approved / in progress / suspended, planned window not over (``planned_end > now``), started or
    starting within :data:`LIVE_HORIZON` (``planned_start < now + 24 h``). ``now``: aware datetime."""
    return Q(state__in=[s.value for s in LIVE_STATES], planned_end__gt=now, planned_start__lt=now + LIVE_HORIZON)


def permit_list_queryset() -> QuerySet[WorkPermit]:
    """Unscoped permits with what the list serializer reads (enterprise, risk point, type detail,
    the active signatures as ``active_approvals`` for ``allowed_actions``)."""
    return WorkPermit.objects.select_related("enterprise", "risk_point", *DETAIL_ACCESSORS).prefetch_related(
        Prefetch("approvals", queryset=PermitApproval.objects.filter(voided_at__isnull=True), to_attr="active_approvals"))


def permit_detail_queryset() -> QuerySet[WorkPermit]:
    """:func:`permit_list_queryset` plus workers, gas tests and the active (not voided) signatures
    as ``active_approvals`` / ``active_measures``: a constant number of queries per page."""
    return permit_list_queryset().prefetch_related(
        "workers", "gas_tests",
        Prefetch("measure_checks", queryset=PermitMeasureCheck.objects.filter(voided_at__isnull=True),
                 to_attr="active_measures"),
    )


def gas_tests_of(permit: WorkPermit) -> QuerySet[GasTest]:
    """The permit's samples, oldest first."""
    return GasTest.objects.filter(permit=permit).order_by("sampled_at", "id")


# --- rule-shaped reads ------------------------------------------------------------------------------
def level_enum(permit_type: str, code: str) -> PermitLevel | None:
    """The rules' level enum for a stored level code ('' → None)."""
    cls = LEVELS_BY_TYPE.get(PermitType(permit_type))
    return cast(PermitLevel, cls(code)) if cls and code else None


def facts_of(permit: WorkPermit) -> dict[str, Any]:
    """The type-specific facts of a stored permit in the rules' JSON shape (floats, not Decimals)."""
    detail = detail_of(permit)
    if detail is None:
        return {}
    out = {f.name: plain(getattr(detail, f.name)) for f in detail._meta.concrete_fields if f.name != "permit"}
    if permit.type == PermitType.BLINDING:
        out["pipeline_id"] = detail.pipeline_id  # type: ignore[attr-defined]
    return out


def workers_of(permit: WorkPermit) -> list[dict[str, Any]]:
    """``[{name, trade, cert_no}]`` as the certificate rule reads them."""
    return [{"name": w.name, "trade": w.trade, "cert_no": w.cert_no} for w in permit.workers.all()]


def gas_readings(permit: WorkPermit) -> list[dict[str, Any]]:
    """The permit's samples in the rules' JSON shape (``sampled_at``, ``o2_pct_vol`` %vol,
    ``flammable``, ``toxic``), oldest first."""
    return [
        {"sampled_at": t.sampled_at, "o2_pct_vol": plain(t.o2_pct_vol), "flammable": t.flammable, "toxic": t.toxic}
        for t in gas_tests_of(permit)
    ]


def live_approver_step(permit: WorkPermit) -> approval_rules.ApprovalStep | None:
    """The approver a permit gets now when it is not the type's default: height or lifting (Table B.1
    by level, the enterprise's ``PermitApproverSetting`` rows, the Table B.2 situations of its facts);
    二级 hot work on a stopped, isolated unit (the named production or safety head, §5.1.4 ¶2).
    None otherwise."""
    facts = facts_of(permit)
    if permit.type == PermitType.HOT_WORK and facts.get("isolated_unit") and permit.level == "second":
        return approval_rules.isolated_unit_approver(str(facts.get("isolated_unit_approver") or ""))
    overrides = {row.level: (row.approver_name, row.role) for row in
                 PermitApproverSetting.objects.filter(enterprise_id=permit.enterprise_id, type=permit.type)}
    situations = facts.get("approval_situations") or ()
    return approval_rules.approver_for(permit.type, level_enum(permit.type, permit.level), situations, overrides)


def chain_of(permit: WorkPermit) -> tuple[approval_rules.ApprovalStep, ...]:
    """The permit's signature steps (type, managed level, risk-point raise, the approver fixed at
    submit — ``{}`` there is the type's default — or, for a draft, the one it would get now; no
    query once submitted)."""
    fixed = permit.approver_step
    if fixed:
        approver: approval_rules.ApprovalStep | None = approval_rules.ApprovalStep(fixed["code"], fixed["name"],
                                                                                   fixed["role"])
    elif permit.state == PermitState.DRAFT:
        approver = live_approver_step(permit)
    else:  # fixed at submit as the type's default ({}): a later settings change does not move it
        approver = None
    return approval_rules.approval_chain(permit.type, level_enum(permit.type, permit.level), permit.extra_approval,
                                         approver)


def measures_of(permit: WorkPermit) -> tuple[approval_rules.SafetyMeasure, ...]:
    """The standard safety measures of the permit's type (rules.approvals.SAFETY_MEASURES)."""
    return approval_rules.SAFETY_MEASURES[PermitType(permit.type)]


def signed_steps(permit: WorkPermit) -> set[str]:
    """Codes of the permit's active (not voided) signatures."""
    return set(PermitApproval.objects.filter(permit=permit, voided_at__isnull=True).values_list("step", flat=True))


def confirmed_measures(permit: WorkPermit) -> set[str]:
    """Codes of the permit's active (not voided) measure confirmations."""
    return set(PermitMeasureCheck.objects.filter(permit=permit, voided_at__isnull=True)
               .values_list("measure_code", flat=True))


def current_step(permit: WorkPermit, signed: set[str] | None = None) -> approval_rules.ApprovalStep | None:
    """The next unsigned step of the phase the permit is in (approval while submitted, pre-start
    checks while approved, acceptance while completed), or None. ``signed``: the active step codes
    when the caller has them (prefetched), else they are read."""
    phase = _PHASE_OF_STATE.get(PermitState(permit.state))
    signed = signed_steps(permit) if signed is None else signed
    return next((s for s in chain_of(permit) if s.phase == phase and s.code not in signed), None)


#: The permit types whose detail row the conflict rules read (blinding: pipeline and fire-explosion
#: area; hot work and confined space: the confined space), and their detail accessors.
_CONFLICT_DETAIL_TYPES = frozenset({PermitType.BLINDING, PermitType.HOT_WORK, PermitType.CONFINED_SPACE})
_CONFLICT_DETAILS = ("blindingdetail", "hotworkdetail", "confinedspacedetail")
#: Half-side of the coordinate box that pre-selects blinding/hot-work neighbours, in degrees of
#: latitude: 0.0004° ≈ 44 m, wider than the rule's 30 m (HOT_WORK_BLINDING_MIN_DISTANCE_M) — the
#: box only narrows the candidates, the rule's haversine distance decides.
_NEAR_BOX_DEG = Decimal("0.0004")


def snapshot_of(permit: WorkPermit, *, rule_details_only: bool = False) -> PermitSnapshot:
    """The permit as the conflict rules see it (guardian identity: linked user, else certificate
    number, else name; area: the risk point's name, else the location text). With
    ``rule_details_only`` the detail row is read only for the types whose detail the rules use
    (``_CONFLICT_DETAIL_TYPES``), so candidates fetched with those three joins need no more queries."""
    detail = None if rule_details_only and permit.type not in _CONFLICT_DETAIL_TYPES else detail_of(permit)
    guardian = (f"user:{permit.guardian_user_id}" if permit.guardian_user_id
                else permit.guardian_cert_no.strip() or f"name:{permit.guardian_name.strip()}")
    space = getattr(detail, "space_name", "") or getattr(detail, "confined_space_name", "") or None
    return PermitSnapshot(
        id=permit.pk, number=permit.number, type=permit.type, state=permit.state,
        start=timezone.localtime(permit.planned_start), end=timezone.localtime(permit.planned_end), guardian=guardian,
        pipeline=getattr(detail, "pipeline_id", None) if permit.type == PermitType.BLINDING else None,
        location=permit.location, lon=plain(permit.lon), lat=plain(permit.lat),
        fire_explosion_area=bool(getattr(detail, "in_fire_explosion_area", False)),
        area_name=permit.risk_point.name if permit.risk_point is not None else permit.location,
        confined_space_name=space, related_numbers=tuple(permit.related_numbers or ()),
    )


def _near_q(new: PermitSnapshot) -> Q:
    """Permits that may be within 30 m of ``new`` (rules.conflicts._near): inside a coordinate box
    around it when both have coordinates, else in the same named area (risk point name, else
    location). A superset: the rule decides."""
    area = (new.area_name or "").strip()
    points = WorkPermit._meta.get_field("risk_point").related_model._default_manager
    by_area = (Q(risk_point_id__in=points.filter(name__contains=area).values("pk"))
               | Q(risk_point__isnull=True, location__contains=area)) if area else Q(pk__in=[])
    if new.lon is None or new.lat is None:
        return by_area
    lat = Decimal(str(new.lat))
    lon = Decimal(str(new.lon))
    cos = math.cos(math.radians(min(abs(float(lat)) + 0.01, 89.0)))
    dlon = _NEAR_BOX_DEG / Decimal(str(cos))
    box = Q(lat__gte=lat - _NEAR_BOX_DEG, lat__lte=lat + _NEAR_BOX_DEG)
    if abs(lon) + dlon < 180:  # no wrap-around at the antimeridian: box it, else any longitude
        box &= Q(lon__gte=lon - dlon, lon__lte=lon + dlon)
    return (Q(lon__isnull=False, lat__isnull=False) & box) | ((Q(lon__isnull=True) | Q(lat__isnull=True)) & by_area)


def _details(model: type[Model], **lookups: Any) -> QuerySet:
    """The permit ids of the detail rows matching ``lookups`` (a semi-join: no join in the outer query)."""
    return model._default_manager.filter(**lookups).values("permit_id")


def conflict_candidates_q(new: PermitSnapshot, guardian_user_id: int | None) -> Q:
    """The permits that may conflict with ``new`` by the rules' keys (rules.conflicts), as a Q: the
    same guardian identity; for blinding, the same pipeline; hot work ↔ a fire-explosion-area
    blinding job nearby (:func:`_near_q`); hot work ↔ confined-space permit of the same space. Text
    keys match by containment (the rules strip them), so this is a superset the pure rules judge."""
    t = PermitType(new.type)
    guardian = new.guardian or ""
    q = Q(guardian_user_id__isnull=True, guardian_cert_no__contains=guardian) if guardian else Q(pk__in=[])
    if guardian_user_id is not None:
        q |= Q(guardian_user_id=guardian_user_id)
    if guardian.startswith("name:"):
        q |= Q(guardian_user_id__isnull=True, guardian_name__contains=guardian.removeprefix("name:"))
    pipeline = (new.pipeline or "").strip()
    if t is PermitType.BLINDING and pipeline:
        q |= Q(type=PermitType.BLINDING, pk__in=_details(BlindingDetail, pipeline_id__contains=pipeline))
    if t is PermitType.HOT_WORK:
        q |= Q(type=PermitType.BLINDING, pk__in=_details(BlindingDetail, in_fire_explosion_area=True)) & _near_q(new)
    if t is PermitType.BLINDING and new.fire_explosion_area:
        q |= Q(type=PermitType.HOT_WORK) & _near_q(new)
    space = (new.confined_space_name or "").strip()
    if t is PermitType.HOT_WORK and space:
        q |= Q(type=PermitType.CONFINED_SPACE, pk__in=_details(ConfinedSpaceDetail, space_name__contains=space))
    if t is PermitType.CONFINED_SPACE and space:
        q |= Q(type=PermitType.HOT_WORK, pk__in=_details(HotWorkDetail, confined_space_name__contains=space))
    return q


def concurrent_snapshots(permit: WorkPermit, new: PermitSnapshot | None = None) -> list[PermitSnapshot]:
    """Snapshots of the enterprise's other filed, unfinished permits (rules.types.CONFLICT_STATES)
    whose window overlaps ``permit``'s (half-open) and that share a conflict key with it
    (:func:`conflict_candidates_q`): the database pre-selects, over the partial index on open
    windows, the few permits the pure rules must judge — not every live permit of the enterprise
    (1.2 s → milliseconds with 10,000 live permits, issue 18). ``new``: ``permit``'s snapshot when
    the caller has it. Ordered like the permits (planned start descending, id). Two queries at most:
    the candidates' ids (one table, the detail and area keys as semi-joins), then their rows."""
    new = new or snapshot_of(permit)
    ids = list(
        WorkPermit.objects.filter(enterprise_id=permit.enterprise_id, state__in=[s.value for s in CONFLICT_STATES],
                                  planned_start__lt=permit.planned_end, planned_end__gt=permit.planned_start)
        .filter(conflict_candidates_q(new, permit.guardian_user_id)).exclude(pk=permit.pk)
        .order_by().values_list("pk", flat=True))
    if not ids:  # the usual case: one single-table query over the window index
        return []
    others = WorkPermit.objects.filter(pk__in=ids).select_related("risk_point", *_CONFLICT_DETAILS)
    return [snapshot_of(o, rule_details_only=True) for o in others]


# --- what the caller may do -------------------------------------------------------------------------
#: States with a step to sign (approval, pre-start checks, acceptance): only these read the chain.
_STEP_STATES = frozenset({PermitState.SUBMITTED, PermitState.APPROVED, PermitState.COMPLETED})


def _active_approvals(permit: WorkPermit) -> list[PermitApproval]:
    cached = getattr(permit, "active_approvals", None)
    return list(cached) if cached is not None else list(PermitApproval.objects.filter(permit=permit,
                                                                                        voided_at__isnull=True))


def _named(user_id: int | None, linked_id: int | None, name: str, caller_name: str) -> bool:
    if linked_id is not None:
        return linked_id == user_id
    return bool(name.strip()) and name.strip() == caller_name


def permit_allowed(permit: WorkPermit, actor: Actor | None) -> tuple[list[str], str | None]:
    """``(allowed_actions, sign_step)`` of ``actor`` on ``permit`` (rules.allowed): no query when the
    permit's active signatures are prefetched (``active_approvals``) and its approver fixed (submitted
    and later). ``actor`` None or not a member of the permit's enterprise: ``([], None)``."""
    if actor is None or actor.user is None or actor.role is None or actor.enterprise_id != permit.enterprise_id:
        return [], None
    uid = actor.user_id
    caller_name = (getattr(actor.user, "full_name", "") or getattr(actor.user, "username", "")).strip()
    approvals = _active_approvals(permit)
    leader = _named(uid, permit.work_leader_user_id, permit.work_leader_name, caller_name)
    caller = allowed_rules.PermitCaller(
        role=actor.role,
        applicant_or_leader=(_named(uid, permit.applicant_user_id, permit.applicant_name, caller_name) or leader
                             or any(a.step == "work_leader" and a.signer_id == uid for a in approvals)),
        leader_user=None if permit.work_leader_user_id is None else permit.work_leader_user_id == uid,
    )
    step = current_step(permit, {a.step for a in approvals}) if PermitState(permit.state) in _STEP_STATES else None
    return allowed_rules.allowed_actions(permit.state, caller, step)
