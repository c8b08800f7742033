"""Routes of the regulator side under /api/v1/ (included by backend/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from inspections.api import audit, views

router = SimpleRouter()
router.register("audit/enterprises", audit.AuditEnterpriseViewSet, basename="audit-enterprise")
router.register("audit/risk-points", audit.AuditRiskPointViewSet, basename="audit-risk-point")
router.register("audit/risk-events", audit.AuditRiskEventViewSet, basename="audit-risk-event")
router.register("audit/control-measures", audit.AuditControlMeasureViewSet, basename="audit-control-measure")
router.register("audit/hazards", audit.AuditHazardViewSet, basename="audit-hazard")
router.register("audit/investigation-tasks", audit.AuditInvestigationTaskViewSet, basename="audit-investigation-task")
router.register("audit/permits", audit.AuditPermitViewSet, basename="audit-permit")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("inspection-findings", views.FindingViewSet, basename="inspection-finding")
router.register("inspection-templates", views.TemplateViewSet, basename="inspection-template")
router.register("hazard-supervision", views.SupervisionViewSet, basename="hazard-supervision")
router.register("draws", views.DrawViewSet, basename="draw")
router.register("conflicts-of-interest", views.ConflictViewSet, basename="conflict-of-interest")
router.register("whistleblower-reports", views.WhistleblowerReportViewSet, basename="whistleblower-report")
router.register("public/inspection-results", views.PublicInspectionResultViewSet, basename="public-inspection-result")

urlpatterns = [
    path("public/reports/", views.PublicReportCreateView.as_view(), name="public-report-create"),
    path("public/reports/<str:code>/", views.PublicReportStatusView.as_view(), name="public-report-status"),
    *router.urls,
]
