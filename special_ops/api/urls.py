from rest_framework.routers import SimpleRouter

from special_ops.api.prework import JurisdictionPreworkReportViewSet
from special_ops.api.views import PermitViewSet

router = SimpleRouter()
router.register("permits", PermitViewSet, basename="permit")
# 作业前报告: the regulators' feed of the day's pre-work reports (special_ops.api.prework).
router.register("audit/prework-reports", JurisdictionPreworkReportViewSet, basename="audit-prework-report")

urlpatterns = router.urls
