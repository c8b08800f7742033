from rest_framework.routers import SimpleRouter

from compliance.api.register import ControlMeasureViewSet, RiskEventViewSet, RiskPointViewSet

router = SimpleRouter()
router.register("risk-points", RiskPointViewSet, basename="risk-point")
router.register("risk-events", RiskEventViewSet, basename="risk-event")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")

urlpatterns = router.urls

from django.urls import path  # noqa: E402

from compliance.api.register import RegisterImportView  # noqa: E402

urlpatterns += [path("risk-register/import/", RegisterImportView.as_view({"post": "create"}), name="risk-register-import")]
from compliance.api.hazards import HazardExtensionViewSet, HazardPhotoViewSet, HazardViewSet  # noqa: E402

hazard_router = SimpleRouter()
hazard_router.register("hazards", HazardViewSet, basename="hazard")
hazard_router.register("hazard-extensions", HazardExtensionViewSet, basename="hazard-extension")
hazard_router.register("hazard-photos", HazardPhotoViewSet, basename="hazard-photo")
urlpatterns += hazard_router.urls
from compliance.api.investigation import InvestigationTaskViewSet  # noqa: E402

task_router = SimpleRouter()
task_router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")
urlpatterns += task_router.urls
