"""Tenant scoping, done once: every viewset names its ``scope`` and gets one ``get_queryset``.

Authorization happens here: :class:`TenantScopedViewSet` restricts every queryset to what the
caller's organization may see, so a foreign object answers 404. Scopes:

``enterprise``
    Enterprise data. An enterprise member sees its own enterprise's rows; a regulator member the
    rows of enterprises whose ``division_code`` starts with its jurisdiction (read-only, see
    :class:`~backend.core.api.permissions.TenantPermission`). ``enterprise_path`` is the ORM path
    from the model to its Enterprise (None when the model *is* Enterprise).
``regulator``
    The caller's regulator's own rows (inspections, draws): ``regulator_path`` → the Regulator.
``jurisdiction``
    Rows located in the caller's jurisdiction by a division code (``division_path``, default
    ``<enterprise_path>__division_code``): the regulator's read API, whistleblower reports.
``organization``
    Rows of the caller's own organization, enterprise or regulator (members).
``public``
    No scoping (anonymous endpoints).

A scope that needs more than one rule (report jobs: an enterprise's own, or the regulator's
enterprise reports plus its own jurisdiction reports) overrides :meth:`scoped` with a selector.
Enterprise ids in request bodies are never trusted: services receive the caller's enterprise from
:func:`caller_enterprise`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request

from backend.accounts.models import Enterprise, Role
from backend.core.actors import Actor, actor_of, require_enterprise
from backend.core.api.permissions import (
    READ_ONLY_REGULATOR_PERMISSIONS,
    REGULATOR_PERMISSIONS,
    TENANT_PERMISSIONS,
)

#: Primary keys in URLs: at most 18 digits, so a 30-digit id is a 404 and never overflows the DB.
ID_REGEX = r"[0-9]{1,18}"
MAX_ID = 9_223_372_036_854_775_807

Scope = Literal["enterprise", "regulator", "jurisdiction", "organization", "public"]


def caller_enterprise(request: Request) -> Enterprise:
    """The enterprise the caller acts for. Raises Forbidden (403 ``enterprise_only``) for
    non-enterprise callers."""
    return require_enterprise(actor_of(request.user))


def scope_queryset(queryset: QuerySet, user: Any, enterprise_path: str | None = "enterprise", *,
                   scope: Scope = "enterprise", regulator_path: str = "regulator",
                   division_path: str | None = None) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user``'s (or an Actor's) organization may see under
    ``scope`` (see the module docstring). Anonymous and unattached callers see nothing (except
    under ``public``)."""
    if scope == "public":
        return queryset
    actor = actor_of(user)
    if scope == "organization":
        if actor.is_enterprise:
            return queryset.filter(enterprise_id=actor.enterprise_id)
        if actor.is_regulator:
            return queryset.filter(regulator_id=actor.regulator_id)
        return queryset.none()
    if scope == "regulator":
        return queryset.filter(**{f"{regulator_path}_id": actor.regulator_id}) if actor.is_regulator else queryset.none()
    if scope == "jurisdiction":
        if not actor.is_regulator:
            return queryset.none()
        path = division_path or ("division_code" if enterprise_path is None else f"{enterprise_path}__division_code")
        return queryset.filter(**{f"{path}__startswith": actor.jurisdiction})
    # enterprise
    if actor.is_enterprise:
        key = "pk" if enterprise_path is None else f"{enterprise_path}_id"
        return queryset.filter(**{key: actor.enterprise_id})
    if actor.is_regulator:
        prefix = "" if enterprise_path is None else f"{enterprise_path}__"
        return queryset.filter(**{f"{prefix}division_code__startswith": actor.jurisdiction})
    return queryset.none()


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Base of every tenant viewset: scoping by ``scope``, role permission, 18-digit ids, stable ordering.

    Override :meth:`base_queryset` (the unscoped queryset with its select/prefetch for the
    serializer), never ``get_queryset``.
    """

    scope: ClassVar[Scope] = "enterprise"
    enterprise_path: str | None = "enterprise"
    regulator_path: str = "regulator"
    division_path: str | None = None
    lookup_value_regex = ID_REGEX
    permission_classes = TENANT_PERMISSIONS
    write_roles: frozenset[str] = frozenset({Role.ADMIN, Role.SAFETY_OFFICER})
    action_roles: dict[str, Any] = {}
    ordering = ("id",)

    @property
    def actor(self) -> Actor:
        """The caller (built once per request)."""
        cached = getattr(self, "_actor", None)
        if cached is None or cached.user is not getattr(self.request, "user", None):
            cached = self._actor = actor_of(self.request.user)
        return cached

    def base_queryset(self) -> QuerySet:
        """The unscoped queryset, with its select/prefetch for the serializer (override)."""
        return viewsets.GenericViewSet.get_queryset(self)

    def scoped(self, queryset: QuerySet, actor: Actor) -> QuerySet:
        """``queryset`` restricted to ``actor`` under :attr:`scope` (override with a selector when
        the rule is more than one scope)."""
        return scope_queryset(queryset, actor, self.enterprise_path, scope=self.scope,
                              regulator_path=self.regulator_path, division_path=self.division_path)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.base_queryset().none()
        return self.scoped(self.base_queryset(), self.actor)


class ReadOnlyTenantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """List + retrieve over a scoped queryset."""


class RegulatorScopedViewSet(TenantScopedViewSet):
    """Base of the regulator side: regulator members only (``regulator_roles`` narrows per action),
    rows of the caller's regulator (``scope = "regulator"``) or jurisdiction (``"jurisdiction"``).

    An unsafe request on another jurisdiction's object is a 404 before its body is validated (a 400
    would tell the caller that the object exists)."""

    scope: ClassVar[Scope] = "regulator"
    permission_classes = REGULATOR_PERMISSIONS
    regulator_roles: dict[str, Any] = {}

    @property
    def regulator_id(self) -> int | None:
        return self.actor.regulator_id

    @property
    def jurisdiction(self) -> str | None:
        return self.actor.jurisdiction

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and (self.lookup_url_kwarg or self.lookup_field) in kwargs:
            self.get_object()


#: The HTTP methods the jurisdiction read API routes (any other method is a 405).
READ_ONLY_METHODS = ["get", "head", "options"]


class JurisdictionReadOnly:
    """Mixin (first base) turning an app's enterprise-facing viewset into the regulator's read-only
    view of the same rows (``/api/v1/audit/…``): regulator members only (enterprise users 403
    ``regulator_only``), only GET/HEAD/OPTIONS routed (other methods 403 ``read_only`` or 405); rows,
    serializers, filters and orderings stay the viewset's (its ``enterprise`` scope gives a regulator
    the enterprises whose division code starts with its jurisdiction; others are 404). Each app
    serves its own data this way, with :func:`backend.core.api.filters.with_jurisdiction_filters`."""

    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
    http_method_names = READ_ONLY_METHODS


class JurisdictionReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """The regulator's read-only view of enterprise data in its jurisdiction (``/api/v1/audit/…``)
    for rows no enterprise-facing viewset serves (the jurisdiction's enterprises)."""

    scope: ClassVar[Scope] = "jurisdiction"
    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
