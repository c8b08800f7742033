"""Celery tasks: thin wrappers that take ids, load rows and call services."""

from __future__ import annotations

from celery_worker.app import app


@app.task(name="shuangfang.ping")
def ping() -> str:
    """Liveness check used by integration tests."""
    return "pong"
