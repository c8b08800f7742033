from rest_framework.routers import SimpleRouter

from compliance.api.register import ControlMeasureViewSet, RiskEventViewSet, RiskPointViewSet

router = SimpleRouter()
router.register("risk-points", RiskPointViewSet, basename="risk-point")
router.register("risk-events", RiskEventViewSet, basename="risk-event")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")

urlpatterns = router.urls
