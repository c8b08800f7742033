"""The beat schedule, in one place. Sweeps are idempotent, so a second beat cannot double-send.

Intervals come from settings (``BEAT_*_SECONDS``; defaults: dispatch 5 s, escalation 60 s, permits
60 s, investigation 3600 s, audit anchor 3600 s) so tests can shorten them through the environment. Every entry
expires after its interval: a tick that could not run in time is dropped, the next one replaces it
(no backlog of stale sweeps after a broker outage).
"""

from __future__ import annotations

from celery.schedules import crontab
from django.conf import settings


def _every(seconds: float, task: str) -> dict:
    return {"task": task, "schedule": seconds, "options": {"expires": max(seconds, 5.0)}}


def build_schedule() -> dict[str, dict]:
    """The schedule from the current settings."""
    dispatch = settings.BEAT_DISPATCH_SECONDS
    escalate = settings.BEAT_ESCALATION_SECONDS
    permits = settings.BEAT_PERMITS_SECONDS
    hourly = settings.BEAT_INVESTIGATION_SECONDS
    anchor = settings.BEAT_AUDIT_ANCHOR_SECONDS
    return {
        "outbox-dispatch": _every(dispatch, "shuangfang.dispatch_outbox"),
        # the ladder: pre-deadline reminder, overdue, principal, regulator
        "escalation-sweep": _every(escalate, "shuangfang.escalation_sweep"),
        "permits-expire": _every(permits, "shuangfang.permits_expire"),
        "permits-suspend-stale-gas": _every(permits, "shuangfang.permits_suspend_stale_gas"),
        "investigation-generate": _every(hourly, "shuangfang.investigation_generate"),
        "investigation-mark-overdue": _every(hourly, "shuangfang.investigation_mark_overdue"),
        # a missing daily 安全风险研判与承诺 past RISK_COMMITMENT_DEADLINE_HOUR (once per enterprise and day)
        "commitments-escalate": _every(escalate, "shuangfang.commitments_escalate"),
        # audit chain heads to the regulators (outbox): truncation after an anchor is detectable
        "audit-anchor": _every(anchor, "shuangfang.audit_anchor"),
        # 双报告 (Asia/Shanghai, CELERY_TIMEZONE): last month's enterprise reports on the 1st at 02:00,
        # jurisdiction reports at 03:00, and the stuck-job sweep every minute
        "reports-monthly-enterprises": {"task": "shuangfang.reports.monthly_enterprises",
                                        "schedule": crontab(minute=0, hour=2, day_of_month=1)},
        "reports-monthly-jurisdictions": {"task": "shuangfang.reports.monthly_jurisdictions",
                                          "schedule": crontab(minute=0, hour=3, day_of_month=1)},
        "reports-sweep": _every(60.0, "shuangfang.reports.sweep"),
    }
