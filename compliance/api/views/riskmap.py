"""四色风险分布图 API (issue 15 §3):

* ``/api/v1/risk-zones/`` — CRUD of the zones drawn on the plan (managers write; members and the
  regulator of the jurisdiction read): ``{name, polygon: [[x, y], …] (plan pixels), polygon_wgs84?,
  note, points: [risk point id]}``; each zone's level/colour is the highest level of its points.
* ``PUT /api/v1/plant-layout/`` (multipart ``file``: PNG, JPEG or PDF — first page) uploads the
  厂区平面图; ``GET /plant-layout/`` its size and source; ``GET /plant-layout/image/`` the image.
* ``GET /api/v1/risk-map/`` — the map as GeoJSON (compliance.risk_map).

Regulators read a jurisdiction enterprise's plan and map with ``?enterprise=<id>`` (required for
them; another jurisdiction's enterprise is 404) and never write.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Enterprise
from backend.core.actors import actor_of
from backend.core.api import (
    StrictFilterSet,
    TenantScopedViewSet,
    caller_enterprise,
    scope_queryset,
    validated,
)
from backend.core.api.openapi import BinaryFileField
from backend.core.errors import FieldError, Forbidden, NotFound
from backend.core.parsers import FormParser, MultiPartParser
from backend.core.uploads import open_stored
from compliance.models import PlantLayout, RiskPoint, RiskZone, RiskZonePoint
from compliance.risk_map import legend, risk_map_geojson
from compliance.rules.colours import highest_level, level_colour
from compliance.rules.hazard_states import MANAGERS
from compliance.rules.polygons import MAX_VERTICES
from compliance.services import riskmap


def _vertex() -> serializers.ListField:
    return serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2)


@extend_schema_serializer(component_name="RiskZone")
class RiskZoneOut(serializers.ModelSerializer):
    points = serializers.SerializerMethodField(help_text="区域内风险点 id")
    level = serializers.SerializerMethodField(help_text="区域等级 = 区域内风险点的最高等级（无评估：空）")
    colour = serializers.SerializerMethodField(help_text="red/orange/yellow/blue/grey")
    colour_hex = serializers.SerializerMethodField()
    polygon = serializers.ListField(child=_vertex(), help_text="边界 [[x, y], …]（平面图像素坐标，原点左上）")
    polygon_wgs84 = serializers.ListField(child=_vertex(), allow_null=True, help_text="可选：WGS-84 [[经度, 纬度], …]")

    class Meta:
        model = RiskZone
        fields = ("id", "name", "polygon", "polygon_wgs84", "note", "points", "level", "colour", "colour_hex",
                  "created_at", "updated_at")
        read_only_fields = fields

    def _levels(self, z: RiskZone) -> list[str]:
        return [m.point.level for m in z.memberships.all()]

    def get_points(self, z: RiskZone) -> list[int]:
        return sorted(m.point_id for m in z.memberships.all())

    def get_level(self, z: RiskZone) -> str:
        return highest_level(self._levels(z))

    def get_colour(self, z: RiskZone) -> str:
        return level_colour(self.get_level(z))[0]

    def get_colour_hex(self, z: RiskZone) -> str:
        return level_colour(self.get_level(z))[2]


class RiskZoneIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    polygon = serializers.ListField(child=_vertex(), max_length=MAX_VERTICES + 1,
                                    help_text="边界 [[x, y], …]：≥ 3 个不同顶点，均在平面图内，不自相交")
    polygon_wgs84 = serializers.ListField(child=_vertex(), max_length=MAX_VERTICES + 1, required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    points = serializers.PrimaryKeyRelatedField(queryset=RiskPoint.objects.all(), many=True, required=False,
                                                help_text="区域内风险点 id（一个风险点只属于一个区域）")


class RiskZoneFilter(StrictFilterSet):
    """``?name=``（精确）与 ``?point=<风险点 id>``（含该风险点的区域）。"""

    point = django_filters.NumberFilter(field_name="memberships__point_id", min_value=1, max_value=2**62)

    class Meta:
        model = RiskZone
        fields = ("name", "point")


class RiskZoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantScopedViewSet):
    """风险区域（四色图上的多边形）。"""

    queryset = RiskZone.objects.all()
    serializer_class = RiskZoneOut
    filterset_class = RiskZoneFilter
    ordering_fields = ("id", "name", "updated_at")
    ordering = ("name", "id")
    write_roles = frozenset(MANAGERS)

    def base_queryset(self):
        return RiskZone.objects.prefetch_related(
            Prefetch("memberships", queryset=RiskZonePoint.objects.select_related("point")))

    def _out(self, zone: RiskZone, code: int = status.HTTP_200_OK) -> Response:
        return Response(RiskZoneOut(self.get_queryset().get(pk=zone.pk)).data, status=code)

    @extend_schema(request=RiskZoneIn, responses={201: RiskZoneOut}, summary="绘制风险区域")
    def create(self, request, *args, **kwargs):
        data = validated(RiskZoneIn, request.data)
        return self._out(riskmap.risk_zone_create(actor=request.user, enterprise=caller_enterprise(request), **data), 201)

    @extend_schema(request=RiskZoneIn, responses={200: RiskZoneOut}, summary="修改风险区域（全部字段）")
    def update(self, request, *args, **kwargs):
        zone = self.get_object()
        partial = kwargs.get("partial", False)
        s = RiskZoneIn(data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        if not partial:
            data.setdefault("points", [])
            data.setdefault("polygon_wgs84", None)
        return self._out(riskmap.risk_zone_update(actor=request.user, zone=zone, **data))

    @extend_schema(request=RiskZoneIn, responses={200: RiskZoneOut}, summary="修改风险区域（部分字段）")
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None}, summary="删除风险区域（风险点保留）")
    def destroy(self, request, *args, **kwargs):
        riskmap.risk_zone_delete(actor=request.user, zone=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the plan and the map ----------------------------------------------------------------------
ENTERPRISE_PARAM = OpenApiParameter("enterprise", int, description="监管部门用户必填：辖区企业 id（企业用户忽略）")


def enterprise_for_read(request, *, allowed: frozenset[str] = frozenset({"enterprise"})) -> Enterprise:
    """The enterprise whose plan/map the caller reads: an enterprise member's own (``?enterprise=`` may
    only name it: another id is 404); for a regulator ``?enterprise=<id>`` of its jurisdiction (400
    ``required`` without it, 404 outside it). A parameter outside ``allowed`` is 400 ``unknown_filter``."""
    actor = actor_of(request)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
    raw = request.query_params.get("enterprise")
    if actor.is_enterprise:
        own = caller_enterprise(request)
        if raw and raw != str(own.pk):  # another enterprise's id: 404, not the caller's own map under it
            raise NotFound("企业不存在。", code="not_found")
        return own
    if not actor.is_regulator:
        raise Forbidden("仅企业或监管部门用户可访问。", code="permission_denied")
    if not raw:
        raise FieldError("请指定企业（enterprise）。", code="required", field="enterprise")
    if not raw.isdigit() or len(raw) > 18:
        raise FieldError("企业 id 须为整数。", code="invalid", field="enterprise")
    ent = scope_queryset(Enterprise.objects.all(), actor, None).filter(pk=int(raw)).first()
    if ent is None:
        raise NotFound("企业不存在。", code="not_found")
    return ent


class PlantLayoutOut(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(help_text="图片地址（GET）")

    class Meta:
        model = PlantLayout
        fields = ("enterprise", "width", "height", "content_type", "size", "sha256", "source", "original_name",
                  "uploaded_by", "uploaded_at", "image")
        read_only_fields = fields

    def get_image(self, o: PlantLayout) -> str:
        return image_url(o.enterprise_id, self.context.get("regulator", False), o.sha256)


#: ``GET /plant-layout/image/?v=``: a cache version, not a filter (any value ≤ 64 characters, ignored by the
#: server). The URLs the API hands out carry ``v=<the layout's sha256, first 16 hex>`` so a replaced plan
#: gets a new URL; the console uses them as given.
VERSION_PARAM = OpenApiParameter("v", str, description="缓存版本（不参与筛选，服务端忽略其值；接口给出的地址带平面图 sha256 前 16 位）")
IMAGE_PARAMS = frozenset({"enterprise", "v"})


def image_url(enterprise_id: int, regulator: bool, sha256: str = "") -> str:
    """The plan image's URL: ``/api/v1/plant-layout/image/?[enterprise=<id>&]v=<sha256[:16]>`` (the
    enterprise only for a regulator, the version only when the layout's hash is known)."""
    query = [f"enterprise={enterprise_id}"] if regulator else []
    if sha256:
        query.append(f"v={sha256[:16]}")
    return "/api/v1/plant-layout/image/" + ("?" + "&".join(query) if query else "")


