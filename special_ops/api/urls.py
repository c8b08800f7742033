"""Routes of the special-operation permits under /api/v1/ (included by backend/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from special_ops.api.console import DashboardView, MyTodosView
from special_ops.api.exports import PermitLedgerExportView
from special_ops.api.jurisdiction import JurisdictionPermitViewSet
from special_ops.api.lifts import LiftRecordViewSet
from special_ops.api.prework import JurisdictionPreworkReportViewSet
from special_ops.api.views import PermitViewSet

router = SimpleRouter()
router.register("permits", PermitViewSet, basename="permit")
# Lifts under 10 t done without a permit: their risk analysis and measures (Table B.1 note 3).
router.register("lift-records", LiftRecordViewSet, basename="lift-record")
# The jurisdiction read API (URL and route names kept): regulators read their jurisdiction's permits.
router.register("audit/permits", JurisdictionPermitViewSet, basename="audit-permit")
# 作业前报告: the regulators' feed of the day's pre-work reports (special_ops.api.prework).
router.register("audit/prework-reports", JurisdictionPreworkReportViewSet, basename="audit-prework-report")

urlpatterns = [
    path("me/todos/", MyTodosView.as_view(), name="me-todos"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    # before the router: "export" would otherwise be read as a permit id
    path("permits/export/", PermitLedgerExportView.as_view({"get": "list"}), name="permit-ledger-export"),
    *router.urls,
]
