"""Celery app reading Django settings (``CELERY_*``): acks_late + reject_on_worker_lost, global
soft/hard time limits, ``CELERY_TIMEZONE = "Asia/Shanghai"``. The beat schedule lives in
:mod:`celery_worker.schedule`; the tasks in :mod:`celery_worker.tasks`."""

from __future__ import annotations

import os

from celery import Celery

from celery_worker import liveness as _liveness

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("shuangfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["celery_worker"], related_name="tasks")
_liveness.install(app)  # heartbeat files for the worker's and beat's liveness probes


@app.on_after_configure.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    from celery_worker.schedule import build_schedule

    sender.conf.beat_schedule = build_schedule()
