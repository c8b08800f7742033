"""Shared pieces of the regulator-side API: who may call it and how it is scoped."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from backend.core.api import membership_of
from backend.core.errors import Forbidden


class RegulatorMember(permissions.BasePermission):
    """Only members of a regulator (403 ``regulator_only`` for enterprise users). A view narrows
    roles per action with ``regulator_roles = {"create": {"admin"}}`` (403 ``role_not_allowed``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        m = membership_of(request.user)
        if m is None or m.regulator_id is None:
            raise Forbidden("仅监管部门用户可访问。", code="regulator_only")
        roles = getattr(view, "regulator_roles", {}).get(getattr(view, "action", None))
        if roles is not None and m.role not in roles:
            raise Forbidden("当前角色无权执行此操作。", code="role_not_allowed")
        return True


class ReadOnlyRegulator(RegulatorMember):
    """Regulator members, safe methods only (the audit API: no write is possible through it)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if request.method not in permissions.SAFE_METHODS:
            raise Forbidden("监管查阅接口只读。", code="read_only")
        return True


REGULATOR_PERMISSIONS = [permissions.IsAuthenticated, RegulatorMember]
