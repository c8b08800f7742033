"""安全风险一张图: ``GET /api/v1/audit/risk-map/`` (the jurisdiction's enterprises as GeoJSON) and
``GET /api/v1/audit/boundaries/`` (the jurisdiction's offline boundary data).

Regulator members only (enterprise users 403 ``regulator_only``), read-only (other methods 405),
scoped to the caller's jurisdiction: another county's inspector gets an empty collection.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers
from rest_framework.response import Response

from backend.accounts.models import Division, Enterprise
from backend.core.api import StrictFilterSet
from backend.core.api.openapi import AutoSchema
from backend.core.api.permissions import READ_ONLY_REGULATOR_PERMISSIONS
from backend.core.api.viewsets import READ_ONLY_METHODS, RegulatorScopedViewSet
from inspections.boundaries import SOURCE, boundary_features
from inspections.riskmap import RiskMapFilter, risk_map


# --- response shapes (OpenAPI) -----------------------------------------------------------------------
class MapCountsOut(serializers.Serializer):
    hazards_open = serializers.IntegerField(help_text="未销号隐患")
    hazards_overdue = serializers.IntegerField(help_text="逾期隐患")
    major_hazards_open = serializers.IntegerField(help_text="未销号重大隐患")
    supervised = serializers.IntegerField(help_text="挂牌督办中的隐患")
    permits_live = serializers.IntegerField(help_text="进行中或 24 小时内开始的作业票")


class MapEnterpriseOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    division_code = serializers.CharField()
    town = serializers.CharField(allow_null=True, help_text="乡镇/街道区划代码（9 位），区县级企业为 null")
    town_name = serializers.CharField()
    industry = serializers.CharField()
    kind = serializers.ChoiceField(choices=["hazchem", "industrial", "unclassified"])
    kind_display = serializers.CharField()
    status = serializers.ChoiceField(choices=Enterprise.Status.choices)
    level = serializers.ChoiceField(choices=["major", "high", "moderate", "low"], allow_null=True,
                                    help_text="最高风险点等级；无已评定风险点为 null")
    level_display = serializers.CharField()
    colour = serializers.ChoiceField(choices=["red", "orange", "yellow", "blue", "grey"])
    risk_points_by_level = serializers.DictField(child=serializers.IntegerField())
    counts = MapCountsOut()


class PointOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2,
                                        help_text="[经度, 纬度]（WGS-84，度）")


class MapFeatureOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = PointOut()
    properties = MapEnterpriseOut()


@extend_schema_serializer(component_name="RiskMap")
class RiskMapOut(serializers.Serializer):
    """GeoJSON FeatureCollection (RFC 7946) plus ``unlocated`` (enterprises without coordinates) and ``total``."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = MapFeatureOut(many=True)
    unlocated = MapEnterpriseOut(many=True, help_text="无坐标的企业（不在地图上，列于图旁）")
    total = serializers.IntegerField()


class TownOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BoundarySourceOut(serializers.Serializer):
    name = serializers.CharField()
    licence = serializers.CharField()
    accuracy = serializers.CharField()
    town_geometry = serializers.BooleanField(help_text="是否含乡镇界线（当前数据不含）")


@extend_schema_serializer(component_name="Boundaries")
class BoundariesOut(serializers.Serializer):
    """GeoJSON FeatureCollection of the jurisdiction's outline(s) (Polygon features, ``properties``
    ``{code, name, level}``), the jurisdiction's towns (code and name) and the data's source."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = serializers.ListField(child=serializers.DictField())
    towns = TownOut(many=True)
    source = BoundarySourceOut()


# --- views -------------------------------------------------------------------------------------------
class OneDocumentSchema(AutoSchema):
    """These list routes answer one GeoJSON document (a FeatureCollection), not an array of rows."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])  # the filters are documented all the same


class RiskMapViewSet(mixins.ListModelMixin, RegulatorScopedViewSet):
    """安全风险一张图：辖区企业按最高风险等级着色的点位（GeoJSON），无坐标企业另列。

    Filters: ``town``, ``industry``, ``kind``, ``level`` (map level, repeatable; ``none``),
    ``overdue``, ``supervised``, ``major``, ``live_permits``, ``risk_level``, ``q``, ``status``.
    Not paginated (the whole jurisdiction: one query however many enterprises, plus the town names)."""

    scope = "jurisdiction"
    enterprise_path = None
    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
    http_method_names = READ_ONLY_METHODS
    queryset = Enterprise.objects.all()
    filterset_class = RiskMapFilter
    pagination_class = None
    schema = OneDocumentSchema()
    ordering_fields = ("id", "name", "division_code")
    ordering = ("id",)

    @extend_schema(operation_id="v1_audit_risk_map", summary="安全风险一张图（辖区企业 GeoJSON）",
                   responses=RiskMapOut)
    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        return Response(risk_map(qs, jurisdiction=self.jurisdiction or "", kind=request.query_params.get("kind")))


class BoundaryFilter(StrictFilterSet):
    class Meta:
        model = Division
        fields: tuple[str, ...] = ()


class BoundaryViewSet(mixins.ListModelMixin, RegulatorScopedViewSet):
    """辖区边界（离线 GeoJSON，来源与许可见 ``source``）：县界轮廓与乡镇名录（不含乡镇界线）。"""

    scope = "jurisdiction"
    division_path = "code"
    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
    http_method_names = READ_ONLY_METHODS
    queryset = Division.objects.all()
    filterset_class = BoundaryFilter
    pagination_class = None
    schema = OneDocumentSchema()
    ordering_fields = ("pk",)
    ordering = ("pk",)

    @extend_schema(operation_id="v1_audit_boundaries", summary="辖区边界（离线数据）", responses=BoundariesOut)
    def list(self, request, *args, **kwargs):
        jurisdiction = self.jurisdiction or ""
        towns = [{"code": d.code, "name": d.name} for d in self.filter_queryset(self.get_queryset())
                 if len(d.code) == 9]
        features = boundary_features(jurisdiction) if self.actor.is_regulator else []
        return Response({"type": "FeatureCollection", "features": features, "towns": towns, "source": SOURCE})
