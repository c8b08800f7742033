"""The API's shared machinery (one home): scoping viewsets, permissions, filters, inputs,
pagination, rendering and OpenAPI helpers. ``from backend.core.api import X`` works for each
name below; new code may import the submodule.

Names load lazily (PEP 562): DRF imports ``backend.core.api.renderers`` and ``.pagination`` from
its settings while ``rest_framework.views`` is still initialising, so this package must not import
the viewsets eagerly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "StableOrderingFilter": "filters", "StrictFilterSet": "filters", "with_jurisdiction_filters": "filters",
    "validated": "inputs",
    "Pagination": "pagination",
    "READ_ONLY_REGULATOR_PERMISSIONS": "permissions", "REGULATOR_PERMISSIONS": "permissions",
    "TENANT_PERMISSIONS": "permissions", "ReadOnlyRegulator": "permissions", "RegulatorMember": "permissions",
    "TenantPermission": "permissions", "roles_from": "permissions",
    "ID_REGEX": "viewsets", "MAX_ID": "viewsets", "READ_ONLY_METHODS": "viewsets",
    "JurisdictionReadOnly": "viewsets", "JurisdictionReadOnlyViewSet": "viewsets",
    "ReadOnlyTenantViewSet": "viewsets", "RegulatorScopedViewSet": "viewsets", "TenantScopedViewSet": "viewsets",
    "caller_enterprise": "viewsets", "scope_queryset": "viewsets",
}
__all__ = [
    "ID_REGEX",
    "MAX_ID",
    "READ_ONLY_METHODS",
    "READ_ONLY_REGULATOR_PERMISSIONS",
    "REGULATOR_PERMISSIONS",
    "TENANT_PERMISSIONS",
    "JurisdictionReadOnly",
    "JurisdictionReadOnlyViewSet",
    "Pagination",
    "ReadOnlyRegulator",
    "ReadOnlyTenantViewSet",
    "RegulatorMember",
    "RegulatorScopedViewSet",
    "StableOrderingFilter",
    "StrictFilterSet",
    "TenantPermission",
    "TenantScopedViewSet",
    "caller_enterprise",
    "roles_from",
    "scope_queryset",
    "validated",
    "with_jurisdiction_filters",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from backend.core.api.filters import StableOrderingFilter, StrictFilterSet, with_jurisdiction_filters
    from backend.core.api.inputs import validated
    from backend.core.api.pagination import Pagination
    from backend.core.api.permissions import (
        READ_ONLY_REGULATOR_PERMISSIONS,
        REGULATOR_PERMISSIONS,
        TENANT_PERMISSIONS,
        ReadOnlyRegulator,
        RegulatorMember,
        TenantPermission,
        roles_from,
    )
    from backend.core.api.viewsets import (
        ID_REGEX,
        MAX_ID,
        READ_ONLY_METHODS,
        JurisdictionReadOnly,
        JurisdictionReadOnlyViewSet,
        ReadOnlyTenantViewSet,
        RegulatorScopedViewSet,
        TenantScopedViewSet,
        caller_enterprise,
        scope_queryset,
    )
