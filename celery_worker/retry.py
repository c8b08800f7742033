"""The retry policy every task shares: transient database failures only, bounded, with backoff and jitter."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

#: Transient failures worth a retry (lost connection, SQLite "database is locked", deadlocks).
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 3,
}
