"""The console at / with history fallback; /api/, /admin/ unchanged; a clear 503 before it is built."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

INDEX = b"<!doctype html><html><body><div id=app></div><script src=/static/console/assets/index-abc.js></script>"


@pytest.fixture
def dist(settings, tmp_path):
    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_bytes(INDEX)
    settings.CONSOLE_DIST_DIR = d
    return d


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/e/hazards", "/e/hazards/12", "/m/report", "/login", "/r/"])
def test_console_paths_answer_index_html(dist, path):
    r = Client().get(path)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    assert r.content == INDEX
    assert "no-cache" in r["Cache-Control"]  # a new build is picked up at once


@pytest.mark.django_db
def test_api_paths_stay_coded_json_404(dist):
    for path in ("/api/x", "/api/v1/nope/"):
        r = Client().get(path)
        assert r.status_code == 404
        assert r.json()["errors"][0]["code"] == "not_found"


@pytest.mark.django_db
def test_admin_unchanged(dist):
    r = Client().get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    assert Client().get("/admin")["Location"] == "/admin/"  # APPEND_SLASH, not the console


@pytest.mark.django_db
def test_unsafe_method_is_405(dist):
    assert Client().post("/e/hazards").status_code == 405


@pytest.mark.django_db
def test_missing_build_is_a_clear_503(settings, tmp_path):
    settings.CONSOLE_DIST_DIR = tmp_path / "nothing"
    r = Client().get("/e/")
    assert r.status_code == 503
    text = r.content.decode()
    assert "控制台尚未构建" in text and "npm run build" in text
    assert Client().get("/api/v1/auth/me/").status_code == 401  # the API works without the console


def test_built_assets_are_served_by_whitenoise_under_static_console(settings, tmp_path):
    from backend.console.middleware import ConsoleWhiteNoiseMiddleware

    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "assets" / "index-abc123.js").write_text("console.log(1)")
    settings.CONSOLE_DIST_DIR = d
    mw = ConsoleWhiteNoiseMiddleware(lambda request: None)
    r = mw(RequestFactory().get("/static/console/assets/index-abc123.js"))
    assert r.status_code == 200
    assert "immutable" in r["Cache-Control"]
    assert b"".join(r.streaming_content) == b"console.log(1)"
