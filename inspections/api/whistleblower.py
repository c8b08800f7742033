"""Whistleblower reports concerning the caller's jurisdiction and their triage
(:mod:`inspections.services.whistleblower`)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api.inputs import validated
from backend.core.api.permissions import roles_from
from backend.core.api.viewsets import RegulatorScopedViewSet
from backend.core.uploads import open_stored
from inspections.api.filters import WhistleblowerReportFilter
from inspections.api.serializers import (
    AcceptIn,
    CreateHazardIn,
    OpenInspectionIn,
    WhistleblowerRejectIn,
    WhistleblowerReportOut,
)
from inspections.models import WhistleblowerPhoto, WhistleblowerReport
from inspections.rules.states import WHISTLEBLOWER_MACHINE
from inspections.services import whistleblower as whistleblower_services


class WhistleblowerReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """Reports concerning the caller's jurisdiction; ``accept``, ``reject``, ``open-inspection``,
    ``create-hazard`` triage them."""

    queryset = WhistleblowerReport.objects.all()
    scope = "jurisdiction"
    division_path = "division_code"
    regulator_roles = roles_from(WHISTLEBLOWER_MACHINE)  # the transition table is the one role list
    serializer_class = WhistleblowerReportOut
    ordering_fields = ("id", "created_at", "status")
    ordering = ("-created_at",)

    filterset_class = WhistleblowerReportFilter

    def base_queryset(self):
        return WhistleblowerReport.objects.prefetch_related("photos")

    def _out(self, r: WhistleblowerReport) -> Response:
        return Response(WhistleblowerReportOut(self.get_queryset().get(pk=r.pk)).data)

    @extend_schema(request=AcceptIn, responses={200: WhistleblowerReportOut}, summary="受理举报")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = validated(AcceptIn, request.data)
        return self._out(whistleblower_services.whistleblower_report_accept(actor=self.actor, report=self.get_object(), note=data["note"],
                                                         enterprise=data.get("enterprise")))

    @extend_schema(request=WhistleblowerRejectIn, responses={200: WhistleblowerReportOut}, summary="不予受理")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = validated(WhistleblowerRejectIn, request.data)
        return self._out(whistleblower_services.whistleblower_report_reject(actor=self.actor, report=self.get_object(), reason=data["reason"]))

    @extend_schema(request=OpenInspectionIn, responses={200: WhistleblowerReportOut}, summary="据举报立案检查")
    @action(detail=True, methods=["post"], url_path="open-inspection")
    def open_inspection(self, request, pk=None):
        data = validated(OpenInspectionIn, request.data)
        return self._out(whistleblower_services.whistleblower_report_open_inspection(actor=self.actor, report=self.get_object(), **data))

    @extend_schema(request=CreateHazardIn, responses={200: WhistleblowerReportOut}, summary="据举报登记隐患")
    @action(detail=True, methods=["post"], url_path="create-hazard")
    def create_hazard(self, request, pk=None):
        data = validated(CreateHazardIn, request.data)
        return self._out(whistleblower_services.whistleblower_report_create_hazard(actor=self.actor, report=self.get_object(), **data))


class WhistleblowerPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = WhistleblowerPhoto
        fields = ("id", "report", "content_type", "size")
        read_only_fields = fields


class WhistleblowerPhotoViewSet(mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """A report's photo: metadata, and at ``/file/`` its bytes streamed from the storage (local or S3) —
    only to members of a regulator covering the report's division (404 otherwise; enterprises 403)."""

    queryset = WhistleblowerPhoto.objects.all()
    scope = "jurisdiction"
    division_path = "report__division_code"
    serializer_class = WhistleblowerPhotoSerializer

    @extend_schema(request=None, responses={(200, "image/*"): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                        description="举报照片文件")},
                   summary="下载举报照片")
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        photo = self.get_object()
        resp = FileResponse(open_stored(photo.file), content_type=photo.content_type)
        resp["Content-Disposition"] = f'inline; filename="whistleblower-photo-{photo.pk}.{photo.file.name.rsplit(".", 1)[-1]}"'
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
