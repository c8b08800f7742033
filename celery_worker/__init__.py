"""The Celery application (``python -m celery -A celery_worker worker``)."""

from celery_worker.app import app

__all__ = ("app",)
