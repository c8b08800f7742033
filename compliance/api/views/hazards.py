"""Hidden dangers: list/detail with DB-computed ``overdue``, filing and reporting, one POST
endpoint per lifecycle transition (roles derived from the hazard state machine), checklist
judgement, extensions, photos, history, and the ledger import/export (DOMAIN.md §3)."""

from __future__ import annotations

import json

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, renderers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api import TenantScopedViewSet, caller_enterprise
from backend.core.api.inputs import validated
from backend.core.api.openapi import ImportReportSerializer, binary_response
from backend.core.api.permissions import roles_from
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError
from backend.core.parsers import FormParser, JSONParser, MultiPartParser  # coded 400/413 for bad bodies (D8)
from backend.core.uploads import open_stored
from compliance import selectors
from compliance.api.filters import HazardExtensionFilter, HazardFilter
from compliance.api.import_options import DRY_RUN_PARAM, import_options
from compliance.api.serializers.hazards import (
    ExtensionDecisionIn,
    ExtensionRequestIn,
    HazardChecklistIn,
    HazardCommentIn,
    HazardConfirmIn,
    HazardEventOut,
    HazardExtensionOut,
    HazardFileIn,
    HazardOut,
    HazardPhotoOut,
    HazardPlanIn,
    HazardReasonIn,
    HazardReportIn,
    HazardTimelineOut,
    LedgerUploadIn,
    PhotoUploadIn,
)
from compliance.api.serializers.imports import ImportJobOut
from compliance.api.views.imports import as_job_if_big
from compliance.error_codes import HazardErrorCode, ImportErrorCode
from compliance.models import (
    Hazard,
    HazardExtension,
    HazardPhoto,
)
from compliance.rules.hazard_states import ACTION_ROLES, MACHINE, MANAGERS
from compliance.services import extensions, hazards, major_hazard, photos, report_once
from compliance.services.ledger_import import ledger_import


