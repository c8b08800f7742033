"""Writes of organizations and users: self-registration, review, members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from backend.accounts.csv_parse import CHINA_LAT_RANGE, CHINA_LON_RANGE
from backend.accounts.error_codes import AccountsErrorCode as Code
from backend.accounts.error_codes import AccountsEvent
from backend.accounts.models import ENTERPRISE_ROLES, Enterprise, Membership, Regulator, Role, User
from backend.accounts.rules import ENTERPRISE_REVIEW
from backend.accounts.selectors import regulator_covers
from backend.accounts.validators import clean_division_code, clean_name, clean_uscc
from backend.audit.services import audit_record
from backend.audit.updates import model_update
from backend.core.actors import Actor, actor_of
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError, Forbidden, from_rule
from backend.core.rules import RuleError
from backend.notifications.services import notify_regulator_of

ENTERPRISE_FIELDS = (
    "name", "industry", "address", "lon", "lat", "legal_rep", "principal", "safety_director", "phone", "major_hazard_sources",
)


def _check_username_free(username: str, field: str) -> None:
    """400 ``duplicate`` when the name is taken — in any letter case: ``Officer`` next to ``officer``
    would be a lookalike account (login and its limits treat the two as one identity, D1/D20)."""
    if User.objects.filter(username__iexact=username).exists():
        raise FieldError("用户名已被使用。", code=Code.DUPLICATE, field=field)


@transaction.atomic
def enterprise_register(
    *,
    name: str,
    uscc: str,
    division_code: str,
    admin_username: str,
    admin_password: str,
    admin_full_name: str = "",
    status: str = Enterprise.Status.PENDING,
    **details: Any,
) -> Enterprise:
    """Create a *pending* enterprise and its first admin user (self-registration).

    Errors (400, field named): ``name`` / ``admin_username`` invisible_characters, blank, mixed_script
    (lookalike letters, BREAKIT D20; ``admin_full_name`` the first two); ``uscc`` invalid_checksum / invalid_format / duplicate;
    ``division_code`` required / invalid_format / unknown_division; ``admin_username`` duplicate.
    A duplicate USCC is a 400 even when two requests race (the unique index decides).
    Notifies the covering regulator that a registration awaits review.
    """
    name = clean_name(name, field="name", lookalike_check=True)
    admin_username = clean_name(admin_username, field="admin_username", lookalike_check=True)
    if admin_full_name:
        admin_full_name = clean_name(admin_full_name, field="admin_full_name")
    uscc = clean_uscc(uscc)
    division_code = clean_division_code(division_code)
    if Enterprise.objects.filter(uscc=uscc).exists():
        raise FieldError("该统一社会信用代码已注册。", code=Code.DUPLICATE, field="uscc")
    _check_username_free(admin_username, "admin_username")
    fields = {k: v for k, v in details.items() if k in ENTERPRISE_FIELDS and v is not None}
    try:
        with transaction.atomic():
            ent = Enterprise.objects.create(name=name, uscc=uscc, division_code=division_code, status=status, **fields)
            user = User.objects.create_user(username=admin_username, password=admin_password, full_name=admin_full_name)
    except IntegrityError:
        if Enterprise.objects.filter(uscc=uscc).exists():
            raise FieldError("该统一社会信用代码已注册。", code=Code.DUPLICATE, field="uscc")
        raise FieldError("用户名已被使用。", code="duplicate", field="admin_username")
    Membership.objects.create(user=user, enterprise=ent, role=Role.ADMIN)
    audit_record(actor=user, action=AccountsEvent.ENTERPRISE_REGISTER, obj=ent, enterprise=ent, to_state=ent.status,
                 changes={"name": [None, name], "uscc": [None, uscc], "division_code": [None, division_code]})
    if status == Enterprise.Status.PENDING:
        notify_regulator_of(enterprise=ent, key=f"enterprise:{ent.pk}:registered", kind="enterprise_registered",
                            title=f"企业注册待审核：{ent.name}", payload={"enterprise_id": ent.pk, "uscc": ent.uscc})
    return ent


@transaction.atomic
def enterprise_review(*, actor: Actor | User, enterprise_id: int, approve: bool, reason: str = "") -> Enterprise:
    """A regulator admin covering the enterprise's division approves or rejects a pending registration
    (:data:`backend.accounts.rules.ENTERPRISE_REVIEW`).

    Errors: 403 ``not_regulator_admin``; 403 ``outside_jurisdiction`` (the API's scoping answers 404
    first); 409 ``invalid_transition`` when it is no longer pending (already reviewed, or a concurrent
    review won: the row is locked before the state is read).
    """
    actor = actor_of(actor)
    regulator = actor.regulator
    if regulator is None or actor.role != Role.ADMIN:
        raise Forbidden("只有监管部门管理员可以审核企业注册。", code=Code.NOT_REGULATOR_ADMIN)
    ent = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    if not regulator_covers(regulator, ent):
        raise Forbidden("该企业不在本部门管辖范围内。", code=Code.OUTSIDE_JURISDICTION)
    action = "approve" if approve else "reject"
    try:
        target = ENTERPRISE_REVIEW.check(action, ent.status, actor.role)
    except RuleError as exc:
        raise from_rule(exc) from exc
    old = ent.status
    ent, _ = model_update(instance=ent, data={"status": target, "status_reason": reason})
    audit_record(actor=actor, action=AccountsEvent.ENTERPRISE_APPROVE if approve else AccountsEvent.ENTERPRISE_REJECT,
                 obj=ent, enterprise=ent, regulator=regulator, from_state=old, to_state=ent.status, reason=reason)
    return ent


@transaction.atomic
def enterprise_set_kind(*, actor: Actor | User, enterprise_id: int, kind: str, reason: str) -> Enterprise:
    """A regulator admin covering the enterprise sets its kind (``hazchem`` / ``industrial``), which
    decides its rule set (:data:`backend.accounts.rules.RULE_SETS`); ``""`` returns to the kind its
    industry gives. Appends ``enterprise.set_kind`` with the old and new kind and the reason.

    Errors: 403 ``not_regulator_admin``, ``outside_jurisdiction`` (the API answers 404 first);
    400 ``required`` (``reason``)."""
    actor = actor_of(actor)
    regulator = actor.regulator
    if regulator is None or actor.role != Role.ADMIN:
        raise Forbidden("只有监管部门管理员可以确定企业类别。", code=Code.NOT_REGULATOR_ADMIN)
    if not (reason or "").strip():
        raise FieldError("请说明确定企业类别的理由。", code=Code.REQUIRED, field="reason")
    ent = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    if not regulator_covers(regulator, ent):
        raise Forbidden("该企业不在本部门管辖范围内。", code=Code.OUTSIDE_JURISDICTION)
    old_kind = ent.kind
    ent, changes = model_update(instance=ent, data={"kind_override": kind, "kind_reason": reason.strip()[:200]})
    audit_record(actor=actor, action=AccountsEvent.ENTERPRISE_SET_KIND, obj=ent, enterprise=ent, regulator=regulator,
                 reason=reason.strip(), changes={**changes, "kind": [old_kind, ent.kind]},
                 payload={"rule_set": ent.rule_set.name})
    return ent


@transaction.atomic
def enterprise_set_location(*, actor: Actor | User, enterprise_id: int, lon: Decimal | None,
                            lat: Decimal | None) -> Enterprise:
    """Set (or clear, both None) the enterprise's WGS-84 site coordinates, in degrees — the point of
    the regulator's 安全风险一张图. Who: the enterprise's own admin, or a member (admin or inspector)
    of a regulator covering it. Both coordinates or neither; China's extent
    (:data:`backend.accounts.csv_parse.CHINA_LON_RANGE` / ``CHINA_LAT_RANGE``, as the enterprise-list
    import). Appends ``enterprise.set_location`` with the old and new values.

    Errors: 400 ``required`` (the missing one of ``lon``/``lat``), ``out_of_range`` (field named);
    403 ``not_enterprise_admin``, ``outside_jurisdiction`` (the API answers 404 first)."""
    actor = actor_of(actor)
    ent = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    if actor.is_regulator:
        assert actor.regulator is not None
        if not regulator_covers(actor.regulator, ent):
            raise Forbidden("该企业不在本部门管辖范围内。", code=Code.OUTSIDE_JURISDICTION)
    elif not (actor.enterprise_id == ent.pk and actor.role == Role.ADMIN):
        raise Forbidden("只有本企业管理员或其监管部门可以修改企业坐标。", code=Code.NOT_ENTERPRISE_ADMIN)
    if (lon is None) != (lat is None):
        raise FieldError("经度和纬度须同时填写（或同时清空）。", code=Code.REQUIRED, field="lat" if lat is None else "lon")
    for field, value, (low, high) in (("lon", lon, CHINA_LON_RANGE), ("lat", lat, CHINA_LAT_RANGE)):
        if value is not None and not low <= value <= high:
            raise FieldError(f"{'经度' if field == 'lon' else '纬度'}须在 {low}–{high} 之间（WGS-84，度）。",
                             code=Code.OUT_OF_RANGE, field=field)
    ent, changes = model_update(instance=ent, data={"lon": lon, "lat": lat})
    if changes:
        audit_record(actor=actor, action=AccountsEvent.ENTERPRISE_SET_LOCATION, obj=ent, enterprise=ent,
                     regulator=actor.regulator, changes=changes)
    return ent


@transaction.atomic
def member_create(
    *, organization: Enterprise | Regulator, username: str, password: str, role: str, full_name: str = "",
    department: str = "", actor: Actor | User | None = None,
) -> User:
    """Create a user in ``organization`` with ``role``.

    Enterprise roles: admin, safety_officer, principal, employee; regulator roles: admin, inspector
    (400 ``invalid_choice`` on ``role`` otherwise). 400 ``duplicate`` on ``username``; 400
    ``invisible_characters`` / ``mixed_script`` on ``username`` or ``full_name`` (lookalike names, D20). A pending or
    rejected enterprise cannot add members (403 ``enterprise_not_approved``)."""
    is_enterprise = isinstance(organization, Enterprise)
    allowed = ENTERPRISE_ROLES if is_enterprise else {Role.ADMIN, Role.INSPECTOR}
    if role not in allowed:
        raise FieldError(f"角色须为：{'、'.join(str(Role(r).label) for r in sorted(allowed))}。",
                         code=CoreErrorCode.INVALID_CHOICE,
                         field="role")
    if isinstance(organization, Enterprise) and organization.status != Enterprise.Status.APPROVED:
        raise Forbidden("企业尚未通过审核，暂不能添加成员。", code=CoreErrorCode.ENTERPRISE_NOT_APPROVED)
    username = clean_name(username, field="username", lookalike_check=True)
    if full_name:
        full_name = clean_name(full_name, field="full_name")
    _check_username_free(username, "username")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password, full_name=full_name)
    except IntegrityError:
        raise FieldError("用户名已被使用。", code=Code.DUPLICATE, field="username")
    kwargs = {"enterprise": organization} if is_enterprise else {"regulator": organization}
    Membership.objects.create(user=user, role=role, department=department, **kwargs)
    ent = organization if is_enterprise else None
    audit_record(actor=actor, action=AccountsEvent.MEMBER_CREATE, obj=user, enterprise=ent,
                 regulator=None if ent else organization, changes={"role": [None, role], "username": [None, username]})
    return user


def enterprise_upsert_from_import(*, row: Any, actor: Actor | User | None = None) -> tuple[Enterprise, str]:
    """Create or update an *approved* enterprise from a validated CSV row; returns (enterprise,
    ``created`` | ``updated`` | ``unchanged``). Coordinates compare as numbers (``1.50`` = ``1.5``)."""
    values = {
        "name": row.name, "division_code": row.division_code, "industry": row.industry, "address": row.address,
        "legal_rep": row.legal_rep, "principal": row.principal, "safety_director": row.safety_officer,
        "phone": row.phone, "major_hazard_sources": row.major_hazard_sources,
        "lon": Decimal(row.lon) if row.lon is not None else None, "lat": Decimal(row.lat) if row.lat is not None else None,
    }
    with transaction.atomic():
        ent = Enterprise.objects.select_for_update().filter(uscc=row.uscc).first()
        if ent is None:
            ent = Enterprise.objects.create(uscc=row.uscc, status=Enterprise.Status.APPROVED, **values)
            audit_record(actor=actor, action=AccountsEvent.ENTERPRISE_IMPORT, obj=ent, enterprise=ent,
                         changes={k: [None, v] for k, v in values.items()})
            return ent, "created"
        ent, changes = model_update(instance=ent, data=values)
        if not changes:
            return ent, "unchanged"
        audit_record(actor=actor, action=AccountsEvent.ENTERPRISE_IMPORT_UPDATE, obj=ent, enterprise=ent, changes=changes)
        return ent, "updated"
