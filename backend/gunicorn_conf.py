"""gunicorn settings of the production command (``gunicorn -c python:backend.gunicorn_conf backend.wsgi``).

Environment: ``HOST`` (default 0.0.0.0) and ``PORT`` (8000) to bind, ``WEB_CONCURRENCY`` worker processes
(default 2 × CPUs + 1, at most 8), ``GUNICORN_THREADS`` threads per worker (4), ``GUNICORN_TIMEOUT`` seconds
a request may take before its worker is restarted (60), ``FORWARDED_ALLOW_IPS`` proxies whose
X-Forwarded-* headers are trusted (127.0.0.1). gunicorn's own lines use settings' log format
(``LOG_FORMAT``); requests are logged once, by backend.core.logging (with request id, user, organization).
"""

from __future__ import annotations

import multiprocessing
import os

from backend.core.logging import logging_config

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 (in a container)
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (slow leaks in PDF/XLSX libraries)
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
logconfig_dict = logging_config(os.environ.get("LOG_FORMAT", "text"), os.environ.get("LOG_LEVEL", "INFO"))
# gunicorn gives its error logger a plain handler of its own: replace it with ours.
logconfig_dict["loggers"]["gunicorn.error"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
