"""Special operations' part of the jurisdiction read API: ``/api/v1/audit/permits/`` (URL and route
names kept). Regulator members read the permits of the enterprises in their jurisdiction with the
permit filters plus ``enterprise``, ``town`` and ``industry``; read-only by construction
(:class:`backend.core.api.viewsets.JurisdictionReadOnly`: enterprise users 403 ``regulator_only``,
only GET/HEAD/OPTIONS routed, an enterprise outside the jurisdiction 404). ``GET {id}/pdf/`` and
``GET {id}/gas-tests/`` read as on the enterprise endpoint. ``GET live/`` is the 特殊作业监管 live
board (:func:`special_ops.selectors.permits_live_q`)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api import JurisdictionReadOnly, with_jurisdiction_filters
from special_ops.api.filters import PermitFilter
from special_ops.api.views import PermitViewSet
from special_ops.models import GasTest, WorkPermit
from special_ops.selectors import permits_live_q


class LivePermitOut(serializers.Serializer):
    """One permit of the live board. ``gas_test_age_min``: whole minutes since the latest gas sample
    (null: none taken); ``coordinates``: ``[lon, lat]`` (WGS-84) of the permit's place when recorded,
    else of its enterprise (``coordinates_source`` ``permit`` / ``enterprise``), null when neither is."""

    id = serializers.IntegerField()
    permit_no = serializers.CharField()
    type = serializers.CharField()
    type_display = serializers.CharField()
    level = serializers.CharField()
    level_display = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField()
    live_now = serializers.BooleanField(help_text="作业中或已批准且已到计划开始时间（否则为 24 小时内将开始）")
    enterprise = serializers.IntegerField()
    enterprise_name = serializers.CharField()
    division_code = serializers.CharField()
    location = serializers.CharField()
    work_content = serializers.CharField()
    work_unit = serializers.CharField()
    contractor = serializers.CharField(allow_null=True, help_text="承包商名称（外包作业），本单位作业为 null")
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    gas_sampled_at = serializers.DateTimeField(allow_null=True)
    gas_passed = serializers.BooleanField(allow_null=True)
    gas_test_age_min = serializers.IntegerField(allow_null=True, help_text="距最近一次气体分析取样的分钟数")
    prework_reported_at = serializers.DateTimeField(allow_null=True)
    coordinates = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    coordinates_source = serializers.ChoiceField(choices=["permit", "enterprise"], allow_null=True)


def _live_row(p: Any, now) -> dict[str, Any]:
    if p.lon is not None and p.lat is not None:
        coords, source = [float(p.lon), float(p.lat)], "permit"
    elif p.enterprise.lon is not None and p.enterprise.lat is not None:
        coords, source = [float(p.enterprise.lon), float(p.enterprise.lat)], "enterprise"
    else:
        coords, source = None, None
    sampled = p.gas_sampled_at
    return {
        "id": p.pk, "permit_no": p.number, "type": p.type, "type_display": p.get_type_display(),
        "level": p.level, "level_display": p.get_level_display(), "state": p.state,
        "state_display": p.get_state_display(),
        "live_now": p.state == "in_progress" or (p.state != "suspended" and p.planned_start <= now),
        "enterprise": p.enterprise_id, "enterprise_name": p.enterprise.name,
        "division_code": p.enterprise.division_code, "location": p.location, "work_content": p.work_content,
        "work_unit": p.work_unit,
        "contractor": p.work_unit if p.work_unit_kind == WorkPermit.UnitKind.CONTRACTOR else None,
        "planned_start": p.planned_start, "planned_end": p.planned_end, "started_at": p.started_at,
        "gas_sampled_at": sampled, "gas_passed": p.gas_passed,
        "gas_test_age_min": int((now - sampled).total_seconds() // 60) if sampled else None,
        "prework_reported_at": p.prework_reported_at, "coordinates": coords, "coordinates_source": source,
    }


class JurisdictionPermitViewSet(JurisdictionReadOnly, PermitViewSet):
    """监管查阅：辖区企业的特殊作业票（只读）。"""

    filterset_class = with_jurisdiction_filters(PermitFilter)

    def base_queryset(self) -> QuerySet[WorkPermit]:
        if self.action != "live":
            return super().base_queryset()
        latest = GasTest.objects.filter(permit=OuterRef("pk")).order_by("-sampled_at", "-pk")
        return WorkPermit.objects.select_related("enterprise").annotate(
            gas_sampled_at=Subquery(latest.values("sampled_at")[:1]),
            gas_passed=Subquery(latest.values("passed")[:1]))

    @extend_schema(operation_id="v1_audit_permits_live", summary="特殊作业监管：进行中或 24 小时内开始的作业",
                   responses=LivePermitOut(many=True))
    @action(detail=False, methods=["get"], serializer_class=LivePermitOut, pagination_class=None)
    def live(self, request):
        """Every permit of the jurisdiction approved, in progress or suspended whose window is not over
        and that has started or starts within 24 h (``permits_live_q``), with the permit filters
        (``type``, ``level``, ``enterprise``, ``town``, ``industry``, ``contractor`` …), ordered by
        planned start; not paginated (one query however many)."""
        now = timezone.now()
        qs = self.filter_queryset(self.get_queryset()).filter(permits_live_q(now)).order_by("planned_start", "id")
        return Response([_live_row(p, now) for p in qs])
