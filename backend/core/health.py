"""Health endpoints: ``/healthz`` (the process is alive) and ``/readyz`` (it can serve).

Served by :class:`HealthMiddleware`, placed first in MIDDLEWARE, so a probe needs no token, is never
redirected to HTTPS and passes whatever Host header it sends (an orchestrator probes ``127.0.0.1``, not
the public name in ALLOWED_HOSTS). GET or HEAD only.

- ``GET /healthz`` → 200 ``{"status": "ok"}``; touches nothing.
- ``GET /readyz`` → 200 ``{"status": "ok", "checks": {...}}`` when every check passes, else 503
  ``{"status": "down", "down": ["broker", ...], "checks": {...}}``. Checks, run in parallel, each within
  ``HEALTH_CHECK_TIMEOUT`` seconds (default 3): ``database`` (``SELECT 1``), ``cache`` (set + get),
  ``broker`` (a connection to ``CELERY_BROKER_URL``), ``storage`` (write, read and delete a probe file
  through the default storage) and ``font`` (a CJK font for PDFs; skipped with
  ``REPORTS_REQUIRE_CJK_FONT=False``). Each check reports ``{"ok": bool, "ms": float}`` and, when down,
  ``"error"``: the exception's class name only (details go to the log, not to an anonymous caller).
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse

log = logging.getLogger("shuangfang.health")


def check_database() -> None:
    from django.db import connections

    try:
        with connections["default"].cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    finally:
        connections.close_all()  # this runs in a probe thread: leave no connection behind


def check_cache() -> None:
    from django.core.cache import cache

    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return the value just set")
    cache.delete(key)


def check_broker() -> None:
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    timeout = settings.HEALTH_CHECK_TIMEOUT
    with Connection(url, transport_options=options, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        if url.startswith("filesystem"):  # kombu "connects" to any folder: check the queue folder is there
            from pathlib import Path

            folder = Path(options["data_folder_in"])
            if not folder.is_dir():
                raise FileNotFoundError(folder)


def check_storage() -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as fh:
            if fh.read() != payload:
                raise RuntimeError("storage returned other bytes than written")
    finally:
        default_storage.delete(name)


def check_font() -> None:
    from backend.core.fonts import require_cjk_font

    require_cjk_font()


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks ``/readyz`` runs, by name."""
    checks: dict[str, Callable[[], None]] = {
        "database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage,
    }
    if getattr(settings, "REPORTS_REQUIRE_CJK_FONT", True):
        checks["font"] = check_font
    return checks


def _timed(fn: Callable[[], None]) -> float:
    start = time.monotonic()
    fn()
    return round((time.monotonic() - start) * 1000, 1)


def readiness() -> tuple[bool, dict[str, Any]]:
    """``(all_ok, body)`` of ``/readyz`` (see the module docstring)."""
    checks = readiness_checks()
    timeout = float(settings.HEALTH_CHECK_TIMEOUT)
    results: dict[str, dict[str, Any]] = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        futures = {name: pool.submit(_timed, fn) for name, fn in checks.items()}
        deadline = time.monotonic() + timeout
        for name, fut in futures.items():
            try:
                results[name] = {"ok": True, "ms": fut.result(timeout=max(0.0, deadline - time.monotonic()))}
            except concurrent.futures.TimeoutError:
                results[name] = {"ok": False, "error": "Timeout", "ms": round(timeout * 1000, 1)}
                log.warning("readiness check %s timed out after %.1f s", name, timeout)
            except Exception as exc:  # noqa: BLE001 — a failing dependency is the answer, not an error
                results[name] = {"ok": False, "error": type(exc).__name__}
                log.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a hung check must not hold the probe
    down = [name for name, r in results.items() if not r["ok"]]
    body: dict[str, Any] = {"status": "down" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    return not down, body


class HealthMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before host validation, HTTPS redirect and authentication."""

    PATHS = ("/healthz", "/readyz")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        path = request.path_info.rstrip("/")
        if path not in self.PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if path == "/healthz":
            response = JsonResponse({"status": "ok"})
        else:
            ok, body = readiness()
            response = JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response
