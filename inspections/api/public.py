"""The public endpoints (no authentication): closed inspections' published outcomes (双随机、一公开)
and anonymous whistleblower reports (rate-limited) with their status by tracking code."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from backend.core.api.inputs import validated
from backend.core.api.viewsets import TenantScopedViewSet
from backend.core.parsers import FormParser, JSONParser, MultiPartParser
from backend.core.throttling import PublicLookupThrottle, fail_safe_cache
from inspections.api.filters import PublicDrawFilter, PublicResultFilter
from inspections.api.serializers import (
    PublicDrawOut,
    PublicReportCreatedOut,
    PublicReportIn,
    PublicReportStatusOut,
    PublicResultOut,
)
from inspections.models import Draw, Finding, Inspection
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
        return _with_outcomes(Inspection.objects.select_related("enterprise", "regulator"))


def _with_outcomes(qs):
    """Closed inspections with their finding and fixed counts (annotated in the one query)."""
    return (qs.filter(state=Inspection.State.CLOSED)
            .annotate(finding_count=Count("findings", distinct=True),
                      fixed_count=Count("findings", filter=Q(findings__status=Finding.Status.FIXED), distinct=True)))


class PublicDrawViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """``GET /public/draws/`` (no auth): the published 双随机 draws (双随机、一公开) of every regulator,
    newest first, each with its seed and sizes and the outcomes of its closed inspections (enterprise
    name, closing time, findings, fixed). No inspector names or ids, no candidate list, nothing of an
    inspection not yet closed. Filter ``regulator`` (id). Constant queries per page."""

    scope = "public"
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    queryset = Draw.objects.all()
    serializer_class = PublicDrawOut
    filterset_class = PublicDrawFilter
    ordering_fields = ("published_at", "planned_on", "id")
    ordering = ("-published_at",)

    def base_queryset(self):
        closed = _with_outcomes(Inspection.objects.select_related("enterprise")).order_by("closed_at", "id")
        return (Draw.objects.filter(published_at__isnull=False).select_related("regulator")
                .prefetch_related(Prefetch("inspections", queryset=closed, to_attr="closed_inspections")))


class AnonReportThrottle(ScopedRateThrottle):
    """Per-client limit on anonymous reports (scope ``anon_report``, ``WHISTLEBLOWER_RATE``). Only
    *accepted* reports use the quota: the check before the view does not count the request, and the
    view calls :meth:`record` once the report is filed, so a refused submission (400/413, e.g. a
    missing field or a bad photo) leaves the sender's hourly quota as it was. The client address is
    used only inside the cache key, and hashed there: no IP address is stored anywhere. Counters fall
    back to a local cache while Redis is down (never a 500, BREAKIT D7)."""

    cache = fail_safe_cache

    def get_ident(self, request) -> str:
        return hashlib.sha256((settings.SECRET_KEY + super().get_ident(request)).encode()).hexdigest()

    def throttle_success(self) -> bool:
        return True  # checked, not counted: :meth:`record` counts an accepted report

    def record(self, request, view) -> None:
        """Count one accepted report against the sender's quota (re-read, so concurrent ones add up)."""
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None or self.duration is None:
            return
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - self.duration]
        self.cache.set(key, [now, *history], self.duration)


class AnonReportAttemptThrottle(PublicLookupThrottle):
    """Every submission, accepted or refused, within ``PUBLIC_LOOKUP_RATE`` (default 30/minute) per
    client address, on its own counter: refused submissions do not use the hourly quota, but cannot
    be sent at speed either."""

    cache_format = "throttle_report_attempt_%(scope)s_%(ident)s"


#: A text with at least one non-space character (the API trims surrounding spaces, then refuses "").
NOT_BLANK = r"\S"


class PublicReportInSchema(OpenApiSerializerExtension):
    """The report body's schema states the one rule a field list cannot: ``description`` is required,
    and at least one of ``enterprise_name`` / ``location`` (``allOf: [{anyOf: …}]``), as
    :func:`inspections.services.whistleblower.whistleblower_report_create` enforces."""

    target_class = "inspections.api.serializers.PublicReportIn"

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["properties"]["description"]["pattern"] = NOT_BLANK  # surrounding spaces are trimmed
        for prop in schema["properties"].values():
            prop.pop("default", None)  # an optional field, not one the client must send (typed clients)
        # allOf[anyOf]: a typed client reads "these fields, and one of the two" (an intersection)
        schema["allOf"] = [{"anyOf": [
            {"type": "object", "required": [name], "properties": {name: {"type": "string", "pattern": NOT_BLANK}}}
            for name in ("enterprise_name", "location")]}]
        return schema


class PublicReportCreateView(APIView):
    """``POST /public/reports/`` (no auth, rate-limited): file an anonymous report → ``{code, status}``.
    Keep the code: it is the only way to follow the report, and it is not stored in clear.

    Required: ``description`` and at least one of ``enterprise_name`` / ``location`` (400 ``required``
    naming ``enterprise_name`` when both are blank); ``division_code`` when ``enterprise_name`` is not a
    registered enterprise's exact name (400 ``division_required``; an unknown or uncovered code is
    ``unknown_division``). At most ``WHISTLEBLOWER_RATE`` accepted reports per sender and hour (429);
    refused submissions do not count."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonReportAttemptThrottle, AnonReportThrottle]
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
        AnonReportThrottle().record(request, self)
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
