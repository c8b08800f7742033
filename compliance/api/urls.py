"""Routes of the compliance API: one router over the register, hazards and investigation tasks,
plus the register workbook import."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from compliance.api.views.checklists import ChecklistsView
from compliance.api.views.hazards import HazardExtensionViewSet, HazardPhotoViewSet, HazardViewSet
from compliance.api.views.investigation import InvestigationTaskViewSet
from compliance.api.views.register import (
    ControlMeasureViewSet,
    RegisterImportView,
    RiskEventViewSet,
    RiskPointViewSet,
)

router = SimpleRouter()
router.register("risk-points", RiskPointViewSet, basename="risk-point")
router.register("risk-events", RiskEventViewSet, basename="risk-event")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("hazard-extensions", HazardExtensionViewSet, basename="hazard-extension")
router.register("hazard-photos", HazardPhotoViewSet, basename="hazard-photo")
router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")

urlpatterns = [
    path("risk-register/import/", RegisterImportView.as_view({"post": "create"}), name="risk-register-import"),
    path("checklists/", ChecklistsView.as_view(), name="checklists"),
    *router.urls,
]
