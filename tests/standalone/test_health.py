"""/healthz and /readyz (backend/core/health.py); a missing CJK font is a readiness failure, not a system check."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from backend.core import fonts

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_any_host_without_a_token():
    r = Client().get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})
    assert r["Cache-Control"] == "no-store"


def test_readyz_is_200_with_every_dependency_up():
    r = Client().get("/readyz", HTTP_HOST="127.0.0.1")
    body = r.json()
    assert r.status_code == 200, body
    assert body["status"] == "ok" and "down" not in body
    assert set(body["checks"]) == {"database", "cache", "broker", "storage", "font"}
    assert all(c["ok"] for c in body["checks"].values())


def test_readyz_is_503_naming_the_broker_when_the_broker_is_down(settings):
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    r = Client().get("/readyz")
    body = r.json()
    assert r.status_code == 503
    assert body["status"] == "down" and body["down"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["broker"]["error"]
    assert "127.0.0.1" not in r.content.decode()  # the class name only, no addresses to anonymous callers


def test_readyz_names_a_missing_font_and_a_broken_storage(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "cjk_font_families", lambda: ())
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    r = Client().get("/readyz")
    assert r.status_code == 503
    assert r.json()["down"] == ["storage", "font"]


def test_a_node_that_renders_no_pdf_may_skip_the_font(settings, monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font_families", lambda: ())
    settings.REPORTS_REQUIRE_CJK_FONT = False
    r = Client().get("/readyz")
    assert r.status_code == 200 and "font" not in r.json()["checks"]


def test_only_get_and_head():
    assert Client().post("/readyz").status_code == 405
    assert Client().head("/healthz").status_code == 200


def test_management_commands_work_on_a_machine_without_the_font(tmp_path):
    # fc-list is not on this PATH, so no CJK font is found: `check` and `spectacular` must still work.
    env = {"PATH": str(tmp_path), "DEBUG": "True", "SHUANGFANG_VAR_DIR": str(tmp_path / "var"), "HOME": str(tmp_path)}
    for args in (["check"], ["spectacular", "--file", str(tmp_path / "schema.yaml")]):
        r = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "schema.yaml").stat().st_size > 10_000


def test_a_pdf_without_the_font_is_a_clear_error():
    from backend.core.fonts import FontMissing, PdfUnavailable, pdf_unavailable, require_cjk_font

    fonts.cjk_font_families.cache_clear()
    try:
        os.environ["PATH"], saved = "/nonexistent", os.environ["PATH"]
        with pytest.raises(FontMissing, match="fonts-noto-cjk"):
            require_cjk_font()
    finally:
        os.environ["PATH"] = saved
        fonts.cjk_font_families.cache_clear()
    err = pdf_unavailable(FontMissing(fonts.FONT_HINT))
    assert isinstance(err, PdfUnavailable) and err.status_code == 503 and err.code == "cjk_font_missing"
