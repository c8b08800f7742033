"""BREAKIT.md reproductions of the security rows (D1, D2, D7, D8, D9, D20), each kept fixed.

Each test replays the finding's minimal reproduction and asserts the coded 4xx or behaviour.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.test import Client

from backend.accounts.models import Role

LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/enterprises/register/"
PASSWORD = "pass-12345"


def _login(api, username, password="x", **extra):
    return api().post(LOGIN, {"username": username, "password": password}, format="json", **extra)


@pytest.mark.django_db
class TestD1LoginThrottleOnNormalisedIdentity:
    VARIANTS = [" officer", "officer ", "  officer", "officer\t", "\u3000officer", "ｏｆｆｉｃｅｒ", "OFFICER",
                "officer\u200b", "\u00a0officer"]

    def test_variants_share_the_limit_of_the_account(self, api, orgs):
        orgs.officer.username = "officer"
        orgs.officer.save()
        for _ in range(10):
            assert _login(api, "officer", REMOTE_ADDR="10.0.0.1").status_code == 400
        for i, variant in enumerate(self.VARIANTS):
            r = _login(api, variant, REMOTE_ADDR=f"10.0.1.{i}")
            assert r.status_code == 429, variant
        # and the right password through a variant does not get in while the account is limited
        assert _login(api, " officer", PASSWORD, REMOTE_ADDR="10.0.2.1").status_code == 429

    def test_login_matches_the_username_as_normalised(self, api, orgs):
        orgs.officer.username = "officer"
        orgs.officer.save()
        for variant in (" officer", "officer ", "ｏｆｆｉｃｅｒ"):
            assert _login(api, variant, PASSWORD).status_code == 200, variant

    def test_one_address_is_limited_over_all_usernames(self, api, orgs):
        codes = [_login(api, f"nobody{i}", REMOTE_ADDR="10.0.3.3").status_code for i in range(31)]
        assert codes[:30] == [400] * 30
        assert codes[30] == 429
        assert _login(api, "nobody-else", REMOTE_ADDR="10.0.3.4").status_code == 400  # another address


def _admin_post(client, username, password):
    client.get("/admin/login/")
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR="10.1.0.1")


@pytest.mark.django_db
class TestD2AdminLogin:
    def test_admin_login_is_limited_like_the_api(self, django_user_model):
        django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
        client = Client(enforce_csrf_checks=True)
        codes = []
        for _ in range(10):
            client.get("/admin/login/")
            token = client.cookies["csrftoken"].value
            codes.append(client.post("/admin/login/", {"username": "root", "password": "wrong", "csrfmiddlewaretoken": token},
                                     REMOTE_ADDR="10.1.0.1").status_code)
        assert codes == [200] * 10  # the form again, with its error
        token = client.cookies["csrftoken"].value
        r = client.post("/admin/login/", {"username": " root", "password": PASSWORD, "csrfmiddlewaretoken": token},
                        REMOTE_ADDR="10.1.0.2")
        assert r.status_code == 429
        assert int(r["Retry-After"]) >= 1

    def test_admin_and_api_share_one_limit(self, api, orgs):
        for _ in range(10):
            _login(api, orgs.officer.username)
        r = _admin_post(Client(), orgs.officer.username, PASSWORD)
        assert r.status_code == 429

    def test_demo_creates_no_superuser_with_the_published_password(self, django_user_model, monkeypatch):
        from inspections.management.commands.load_demo import DEMO_PASSWORD, demo_superuser

        monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
        assert demo_superuser() is None
        assert not django_user_model.objects.filter(is_superuser=True).exists()
        # an old demo superuser with the published password is disabled
        old = django_user_model.objects.create_superuser("demo", "", DEMO_PASSWORD)
        demo_superuser()
        old.refresh_from_db()
        assert not old.check_password(DEMO_PASSWORD) and not old.has_usable_password()
        monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-long-local-secret")
        admin = demo_superuser()
        assert admin.is_superuser and admin.check_password("a-long-local-secret")


class RaisingCache(BaseCache):
    """A cache backend whose every call raises, as the Redis backend does while Redis is stopped."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    get = set = add = delete = clear = get_many = set_many = incr = touch = has_key = _down


