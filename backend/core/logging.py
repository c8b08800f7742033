"""Log lines a machine can read: request and task context on every record, JSON on demand.

- :class:`RequestContextMiddleware` gives every request an id (the client's ``X-Request-ID`` when it is
  1–64 characters of ``[A-Za-z0-9._-]``, else a new UUID4 hex), returns it as ``X-Request-ID`` and logs one
  ``shuangfang.access`` line per request (method, path, status, duration_ms).
- :class:`ContextFilter` adds to every record ``request_id``, ``user`` (user name, once authenticated),
  ``organization`` (``enterprise:<id>`` / ``regulator:<id>``, when the membership was already read: the
  filter never queries) and, inside a Celery task, ``task_name`` and ``task_id``; absent values are None.
- :func:`logging_config` is settings.LOGGING: ``fmt="json"`` → one JSON object per line
  (python-json-logger: ``time``, ``level``, ``logger``, ``message`` and the fields above); ``"text"`` →
  human-readable lines. WeasyPrint's and fontTools' per-glyph INFO/DEBUG chatter is dropped (WARNING up).

Imported by settings: no Django models here.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from typing import Any

_request: contextvars.ContextVar[Any] = contextvars.ContextVar("sf_request", default=None)
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("sf_request_id", default=None)
_task: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("sf_task", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CONTEXT_FIELDS = ("request_id", "user", "organization", "task_name", "task_id")
#: Libraries whose INFO/DEBUG output is per-step noise (font subsetting, layout progress).
NOISY_LOGGERS = ("fontTools", "weasyprint", "weasyprint.progress")

access_log = logging.getLogger("shuangfang.access")


def current_request_id() -> str | None:
    """The id of the request being served in this context, or None (e.g. in a Celery task)."""
    return _request_id.get()


def _user_and_org(request: Any) -> tuple[str | None, str | None]:
    if request is None:
        return None, None
    user = request.__dict__.get("user")  # set by AuthenticationMiddleware (lazy) or DRF (resolved)
    if user is None:
        return None, None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject: do not evaluate it (no query from a log line)
    from django.utils.functional import empty

    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None, None
    org = None
    m = getattr(getattr(wrapped, "_state", None), "fields_cache", {}).get("membership")
    if m is not None:
        org = f"enterprise:{m.enterprise_id}" if m.enterprise_id else f"regulator:{m.regulator_id}"
    return wrapped.get_username(), org


class ContextFilter(logging.Filter):
    """Adds :data:`CONTEXT_FIELDS` to each record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        user, org = _user_and_org(_request.get())
        task = _task.get()
        for name, value in (("request_id", _request_id.get()), ("user", user), ("organization", org),
                            ("task_name", task[0] if task else None), ("task_id", task[1] if task else None)):
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class RequestContextMiddleware:
    """Request id in, ``X-Request-ID`` out, request context for log records, one access line."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        rid = request.headers.get(REQUEST_ID_HEADER, "")
        rid = rid if _VALID_ID.match(rid) else uuid.uuid4().hex
        request.request_id = rid
        t_req, t_id = _request.set(request), _request_id.set(rid)
        start = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = rid
            access_log.info("%s %s %s", request.method, request.path, response.status_code,
                            extra={"method": request.method, "path": request.path, "status": response.status_code,
                                   "duration_ms": round((time.monotonic() - start) * 1000, 1)})
            return response
        finally:
            _request.reset(t_req)
            _request_id.reset(t_id)


def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    _task.set((getattr(task, "name", None) or "?", task_id or "?"))


def _task_finished(**_: Any) -> None:
    _task.set(None)


def connect_celery_signals() -> None:
    """Task name and id on every record a task logs (connected once, at import)."""
    from celery import signals

    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="sf-log-task-start")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="sf-log-task-end")


connect_celery_signals()

class TextFormatter(logging.Formatter):
    """``time level logger message`` then ``[request_id user organization]`` / ``[task_name task_id]`` when set."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ctx = [str(v) for v in (getattr(record, f, None) for f in CONTEXT_FIELDS) if v is not None]
        if not ctx:
            return line
        head, sep, tail = line.partition("\n")  # keep a traceback below the first line
        return f"{head} [{' '.join(ctx)}]{sep}{tail}"


def logging_config(fmt: str = "text", level: str = "INFO") -> dict[str, Any]:
    """settings.LOGGING for ``fmt`` in ``{"text", "json"}`` (anything else: ValueError)."""
    if fmt not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be text or json, not {fmt!r}")
    formatters = {
        "text": {"()": "backend.core.logging.TextFormatter"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC, milliseconds
            "json_ensure_ascii": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "backend.core.logging.ContextFilter"}},
        "formatters": {fmt: formatters[fmt]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # runserver's own request lines duplicate shuangfang.access
            "django.server": {"level": "WARNING"},
            **{name: {"level": "WARNING"} for name in NOISY_LOGGERS},
        },
    }
