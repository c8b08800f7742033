"""Production settings and command (D5, D18): DEBUG off by default, explicit hosts, `check --deploy`
clean with the documented environment, gunicorn + whitenoise serving the API and its static files."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
#: Warnings `check --deploy` may print with the documented environment, each with its reason in the README
#: ("Production"): preloading HSTS is the domain owner's decision; the spectacular ones are OpenAPI enum
#: names (D23), not deployment settings.
DOCUMENTED = {"security.W021", "drf_spectacular.W001", "drf_spectacular.W002"}


def documented_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The README's production environment (plus a private var dir and PATH)."""
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SHUANGFANG_VAR_DIR": str(tmp_path / "var"),
            "DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "sf.example.gov.cn,127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://sf.example.gov.cn", "REPORTS_PUBLIC_BASE_URL": "https://sf.example.gov.cn",
            **extra}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


def test_debug_is_off_and_hosts_explicit_unless_asked_for(tmp_path):
    base = {"PATH": os.environ["PATH"], "SHUANGFANG_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"
    out = lambda env: subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,  # noqa: E731
                                     capture_output=True, text=True, timeout=60,
                                     env={**base, "DJANGO_SETTINGS_MODULE": "backend.settings", **env})
    assert out({"DEBUG": "True"}).stdout.strip() == "True []"  # Django's DEBUG default: localhost names only
    no_hosts = out({"SECRET_KEY": "k" * 50})
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS" in no_hosts.stderr
    no_key = out({"ALLOWED_HOSTS": "a.example", "REPORTS_PUBLIC_BASE_URL": "https://a.example"})
    assert no_key.returncode != 0 and "SECRET_KEY" in no_key.stderr
    ok = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "a.example", "REPORTS_PUBLIC_BASE_URL": "https://a.example"}
    assert out(ok).stdout.strip() == "False ['a.example']"


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    r = manage(documented_env(tmp_path), "check", "--deploy")
    assert r.returncode == 0, r.stderr
    found = set(re.findall(r"\(([a-z_]+\.[EW]\d{3})\)", r.stdout + r.stderr))
    assert found <= DOCUMENTED, found - DOCUMENTED
    assert not {f for f in found if f.startswith("security.") and f != "security.W021"}


@pytest.mark.parametrize("url", [None, "", "http://localhost:8000", "http://sf.example.gov.cn", "https://localhost",
                                 "https://127.0.0.1:8443", "https://sf.example.gov.cn/api/v1", "sf.example.gov.cn"])
def test_production_refuses_to_start_without_a_public_https_reports_base_url(tmp_path, url):
    env = documented_env(tmp_path)
    if url is None:
        del env["REPORTS_PUBLIC_BASE_URL"]
    else:
        env["REPORTS_PUBLIC_BASE_URL"] = url
    r = manage(env, "check")
    assert r.returncode != 0 and "ImproperlyConfigured" in r.stderr and "REPORTS_PUBLIC_BASE_URL" in r.stderr, r.stderr


@pytest.mark.parametrize("url", ["https://sf.example.gov.cn", "https://sf.example.gov.cn/", "https://sf.example.gov.cn:8443"])
def test_a_public_https_origin_is_accepted(tmp_path, url):
    r = manage(documented_env(tmp_path, REPORTS_PUBLIC_BASE_URL=url), "check")
    assert r.returncode == 0, r.stderr


def test_check_deploy_still_warns_where_the_settings_let_a_local_url_through(settings):
    """Under DEBUG-off test settings (no start-up refusal) the deploy check names the setting."""
    from inspections.reports.apps import public_base_url_check

    settings.DEBUG, settings.REPORTS_PUBLIC_BASE_URL = False, "http://localhost:8000"
    [warning] = public_base_url_check(None)
    assert warning.id == "reports.W001" and "REPORTS_PUBLIC_BASE_URL" in warning.msg
    settings.REPORTS_PUBLIC_BASE_URL = "https://sf.example.gov.cn"
    assert public_base_url_check(None) == []


@pytest.mark.django_db
def test_a_foreign_host_header_is_refused_not_echoed_into_links(api, orgs):
    r = api(orgs.officer).get("/api/v1/hazards/?page_size=1", HTTP_HOST="evil.example")
    assert r.status_code == 400
    assert b"evil.example" not in r.content


@pytest.mark.django_db
def test_no_debug_page():
    r = Client().get("/media/nonexistent/")  # (any other non-API path is the console's index.html)
    assert r.status_code == 404 and b"Traceback" not in r.content and b"DEBUG = True" not in r.content


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.integration
def test_gunicorn_serves_the_api_and_static_files_with_the_production_headers(tmp_path):
    env = documented_env(tmp_path, STATIC_ROOT=str(tmp_path / "static"), SECURE_PROXY_SSL_HEADER="True",
                         LOG_FORMAT="json")
    r = manage(env, "collectstatic", "--noinput", "-v", "0")
    assert r.returncode == 0, r.stderr
    port = free_port()
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen([str(gunicorn), "-c", "python:backend.gunicorn_conf", "backend.wsgi"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if fetch(f"{base}/healthz")[0] == 200:  # plain HTTP: probes are not redirected
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail((tmp_path / "gunicorn.log").read_text()[-3000:])
        https = {"X-Forwarded-Proto": "https", "Host": "sf.example.gov.cn"}
        status, headers, body = fetch(f"{base}/api/docs/", **https)
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        css = re.search(rb'/static/[^"\']+swagger-ui\.[0-9a-f]{12}\.css', body)
        assert css, "Swagger UI's CSS is not a hashed static URL (collectstatic + whitenoise)"
        status, headers, body = fetch(base + css.group().decode(), **https)
        assert status == 200 and len(body) > 1000 and "max-age=315360000" in headers["Cache-Control"]
        status, headers, _ = fetch(f"{base}/api/docs/", Host="sf.example.gov.cn")  # plain HTTP
        assert status == 301 and headers["Location"].startswith("https://sf.example.gov.cn/")
        assert fetch(f"{base}/api/docs/", **{**https, "Host": "evil.example"})[0] == 400
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        log.close()
    lines = [json.loads(x) for x in (tmp_path / "gunicorn.log").read_text().splitlines() if x.startswith("{")]
    access = [x for x in lines if x["logger"] == "shuangfang.access" and x["path"] == "/api/docs/"]
    assert access and access[0]["status"] == 200 and access[0]["request_id"]
    assert any(x["logger"].startswith("gunicorn") for x in lines)  # gunicorn's own lines: the same format


def test_without_redis_the_web_and_worker_processes_share_one_cache(tmp_path):
    """The embedded default (no REDIS_URL): what one process sets (a worker publishing an import job's
    progress, a throttle counter) another process reads — a cache on disk under the var dir, not per-process
    memory."""
    env = {"PATH": os.environ["PATH"], "SHUANGFANG_VAR_DIR": str(tmp_path), "DEBUG": "True",
           "DJANGO_SETTINGS_MODULE": "backend.settings"}
    run = lambda code: subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],  # noqa: E731
                                      cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    wrote = run("from django.core.cache import cache; cache.set('import-job:1:rows_done', 1200, 60)")
    assert wrote.returncode == 0, wrote.stderr
    read = run("from django.core.cache import cache; print(cache.get('import-job:1:rows_done'))")
    assert read.stdout.strip() == "1200", read.stderr
