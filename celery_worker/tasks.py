"""Celery tasks: thin wrappers that take ids (or nothing) and call services.

Every task is idempotent — the services it calls are sweeps over indexed columns guarded by
unique constraints and conditional updates — so a redelivered message (``acks_late`` with
``task_reject_on_worker_lost``) or a second beat does nothing twice. Transient database errors are
retried a bounded number of times with exponential backoff and jitter; time limits are global
(``CELERY_TASK_SOFT_TIME_LIMIT`` / ``CELERY_TASK_TIME_LIMIT``). No task is scheduled with a
long ETA or countdown: the beat schedule (:mod:`celery_worker.schedule`) re-runs the sweeps.

Sweeps accept an optional ``now`` (ISO 8601 with offset) so an operator or a test can run them
"as of" a moment; by default they use the current time.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from celery_worker.app import app
from celery_worker.retry import RETRY

#: Name of the report render task: a stable string (messages in flight survive a deploy), routed to
#: the ``reports`` queue by ``CELERY_TASK_ROUTES``.
RENDER_TASK = "shuangfang.reports.render"

log = logging.getLogger(__name__)


def parse_now(now: str | None) -> datetime:
    """``now`` as an aware datetime (ISO 8601 with offset), or the current time when None."""
    if not now:
        return timezone.now()
    moment = datetime.fromisoformat(now)
    if timezone.is_naive(moment):
        raise ValueError(f"now must carry a UTC offset: {now!r}")
    return moment


@app.task(name="shuangfang.ping")
def ping() -> str:
    """Liveness check used by integration tests."""
    return "pong"


@app.task(name="shuangfang.escalation_sweep", **RETRY)
def escalation_sweep(now: str | None = None) -> dict[str, Any]:
    """The escalation ladder, including the pre-deadline reminder step (every minute)."""
    from compliance.services.escalation import escalation_sweep as sweep

    result = sweep(now=parse_now(now))
    log.info("escalation sweep: %s", result.lines()[0])
    return {"hazards": result.hazards, "steps": dict(result.steps), "notifications": result.notifications}


@app.task(name="shuangfang.commitments_escalate", **RETRY)
def commitments_escalate(now: str | None = None) -> dict[str, Any]:
    """A daily 安全风险研判与承诺 still missing past its hour notifies regulator and principals (hourly)."""
    from compliance.services.daily_commitment import escalate_missing_commitments

    count = escalate_missing_commitments(now=parse_now(now))
    log.info("commitments escalated: %d", count)
    return {"escalated": count}


@app.task(name="shuangfang.audit_anchor", **RETRY)
def audit_anchor() -> dict[str, int]:
    """Send each enterprise audit chain's head to its regulators through the outbox (hourly), so a
    later truncation of the chain is detectable by ``audit_verify`` (issue 12; backend/audit/services.py)."""
    from backend.audit.services import audit_anchor_heads

    anchored = audit_anchor_heads()
    log.info("audit anchor: %d chain head(s) sent", anchored)
    return {"anchored": anchored}


@app.task(name="shuangfang.dispatch_outbox", **RETRY)
def dispatch_outbox(now: str | None = None) -> dict[str, int]:
    """Deliver due outbox rows (every few seconds, and kicked after each commit that wrote one)."""
    from backend.notifications.dispatch import outbox_dispatch

    result = outbox_dispatch(now=parse_now(now) if now else None)
    if result.claimed or result.reclaimed:
        log.info("dispatch: %s", result.lines()[0])
    return {"claimed": result.claimed, "sent": result.sent, "retry": result.retry, "dead": result.dead,
            "reclaimed": result.reclaimed}


@app.task(name="shuangfang.permits_expire", **RETRY)
def permits_expire(now: str | None = None) -> list[int]:
    """Expire permits whose validity ended before completion (every minute)."""
    from special_ops.services.sweeps import permits_expire as expire

    return expire(now=parse_now(now))


@app.task(name="shuangfang.permits_suspend_stale_gas", **RETRY)
def permits_suspend_stale_gas(now: str | None = None) -> list[int]:
    """Suspend in-progress permits whose gas re-test is overdue (every minute)."""
    from special_ops.services.sweeps import permits_suspend_stale_gas as suspend

    return suspend(now=parse_now(now))


@app.task(name="shuangfang.investigation_generate", **RETRY)
def investigation_generate(now: str | None = None) -> int:
    """Generate the investigation tasks due from control measures' check cycles (hourly, idempotent)."""
    from compliance.services.investigation import investigation_tasks_sweep_generate

    return investigation_tasks_sweep_generate(now=parse_now(now))


@app.task(name="shuangfang.investigation_mark_overdue", **RETRY)
def investigation_mark_overdue(now: str | None = None) -> int:
    """Notify enterprises once per investigation task whose window ended unchecked (hourly, idempotent)."""
    from compliance.services.investigation import investigation_tasks_notify_overdue

    return investigation_tasks_notify_overdue(now=parse_now(now))


# --- 双报告 (report jobs) ------------------------------------------------------------------------
# Rendering is idempotent: the service claims the job with a conditional UPDATE, so a redelivered
# message (``acks_late``) for a job already done, or held by a live worker, does nothing; a job left
# ``running`` by a killed worker is re-claimed once its lease expires (the sweep re-sends it).
# Workers recycle their child process above ``CELERY_WORKER_MAX_MEMORY_PER_CHILD`` KiB (settings).
@app.task(name=RENDER_TASK, acks_late=True, **RETRY)
def render_report(job_id: int) -> str:
    """Render report job ``job_id`` (PDF, JSON, XLSX) on the ``reports`` queue. Returns its final
    state, or ``skipped`` when there was nothing to do."""
    from inspections.reports.services import report_render

    job = report_render(job_id=int(job_id))
    if job is None:
        return "skipped"
    log.info("report job %s: %s", job.pk, job.state)
    return job.state


def enqueue_report_render(job_id: int) -> None:
    """The reports service's after-commit hook (``REPORTS_ON_REQUEST_HOOKS``): send
    :func:`render_report` for ``job_id`` (routed to the ``reports`` queue by ``CELERY_TASK_ROUTES``)
    without publish retries; the service logs a failure and the sweep re-sends."""
    render_report.apply_async(args=[job_id], retry=False)


# --- import jobs (a big register/ledger upload) ---------------------------------------------------
@app.task(name="shuangfang.imports.run", acks_late=True, **RETRY)
def run_import_job(job_id: int) -> str:
    """Run import job ``job_id`` (:func:`compliance.services.import_jobs.import_job_run`). Returns its
    final state, or ``skipped`` when it was no longer pending (a redelivered message)."""
    from compliance.services.import_jobs import import_job_run

    job = import_job_run(job_id=int(job_id))
    if job is None:
        return "skipped"
    log.info("import job %s: %s", job.pk, job.state)
    return job.state


def enqueue_import_job(job_id: int) -> None:
    """The import-job service's after-commit hook (``IMPORT_JOB_HOOKS``): send :func:`run_import_job`."""
    run_import_job.apply_async(args=[job_id], retry=False)


@app.task(name="shuangfang.reports.sweep", **RETRY)
def reports_sweep() -> int:
    """Re-send pending report jobs and running ones whose lease expired (every minute)."""
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
