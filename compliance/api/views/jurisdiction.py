"""Compliance's part of the jurisdiction read API (``/api/v1/audit/…``, URLs and route names kept):
regulator members read the risk points, risk events, control measures, hazards (with the ledger
export) and investigation tasks of the enterprises in their jurisdiction, with the filters of the
enterprise-facing endpoints plus ``enterprise``, ``town`` and ``industry``.

Read-only by construction (:class:`backend.core.api.viewsets.JurisdictionReadOnly`): only
GET/HEAD/OPTIONS are routed, enterprise users get 403 ``regulator_only``, and an enterprise
outside the jurisdiction is 404.
"""

from __future__ import annotations

from backend.core.api import JurisdictionReadOnly, with_jurisdiction_filters
from compliance.api.filters import (
    ControlMeasureFilter,
    HazardFilter,
    InvestigationTaskFilter,
    RiskEventFilter,
    RiskPointFilter,
)
from compliance.api.views.hazards import HazardViewSet
from compliance.api.views.investigation import InvestigationTaskViewSet
from compliance.api.views.register import ControlMeasureViewSet, RiskEventViewSet, RiskPointViewSet


class JurisdictionRiskPointViewSet(JurisdictionReadOnly, RiskPointViewSet):
    """监管查阅：辖区企业的风险点（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskPointFilter)


class JurisdictionRiskEventViewSet(JurisdictionReadOnly, RiskEventViewSet):
    """监管查阅：辖区企业的风险事件（危险源）及评价（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskEventFilter)


class JurisdictionControlMeasureViewSet(JurisdictionReadOnly, ControlMeasureViewSet):
    """监管查阅：辖区企业的管控措施（只读）。"""

    filterset_class = with_jurisdiction_filters(ControlMeasureFilter)


class JurisdictionHazardViewSet(JurisdictionReadOnly, HazardViewSet):
    """监管查阅：辖区企业的隐患（只读）。"""

    filterset_class = with_jurisdiction_filters(HazardFilter)


class JurisdictionInvestigationTaskViewSet(JurisdictionReadOnly, InvestigationTaskViewSet):
    """监管查阅：辖区企业的隐患排查任务（只读）。"""

    filterset_class = with_jurisdiction_filters(InvestigationTaskFilter)
