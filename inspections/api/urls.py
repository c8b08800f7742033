"""Routes of the regulator side under /api/v1/ (included by backend/urls.py). The jurisdiction
read API keeps its ``audit/…`` URLs and route names (clients depend on them)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from inspections.api import draws, inspections, jurisdiction, public, supervision, whistleblower

router = SimpleRouter()
router.register("audit/enterprises", jurisdiction.JurisdictionEnterpriseViewSet, basename="audit-enterprise")
router.register("audit/risk-points", jurisdiction.JurisdictionRiskPointViewSet, basename="audit-risk-point")
router.register("audit/risk-events", jurisdiction.JurisdictionRiskEventViewSet, basename="audit-risk-event")
router.register("audit/control-measures", jurisdiction.JurisdictionControlMeasureViewSet,
                basename="audit-control-measure")
router.register("audit/hazards", jurisdiction.JurisdictionHazardViewSet, basename="audit-hazard")
router.register("audit/investigation-tasks", jurisdiction.JurisdictionInvestigationTaskViewSet,
                basename="audit-investigation-task")
router.register("audit/permits", jurisdiction.JurisdictionPermitViewSet, basename="audit-permit")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("inspection-findings", inspections.FindingViewSet, basename="inspection-finding")
router.register("inspection-templates", inspections.TemplateViewSet, basename="inspection-template")
router.register("hazard-supervision", supervision.SupervisionViewSet, basename="hazard-supervision")
router.register("draws", draws.DrawViewSet, basename="draw")
router.register("conflicts-of-interest", draws.ConflictViewSet, basename="conflict-of-interest")
router.register("whistleblower-reports", whistleblower.WhistleblowerReportViewSet, basename="whistleblower-report")
router.register("whistleblower-photos", whistleblower.WhistleblowerPhotoViewSet, basename="whistleblower-photo")
router.register("public/inspection-results", public.PublicInspectionResultViewSet, basename="public-inspection-result")

urlpatterns = [
    path("public/reports/", public.PublicReportCreateView.as_view(), name="public-report-create"),
    path("public/reports/<str:code>/", public.PublicReportStatusView.as_view(), name="public-report-status"),
    *router.urls,
]
