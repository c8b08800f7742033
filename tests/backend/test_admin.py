"""Every model has a Chinese admin page that renders."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

SKIP_APPS = {"contenttypes", "sessions", "admin"}


def test_every_model_is_in_the_admin():
    missing = [m._meta.label for m in apps.get_models() if m not in admin.site._registry and m._meta.app_label not in SKIP_APPS
               and m._meta.label != "auth.Permission"]
    assert missing == []


@pytest.mark.django_db
def test_every_changelist_renders(client, orgs, django_user_model):
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-12345")
    client.force_login(su)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        r = client.get(url)
        assert r.status_code == 200, url
    assert "双防" in client.get(reverse("admin:index")).content.decode()