class _PassthroughRenderer(renderers.BaseRenderer):
    """Lets ``?format=xlsx|csv`` pass DRF's content negotiation; errors still render as JSON."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class XlsxRenderer(_PassthroughRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class CsvRenderer(_PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class HazardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Hidden dangers. ``POST /hazards/`` files one (safety officer), ``POST /hazards/report/``
    reports one (any employee); each lifecycle transition is its own POST action."""

    queryset = Hazard.objects.all()
    serializer_class = HazardOut
    filterset_class = HazardFilter
    ordering_fields = ("id", "number", "found_on", "deadline", "deadline_at", "overdue", "state", "grade", "updated_at")
    ordering = ("-found_on",)
    write_roles = frozenset(MANAGERS)
    #: One role table: the hazard state machine's transitions plus the non-transition actions.
    action_roles = roles_from(MACHINE, extra=ACTION_ROLES)
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def base_queryset(self):
        return selectors.hazards_annotated()

    def _out(self, hazard: Hazard, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=hazard.pk)
        return Response(HazardOut(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=HazardFileIn, responses={201: HazardOut}, summary="登记隐患（管理人员）")
    def create(self, request, *args, **kwargs):
        data = validated(HazardFileIn, request.data)
        return self._out(hazards.hazard_file(actor=request.user, enterprise=caller_enterprise(request), **data), 201)

    @extend_schema(request=HazardReportIn, responses={201: HazardOut, 200: HazardOut}, summary="职工上报隐患（可幂等）",
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, description=(
                       "幂等键（1–64 位字母数字 -_.:，建议 UUID）：同一用户 24 小时内重复提交同一键，返回首次上报的隐患，"
                       "状态码 200、响应头 Idempotent-Replayed: true；首次 201；同一键而内容不同为 409 idempotency_key_reused。"
                       "也可放在请求体 client_key。"))])
    @action(detail=False, methods=["post"])
    def report(self, request):
        """An employee's report (职工查身边隐患). With an ``Idempotency-Key`` header (or ``client_key``) a
        retry of the same report answers the first hazard (200) instead of filing a second one
        (compliance.services.report_once); 400 ``invalid_idempotency_key`` for a malformed key or a
        header and body key that differ; 409 ``idempotency_key_reused`` for the key of a different report."""
        data = validated(HazardReportIn, request.data)
        body_key = data.pop("client_key", None)
        header_key = request.headers.get("Idempotency-Key")
        if header_key is not None and body_key is not None and header_key.strip() != body_key.strip():
            raise FieldError("请求头 Idempotency-Key 与 client_key 不一致。", code=HazardErrorCode.INVALID_IDEMPOTENCY_KEY,
                             field="client_key")
        enterprise = caller_enterprise(request)
        if header_key is None and body_key is None:
            return self._out(hazards.hazard_report(actor=request.user, enterprise=enterprise, **data), 201)
        key = report_once.check_key(header_key if header_key is not None else str(body_key),
                                    "Idempotency-Key" if header_key is not None else "client_key")
        hazard, created = report_once.hazard_report_once(
            actor=request.user, enterprise=enterprise, key=key,
            key_field="Idempotency-Key" if header_key is not None else "client_key", **data)
        resp = self._out(hazard, 201 if created else 200)
        if not created:
            resp["Idempotent-Replayed"] = "true"
        return resp

    @extend_schema(request=HazardConfirmIn, responses={200: HazardOut}, summary="确认隐患（可补充/修正登记信息）")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        hazard = self.get_object()
        return self._out(hazards.hazard_confirm(actor=request.user, hazard=hazard, **validated(HazardConfirmIn, request.data)))

    @extend_schema(request=HazardReasonIn, responses={200: HazardOut}, summary="驳回上报的隐患")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardReasonIn, request.data)
        return self._out(hazards.hazard_reject(actor=request.user, hazard=hazard, reason=data["reason"]))

    @extend_schema(request=HazardPlanIn, responses={200: HazardOut}, summary="制定整改方案（五落实）")
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Set the rectification plan / five commitments (managers; confirmed or rectifying)."""
        hazard = self.get_object()
        return self._out(hazards.hazard_update_plan(actor=request.user, hazard=hazard, **validated(HazardPlanIn, request.data)))

    @extend_schema(request=None, responses={200: HazardOut}, summary="开始整改（无请求体）")
    @action(detail=True, methods=["post"], url_path="start-rectification")
    def start_rectification(self, request, pk=None):
        return self._out(hazards.hazard_start_rectification(actor=request.user, hazard=self.get_object()))

    @extend_schema(request=HazardCommentIn, responses={200: HazardOut}, summary="整改完成，提交验收")
    @action(detail=True, methods=["post"], url_path="submit-for-acceptance")
    def submit_for_acceptance(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardCommentIn, request.data)
        return self._out(hazards.hazard_submit_for_acceptance(actor=request.user, hazard=hazard, note=data["comment"]))

    @extend_schema(request=HazardCommentIn, responses={200: HazardOut}, summary="验收通过")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardCommentIn, request.data)
        return self._out(hazards.hazard_accept(actor=request.user, hazard=hazard, comment=data["comment"]))

    @extend_schema(request=HazardReasonIn, responses={200: HazardOut}, summary="验收不通过，退回整改")
    @action(detail=True, methods=["post"], url_path="fail-acceptance")
    def fail_acceptance(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardReasonIn, request.data)
        return self._out(hazards.hazard_fail_acceptance(actor=request.user, hazard=hazard, reason=data["reason"]))

    @extend_schema(request=HazardCommentIn, responses={200: HazardOut}, summary="销号（关闭隐患）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardCommentIn, request.data)
        return self._out(hazards.hazard_close(actor=request.user, hazard=hazard, comment=data["comment"]))

    @extend_schema(request=HazardChecklistIn, responses={200: HazardOut},
                   summary="按重大事故隐患判定标准勾选条款")
    @action(detail=True, methods=["post"], url_path="tick-checklist")
    def tick_checklist(self, request, pk=None):
        hazard = self.get_object()
        data = validated(HazardChecklistIn, request.data)
        return self._out(major_hazard.hazard_tick_checklist(actor=request.user, hazard=hazard, **data))

    @extend_schema(request=ExtensionRequestIn, responses={201: HazardExtensionOut}, summary="申请延期")
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        hazard = self.get_object()
        data = validated(ExtensionRequestIn, request.data)
        ext = extensions.hazard_request_extension(actor=request.user, hazard=hazard, **data)
        return Response(HazardExtensionOut(ext).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: HazardExtensionOut(many=True)}, summary="隐患的延期申请")
    @action(detail=True, methods=["get"], pagination_class=None)
    def extensions(self, request, pk=None):
        qs = HazardExtension.objects.filter(hazard=self.get_object())
        return Response(HazardExtensionOut(qs, many=True).data)

    @extend_schema(request=None, responses={200: HazardEventOut(many=True)}, summary="隐患的处理记录（审计事件）")
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        hazard = self.get_object()
        return Response(HazardEventOut(selectors.hazard_events(hazard), many=True).data)

    @extend_schema(request=None, responses={200: HazardTimelineOut(many=True)},
                   summary="隐患时间线：全部审计事件（操作人、角色、时间、状态变化、理由、摘要），按发生顺序")
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        """Every audit event of the hazard, oldest first, in a constant number of queries."""
        hazard = self.get_object()
        events = selectors.hazard_events(hazard).select_related("actor__membership__enterprise",
                                                                "actor__membership__regulator")
        return Response(HazardTimelineOut(events, many=True).data)

    @extend_schema(methods=["GET"], request=None, responses={200: HazardPhotoOut(many=True)}, summary="隐患照片列表")
    @extend_schema(methods=["POST"], request={"multipart/form-data": PhotoUploadIn},
                   responses={201: HazardPhotoOut}, summary="上传隐患照片（multipart：kind + file）")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def photos(self, request, pk=None):
        hazard = self.get_object()
        if request.method == "GET":
            return Response(HazardPhotoOut(hazard.photos.all(), many=True).data)
        data = validated(PhotoUploadIn, request.data)
        photo = photos.hazard_photo_add(actor=request.user, hazard=hazard, kind=data["kind"], upload=data["file"])
        return Response(HazardPhotoOut(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": LedgerUploadIn},
                   responses={200: ImportReportSerializer, 202: ImportJobOut},
                   summary="导入隐患排查治理台账（multipart：file，≤ 10 MB；超过 IMPORT_JOB_ROW_THRESHOLD 行时 202 返回导入任务）",
                   parameters=[DRY_RUN_PARAM])
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_ledger(self, request):
        """Import a 隐患排查治理台账 workbook (multipart ``file``); returns the per-row report, or 202
        with an import job (``/import-jobs/{id}/``) for a file over ``IMPORT_JOB_ROW_THRESHOLD`` rows."""
        data = validated(LedgerUploadIn, request.data)
        options = import_options(request)
        enterprise = caller_enterprise(request)
        job = as_job_if_big(request, kind="ledger", enterprise=enterprise, upload=data["file"], options=options)
        if job is not None:
            return job
        report = ledger_import(actor=request.user, enterprise=enterprise, source=data["file"], **options)
        if report.errors and not report.rows:  # nothing readable: the file itself is the problem
            raise FieldError(f"无法导入台账：{report.errors[0].message}", code=ImportErrorCode.INVALID_FILE, field="file")
        return Response(report.as_dict(), status=status.HTTP_200_OK)

    @extend_schema(request=None, summary="导出隐患台账（xlsx 或 csv）", responses={
        (200, XlsxRenderer.media_type): binary_response(XlsxRenderer.media_type, "隐患台账"),
        (200, "text/csv"): binary_response("text/csv", "隐患台账"),
    })
    @action(detail=False, methods=["get"], url_path="export",
            renderer_classes=[renderers.JSONRenderer, XlsxRenderer, CsvRenderer])
    def export(self, request):
        """The filtered list in the sample ledger's column layout: ``?format=xlsx`` (default) or ``csv``."""
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            raise FieldError("导出格式须为 xlsx 或 csv。", code=CoreErrorCode.INVALID_CHOICE, field="format")
        qs = self.filter_queryset(self.get_queryset())
        # bounded memory (BREAKIT D10): CSV streams row by row, the workbook is written to a temporary file
        if fmt == "csv":
            return StreamingHttpResponse(selectors.ledger_export_csv(qs), content_type="text/csv; charset=utf-8",
                                         headers={"Content-Disposition": 'attachment; filename="hazard-ledger.csv"'})
        return FileResponse(selectors.ledger_export_xlsx(qs), as_attachment=True, filename="hazard-ledger.xlsx",
                            content_type=XlsxRenderer.media_type)


class HazardExtensionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Deadline extension requests; ``POST /hazard-extensions/{id}/decide/`` approves or refuses."""

    queryset = HazardExtension.objects.all()
    serializer_class = HazardExtensionOut
    filterset_class = HazardExtensionFilter
    enterprise_path = "hazard__enterprise"
    write_roles = frozenset(MANAGERS)
    #: A major hazard's extension needs the regulator's approval (DOMAIN.md §3): regulators decide too.
    regulator_actions = frozenset({"decide"})
    ordering_fields = ("id", "requested_at", "status")

    @extend_schema(request=ExtensionDecisionIn, responses={200: HazardExtensionOut},
                   summary="批准或驳回延期申请")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        extension = self.get_object()
        ext = extensions.hazard_decide_extension(actor=request.user, extension=extension,
                                                 **validated(ExtensionDecisionIn, request.data))
        return Response(HazardExtensionOut(ext).data)


class HazardPhotoViewSet(mixins.RetrieveModelMixin, TenantScopedViewSet):
    """A photo's metadata and, at ``/file/``, its bytes — only to users who may see the hazard."""

    queryset = HazardPhoto.objects.all()
    serializer_class = HazardPhotoOut
    enterprise_path = "hazard__enterprise"

    @extend_schema(request=None, responses={(200, "image/*"): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                        description="照片文件")},
                   summary="下载照片文件")
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        photo = self.get_object()
        fh = open_stored(photo.file)  # 404 file_missing when the storage lost it
        resp = FileResponse(fh, content_type=photo.content_type)
        resp["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.{photo.file.name.rsplit(".", 1)[-1]}"'
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
