"""Regulator work endpoints: inspections (+ results, findings, close), findings' follow-ups,
supervision and sign-off of hazards, 双随机 draws (+ verify), conflicts of interest, checklist
templates, whistleblower triage; and the public endpoints (results, anonymous reports).

Every viewset is regulator-only (403 ``regulator_only`` for enterprise users) and scoped to the
caller's regulator (inspections, draws, conflicts) or jurisdiction (hazards, reports): a foreign
object is 404. Each workflow step is one POST action calling one service.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from backend.accounts.models import Role
from backend.core.api import ID_REGEX, StrictFilterSet, membership_of
from backend.core.errors import FieldError
from compliance import selectors as compliance_selectors
from compliance.api.hazards import HazardSerializer
from compliance.api.openapi import BinaryFileField
from compliance.models import Hazard
from compliance.models.hazards import GRADE_CHOICES
from inspections import services as svc
from inspections.api.common import REGULATOR_PERMISSIONS
from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    FollowUp,
    Inspection,
    InspectionTemplate,
    ItemResult,
    WhistleblowerReport,
)

ADMIN_ONLY = {Role.ADMIN}


def _input(serializer_class, data):
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


class _RegulatorViewSet(viewsets.GenericViewSet):
    permission_classes = REGULATOR_PERMISSIONS
    lookup_value_regex = ID_REGEX
    regulator_roles: dict[str, set[str]] = {}

    @property
    def regulator_id(self) -> int:
        return membership_of(self.request.user).regulator_id

    @property
    def jurisdiction(self) -> str:
        return membership_of(self.request.user).regulator.jurisdiction

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and (self.lookup_url_kwarg or self.lookup_field) in kwargs:
            # Another jurisdiction's object is a 404 before its body is validated (a 400 would
            # tell the caller that the object exists).
            self.get_object()


# --- serializers ----------------------------------------------------------------------------
class TemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionTemplate
        fields = ("id", "code", "version", "title", "items")
        read_only_fields = fields


class ItemResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemResult
        fields = ("item_code", "result", "note", "recorded_by", "recorded_at")
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ("id", "finding", "inspection", "fixed", "note", "hazard_state", "checked_on", "recorded_by", "created_at")
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None)
    hazard_state = serializers.CharField(source="hazard.state", read_only=True, default=None)
    hazard_supervised = serializers.BooleanField(source="hazard.supervised", read_only=True, default=None)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ("id", "inspection", "item_code", "text", "location", "severity", "deadline", "hazard", "hazard_number",
                  "hazard_state", "hazard_supervised", "status", "follow_ups", "created_by", "created_at")
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    template = TemplateSerializer(read_only=True)
    results = ItemResultSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ("id", "regulator", "enterprise", "enterprise_name", "kind", "draw", "follow_up_of", "title",
                  "planned_on", "state", "inspectors", "template", "results", "findings", "summary", "started_at",
                  "closed_at", "created_by", "created_at")
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=2**62)
    planned_on = serializers.DateField()
    inspectors = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=20)
    template_code = serializers.CharField(max_length=40, required=False)
    template_version = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    follow_up_of = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class ResultInSerializer(serializers.Serializer):
    item_code = serializers.CharField(max_length=20)
    result = serializers.ChoiceField(choices=ItemResult.Result.choices)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ResultsInSerializer(serializers.Serializer):
    results = ResultInSerializer(many=True, allow_empty=False)


class FindingInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    item_code = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices, default=Finding.Severity.GENERAL)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    order_rectification = serializers.BooleanField(default=True)


class SummaryInSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class FollowUpInSerializer(serializers.Serializer):
    fixed = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    inspection = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class NoteInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class CommentInSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


# --- inspections ----------------------------------------------------------------------------
class InspectionFilter(StrictFilterSet):
    state = django_filters.ChoiceFilter(choices=Inspection.State.choices)
    kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)
    draw = django_filters.NumberFilter(field_name="draw_id", min_value=1, max_value=2**62)
    planned_after = django_filters.DateFilter(field_name="planned_on", lookup_expr="gte")
    planned_before = django_filters.DateFilter(field_name="planned_on", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = ("state", "kind", "enterprise", "draw")


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """Inspections of the caller's regulator. ``POST`` plans one (≥ 2 inspectors);
    ``start``, ``results``, ``findings``, ``close`` are its steps (assigned inspectors only)."""

    queryset = Inspection.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ("id", "planned_on", "state")
    ordering = ("-planned_on",)

    def get_queryset(self):
        return (Inspection.objects.filter(regulator_id=self.regulator_id)
                .select_related("enterprise", "template")
                .prefetch_related("inspectors", "results", "findings__hazard", "findings__follow_ups"))

    def _out(self, insp: Inspection, code: int = status.HTTP_200_OK) -> Response:
        return Response(InspectionSerializer(self.get_queryset().get(pk=insp.pk)).data, status=code)

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer},
                   summary="计划一次检查（至少 2 名检查人员）")
    def create(self, request):
        data = _input(InspectionCreateSerializer, request.data)
        template = None
        if data.get("template_code"):
            template = (data["template_code"], data.get("template_version") or "")
        follow_up_of = None
        if data.get("follow_up_of"):
            follow_up_of = Inspection.objects.filter(pk=data["follow_up_of"], regulator_id=self.regulator_id).first()
            if follow_up_of is None:
                raise FieldError("被复查的检查不存在。", code="does_not_exist", field="follow_up_of")
        insp = svc.inspection_create(actor=request.user, enterprise=data["enterprise"], planned_on=data["planned_on"],
                                     inspectors=data["inspectors"], template=template, title=data["title"],
                                     follow_up_of=follow_up_of)
        return self._out(insp, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InspectionSerializer}, summary="开始检查（无请求体）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._out(svc.inspection_start(actor=request.user, inspection=self.get_object()))

    @extend_schema(request=ResultsInSerializer, responses={200: InspectionSerializer}, summary="记录检查表条目结果")
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        data = _input(ResultsInSerializer, request.data)
        insp = self.get_object()
        svc.inspection_record_results(actor=request.user, inspection=insp, results=data["results"])
        return self._out(insp)

    @extend_schema(request=FindingInSerializer, responses={201: FindingSerializer},
                   summary="登记检查发现的问题（可同时责令整改）")
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        data = _input(FindingInSerializer, request.data)
        f = svc.finding_add(actor=request.user, inspection=self.get_object(), **data)
        return Response(FindingSerializer(Finding.objects.select_related("hazard").get(pk=f.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=SummaryInSerializer, responses={200: InspectionSerializer}, summary="结束检查")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = _input(SummaryInSerializer, request.data)
        return self._out(svc.inspection_close(actor=request.user, inspection=self.get_object(), summary=data["summary"]))


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """Findings of the caller's regulator's inspections; ``POST {id}/follow-up/`` records a 复查."""

    queryset = Finding.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = FindingSerializer
    ordering_fields = ("id", "deadline", "status")

    def get_queryset(self):
        return (Finding.objects.filter(inspection__regulator_id=self.regulator_id)
                .select_related("hazard").prefetch_related("follow_ups"))

    @extend_schema(request=FollowUpInSerializer, responses={201: FollowUpSerializer}, summary="记录复查结果")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        data = _input(FollowUpInSerializer, request.data)
        inspection = None
        if data.get("inspection"):
            inspection = Inspection.objects.filter(pk=data["inspection"], regulator_id=self.regulator_id).first()
            if inspection is None:
                raise FieldError("复查检查不存在。", code="does_not_exist", field="inspection")
        fu = svc.follow_up_record(actor=request.user, finding=self.get_object(), fixed=data["fixed"], note=data["note"],
                                  inspection=inspection)
        return Response(FollowUpSerializer(fu).data, status=status.HTTP_201_CREATED)


class SupervisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """Hazards of the jurisdiction as the regulator supervises them (挂牌督办): list/detail with
    ``?supervised=``/``grade``, ``POST {id}/supervise/`` and ``POST {id}/signoff/``."""

    queryset = Hazard.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = HazardSerializer
    ordering_fields = ("id", "deadline_at", "state")

    class _Filter(StrictFilterSet):
        supervised = django_filters.BooleanFilter()
        grade = django_filters.ChoiceFilter(choices=GRADE_CHOICES)
        enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)

        class Meta:
            model = Hazard
            fields = ("supervised", "grade", "enterprise")

    filterset_class = _Filter

    def get_queryset(self):
        return compliance_selectors.hazards_annotated().filter(enterprise__division_code__startswith=self.jurisdiction)

    def _out(self, hazard: Hazard) -> Response:
        return Response(HazardSerializer(self.get_queryset().get(pk=hazard.pk)).data)

    @extend_schema(request=NoteInSerializer, responses={200: HazardSerializer}, summary="挂牌督办")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        data = _input(NoteInSerializer, request.data)
        return self._out(svc.hazard_put_under_supervision(actor=request.user, hazard=self.get_object(), note=data["note"]))

    @extend_schema(request=CommentInSerializer, responses={200: HazardSerializer}, summary="督办销号")
    @action(detail=True, methods=["post"])
    def signoff(self, request, pk=None):
        data = _input(CommentInSerializer, request.data)
        return self._out(svc.hazard_signoff(actor=request.user, hazard=self.get_object(), comment=data["comment"]))


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """The checklist template versions (read-only)."""

    serializer_class = TemplateSerializer
    queryset = InspectionTemplate.objects.all()
    ordering = ("code", "version")


# --- draws and conflicts ----------------------------------------------------------------------
class DrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draw
        fields = ("id", "regulator", "title", "filter", "n", "seed", "weighted", "candidates", "weights", "roster",
                  "conflicts", "result", "planned_on", "created_by", "created_at")
        read_only_fields = fields


class DrawVerifySerializer(serializers.Serializer):
    """Answer of a draw's re-run (documentation only)."""

    identical = serializers.BooleanField(help_text="重算结果与存档结果一致")
    result = serializers.JSONField(help_text="重算结果")
    stored = serializers.JSONField(help_text="存档结果")


