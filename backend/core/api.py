"""The API's shared machinery: tenant scoping, role permissions, pagination, ordering, filters.

Authorization happens here, once: :class:`TenantScopedViewSet` restricts every queryset to what
the caller's organization may see (an enterprise member: its own enterprise; a regulator member:
enterprises whose ``division_code`` starts with its jurisdiction, read-only), so a foreign object
answers 404. Enterprise ids in request bodies are never trusted: services receive the caller's
enterprise from :func:`caller_enterprise`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, permissions, viewsets
from rest_framework.request import Request

from backend.accounts.models import Enterprise, Membership, Role
from backend.core.drf import Pagination, StableOrderingFilter  # noqa: F401  (re-exported)
from backend.core.errors import FieldError, Forbidden

#: Primary keys in URLs: at most 18 digits, so a 30-digit id is a 404 and never overflows the DB.
ID_REGEX = r"[0-9]{1,18}"
MAX_ID = 9_223_372_036_854_775_807


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses unknown filter parameters (400) instead of ignoring them."""

    #: Parameters that are not filters but are allowed in a list query.
    RESERVED = frozenset({"page", "page_size", "ordering", "format"})

    def is_valid(self) -> bool:
        unknown = sorted(set(self.data.keys()) - set(self.filters) - self.RESERVED)
        if unknown:
            raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
        return super().is_valid()


def membership_of(user: Any) -> Membership | None:
    """The caller's membership (one organization per user), or None for anonymous/unattached users."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def caller_enterprise(request: Request) -> Enterprise:
    """The enterprise the caller acts for. Raises Forbidden (403) for non-enterprise callers."""
    m = membership_of(request.user)
    if m is None or m.enterprise_id is None:
        raise Forbidden("仅企业用户可执行此操作。", code="enterprise_only")
    return m.enterprise


def scope_queryset(queryset: QuerySet, user: Any, enterprise_path: str | None) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user``'s organization may see.

    ``enterprise_path`` is the ORM path from the model to its Enterprise (``"enterprise"``,
    ``"hazard__enterprise"``), or None when the model *is* Enterprise.
    """
    m = membership_of(user)
    if m is None:
        return queryset.none()
    if m.enterprise_id is not None:
        key = "pk" if enterprise_path is None else f"{enterprise_path}_id"
        return queryset.filter(**{key: m.enterprise_id})
    if m.regulator_id is not None:
        prefix = "" if enterprise_path is None else f"{enterprise_path}__"
        return queryset.filter(**{f"{prefix}division_code__startswith": m.regulator.jurisdiction})
    return queryset.none()


class TenantPermission(permissions.BasePermission):
    """Members read; enterprise members of an *approved* enterprise with a write role write.

    Regulator members are read-only here (their own writes live on the inspections API), except
    for the actions a view lists in ``regulator_actions``.
    A view narrows roles per action with ``action_roles = {"confirm": {...}}``; otherwise
    ``write_roles`` applies to every unsafe method.
    """

    message = "无权执行此操作。"

    def has_permission(self, request: Request, view: Any) -> bool:
        m = membership_of(request.user)
        if m is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if m.enterprise_id is None:
            # A few enterprise objects carry a regulator's decision (e.g. approving a major hazard's
            # extension); the view names those actions and the service checks the jurisdiction.
            if getattr(view, "action", None) in getattr(view, "regulator_actions", ()):
                return True
            raise Forbidden("监管部门用户对企业数据只读。", code="read_only")
        if m.enterprise.status != Enterprise.Status.APPROVED:
            raise Forbidden("企业尚未通过审核，暂不能录入数据。", code="enterprise_not_approved")
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None), view.write_roles)
        if m.role not in roles:
            raise Forbidden(f"角色「{Role(m.role).label}」无权执行此操作。", code="role_not_allowed")
        return True


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Base of every tenant viewset: scoping, role permission, 18-digit ids, stable ordering."""

    enterprise_path: str | None = "enterprise"
    lookup_value_regex = ID_REGEX
    permission_classes = [permissions.IsAuthenticated, TenantPermission]
    write_roles: frozenset[str] = frozenset({Role.ADMIN, Role.SAFETY_OFFICER})
    action_roles: dict[str, set[str]] = {}
    ordering = ("id",)

    def base_queryset(self) -> QuerySet:
        """The unscoped queryset, with its select/prefetch for the serializer (override)."""
        return self.queryset.all()

    def get_queryset(self) -> QuerySet:
        return scope_queryset(self.base_queryset(), self.request.user, self.enterprise_path)


class ReadOnlyTenantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """List + retrieve over a scoped queryset."""