class PlantLayoutIn(serializers.Serializer):
    file = BinaryFileField(allow_empty_file=False, help_text="PNG、JPEG 或 PDF（取首页），≤ 20 MB")


def _layout_of(enterprise: Enterprise) -> PlantLayout:
    layout = PlantLayout.objects.filter(enterprise=enterprise).first()
    if layout is None:
        raise NotFound("尚未上传厂区平面图。", code="not_found")
    return layout


class PlantLayoutView(APIView):
    """厂区平面图：上传（PUT，管理人员）与查看。"""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(parameters=[ENTERPRISE_PARAM], responses={200: PlantLayoutOut}, summary="厂区平面图信息（尺寸、来源）")
    def get(self, request):
        ent = enterprise_for_read(request)
        return Response(PlantLayoutOut(_layout_of(ent), context={"regulator": actor_of(request).is_regulator}).data)

    @extend_schema(request={"multipart/form-data": PlantLayoutIn}, responses={200: PlantLayoutOut},
                   summary="上传厂区平面图（PNG/JPEG/PDF 首页；替换原图）")
    def put(self, request):
        actor = actor_of(request)
        if actor.is_regulator:
            raise Forbidden("监管部门用户对企业数据只读。", code="read_only")
        ent = caller_enterprise(request)
        if ent.status != Enterprise.Status.APPROVED:
            raise Forbidden("企业尚未通过审核，暂不能录入数据。", code="enterprise_not_approved")
        data = validated(PlantLayoutIn, request.data)
        layout = riskmap.plant_layout_upload(actor=actor, enterprise=ent, upload=data["file"])
        return Response(PlantLayoutOut(layout).data)


