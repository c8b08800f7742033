"""Who may call what: role permissions per action, for enterprise data and for the regulator side.

Role tables come from the entity's state machine where there is one: ``action_roles =
roles_from(HAZARD_MACHINE)`` — the transition table is the one place a role list is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from backend.accounts.models import Enterprise
from backend.core.actors import Actor, actor_of, role_label
from backend.core.errors import Forbidden
from backend.core.states import StateMachine


def roles_from(machine: StateMachine, *, actions: Mapping[str, str] | None = None,
               extra: Mapping[str, frozenset[str] | set[str]] | None = None) -> dict[str, frozenset[str]]:
    """``action_roles`` for a view, derived from ``machine``'s transition table.

    Every transition with a role list gives ``{action: roles}``; ``actions`` maps a view action to
    the machine action it performs when the names differ (``{"submit": "submit_for_acceptance"}``);
    ``extra`` adds view actions that are not transitions (``{"photos": {...}}``). Transitions open to
    any role (``roles=None``) are left to the view's ``write_roles``."""
    out: dict[str, frozenset[str]] = {}
    for action, t in machine.transitions.items():
        if t.roles is not None:
            out[action] = t.roles
    for view_action, machine_action in (actions or {}).items():
        roles = machine.roles_for(machine_action)
        if roles is not None:
            out[view_action] = roles
    for view_action, extra_roles in (extra or {}).items():
        out[view_action] = frozenset(extra_roles)
    return out


def caller_of(context: dict[str, Any]) -> Actor | None:
    """The caller of a serializer's request, built once per serializer tree (None without a request)."""
    if "_caller" not in context:
        request = context.get("request")
        context["_caller"] = actor_of(request.user) if request is not None else None
    return context["_caller"]


def enterprise_writer(actor: Actor | None) -> Actor | None:
    """``actor`` when it may write enterprise data at all (a member of an *approved* enterprise, as
    :class:`TenantPermission` requires), else None: regulators and unapproved enterprises may take
    no action on enterprise objects (``allowed_actions`` is empty for them)."""
    if actor is None or not actor.is_enterprise:
        return None
    ent = actor.enterprise
    return actor if ent is not None and ent.status == Enterprise.Status.APPROVED else None


class TenantPermission(permissions.BasePermission):
    """Members read; enterprise members of an *approved* enterprise with a write role write.

    Regulator members are read-only here (their own writes live on the inspections API), except
    for the actions a view lists in ``regulator_actions``.
    A view narrows roles per action with ``action_roles = {"confirm": {...}}`` (or
    :func:`roles_from` a state machine); otherwise ``write_roles`` applies to every unsafe method.
    """

    message = "无权执行此操作。"

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_of(request.user)
        if actor.membership is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not actor.is_enterprise:
            # A few enterprise objects carry a regulator's decision (e.g. approving a major hazard's
            # extension); the view names those actions and the service checks the jurisdiction.
            if getattr(view, "action", None) in getattr(view, "regulator_actions", ()):
                return True
            raise Forbidden("监管部门用户对企业数据只读。", code="read_only")
        ent = actor.enterprise
        if ent is None or ent.status != Enterprise.Status.APPROVED:
            raise Forbidden("企业尚未通过审核，暂不能录入数据。", code="enterprise_not_approved")
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None), view.write_roles)
        if actor.role not in roles:
            raise Forbidden(f"角色「{role_label(actor.role)}」无权执行此操作。", code="role_not_allowed")
        return True


class RegulatorMember(permissions.BasePermission):
    """Only members of a regulator (403 ``regulator_only`` for enterprise users). A view narrows
    roles per action with ``regulator_roles = {"create": {"admin"}}`` (403 ``role_not_allowed``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_of(request.user)
        if not actor.is_regulator:
            raise Forbidden("仅监管部门用户可访问。", code="regulator_only")
        roles = getattr(view, "regulator_roles", {}).get(getattr(view, "action", None))
        if roles is not None and actor.role not in roles:
            raise Forbidden("当前角色无权执行此操作。", code="role_not_allowed")
        return True


class ReadOnlyRegulator(RegulatorMember):
    """Regulator members, safe methods only (the jurisdiction read API: no write is possible)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if request.method not in permissions.SAFE_METHODS:
            raise Forbidden("监管查阅接口只读。", code="read_only")
        return True


TENANT_PERMISSIONS = [permissions.IsAuthenticated, TenantPermission]
REGULATOR_PERMISSIONS = [permissions.IsAuthenticated, RegulatorMember]
READ_ONLY_REGULATOR_PERMISSIONS = [permissions.IsAuthenticated, ReadOnlyRegulator]
