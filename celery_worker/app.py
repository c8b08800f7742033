"""Celery app reading Django settings (``CELERY_*``). The beat schedule lives in :mod:`celery_worker.schedule`."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("shuangfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["celery_worker"], related_name="tasks")


def _beat_schedule() -> dict:
    from celery_worker.schedule import BEAT_SCHEDULE

    return BEAT_SCHEDULE


app.conf.beat_schedule = _beat_schedule()