class PlantLayoutImageView(APIView):
    """厂区平面图图片。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ENTERPRISE_PARAM, VERSION_PARAM], summary="厂区平面图图片", responses={
        (200, "image/*"): OpenApiResponse(response=OpenApiTypes.BINARY, description="PNG 或 JPEG")},
        description="一个文件，不是列表：除 enterprise 外只接受缓存版本 v（值 ≤ 64 字符，服务端忽略）；"
                    "其他参数 400 unknown_filter，v 过长 400 invalid。")
    def get(self, request):
        version = request.query_params.get("v", "")
        if len(version) > 64:
            raise FieldError("缓存版本 v 不能超过 64 个字符。", code="invalid", field="v")
        layout = _layout_of(enterprise_for_read(request, allowed=IMAGE_PARAMS))
        resp = FileResponse(open_stored(layout.file), content_type=layout.content_type)
        resp["Content-Disposition"] = f'inline; filename="plant-layout.{layout.file.name.rsplit(".", 1)[-1]}"'
        resp["X-Content-Type-Options"] = "nosniff"
        return resp


class RiskMapView(APIView):
    """四色风险分布图（GeoJSON）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ENTERPRISE_PARAM], responses={200: OpenApiTypes.OBJECT},
                   summary="四色风险分布图：区域（Polygon）与风险点（Point）的 GeoJSON，平面图像素坐标",
                   description="FeatureCollection；crs 为平面图像素坐标（原点左上，y 向下），metadata 含 width/height、"
                               "image、legend（红 #FF0000 / 橙 #FFA500 / 黄 #FFFF00 / 蓝 #0000FF / 未评估）。区域 properties："
                               "name、level（区域内风险点最高等级）、colour、colour_label、colour_hex、counts（按等级）、"
                               "point_ids、has_major_hazard_source、centroid；风险点 properties：code、name、level、colour、"
                               "zone_id、position（zone_centroid：位于区域中心；unplaced：未放入区域，geometry 为 null）。")
    def get(self, request):
        ent = enterprise_for_read(request)
        regulator = actor_of(request).is_regulator
        return Response(risk_map_geojson(ent, image_url=lambda sha256: image_url(ent.pk, regulator, sha256)))


__all__ = ["PlantLayoutImageView", "PlantLayoutView", "RiskMapView", "RiskZoneViewSet", "legend"]
