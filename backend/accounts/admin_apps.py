"""``django.contrib.admin`` with the project's admin site (:mod:`backend.accounts.admin_site`)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "backend.accounts.admin_site.AdminSite"
