"""API of the risk register: risk points, risk events and control measures."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from backend.core.api import StrictFilterSet, TenantScopedViewSet, caller_enterprise, scope_queryset
from backend.core.api.openapi import BinaryFileField, ImportReportSerializer
from backend.core.errors import FieldError
from compliance.models import ControlMeasure, RiskEvent, RiskPoint
from compliance.models.register import CONTROL_LEVEL_CHOICES, LEVEL_CHOICES
from compliance.rules.assessment import DIRECT_MAJOR_REASONS
from compliance.services import register as svc

DIRECT_MAJOR_CHOICES = list(DIRECT_MAJOR_REASONS.items())


# --- serializers ----------------------------------------------------------------------------
class ControlMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlMeasure
        fields = ("id", "risk_event", "category", "text", "responsible_person", "control_level", "check_cycle",
                  "check_cycle_unit", "day_type", "created_at")
        read_only_fields = ("id", "created_at")


class ControlMeasureBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlMeasure
        fields = ("id", "category", "text", "control_level", "check_cycle", "check_cycle_unit")
        read_only_fields = fields


class RiskEventSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    measures = ControlMeasureBriefSerializer(many=True, read_only=True)
    accident_types = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=20)
    direct_major_reason = serializers.ChoiceField(choices=DIRECT_MAJOR_CHOICES, required=False, allow_blank=True)

    class Meta:
        model = RiskEvent
        fields = (
            "id", "risk_point", "seq", "step", "standard", "description", "accident_types", "method", "l", "e", "c", "s", "m",
            "score", "level", "level_display", "direct_major", "direct_major_reason", "residual_level", "control_level",
            "department", "responsible_person", "written_score", "written_level", "flagged", "flag_reason", "measures",
            "created_at", "updated_at",
        )
        read_only_fields = ("id", "score", "level", "level_display", "written_score", "written_level", "flagged",
                            "flag_reason", "measures", "created_at", "updated_at")


class RiskPointSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    colour = serializers.SerializerMethodField()
    event_count = serializers.IntegerField(read_only=True)
    flagged_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = (
            "id", "code", "name", "kind", "location", "department", "responsible_person", "control_level",
            "is_major_hazard_source", "mhs_principal", "mhs_technical", "mhs_operational", "lon", "lat", "level",
            "level_display", "colour", "residual_level", "needs_reassessment", "reassessment_reason", "event_count",
            "flagged_count", "created_at", "updated_at",
        )
        read_only_fields = ("id", "level", "level_display", "colour", "needs_reassessment", "reassessment_reason",
                            "event_count", "flagged_count", "created_at", "updated_at")

    def get_colour(self, obj: RiskPoint) -> str | None:
        from compliance.rules.assessment import RiskLevel

        return RiskLevel(obj.level).colour if obj.level else None

    def validate(self, attrs):
        if attrs.get("is_major_hazard_source"):
            missing = [f for f in ("mhs_principal", "mhs_technical", "mhs_operational") if not attrs.get(f)]
            if missing and self.instance is None:
                raise serializers.ValidationError({missing[0]: ["重大危险源须指定包保责任人。"]}, code="required")
        return attrs


class RiskPointDetailSerializer(RiskPointSerializer):
    events = RiskEventSerializer(many=True, read_only=True)

    class Meta(RiskPointSerializer.Meta):
        fields = (*RiskPointSerializer.Meta.fields, "events")


# --- filters --------------------------------------------------------------------------------
class RiskPointFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="编号/名称/位置搜索", max_length=100)
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)
    department = django_filters.CharFilter(max_length=100)
    flagged = django_filters.BooleanFilter(method="filter_flagged", label="含待复核事件")

    class Meta:
        model = RiskPoint
        fields = ("kind", "level", "control_level", "department", "is_major_hazard_source", "needs_reassessment")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(location__icontains=value))

    def filter_flagged(self, qs, name, value):
        return qs.filter(flagged_count__gt=0) if value else qs.filter(flagged_count=0)


class RiskEventFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="描述搜索", max_length=100)
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)
    department = django_filters.CharFilter(max_length=100)

    class Meta:
        model = RiskEvent
        fields = ("method", "level", "flagged", "risk_point", "control_level", "department", "direct_major")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(description__icontains=value) | Q(step__icontains=value))


class ControlMeasureFilter(StrictFilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", max_length=100)
    risk_event = django_filters.NumberFilter(field_name="risk_event_id", min_value=1, max_value=2**62)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)

    class Meta:
        model = ControlMeasure
        fields = ("category", "risk_event", "control_level", "check_cycle_unit")


# --- viewsets -------------------------------------------------------------------------------
class _CrudViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantScopedViewSet):
    # CRUD whose writes go through the register services (never ``serializer.save()``).

    def _scoped_parent(self, model, pk_field: str, value):
        """A parent object named in the body, scoped to the caller (400 when it is not theirs)."""
        obj = scope_queryset(model.objects.all(), self.request.user, "enterprise").filter(pk=getattr(value, "pk", value)).first()
        if obj is None:
            raise FieldError("对象不存在。", code="does_not_exist", field=pk_field)
        return obj


class RiskPointViewSet(_CrudViewSet):
    """Risk points (风险点) with their derived four-colour level; detail includes events and measures."""

    queryset = RiskPoint.objects.all()
    serializer_class = RiskPointSerializer
    filterset_class = RiskPointFilter
    ordering_fields = ("id", "code", "name", "level", "kind", "department", "updated_at")
    ordering = ("code",)

    def base_queryset(self):
        qs = RiskPoint.objects.annotate(
            event_count=Count("events", distinct=True),
            flagged_count=Count("events", filter=Q(events__flagged=True), distinct=True),
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("events", queryset=RiskEvent.objects.prefetch_related("measures")))
        return qs

    def get_serializer_class(self):
        return RiskPointDetailSerializer if self.action == "retrieve" else RiskPointSerializer

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        point = svc.risk_point_create(actor=request.user, enterprise=caller_enterprise(request), **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        point = self.get_object()
        s = self.get_serializer(point, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        svc.risk_point_update(actor=request.user, point=point, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data)

    def perform_destroy(self, instance):
        svc.risk_point_delete(actor=self.request.user, point=instance)


class RiskEventViewSet(_CrudViewSet):
    """Risk events (危险源) with their assessment; level computed by the rules, never accepted from input."""

    queryset = RiskEvent.objects.all()
    serializer_class = RiskEventSerializer
    filterset_class = RiskEventFilter
    ordering_fields = ("id", "score", "level", "seq", "risk_point")

    def base_queryset(self):
        return RiskEvent.objects.prefetch_related("measures")

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        point = self._scoped_parent(RiskPoint, "risk_point", data.pop("risk_point"))
        event = svc.risk_event_create(actor=request.user, point=point, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        event = self.get_object()
        s = self.get_serializer(event, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        # a different risk_point is refused by the service (400 immutable, break-it D21)
        svc.risk_event_update(actor=request.user, event=event, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    def perform_destroy(self, instance):
        svc.risk_event_delete(actor=self.request.user, event=instance)


class ControlMeasureViewSet(_CrudViewSet):
    """Control measures (管控措施) of risk events, with their investigation check cycle."""

    queryset = ControlMeasure.objects.all()
    serializer_class = ControlMeasureSerializer
    filterset_class = ControlMeasureFilter
    ordering_fields = ("id", "category", "risk_event")

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        event = self._scoped_parent(RiskEvent, "risk_event", data.pop("risk_event"))
        m = svc.control_measure_create(actor=request.user, event=event, **data)
        return Response(self.get_serializer(m).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        measure = self.get_object()
        s = self.get_serializer(measure, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        # a different risk_event is refused by the service (400 immutable, break-it D21)
        m = svc.control_measure_update(actor=request.user, measure=measure, **s.validated_data)
        return Response(self.get_serializer(m).data)

    def perform_destroy(self, instance):
        svc.control_measure_delete(actor=self.request.user, measure=instance)


@extend_schema_serializer(component_name="RegisterUpload")
class UploadSerializer(serializers.Serializer):
    file = BinaryFileField(max_length=200, allow_empty_file=False)


class RegisterImportView(mixins.CreateModelMixin, TenantScopedViewSet):
    """Import a risk-register workbook (multipart ``file``, ≤ 10 MB) into the caller's enterprise;
    answers the per-row report (created / updated / unchanged / rejected, flagged rows with reasons)."""

    queryset = RiskPoint.objects.none()
    serializer_class = UploadSerializer
    MAX_BYTES = 10 * 1024 * 1024

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={200: ImportReportSerializer},
                   summary="导入风险分级管控清单（multipart：file，≤ 10 MB）")
    def create(self, request, *args, **kwargs):
        from backend.core.errors import PayloadTooLarge
        from compliance.services.register_import import register_import

        s = UploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        upload = s.validated_data["file"]
        if upload.size > self.MAX_BYTES:
            raise PayloadTooLarge("文件超过 10 MB。", field="file")
        report = register_import(actor=request.user, enterprise=caller_enterprise(request), source=upload)
        return Response(report.as_dict(), status=status.HTTP_200_OK)
