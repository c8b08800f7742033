"""The 双报告 API: request, list, read and download reports; correct a report; verify a file.

- ``POST /reports/`` — enterprise members (admin, safety officer, principal) for their own
  enterprise; regulator members (inspector, admin) for any enterprise in their jurisdiction or a
  jurisdiction report of their regulator. Body: ``kind`` (``enterprise`` | ``jurisdiction``,
  default enterprise), ``enterprise`` (regulators only), and ``month`` (``YYYY-MM``), ``quarter``
  (``YYYY-Qn``), ``year`` (``YYYY``) or ``period_start`` + ``period_end`` (default: the previous
  month). 201 new job (a draft once generated), 200 existing.
- ``PATCH /reports/{id}/`` ``{"narrative"}`` — the draft's 存在问题及下步工作 (enterprise managers for
  an enterprise report, the regulator for its jurisdiction report; 409 ``already_issued``).
- ``POST /reports/{id}/issue/`` — 202, final render queued (409 ``period_not_ended`` while the
  period runs, ``already_issued``; 400 ``required`` field ``narrative``).
- ``GET /reports/``, ``/reports/{id}/`` (the figures in ``data`` once done),
  ``/reports/{id}/pdf|json|xlsx/`` (409 ``report_not_ready`` until done).
- ``POST /reports/{id}/correct/`` ``{"reason"}`` — a correcting report (201).
- ``GET|POST /reports/verify/`` (anyone) — ``sha256`` or an uploaded ``file`` →
  ``{authentic, sha256, report}``.

Reports outside the caller's enterprise or jurisdiction answer 404.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Enterprise, Role
from backend.core.actors import Actor, actor_of
from backend.core.api import MAX_ID, StrictFilterSet, TenantScopedViewSet, scope_queryset
from backend.core.api.openapi import BinaryFileField
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound, PayloadTooLarge
from backend.core.throttling import PublicLookupThrottle
from inspections.reports import services
from inspections.reports.content import day_start
from inspections.reports.error_codes import ReportErrorCode as Code
from inspections.reports.models import ReportJob
from inspections.reports.rules import REQUESTER_ROLES, period_kind_of, quarter_bounds
from inspections.reports.selectors import reports_visible_to

MAX_VERIFY_UPLOAD = 50 * 1024 * 1024
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class ReportPermission(permissions.BasePermission):
    message = "无权执行此操作。"

    def has_permission(self, request: Request, view) -> bool:
        actor = actor_of(request.user)
        if actor.membership is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if actor.is_enterprise:
            if actor.enterprise.status != Enterprise.Status.APPROVED:
                raise Forbidden("企业尚未通过审核。", code=CoreErrorCode.ENTERPRISE_NOT_APPROVED)
            if actor.role not in REQUESTER_ROLES:
                raise Forbidden(f"角色「{Role(actor.role).label}」无权申请报告。", code=CoreErrorCode.ROLE_NOT_ALLOWED)
        return True


@extend_schema_serializer(component_name="ReportJob")
class ReportJobOut(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    subject_name = serializers.CharField(read_only=True)
    status = serializers.SerializerMethodField(help_text="draft（草稿，可编辑）/ issuing（签发渲染中）/ issued（已签发，可核验）")
    period_kind = serializers.SerializerMethodField(help_text="month / quarter / year / custom")
    period_over = serializers.SerializerMethodField(help_text="统计期是否已结束（未结束的报告为“截至”草稿，不可签发）")

    class Meta:
        model = ReportJob
        fields = ("id", "kind", "kind_label", "enterprise", "regulator", "subject_name", "period_start", "period_end",
                  "period_kind", "period_over", "status",
                  "state", "state_label", "error", "attempts", "created_at", "started_at", "finished_at",
                  "sha256_pdf", "sha256_json", "sha256_xlsx", "replaces", "superseded_at", "reason",
                  "narrative", "narrative_by", "narrative_at", "issued_at", "issued_by", "signatures")
        read_only_fields = fields

    def get_status(self, obj: ReportJob) -> str:
        if obj.issued_at is None:
            return "draft"
        return "issued" if obj.state == ReportJob.State.DONE else "issuing"

    def get_period_kind(self, obj: ReportJob) -> str:
        return period_kind_of(obj.period_start, obj.period_end).value

    def get_period_over(self, obj: ReportJob) -> bool:
        return timezone.now() >= day_start(obj.period_end + timedelta(days=1))


@extend_schema_serializer(component_name="ReportJobDetail")
class ReportJobDetailOut(ReportJobOut):
    data = serializers.SerializerMethodField()

    class Meta(ReportJobOut.Meta):
        fields = (*ReportJobOut.Meta.fields, "data")
        read_only_fields = fields

    def get_data(self, obj: ReportJob) -> dict | None:
        """The figures (``data`` of the snapshot) once the report is done."""
        return (obj.data or {}).get("data") if obj.state == ReportJob.State.DONE else None


@extend_schema_serializer(component_name="ReportRequest")
class ReportRequestIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportJob.Kind.choices, default=ReportJob.Kind.ENTERPRISE)
    enterprise = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    month = serializers.CharField(required=False, max_length=7, help_text="YYYY-MM：月度")
    quarter = serializers.CharField(required=False, max_length=7, help_text="YYYY-Qn：季度")
    year = serializers.CharField(required=False, max_length=4, help_text="YYYY：年度")
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        given = [k for k in ("month", "quarter", "year") if k in attrs]
        if len(given) > 1 or (given and ("period_start" in attrs or "period_end" in attrs)):
            raise FieldError("month / quarter / year / period_start+period_end 只能给一种。", code=Code.AMBIGUOUS_PERIOD,
                             field=given[-1])
        for key, pattern in (("quarter", _QUARTER), ("year", _YEAR)):
            if key in attrs:
                hit = pattern.match(attrs.pop(key))
                if not hit:
                    raise FieldError(f"{key} 格式应为 {'YYYY-Qn' if key == 'quarter' else 'YYYY'}。", code=Code.INVALID,
                                     field=key)
                y = int(hit.group(1))
                if not 2016 <= y <= 9998:
                    raise FieldError("统计期超出范围（2016 年起）。", code=Code.PERIOD_TOO_EARLY if y < 2016 else Code.INVALID,
                                     field=key)
                attrs["period_start"], attrs["period_end"] = (
                    quarter_bounds(y, int(hit.group(2))) if key == "quarter" else (date(y, 1, 1), date(y, 12, 31)))
                return attrs
        month = attrs.pop("month", None)
        if month is not None:
            if "period_start" in attrs or "period_end" in attrs:
                raise FieldError("month 与 period_start/period_end 只能给一种。", code=Code.AMBIGUOUS_PERIOD, field="month")
            hit = _MONTH.match(month)
            if not hit or not 1 <= int(hit.group(2)) <= 12:
                raise FieldError("month 格式应为 YYYY-MM。", code=Code.INVALID, field="month")
            y, mo = int(hit.group(1)), int(hit.group(2))
            if not 2016 <= y <= 9998:
                raise FieldError("统计月份超出范围（2016 年起）。", code=Code.PERIOD_TOO_EARLY if y < 2016 else Code.INVALID,
                                 field="month")
            first = date(y, mo, 1)
            nxt = date(y + (mo == 12), mo % 12 + 1, 1)
            attrs["period_start"], attrs["period_end"] = services.previous_month(nxt)
            assert attrs["period_start"] == first
        elif ("period_start" in attrs) != ("period_end" in attrs):
            missing = "period_end" if "period_start" in attrs else "period_start"
            raise FieldError("须同时给出统计期起止。", code=Code.REQUIRED, field=missing)
        elif "period_start" not in attrs:
            attrs["period_start"], attrs["period_end"] = services.previous_month()
        return attrs


class ReportCorrectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


@extend_schema_serializer(component_name="ReportEdit")
class ReportEditIn(serializers.Serializer):
    narrative = serializers.CharField(max_length=20000, allow_blank=True, trim_whitespace=False,
                                      help_text="五、存在问题及下步工作（草稿期可改，签发后冻结）")


class ReportFilter(StrictFilterSet):
    class Meta:
        model = ReportJob
        fields = ("kind", "state", "enterprise", "regulator", "period_start", "period_end")


def _file(media_type: str, what: str) -> dict:
    return {(200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY, description=what)}


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """双报告 (monthly reports of an enterprise or a jurisdiction): request, list, read, download,
    correct. Reports outside the caller's enterprise or jurisdiction answer 404."""

    permission_classes = [permissions.IsAuthenticated, ReportPermission]
    queryset = ReportJob.objects.all()
    filterset_class = ReportFilter
    ordering = ("-period_start", "-id")
    ordering_fields = ("period_start", "created_at", "id")

    def scoped(self, queryset: QuerySet[ReportJob], actor: Actor) -> QuerySet[ReportJob]:
        # two rules (an enterprise's own; a regulator's enterprise reports + its own): a selector
        return reports_visible_to(actor, queryset)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ReportJobDetailOut
        if self.action == "create":
            return ReportRequestIn
        if self.action == "correct":
            return ReportCorrectIn
        if self.action == "partial_update":
            return ReportEditIn
        return ReportJobOut

    @extend_schema(request=ReportRequestIn, summary="申请生成报告（默认上月）",
                   responses={201: OpenApiResponse(ReportJobOut, description="新建的生成任务"),
                              200: OpenApiResponse(ReportJobOut, description="同一报告已存在")})
    def create(self, request: Request) -> Response:
        ser = ReportRequestIn(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        a = self.actor
        enterprise = regulator = None
        if v["kind"] == ReportJob.Kind.JURISDICTION:
            if not a.is_regulator:
                raise Forbidden("仅监管部门可申请辖区报告。", code=CoreErrorCode.REGULATOR_ONLY)
            if "enterprise" in v:
                raise FieldError("辖区报告不指定企业。", code=Code.NOT_ALLOWED, field="enterprise")
            regulator = a.regulator
        elif a.is_enterprise:
            if v.get("enterprise", a.enterprise_id) != a.enterprise_id:
                raise NotFound("企业不存在。", code=CoreErrorCode.NOT_FOUND)
            enterprise = a.enterprise
        else:
            if "enterprise" not in v:
                raise FieldError("请指定企业（enterprise），或以 kind=jurisdiction 申请本辖区报告。", code=Code.REQUIRED,
                                 field="enterprise")
            enterprise = scope_queryset(Enterprise.objects.all(), a, None).filter(pk=v["enterprise"]).first()
            if enterprise is None:
                raise NotFound("企业不存在。", code=CoreErrorCode.NOT_FOUND)
        job, created = services.report_request(actor=self.actor, kind=v["kind"], enterprise=enterprise,
                                               regulator=regulator, period_start=v["period_start"],
                                               period_end=v["period_end"])
        job = self.get_queryset().get(pk=job.pk)
        return Response(ReportJobOut(job).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ReportCorrectIn, responses={201: ReportJobOut}, summary="更正报告（生成更正版）")
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        services.report_corrector_check(actor=self.actor, report=job)  # before the body: who, then what
        ser = ReportCorrectIn(data=request.data)
        ser.is_valid(raise_exception=True)
        new = services.report_correct(actor=self.actor, report=job, reason=ser.validated_data["reason"])
        return Response(ReportJobOut(self.get_queryset().get(pk=new.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportEditIn, responses={200: ReportJobOut}, summary="编辑草稿的“存在问题及下步工作”")
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        services.report_corrector_check(actor=self.actor, report=job)
        ser = ReportEditIn(data=request.data)
        ser.is_valid(raise_exception=True)
        services.report_edit(actor=self.actor, report=job, narrative=ser.validated_data["narrative"])
        return Response(ReportJobOut(self.get_queryset().get(pk=job.pk)).data)

    @extend_schema(request=None, responses={202: ReportJobOut}, summary="签发报告（统计期结束后；冻结、哈希、可核验）")
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        services.report_issue(actor=self.actor, report=job)
        return Response(ReportJobOut(self.get_queryset().get(pk=job.pk)).data, status=status.HTTP_202_ACCEPTED)

    def _download(self, field: str, content_type: str, ext: str) -> FileResponse:
        job = self.get_object()
        if job.state != ReportJob.State.DONE:
            raise Conflict("报告尚未生成完成。", code=Code.REPORT_NOT_READY)
        f = getattr(job, field)
        name = f"双报告-{job.subject_name}-{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}-{job.pk}.{ext}"
        from backend.core.uploads import open_stored

        # streamed through this permission-checked view from the storage (local or S3): no bucket URL
        return FileResponse(open_stored(f), content_type=content_type, as_attachment=True, filename=name)

    @extend_schema(request=None, responses=_file("application/pdf", "报告 PDF（未生成完成时 409）"), summary="下载报告 PDF")
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse:
        return self._download("pdf", "application/pdf", "pdf")

    @extend_schema(request=None, responses=_file("application/json", "报告数据 JSON 文件（未生成完成时 409）"),
                   summary="下载报告 JSON")
    @action(detail=True, methods=["get"], url_path="json")
    def json_file(self, request: Request, pk: str | None = None) -> FileResponse:
        return self._download("json_file", "application/json", "json")

    @extend_schema(request=None, responses=_file("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                 "报告 Excel（未生成完成时 409）"), summary="下载报告 Excel")
    @action(detail=True, methods=["get"])
    def xlsx(self, request: Request, pk: str | None = None) -> FileResponse:
        return self._download("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@extend_schema_serializer(component_name="Verify")
class ReportVerifyIn(serializers.Serializer):
    sha256 = serializers.CharField(required=False, max_length=100)
    file = BinaryFileField(required=False)


@extend_schema_serializer(component_name="VerifySha")
class VerifyShaIn(serializers.Serializer):
    sha256 = serializers.CharField(max_length=100, help_text="报告文件（PDF/JSON/Excel）的 SHA-256（十六进制）")


@extend_schema_serializer(component_name="VerifyUpload")
class VerifyUploadIn(serializers.Serializer):
    file = BinaryFileField(help_text="待核验的报告文件（≤ 50 MB）")


@extend_schema_serializer(component_name="VerifiedReport")
class VerifiedReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReportJob.Kind.choices)
    kind_label = serializers.CharField()
    subject_name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    issued_at = serializers.DateTimeField(allow_null=True)
    superseded = serializers.BooleanField(help_text="已被更正版取代")


@extend_schema_serializer(component_name="VerifyResult")
class VerifyResultOut(serializers.Serializer):
    """Answer of a verification (documentation only)."""

    authentic = serializers.BooleanField()
    sha256 = serializers.CharField()
    file = serializers.CharField(required=False, help_text="pdf / json / xlsx：匹配的文件（仅真实时给出）")
    report = VerifiedReportOut(allow_null=True)


class ReportVerifyView(APIView):
    """Is this file (or SHA-256) an authentic report, and which? Anyone may ask — within
    ``PUBLIC_LOOKUP_RATE`` per client address (default 30/minute, 429 beyond), and an upload over
    ``MAX_VERIFY_UPLOAD`` is refused on its Content-Length before it is read (413, BREAKIT D19)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]
    serializer_class = ReportVerifyIn

    @extend_schema(parameters=[OpenApiParameter("sha256", str, required=True, description="文件的 SHA-256")],
                   responses={200: VerifyResultOut}, summary="按 SHA-256 核验报告真伪")
    def get(self, request: Request) -> Response:
        return self._answer(request.query_params.get("sha256", ""))

    @extend_schema(request={"multipart/form-data": VerifyUploadIn, "application/json": VerifyShaIn},
                   responses={200: VerifyResultOut}, summary="上传文件或提交 SHA-256 核验报告真伪")
    def post(self, request: Request) -> Response:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_VERIFY_UPLOAD + 64 * 1024:  # the file plus its multipart envelope
            raise PayloadTooLarge("文件过大。", code=CoreErrorCode.FILE_TOO_LARGE, field="file")
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > MAX_VERIFY_UPLOAD:
                raise PayloadTooLarge("文件过大。", code=CoreErrorCode.FILE_TOO_LARGE, field="file")
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            return self._answer(digest.hexdigest())
        sha = request.data.get("sha256") if hasattr(request.data, "get") else None
        if not sha:
            raise FieldError("请上传文件或提供 sha256。", code=Code.REQUIRED, field="file")
        return self._answer(str(sha))

    def _answer(self, sha: str) -> Response:
        if not sha:
            raise FieldError("请提供 sha256。", code=Code.REQUIRED, field="sha256")
        job = services.report_verify(sha256_hex=sha)
        if job is None:
            return Response({"authentic": False, "sha256": sha.strip().lower(), "report": None})
        which = "pdf" if job.sha256_pdf == sha.strip().lower() else "json" if job.sha256_json == sha.strip().lower() else "xlsx"
        return Response({
            "authentic": True,
            "sha256": sha.strip().lower(),
            "file": which,
            "report": {
                "id": job.pk, "kind": job.kind, "kind_label": job.get_kind_display(), "subject_name": job.subject_name,
                "period_start": job.period_start, "period_end": job.period_end, "issued_at": job.finished_at,
                "superseded": job.superseded_at is not None,
            },
        })
