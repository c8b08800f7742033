"""Shared fixtures: every test gets an owner enterprise (with a user per role), an outsider
enterprise, and two regulators (高青县, and another county), so every endpoint's test can assert
isolation. Network access is blocked."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import Role
from tests.factories import EnterpriseFactory, RegulatorFactory, member


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Tests run as the application's database role when DATABASE_APP_ROLE is set (tests/helpers/dbroles.py)."""
    from tests.helpers.dbroles import switch_back, switch_to_app_role

    with django_db_blocker.unblock():
        owner = switch_to_app_role()
    yield
    with django_db_blocker.unblock():
        switch_back(owner)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch, request):
    """Tests never reach outside this machine (loopback stays allowed for real services)."""
    if request.node.get_closest_marker("integration"):
        return
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise RuntimeError(f"network access blocked in tests: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache (Redis in CI): every test starts from an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded and rendered files go to the test's own folder (never var/, never another test's)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orgs(db):
    """owner (enterprise A, 高青县), outsider (enterprise B, another county), regulators and users."""
    owner = EnterpriseFactory(name="高青澄源化工有限公司测试", division_code="370322102")
    outsider = EnterpriseFactory(name="外县化工有限公司", division_code="370303")
    gaoqing = RegulatorFactory(name="高青县应急管理局", jurisdiction="370322")
    other_reg = RegulatorFactory(name="张店区应急管理局", jurisdiction="370303")
    return SimpleNamespace(
        owner=owner,
        outsider=outsider,
        gaoqing=gaoqing,
        other_reg=other_reg,
        admin=member(owner, Role.ADMIN),
        officer=member(owner, Role.SAFETY_OFFICER, full_name="刘晓燕"),
        colleague=member(owner, Role.SAFETY_OFFICER, full_name="王强"),
        principal=member(owner, Role.PRINCIPAL, full_name="韩德茂"),
        employee=member(owner, Role.EMPLOYEE, full_name="张工"),
        outsider_officer=member(outsider, Role.SAFETY_OFFICER),
        outsider_admin=member(outsider, Role.ADMIN),
        inspector=member(gaoqing, Role.INSPECTOR, full_name="李检查"),
        inspector2=member(gaoqing, Role.INSPECTOR, full_name="赵检查"),
        reg_admin=member(gaoqing, Role.ADMIN),
        other_inspector=member(other_reg, Role.INSPECTOR),
        other_reg_admin=member(other_reg, Role.ADMIN),
    )


@pytest.fixture
def api():
    """``api(user)`` → an APIClient authenticated as ``user`` (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make
