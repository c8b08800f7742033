"""Special operations' part of the jurisdiction read API: ``/api/v1/audit/permits/`` (URL and route
names kept). Regulator members read the permits of the enterprises in their jurisdiction with the
permit filters plus ``enterprise``, ``town`` and ``industry``; read-only by construction
(:class:`backend.core.api.viewsets.JurisdictionReadOnly`: enterprise users 403 ``regulator_only``,
only GET/HEAD/OPTIONS routed, an enterprise outside the jurisdiction 404). ``GET {id}/pdf/`` and
``GET {id}/gas-tests/`` read as on the enterprise endpoint."""

from __future__ import annotations

from backend.core.api import JurisdictionReadOnly, with_jurisdiction_filters
from special_ops.api.filters import PermitFilter
from special_ops.api.views import PermitViewSet


class JurisdictionPermitViewSet(JurisdictionReadOnly, PermitViewSet):
    """监管查阅：辖区企业的特殊作业票（只读）。"""

    filterset_class = with_jurisdiction_filters(PermitFilter)
