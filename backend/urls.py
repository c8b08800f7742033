"""Composition root of the URL space: every app's API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from backend.accounts.api import views as accounts
from backend.console.views import index as console_index
from backend.core.api.schema_view import SchemaView
from backend.core.views import api_not_found
from backend.notifications.api.views import NotificationViewSet

admin.site.site_header = "双防 Shuangfang 管理后台"
admin.site.site_title = "双防管理后台"
admin.site.index_title = "数据管理"

router = SimpleRouter()
router.register("enterprises", accounts.EnterpriseViewSet, basename="enterprise")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("members", accounts.MemberViewSet, basename="member")

api_v1 = [
    path("auth/login/", accounts.LoginView.as_view(), name="login"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("auth/me/", accounts.MeView.as_view(), name="me"),
    path("auth/csrf/", accounts.CsrfView.as_view(), name="csrf"),
    path("auth/session/", accounts.SessionView.as_view(), name="session"),
    path("enterprises/register/", accounts.EnterpriseRegisterView.as_view(), name="enterprise-register"),
    *router.urls,
    path("", include("compliance.api.urls")),
    path("", include("special_ops.api.urls")),
    path("", include("inspections.api.urls")),
    path("", include("inspections.reports.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    re_path(r"^api/", api_not_found),
    # The web console's history fallback: every other path (not /admin/, /static/, /media/) is its index.html,
    # except a path naming a file (last segment with an extension: /favicon.ico, a stale chunk) — a 404.
    re_path(r"^(?!api(?:/|$)|admin(?:/|$)|static(?:/|$)|media(?:/|$))(?!(?:.*/)?[^/]*\.[A-Za-z0-9]+/?$).*$",
            console_index, name="console"),
]