class DrawInSerializer(serializers.Serializer):
    n = serializers.IntegerField(min_value=1, max_value=svc.MAX_DRAW)
    planned_on = serializers.DateField()
    filter = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    weighted = serializers.BooleanField(default=False)
    title = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)

    def validate(self, attrs):
        # The seed is drawn by the server (secrets.randbits(64)) and stored for verification: a caller
        # who could choose it could search for a seed that picks — or spares — an enterprise.
        if "seed" in self.initial_data:
            raise FieldError("随机种子由系统生成，不能指定。", code="seed_not_allowed", field="seed")
        return attrs


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """双随机 draws of the caller's regulator. ``POST`` (regulator admin) draws and plans the
    inspections; ``POST {id}/verify/`` re-runs from the stored snapshots → ``{identical, result}``."""

    queryset = Draw.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = DrawSerializer
    regulator_roles = {"create": ADMIN_ONLY}
    ordering_fields = ("id", "created_at")
    ordering = ("-created_at",)

    def get_queryset(self):
        return Draw.objects.filter(regulator_id=self.regulator_id)

    @extend_schema(request=DrawInSerializer, responses={201: DrawSerializer},
                   summary="双随机抽取并生成检查计划（监管管理员）")
    def create(self, request):
        data = _input(DrawInSerializer, request.data)
        d = svc.draw_create(actor=request.user, **data)
        return Response(DrawSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DrawVerifySerializer}, summary="按存档快照重算抽取，核验结果")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        d = self.get_object()
        rerun = svc.draw_rerun(d)
        return Response({"identical": rerun == d.result, "result": rerun, "stored": d.result})


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictOfInterest
        fields = ("id", "inspector", "enterprise", "reason", "declared_by", "created_at")
        read_only_fields = ("id", "declared_by", "created_at")


