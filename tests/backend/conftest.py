"""Fixtures of the kernel API tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The OpenAPI schema as served at ``/api/schema/`` (JSON), once per module."""
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        r = APIClient().get("/api/schema/?format=json")
    assert r.status_code == 200
    return r.json()
