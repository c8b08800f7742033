"""Demo data for 双报告: the sample enterprise's dual report and the county's jurisdiction report.

Called by ``manage.py load_demo`` (``make run``). Rendering here is synchronous — a management
command, not a web request. Idempotent: a second run finds the done reports and keeps them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from backend.core.demo import DemoContext
from inspections.reports import services
from inspections.reports.models import ReportJob

#: The sample ledger runs to 2026-11-28; its month is the natural demo period.
SAMPLE_MONTH = (date(2026, 11, 1), date(2026, 11, 30))


def demo_period(today: date | None = None) -> tuple[date, date]:
    """November 2026 (the sample ledger's last month) once it has started, else the previous month."""
    today = today or services.local_today()
    return SAMPLE_MONTH if today >= SAMPLE_MONTH[0] else services.previous_month(today)


def _make(stdout: Any, label: str, **kwargs: Any) -> ReportJob:
    job, _created = services.report_request(**kwargs)
    if job.state != ReportJob.State.DONE:
        job = services.report_render(job_id=job.pk) or ReportJob.objects.get(pk=job.pk)
    stdout.write(f"  {label}: report {job.pk} {job.state} {job.period_start}–{job.period_end}"
                 + (f" sha256(pdf)={job.sha256_pdf[:16]}…" if job.sha256_pdf else f" {job.error}"))
    return job


def load(ctx: DemoContext) -> None:
    """Render the sample enterprise's dual report and the regulator's jurisdiction report."""
    enterprise, users, regulator, stdout = ctx.enterprise, ctx.users, ctx.regulator, ctx.stdout
    stdout.write("== 双报告")
    start, end = demo_period()
    _make(stdout, enterprise.name, actor=users.get("officer"), kind=ReportJob.Kind.ENTERPRISE,
          enterprise=enterprise, period_start=start, period_end=end)
    inspector = users.get("inspector")
    _make(stdout, regulator.name, actor=inspector, kind=ReportJob.Kind.JURISDICTION, regulator=regulator,
          period_start=start, period_end=end)
