"""URLs of the 双报告 API (included under /api/v1/ by backend/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from inspections.reports.api import ReportJobViewSet, ReportVerifyView

router = SimpleRouter()
router.register("reports", ReportJobViewSet, basename="report")

urlpatterns = [
    path("reports/verify/", ReportVerifyView.as_view(), name="report-verify"),
    *router.urls,
]
