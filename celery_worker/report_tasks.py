"""Report (双报告) tasks: render one job on the ``reports`` queue, sweep stuck jobs, and the
monthly schedule. Thin wrappers over :mod:`inspections.reports.services`.

Rendering is idempotent: the service claims the job with a conditional UPDATE, so a redelivered
message (``acks_late``) for a job already done, or held by a live worker, does nothing; a job
left ``running`` by a killed worker is re-claimed once its lease expires (the sweep re-sends it).
Workers recycle their child process above ``CELERY_WORKER_MAX_MEMORY_PER_CHILD`` KiB (settings).
"""

from __future__ import annotations

import logging
from datetime import date

from celery_worker.app import app
from celery_worker.retry import RETRY

log = logging.getLogger(__name__)


@app.task(name="shuangfang.reports.render", acks_late=True, **RETRY)
def render_report(job_id: int) -> str:
    """Render report job ``job_id`` (PDF, JSON, XLSX). Returns its final state, or ``skipped``.

    Sent by name to the ``reports`` queue by :func:`inspections.reports.services.enqueue_render`."""
    from inspections.reports.services import report_render

    job = report_render(job_id=int(job_id))
    if job is None:
        return "skipped"
    log.info("report job %s: %s", job.pk, job.state)
    return job.state


@app.task(name="shuangfang.reports.sweep", **RETRY)
def reports_sweep() -> int:
    """Re-send pending report jobs and running ones whose lease expired (every 5 minutes)."""
    from inspections.reports.services import report_sweep

    return report_sweep()


@app.task(name="shuangfang.reports.monthly_enterprises", **RETRY)
def reports_monthly_enterprises(today: str | None = None) -> int:
    """Create last month's dual report of every approved enterprise (the 1st, 02:00)."""
    from inspections.reports.services import report_schedule_enterprises

    return report_schedule_enterprises(today=date.fromisoformat(today) if today else None)


@app.task(name="shuangfang.reports.monthly_jurisdictions", **RETRY)
def reports_monthly_jurisdictions(today: str | None = None) -> int:
    """Create last month's jurisdiction report of every regulator (the 1st, 03:00)."""
    from inspections.reports.services import report_schedule_jurisdictions

    return report_schedule_jurisdictions(today=date.fromisoformat(today) if today else None)