class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """Declared conflicts of interest (回避) of the caller's regulator; ``POST`` declares one."""

    queryset = ConflictOfInterest.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = ConflictSerializer

    def get_queryset(self):
        return ConflictOfInterest.objects.filter(regulator_id=self.regulator_id)

    @extend_schema(request=ConflictSerializer, responses={201: ConflictSerializer}, summary="登记回避关系")
    def create(self, request):
        s = ConflictSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        c = svc.conflict_declare(actor=request.user, inspector=s.validated_data["inspector"],
                                 enterprise=s.validated_data["enterprise"], reason=s.validated_data["reason"])
        return Response(ConflictSerializer(c).data, status=status.HTTP_201_CREATED)


# --- whistleblower: triage (regulator) ------------------------------------------------------
class WhistleblowerReportSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = WhistleblowerReport
        fields = ("id", "enterprise", "enterprise_name", "location", "division_code", "description", "contact", "status",
                  "status_display", "resolution", "inspection", "hazard", "photos", "created_at", "updated_at")
        read_only_fields = fields

    def get_photos(self, obj: WhistleblowerReport) -> list[dict]:
        return [{"id": p.pk, "content_type": p.content_type, "size": p.size} for p in obj.photos.all()]


class AcceptInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    enterprise = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


@extend_schema_serializer(component_name="WhistleblowerRejectIn")
class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OpenInspectionInSerializer(serializers.Serializer):
    planned_on = serializers.DateField()
    inspectors = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=20)


class CreateHazardInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deadline = serializers.DateField()
    grade = serializers.ChoiceField(choices=GRADE_CHOICES, default="general")


class WhistleblowerReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _RegulatorViewSet):
    """Reports concerning the caller's jurisdiction; ``accept``, ``reject``, ``open-inspection``,
    ``create-hazard`` triage them."""

    queryset = WhistleblowerReport.objects.none()  # for schema generation only: get_queryset() scopes to the caller
    serializer_class = WhistleblowerReportSerializer
    ordering_fields = ("id", "created_at", "status")
    ordering = ("-created_at",)

    class _Filter(StrictFilterSet):
        status = django_filters.MultipleChoiceFilter(choices=WhistleblowerReport.Status.choices)

        class Meta:
            model = WhistleblowerReport
            fields = ("status",)

    filterset_class = _Filter

    def get_queryset(self):
        return WhistleblowerReport.objects.filter(division_code__startswith=self.jurisdiction).prefetch_related("photos")

    def _out(self, r: WhistleblowerReport) -> Response:
        return Response(WhistleblowerReportSerializer(self.get_queryset().get(pk=r.pk)).data)

    @extend_schema(request=AcceptInSerializer, responses={200: WhistleblowerReportSerializer}, summary="受理举报")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _input(AcceptInSerializer, request.data)
        return self._out(svc.whistleblower_report_accept(actor=request.user, report=self.get_object(), note=data["note"],
                                                         enterprise=data.get("enterprise")))

    @extend_schema(request=ReasonInSerializer, responses={200: WhistleblowerReportSerializer}, summary="不予受理")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _input(ReasonInSerializer, request.data)
        return self._out(svc.whistleblower_report_reject(actor=request.user, report=self.get_object(), reason=data["reason"]))

    @extend_schema(request=OpenInspectionInSerializer, responses={200: WhistleblowerReportSerializer}, summary="据举报立案检查")
    @action(detail=True, methods=["post"], url_path="open-inspection")
    def open_inspection(self, request, pk=None):
        data = _input(OpenInspectionInSerializer, request.data)
        return self._out(svc.whistleblower_report_open_inspection(actor=request.user, report=self.get_object(), **data))

    @extend_schema(request=CreateHazardInSerializer, responses={200: WhistleblowerReportSerializer}, summary="据举报登记隐患")
    @action(detail=True, methods=["post"], url_path="create-hazard")
    def create_hazard(self, request, pk=None):
        data = _input(CreateHazardInSerializer, request.data)
        return self._out(svc.whistleblower_report_create_hazard(actor=request.user, report=self.get_object(), **data))


