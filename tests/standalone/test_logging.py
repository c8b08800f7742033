"""LOG_FORMAT=json: one object per line with time, level, logger, request id (= X-Request-ID), user,
organization, Celery task name and id; WeasyPrint/fontTools noise filtered; Sentry only with SENTRY_DSN."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import subprocess
import sys
from pathlib import Path

import pytest

from backend.core.logging import ContextFilter, logging_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """Records of every logger as the JSON handler of LOG_FORMAT=json writes them."""
    cfg = logging_config("json")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    fmt = dict(cfg["formatters"]["json"])
    factory = fmt.pop("()")
    from django.utils.module_loading import import_string

    handler.setFormatter(import_string(factory)(**fmt))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_a_request_line_carries_request_id_user_and_organization(api, orgs, json_lines):
    r = api(orgs.officer).get("/api/v1/hazards/", HTTP_X_REQUEST_ID="req-123.abc")
    assert r.status_code == 200
    assert r["X-Request-ID"] == "req-123.abc"
    lines = [x for x in json_lines() if x["logger"] == "shuangfang.access"]
    assert len(lines) == 1
    line = lines[0]
    assert {"time", "level", "logger", "message"} <= set(line)
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert line["request_id"] == "req-123.abc" and line["status"] == 200 and line["path"] == "/api/v1/hazards/"
    assert line["user"] == orgs.officer.username
    assert line["organization"] == f"enterprise:{orgs.owner.pk}"


@pytest.mark.django_db
def test_a_bad_or_missing_request_id_is_replaced(api, json_lines):
    ids = {api().get("/api/v1/hazards/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"] for bad in ("x" * 65, "a b", "")}
    assert len(ids) == 3 and all(len(i) == 32 for i in ids)
    assert {x["user"] for x in json_lines() if x["logger"] == "shuangfang.access"} == {None}


def test_a_task_line_carries_the_task_name_and_id(json_lines):
    from celery_worker.app import app

    @app.task(name="tests.standalone.log_something")
    def log_something():
        logging.getLogger("shuangfang.test").info("inside the task")

    result = log_something.apply()
    line = next(x for x in json_lines() if x["message"] == "inside the task")
    assert line["task_name"] == "tests.standalone.log_something" and line["task_id"] == result.id
    logging.getLogger("shuangfang.test").info("after the task")
    assert next(x for x in json_lines() if x["message"] == "after the task")["task_id"] is None


def test_pdf_library_chatter_is_filtered():
    logging.config.dictConfig(logging_config("json"))
    try:
        assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
        assert not logging.getLogger("weasyprint").isEnabledFor(logging.INFO)
        assert logging.getLogger("weasyprint").isEnabledFor(logging.WARNING)
        assert logging.getLogger("shuangfang.anything").isEnabledFor(logging.INFO)
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)


def django_process(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """``code`` after ``django.setup()`` in a new interpreter with the development settings plus ``env``."""
    base = {"PATH": "/usr/bin:/bin", "DEBUG": "True", "SHUANGFANG_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "backend.settings"}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_text_is_the_default_and_json_is_asked_for(tmp_path):
    code = "import logging; logging.getLogger('shuangfang.x').warning('你好 %s', 1)"
    text = django_process(code, tmp_path)
    assert "WARNING shuangfang.x 你好 1" in text.stderr and "{" not in text.stderr
    out = django_process(code, tmp_path, LOG_FORMAT="json")
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "shuangfang.x", "你好 1")


def test_sentry_only_when_a_dsn_is_set(tmp_path):
    code = ("import sentry_sdk; c = sentry_sdk.get_client(); "
            "print(c.is_active(), sorted(i for i in c.integrations if i in ('django', 'celery')))")
    off = django_process(code, tmp_path)
    assert off.stdout.split()[0] == "False", off.stderr
    on = django_process(code, tmp_path, SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert on.stdout.strip() == "True ['celery', 'django']", on.stderr
