"""The public endpoints (no authentication): closed inspections' published outcomes (双随机、一公开)
and anonymous whistleblower reports (rate-limited) with their status by tracking code."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from backend.core.api.inputs import validated
from backend.core.api.viewsets import TenantScopedViewSet
from backend.core.parsers import FormParser, JSONParser, MultiPartParser
from backend.core.throttling import PublicLookupThrottle, fail_safe_cache
from inspections.api.filters import PublicResultFilter
from inspections.api.serializers import (
    PublicReportCreatedOut,
    PublicReportIn,
    PublicReportStatusOut,
    PublicResultOut,
)
from inspections.models import Finding, Inspection
from inspections.services import whistleblower as whistleblower_services


class PublicInspectionResultViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """``GET /public/inspection-results/`` (no auth): closed inspections' outcomes (双随机、一公开)."""

    scope = "public"
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    queryset = Inspection.objects.all()
    serializer_class = PublicResultOut
    ordering_fields = ("closed_at", "planned_on", "id")
    ordering = ("-closed_at",)

    filterset_class = PublicResultFilter

    def base_queryset(self):
        return (Inspection.objects.filter(state=Inspection.State.CLOSED).select_related("enterprise", "regulator")
                .annotate(finding_count=Count("findings", distinct=True),
                          fixed_count=Count("findings", filter=Q(findings__status=Finding.Status.FIXED), distinct=True)))


class AnonReportThrottle(ScopedRateThrottle):
    """Per-client limit on anonymous reports (scope ``anon_report``). The client address is used
    only inside the cache key, and hashed there: no IP address is stored anywhere. Counters fall back
    to a local cache while Redis is down (never a 500, BREAKIT D7)."""

    cache = fail_safe_cache

    def get_ident(self, request) -> str:
        return hashlib.sha256((settings.SECRET_KEY + super().get_ident(request)).encode()).hexdigest()


class PublicReportCreateView(APIView):
    """``POST /public/reports/`` (no auth, rate-limited): file an anonymous report → ``{code, status}``.
    Keep the code: it is the only way to follow the report, and it is not stored in clear."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonReportThrottle]
    throttle_scope = "anon_report"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"application/json": PublicReportIn, "multipart/form-data": PublicReportIn},
                   responses={201: PublicReportCreatedOut}, summary="匿名举报（无需登录，限频）")
    def post(self, request):
        data = request.data
        if hasattr(data, "getlist"):  # multipart: several ``photos`` parts
            data = {k: data.get(k) for k in data if k != "photos"} | {"photos": request.FILES.getlist("photos")}
        v = validated(PublicReportIn, data)
        report, code = whistleblower_services.whistleblower_report_create(**v)
        return Response({"code": code, "status": report.status, "status_display": report.get_status_display()},
                        status=status.HTTP_201_CREATED)


class PublicReportStatusView(APIView):
    """``GET /public/reports/{code}/``: status only (a wrong code is 404). Rate-limited per client
    address (``PUBLIC_LOOKUP_RATE``, default 30/minute), so codes cannot be guessed at speed."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="举报时返回的查询码")],
                   responses={200: PublicReportStatusOut}, summary="按查询码查询举报进度")
    def get(self, request, code: str):
        r = whistleblower_services.whistleblower_report_by_code(code)
        return Response({"status": r.status, "status_display": r.get_status_display(), "created_at": r.created_at,
                         "updated_at": r.updated_at})