# --- public ---------------------------------------------------------------------------------
class PublicResultSerializer(serializers.ModelSerializer):
    """A closed inspection's published outcome: no inspector names, no user ids."""

    enterprise_name = serializers.CharField(source="enterprise.name")
    regulator_name = serializers.CharField(source="regulator.name")
    kind_display = serializers.CharField(source="get_kind_display")
    findings = serializers.IntegerField(source="finding_count")
    fixed = serializers.IntegerField(source="fixed_count")
    all_fixed = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ("id", "enterprise_name", "regulator_name", "kind", "kind_display", "planned_on", "closed_at", "findings",
                  "fixed", "all_fixed")
        read_only_fields = fields

    def get_all_fixed(self, obj: Inspection) -> bool:
        return obj.fixed_count == obj.finding_count


class PublicInspectionResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """``GET /public/inspection-results/`` (no auth): closed inspections' outcomes (双随机、一公开)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = PublicResultSerializer
    ordering_fields = ("closed_at", "planned_on", "id")
    ordering = ("-closed_at",)

    class _Filter(StrictFilterSet):
        kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)

        class Meta:
            model = Inspection
            fields = ("kind",)

    filterset_class = _Filter

    def get_queryset(self):
        return (Inspection.objects.filter(state=Inspection.State.CLOSED).select_related("enterprise", "regulator")
                .annotate(finding_count=Count("findings", distinct=True),
                          fixed_count=Count("findings", filter=Q(findings__status=Finding.Status.FIXED), distinct=True)))


class AnonReportThrottle(ScopedRateThrottle):
    """Per-client limit on anonymous reports (scope ``anon_report``). The client address is used
    only inside the cache key, and hashed there: no IP address is stored anywhere."""

    def get_ident(self, request) -> str:
        import hashlib

        from django.conf import settings

        return hashlib.sha256((settings.SECRET_KEY + super().get_ident(request)).encode()).hexdigest()


class PublicReportInSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    enterprise_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    division_code = serializers.CharField(max_length=12, required=False, default="", allow_blank=True)
    contact = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    photos = serializers.ListField(child=BinaryFileField(allow_empty_file=False), required=False, default=list)


class PublicReportCreatedSerializer(serializers.Serializer):
    """Answer to an anonymous report (documentation only)."""

    code = serializers.CharField(help_text="查询码：仅此一次返回，请妥善保存")
    status = serializers.ChoiceField(choices=WhistleblowerReport.Status.choices)
    status_display = serializers.CharField()


class PublicReportStatusSerializer(serializers.Serializer):
    """A report's status as the public sees it (documentation only)."""

    status = serializers.ChoiceField(choices=WhistleblowerReport.Status.choices)
    status_display = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PublicReportCreateView(APIView):
    """``POST /public/reports/`` (no auth, rate-limited): file an anonymous report → ``{code, status}``.
    Keep the code: it is the only way to follow the report, and it is not stored in clear."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonReportThrottle]
    throttle_scope = "anon_report"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"application/json": PublicReportInSerializer, "multipart/form-data": PublicReportInSerializer},
                   responses={201: PublicReportCreatedSerializer}, summary="匿名举报（无需登录，限频）")
    def post(self, request):
        data = request.data
        if hasattr(data, "getlist"):  # multipart: several ``photos`` parts
            data = {k: data.get(k) for k in data if k != "photos"} | {"photos": request.FILES.getlist("photos")}
        v = _input(PublicReportInSerializer, data)
        report, code = svc.whistleblower_report_create(**v)
        return Response({"code": code, "status": report.status, "status_display": report.get_status_display()},
                        status=status.HTTP_201_CREATED)


class PublicReportStatusView(APIView):
    """``GET /public/reports/{code}/``: status only (a wrong code is 404)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="举报时返回的查询码")],
                   responses={200: PublicReportStatusSerializer}, summary="按查询码查询举报进度")
    def get(self, request, code: str):
        r = svc.whistleblower_report_by_code(code)
        return Response({"status": r.status, "status_display": r.get_status_display(), "created_at": r.created_at,
                         "updated_at": r.updated_at})