@pytest.fixture
def redis_down():
    from django.test import override_settings

    from backend.core.throttling import fail_safe_cache

    with override_settings(CACHES={"default": {"BACKEND": f"{__name__}.RaisingCache"}}):
        fail_safe_cache.clear()
        yield
    fail_safe_cache.clear()


@pytest.mark.django_db
class TestD7ThrottlesWithTheCacheDown:
    def test_login_answers_200_or_429_never_500(self, api, orgs, redis_down):
        with pytest.raises(ConnectionError):
            caches["default"].get("x")  # the shared cache really is down
        assert _login(api, orgs.officer.username, PASSWORD).status_code == 200
        codes = [_login(api, orgs.officer.username).status_code for _ in range(12)]
        assert set(codes) <= {400, 429} and codes[-1] == 429  # the local fallback still limits

    def test_registration_and_whistleblower_never_500(self, api, orgs, redis_down):
        assert api().post(REGISTER, {}, format="json").status_code == 400
        r = api().post("/api/v1/public/reports/", {"enterprise_name": orgs.owner.name, "description": "夜间偷排废液，储罐区无人值守"},
                       format="json")
        assert r.status_code == 201


@pytest.mark.django_db
class TestD8RequestShape:
    def _code(self, r):
        return r.json()["errors"][0]["code"]

    def test_deeply_nested_json_is_400(self, api):
        body = "[" * 100_000 + "]" * 100_000
        r = api().post(LOGIN, body, content_type="application/json")
        assert r.status_code == 400 and self._code(r) == "too_deeply_nested"

    def test_body_over_the_limit_is_413(self, api, settings):
        body = json.dumps({"username": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10), "password": "x"})
        r = api().post(LOGIN, body, content_type="application/json")
        assert r.status_code == 413 and self._code(r) == "request_too_large"

    def test_too_many_form_fields_is_400(self, api):
        data = {f"f{i}": "x" for i in range(1200)}
        r = api().post(REGISTER, data, format="multipart")
        assert r.status_code == 400 and self._code(r) == "too_many_fields"

    def test_too_many_files_is_400(self, api):
        from django.core.files.uploadedfile import SimpleUploadedFile

        files = {f"photo{i}": SimpleUploadedFile(f"p{i}.png", b"x") for i in range(101)}
        r = api().post("/api/v1/public/reports/", {"description": "x", **files}, format="multipart")
        assert r.status_code == 400 and self._code(r) == "too_many_files"

    def test_form_fields_over_the_limit_are_413(self, api, settings):
        r = api().post(REGISTER, {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}, format="multipart")
        assert r.status_code == 413 and self._code(r) == "request_too_large"


@pytest.mark.django_db
class TestD9MalformedAuthorization:
    @pytest.mark.parametrize("header", [b"Token \xff\xfe", b"Token ab\x00cd", b"Token \x01\x02", b"Token " + b"f" * 5000,
                                        b"Token zz", b"Token " + b"a" * 64 + b"\x00"])
    def test_is_401_never_500(self, api, orgs, header):
        r = api().get("/api/v1/hazards/", HTTP_AUTHORIZATION=header.decode("latin-1"))
        assert r.status_code == 401
        assert r.json()["errors"][0]["code"] == "authentication_failed"

    def test_a_real_token_still_works(self, api, orgs):
        token = _login(api, orgs.officer.username, PASSWORD).json()["token"]
        assert api().get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


