"""Registration, review, authentication and tenancy of the platform (issue: foundation)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from django.db import connection

from backend.accounts.models import Enterprise, Role
from tests.factories import make_uscc, member

REGISTER = "/api/v1/enterprises/register/"


def register_body(**over):
    body = {
        "name": "高青县新注册化工有限公司",
        "uscc": make_uscc(900),
        "division_code": "370322102",
        "industry": "化工",
        "admin_username": "newadmin",
        "admin_password": "a-long-password",
    }
    body.update(over)
    return body


def error_codes(resp):
    return {(e.get("attr"), e["code"]) for e in resp.json()["errors"]}


@pytest.mark.django_db
class TestRegistration:
    def test_creates_pending_enterprise_and_admin(self, api, orgs):
        r = api().post(REGISTER, register_body(), format="json")
        assert r.status_code == 201, r.json()
        ent = Enterprise.objects.get(uscc=r.json()["uscc"])
        assert ent.status == "pending"
        assert ent.members.get().role == Role.ADMIN

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("uscc", "91370322MA3CP88880", "invalid_checksum"),  # enterprises.csv line 9
            ("uscc", "123", "invalid_format"),
            ("division_code", "", "required"),
            ("division_code", "999999", "unknown_division"),
            ("division_code", "37032", "invalid_format"),
            ("name", "坏\x00名字", "null_characters_not_allowed"),
        ],
    )
    def test_bad_input_is_a_coded_400_naming_the_field(self, api, orgs, field, value, code):
        r = api().post(REGISTER, register_body(**{field: value}), format="json")
        assert r.status_code == 400
        assert (field, code) in error_codes(r)
        assert not Enterprise.objects.filter(name="高青县新注册化工有限公司").exists()

    def test_duplicate_uscc_is_400(self, api, orgs):
        r = api().post(REGISTER, register_body(uscc=orgs.owner.uscc), format="json")
        assert r.status_code == 400
        assert ("uscc", "duplicate") in error_codes(r)

    def test_pending_enterprise_cannot_write(self, api, orgs):
        api().post(REGISTER, register_body(), format="json")
        ent = Enterprise.objects.get(name="高青县新注册化工有限公司")
        user = ent.members.get().user
        r = api(user).post("/api/v1/risk-points/", {"code": "X-1", "name": "x", "kind": "place"}, format="json")
        assert r.status_code == 403
        assert r.json()["errors"][0]["code"] == "enterprise_not_approved"

    def test_regulator_admin_approves_within_jurisdiction(self, api, orgs):
        api().post(REGISTER, register_body(), format="json")
        ent = Enterprise.objects.get(name="高青县新注册化工有限公司")
        assert api(orgs.other_reg_admin).post(f"/api/v1/enterprises/{ent.pk}/approve/").status_code == 404
        assert api(orgs.inspector).post(f"/api/v1/enterprises/{ent.pk}/approve/").status_code == 403
        r = api(orgs.reg_admin).post(f"/api/v1/enterprises/{ent.pk}/approve/", {"reason": "资料齐全"}, format="json")
        assert r.status_code == 200, r.json()
        ent.refresh_from_db()
        assert ent.status == "approved"
        again = api(orgs.reg_admin).post(f"/api/v1/enterprises/{ent.pk}/reject/")
        assert again.status_code == 409  # the one wrong-state code (was not_pending)
        assert again.json()["errors"][0] == {"code": "invalid_transition", "attr": "state",
                                             "detail": "“已通过”状态不能执行“驳回”。"}


@pytest.mark.django_db(transaction=True)
def test_duplicate_registration_race_is_never_a_500(api, orgs):
    body = register_body()
    results = []

    def go(i):
        try:
            r = api().post(REGISTER, {**body, "admin_username": f"racer{i}"}, format="json")
            results.append(r.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count(201) == 1
    assert all(code in (201, 400) for code in results), results
    assert Enterprise.objects.filter(uscc=body["uscc"]).count() == 1


@pytest.mark.django_db
class TestAuth:
    def test_login_returns_expiring_token_and_logout_revokes_it(self, api, orgs):
        r = api().post("/api/v1/auth/login/", {"username": orgs.officer.username, "password": "pass-12345"}, format="json")
        assert r.status_code == 200
        token = r.json()["token"]
        assert r.json()["expiry"]
        client = api()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/auth/me/").json()["membership"]["role"] == "safety_officer"
        assert client.post("/api/v1/auth/logout/").status_code == 204
        assert client.get("/api/v1/auth/me/").status_code == 401

    def test_wrong_password_is_coded(self, api, orgs):
        r = api().post("/api/v1/auth/login/", {"username": orgs.officer.username, "password": "nope"}, format="json")
        assert r.status_code == 400
        assert r.json()["errors"][0]["code"] == "invalid_credentials"

    def test_anonymous_gets_401(self, api, orgs):
        assert api().get("/api/v1/risk-points/").status_code == 401


@pytest.mark.django_db
class TestEnterpriseScoping:
    def test_enterprise_user_sees_only_itself(self, api, orgs):
        ids = [e["id"] for e in api(orgs.officer).get("/api/v1/enterprises/").json()["results"]]
        assert ids == [orgs.owner.pk]
        assert api(orgs.officer).get(f"/api/v1/enterprises/{orgs.outsider.pk}/").status_code == 404

    def test_regulator_sees_its_jurisdiction(self, api, orgs):
        ids = {e["id"] for e in api(orgs.inspector).get("/api/v1/enterprises/").json()["results"]}
        assert orgs.owner.pk in ids and orgs.outsider.pk not in ids
        assert api(orgs.inspector).get(f"/api/v1/enterprises/{orgs.outsider.pk}/").status_code == 404

    def test_thirty_digit_id_is_404_not_500(self, api, orgs):
        for bad in ("9" * 30, "-1", "abc"):
            r = api(orgs.officer).get(f"/api/v1/enterprises/{bad}/")
            assert r.status_code == 404
            assert r.json()["errors"][0]["code"] == "not_found"

    def test_unknown_ordering_is_400(self, api, orgs):
        r = api(orgs.officer).get("/api/v1/enterprises/?ordering=password")
        assert r.status_code == 400
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("ordering", "invalid_ordering")

    def test_login_is_throttled_per_username(self, api, orgs, settings):
        for _ in range(10):
            api().post("/api/v1/auth/login/", {"username": orgs.officer.username, "password": "x"}, format="json")
        r = api().post("/api/v1/auth/login/", {"username": orgs.officer.username, "password": "pass-12345"}, format="json")
        assert r.status_code == 429

    def test_forwarded_for_does_not_reset_the_address_throttle(self, api, orgs):
        # Registration is throttled per client address (30/hour); a spoofed X-Forwarded-For is not an address.
        codes = [api().post(REGISTER, {}, format="json", HTTP_X_FORWARDED_FOR=f"10.9.{i}.1").status_code
                 for i in range(31)]
        assert codes[:30] == [400] * 30
        assert codes[30] == 429

    def test_unknown_filter_is_400(self, api, orgs):
        r = api(orgs.officer).get("/api/v1/enterprises/?colour=red")
        assert r.status_code == 400
        assert r.json()["errors"][0]["attr"] == "colour"


def test_refuses_to_start_with_debug_off_and_dev_secret(tmp_path):
    env = {"DEBUG": "False", "PATH": "/usr/bin:/bin", "SHUANGFANG_VAR_DIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backend.settings'; django.setup()"],
                       env=env, capture_output=True, text=True, cwd=".")
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


@pytest.mark.django_db
def test_employee_cannot_write_register(api, orgs):
    r = api(orgs.employee).post("/api/v1/risk-points/", {"code": "X-1", "name": "x", "kind": "place"}, format="json")
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "role_not_allowed"
    _ = member  # factories imported for other modules
