"""The console's same-origin session: csrf cookie, session login/logout, CSRF enforced (CONSOLE.md)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

CSRF, SESSION, ME = "/api/v1/auth/csrf/", "/api/v1/auth/session/", "/api/v1/auth/me/"
UNSAFE = "/api/v1/notifications/999999/read/"  # a POST that answers 404 once past authentication and CSRF


def browser() -> APIClient:
    """A client that enforces CSRF like a browser session does."""
    return APIClient(enforce_csrf_checks=True)


def csrf(client: APIClient) -> str:
    r = client.get(CSRF)
    assert r.status_code == 200
    token = client.cookies["csrftoken"].value
    assert r.json()["csrf_token"]
    return token


def login(client: APIClient, username: str, password: str = "pass-12345"):
    return client.post(SESSION, {"username": username, "password": password}, format="json",
                       HTTP_X_CSRFTOKEN=csrf(client))


@pytest.mark.django_db
class TestSessionLogin:
    def test_login_answers_me_and_the_session_authenticates(self, orgs):
        c = browser()
        r = login(c, orgs.officer.username)
        assert r.status_code == 200, r.json()
        assert r.json()["username"] == orgs.officer.username
        assert r.json()["membership"]["role"] == "safety_officer"
        assert "sessionid" in c.cookies
        assert "token" not in r.json()  # nothing for the browser to keep
        assert c.get(ME).json()["id"] == orgs.officer.pk

    def test_login_without_csrf_token_is_403(self, orgs):
        c = browser()
        c.get(CSRF)
        r = c.post(SESSION, {"username": orgs.officer.username, "password": "pass-12345"}, format="json")
        assert r.status_code == 403
        assert r.json()["errors"][0]["code"] == "permission_denied"
        assert "CSRF" in r.json()["errors"][0]["detail"]
        assert c.get(ME).status_code == 401

    def test_wrong_password_is_coded_400(self, orgs):
        r = login(browser(), orgs.officer.username, "wrong-password")
        assert r.status_code == 400
        assert r.json()["errors"][0]["code"] == "invalid_credentials"

    def test_missing_password_names_the_field(self, orgs):
        c = browser()
        r = c.post(SESSION, {"username": orgs.officer.username}, format="json", HTTP_X_CSRFTOKEN=csrf(c))
        assert r.status_code == 400
        assert (r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]) == ("required", "password")

    def test_throttled_per_username_like_the_token_login(self, orgs):
        for _ in range(10):
            login(browser(), orgs.officer.username, "x")
        assert login(browser(), orgs.officer.username).status_code == 429

    def test_token_and_session_logins_share_the_limit(self, orgs):
        for _ in range(10):
            APIClient().post("/api/v1/auth/login/", {"username": orgs.officer.username, "password": "x"}, format="json")
        assert login(browser(), orgs.officer.username).status_code == 429

    def test_unsafe_session_request_needs_the_csrf_header(self, orgs):
        c = browser()
        assert login(c, orgs.officer.username).status_code == 200
        # Django rotates the CSRF token at login: the new cookie is the one to send.
        token = c.cookies["csrftoken"].value
        r = c.post(UNSAFE, {}, format="json")
        assert r.status_code == 403
        assert "CSRF" in r.json()["errors"][0]["detail"]
        r = c.post(UNSAFE, {}, format="json", HTTP_X_CSRFTOKEN=token)
        assert r.status_code == 404, r.content  # past the CSRF check

    def test_token_requests_need_no_csrf(self, orgs):
        r = APIClient(enforce_csrf_checks=True).post(
            "/api/v1/auth/login/", {"username": orgs.officer.username, "password": "pass-12345"}, format="json")
        c = APIClient(enforce_csrf_checks=True)
        c.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
        assert c.post(UNSAFE, {}, format="json").status_code == 404

    def test_logout_ends_the_session(self, orgs):
        c = browser()
        login(c, orgs.officer.username)
        token = c.cookies["csrftoken"].value
        assert c.delete(SESSION, HTTP_X_CSRFTOKEN=token).status_code == 204
        assert c.get(ME).status_code == 401

    def test_anonymous_is_401_so_the_console_goes_to_login(self, orgs):
        r = browser().get(ME)
        assert r.status_code == 401
        assert r.json()["errors"][0]["code"] == "not_authenticated"