@pytest.mark.django_db
class TestD20LookalikeNames:
    def _register(self, api, **over):
        from tests.factories import make_uscc

        body = {"name": "新注册化工有限公司", "uscc": make_uscc(777), "division_code": "370322102",
                "admin_username": "newadmin", "admin_password": "long-enough-1"} | over
        return api().post(REGISTER, body, format="json")

    # ZWSP and RLO are not username characters at all (``invalid``); lookalike letters are ``mixed_script``
    @pytest.mark.parametrize(("username", "code"), [("оfficer", "mixed_script"), ("officer\u200b", "invalid"),
                                               ("\u202eofficer", "invalid"), ("Ωmega", "mixed_script")])
    def test_member_usernames(self, api, orgs, username, code):
        r = api(orgs.admin).post("/api/v1/members/", {"username": username, "password": "long-enough-1",
                                                      "role": Role.EMPLOYEE}, format="json")
        assert r.status_code == 400
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("username", code)

    @pytest.mark.parametrize(("name", "code"), [("\u200b\u200b", "invisible_characters"), ("新化工\u200b", "invisible_characters"),
                                           ("\u202e司公限有", "invisible_characters"), ("АBC化工有限公司", "mixed_script")])
    def test_enterprise_names(self, api, orgs, name, code):
        r = self._register(api, name=name)
        assert r.status_code == 400
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("name", code)

    def test_a_username_differing_only_in_case_is_taken(self, api, orgs):
        r = api(orgs.admin).post("/api/v1/members/", {"username": orgs.officer.username.upper(),
                                                      "password": "long-enough-1", "role": Role.EMPLOYEE}, format="json")
        assert r.status_code == 400
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("username", "duplicate")

    def test_ordinary_names_still_pass(self, api, orgs):
        assert self._register(api, name="ABC化工有限公司").status_code == 201
        r = api(orgs.admin).post("/api/v1/members/", {"username": "zhang.san", "password": "long-enough-1",
                                                      "role": Role.EMPLOYEE, "full_name": "张三"}, format="json")
        assert r.status_code == 201


@pytest.mark.django_db
class TestD14UtcOffsetInDateTimeFilters:
    @pytest.mark.parametrize("offset", ["%2B22:18", "-16:00", "%2B16:00"])
    def test_offset_beyond_1559_is_400(self, api, orgs, offset):
        for url in ("/api/v1/investigation-tasks/", "/api/v1/audit/investigation-tasks/"):
            user = orgs.officer if "audit" not in url else orgs.inspector
            r = api(user).get(f"{url}?due_after=2000-01-01T03:01:10{offset}")
            assert r.status_code == 400, url
            assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("due_after", "invalid_utc_offset")

    def test_offset_within_range_still_filters(self, api, orgs):
        assert api(orgs.officer).get("/api/v1/investigation-tasks/?due_before=2000-01-01T03:01:10%2B15:59").status_code == 200


@pytest.mark.django_db
def test_d15_lone_surrogate_in_a_draw_filter_is_400(api, orgs):
    body = '{"n": 1, "planned_on": "2026-12-22", "filter": {"industry": "\\udfff"}}'
    r = api(orgs.reg_admin).post("/api/v1/draws/", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "invalid_unicode"
    r = api().post(LOGIN, '{"username": "\\ud800", "password": "x"}', content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "invalid_unicode"


@pytest.mark.django_db
def test_d16_csv_field_over_the_csv_limit_is_400(api, orgs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = "企业名称,统一社会信用代码,行政区划代码\n\"" + "长" * 200_000 + "\",91370322564206426R,370322102\n"
    upload = SimpleUploadedFile("enterprises.csv", csv_text.encode("utf-8"), content_type="text/csv")
    r = api(orgs.reg_admin).post("/api/v1/enterprises/import/", {"file": upload}, format="multipart")
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert (err["attr"], err["code"]) == ("file", "invalid_file") and "131072" in err["detail"]


@pytest.mark.django_db
class TestD19AnonymousLookups:
    def test_report_status_by_code_is_limited(self, api):
        codes = [api().get(f"/api/v1/public/reports/{'A' * 12}{i:04d}/", REMOTE_ADDR="10.2.0.1").status_code
                 for i in range(31)]
        assert set(codes[:30]) == {404} and codes[30] == 429

    def test_report_verify_is_limited(self, api):
        codes = [api().get(f"/api/v1/reports/verify/?sha256={i:064x}", REMOTE_ADDR="10.2.0.2").status_code
                 for i in range(31)]
        assert set(codes[:30]) == {200} and codes[30] == 429

    def test_an_oversized_verify_upload_is_413_before_it_is_read(self, api):
        from inspections.reports.api import MAX_VERIFY_UPLOAD

        r = api().post("/api/v1/reports/verify/", b"--x--", content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(MAX_VERIFY_UPLOAD + 10 * 1024 * 1024))
        assert r.status_code == 413 and r.json()["errors"][0]["code"] == "file_too_large"
