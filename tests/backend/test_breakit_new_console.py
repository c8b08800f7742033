"""Break-it on the console's history fallback: a missing file is a 404, never the console's index.html
with 200 (a stale /static/console/… chunk, /favicon.ico, /robots.txt or a scanner's /.env answered as
an HTML page makes the browser fail on a MIME error and hides the 404), and /static, /media without
their slash are not console routes."""

from __future__ import annotations

import pytest
from django.test import Client

INDEX = b"<!doctype html><html><body><div id=app></div></body></html>"


@pytest.fixture
def dist(settings, tmp_path):
    d = tmp_path / "dist"
    d.mkdir()
    (d / "index.html").write_bytes(INDEX)
    settings.CONSOLE_DIST_DIR = d
    return d


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/favicon.ico", "/robots.txt", "/.env", "/wp-login.php", "/e/hazards/x.js",
                                  "/static", "/media", "/static/console/assets/index-gone.js"])
def test_missing_files_are_404_not_the_console(dist, path):
    r = Client().get(path)
    assert r.status_code == 404
    assert r.content != INDEX


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/e/hazards/12", "/public/whistle/AB12CD", "/r/enterprises", "/statistics", "/mediation"])
def test_console_routes_still_fall_back(dist, path):
    r = Client().get(path)
    assert r.status_code == 200 and r.content == INDEX
