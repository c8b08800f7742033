"""Routes of the regulator side under /api/v1/ (included by backend/urls.py). The jurisdiction
read API keeps its ``audit/…`` URLs and route names (clients depend on them); each app registers
its own part (``audit/enterprises`` here, the registers and hazards in ``compliance.api.urls``,
the permits in ``special_ops.api.urls``)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from inspections.api import draws, inspections, jurisdiction, public, record, riskmap, whistleblower

router = SimpleRouter()
router.register("audit/enterprises", jurisdiction.JurisdictionEnterpriseViewSet, basename="audit-enterprise")
# 安全风险一张图: the jurisdiction's enterprises as GeoJSON and its offline boundary data.
router.register("audit/risk-map", riskmap.RiskMapViewSet, basename="audit-risk-map")
router.register("audit/boundaries", riskmap.BoundaryViewSet, basename="audit-boundary")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("inspection-findings", inspections.FindingViewSet, basename="inspection-finding")
router.register("inspection-templates", inspections.TemplateViewSet, basename="inspection-template")
router.register("draws", draws.DrawViewSet, basename="draw")
router.register("conflicts-of-interest", draws.ConflictViewSet, basename="conflict-of-interest")
router.register("whistleblower-reports", whistleblower.WhistleblowerReportViewSet, basename="whistleblower-report")
router.register("whistleblower-photos", whistleblower.WhistleblowerPhotoViewSet, basename="whistleblower-photo")
router.register("public/inspection-results", public.PublicInspectionResultViewSet, basename="public-inspection-result")
router.register("public/draws", public.PublicDrawViewSet, basename="public-draw")

urlpatterns = [
    # the inspection record PDF: the inspecting regulator's and the inspected enterprise's (inspections.api.record)
    re_path(r"^inspections/(?P<pk>[0-9]{1,18})/record\.pdf$", record.InspectionRecordPdfView.as_view(),
            name="inspection-record-pdf"),
    path("public/reports/", public.PublicReportCreateView.as_view(), name="public-report-create"),
    path("public/reports/<str:code>/", public.PublicReportStatusView.as_view(), name="public-report-status"),
    *router.urls,
]
