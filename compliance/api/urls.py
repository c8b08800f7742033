"""Routes of the compliance API: one router over the register, hazards and investigation tasks
(and their jurisdiction read views at ``audit/…`` and the regulator's ``hazard-supervision``),
plus the register workbook import and export."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from compliance.api.views.accident_types import AccidentStandardView, AccidentTypesView
from compliance.api.views.checklists import ChecklistsView
from compliance.api.views.daily import CommitmentPrefillView, CommitmentStatusView, DailyCommitmentViewSet
from compliance.api.views.hazards import HazardExtensionViewSet, HazardPhotoViewSet, HazardViewSet
from compliance.api.views.imports import ImportJobViewSet
from compliance.api.views.investigation import InvestigationTaskViewSet
from compliance.api.views.jurisdiction import (
    JurisdictionControlMeasureViewSet,
    JurisdictionHazardViewSet,
    JurisdictionInvestigationTaskViewSet,
    JurisdictionRiskEventViewSet,
    JurisdictionRiskPointViewSet,
)
from compliance.api.views.labels import RiskPointLabelsView
from compliance.api.views.register import (
    ControlMeasureViewSet,
    RegisterExportView,
    RegisterImportView,
    RiskEventViewSet,
    RiskPointViewSet,
)
from compliance.api.views.riskmap import PlantLayoutImageView, PlantLayoutView, RiskMapView, RiskZoneViewSet
from compliance.api.views.supervision import SupervisionViewSet

router = SimpleRouter()
router.register("risk-points", RiskPointViewSet, basename="risk-point")
router.register("risk-events", RiskEventViewSet, basename="risk-event")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("hazard-extensions", HazardExtensionViewSet, basename="hazard-extension")
router.register("hazard-photos", HazardPhotoViewSet, basename="hazard-photo")
router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")
router.register("risk-commitments", DailyCommitmentViewSet, basename="risk-commitment")
# big register/ledger uploads run by the worker (state, progress, report)
router.register("import-jobs", ImportJobViewSet, basename="import-job")
# 四色风险分布图: zones drawn on the plant layout, the plan itself and the map (compliance.api.views.riskmap).
router.register("risk-zones", RiskZoneViewSet, basename="risk-zone")
# The jurisdiction read API (URLs and route names kept): regulators read these read-only, and
# supervise their jurisdiction's hazards (挂牌督办).
router.register("audit/risk-points", JurisdictionRiskPointViewSet, basename="audit-risk-point")
router.register("audit/risk-events", JurisdictionRiskEventViewSet, basename="audit-risk-event")
router.register("audit/control-measures", JurisdictionControlMeasureViewSet, basename="audit-control-measure")
router.register("audit/hazards", JurisdictionHazardViewSet, basename="audit-hazard")
router.register("audit/investigation-tasks", JurisdictionInvestigationTaskViewSet, basename="audit-investigation-task")
router.register("hazard-supervision", SupervisionViewSet, basename="hazard-supervision")

urlpatterns = [
    path("risk-points/labels.pdf", RiskPointLabelsView.as_view(), name="risk-point-labels"),
    path("risk-register/import/", RegisterImportView.as_view({"post": "create"}), name="risk-register-import"),
    path("risk-register/export/", RegisterExportView.as_view({"get": "list"}), name="risk-register-export"),
    path("checklists/", ChecklistsView.as_view(), name="checklists"),
    path("accident-types/", AccidentTypesView.as_view(), name="accident-types"),
    path("accident-types/standard/", AccidentStandardView.as_view(), name="accident-standard"),
    path("risk-commitments/prefill/", CommitmentPrefillView.as_view(), name="risk-commitment-prefill"),
    path("audit/risk-commitment-status/", CommitmentStatusView.as_view(), name="risk-commitment-status"),
    path("plant-layout/", PlantLayoutView.as_view(), name="plant-layout"),
    path("plant-layout/image/", PlantLayoutImageView.as_view(), name="plant-layout-image"),
    path("risk-map/", RiskMapView.as_view(), name="risk-map"),
    *router.urls,
]
