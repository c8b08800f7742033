"""Writes of the report jobs: request, claim, render, sweep, schedule, correct, verify.

State machine (a row per report): ``pending`` → ``running`` → ``done`` | ``failed``.

- :func:`report_request` creates the job (or returns the existing one for the same kind, subject
  and period — a unique constraint decides races) and, after commit, calls the render hooks
  (:data:`ON_REQUEST_HOOKS`, installed from ``REPORTS_ON_REQUEST_HOOKS``: the worker's
  ``enqueue_report_render`` sends the render task on the ``reports`` queue). The job row is the
  outbox: a lost message (broker down) leaves it pending for :func:`report_sweep`. A failed job
  requested again goes back to ``pending``.
- :func:`report_claim` is the conditional UPDATE a worker wins before rendering: pending →
  running, or running → running when the previous holder's lease (``REPORTS_LEASE_SECONDS``) has
  expired (a killed worker). A redelivered message for a job someone else holds does nothing.
- :func:`report_render` computes the snapshot, renders JSON/XLSX/PDF, stores them and their
  SHA-256 and finishes with a conditional UPDATE (running, same attempt) → done. Errors → failed.
- :func:`report_sweep` (beat) re-enqueues pending jobs and running jobs whose lease expired.
- A done job is a **draft**: its figures are frozen in ``data`` at generation; its 存在问题及下步工作
  narrative is edited by :func:`report_edit`; :func:`report_issue` (once the period is over) stamps
  ``issued_at`` and the signature block and sends it back to the worker, which renders the final
  files from the frozen figures; only issued files verify (:func:`report_verify`).
- An issued report is never edited: :func:`report_correct` creates a new job naming the one it
  replaces and stamps the old one ``superseded_at``.

Rendering happens only in a worker (or a management command such as the demo loader), never in
a web request: the API calls :func:`report_request` only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import Enterprise, Regulator
from backend.audit.services import audit_record, chain_head
from backend.core.actors import SYSTEM, actor_of, require_enterprise_member
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import Conflict, FieldError, Forbidden, from_rule
from backend.core.rules import RuleError
from backend.core.time import SHANGHAI, local_today
from inspections.reports import content, render
from inspections.reports.error_codes import ReportErrorCode as Code
from inspections.reports.error_codes import ReportEvent
from inspections.reports.models import ReportJob
from inspections.reports.rules import (
    JOB_MACHINE,
    REQUESTER_ROLES,
    issue_errors,
    period_errors,
    period_kind_of,
    periods_ending_on,
)

log = logging.getLogger(__name__)

#: A job interrupted this many times is marked failed instead of being re-claimed again.
MAX_ATTEMPTS = 3
#: Called after commit with the id of each job to render (``REPORTS_ON_REQUEST_HOOKS``, installed
#: by :class:`inspections.reports.apps.ReportsConfig`); the settings are the composition root, so
#: this layer never imports the worker.
ON_REQUEST_HOOKS: list[Callable[[int], None]] = []


def report_lease() -> timedelta:
    """How long a worker holds a running job before it may be re-claimed (``REPORTS_LEASE_SECONDS``,
    longer than ``CELERY_TASK_TIME_LIMIT``)."""
    return timedelta(seconds=settings.REPORTS_LEASE_SECONDS)


def enqueue_render(job_id: int) -> None:
    """Hand ``job_id`` to every render hook. A failing hook (broker down) is logged, not raised: the
    job stays pending and :func:`report_sweep` sends it again."""
    for hook in ON_REQUEST_HOOKS:
        try:
            hook(job_id)
        except Exception:  # noqa: BLE001 — the sweep is the safety net
            log.exception("could not enqueue report job %s; the sweep will retry", job_id)


def previous_month(today: date | None = None) -> tuple[date, date]:
    """(first day, last day) of the calendar month before ``today`` (Asia/Shanghai)."""
    first_this = (today or local_today()).replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return last_prev.replace(day=1), last_prev


def _validate_period(period_start: date, period_end: date) -> None:
    try:
        period_errors(period_start, period_end, local_today())
    except RuleError as exc:
        raise from_rule(exc) from exc


def _subject_filter(kind: str, enterprise: Enterprise | None, regulator: Regulator | None) -> Q:
    if kind == ReportJob.Kind.ENTERPRISE:
        return Q(kind=kind, enterprise=enterprise)
    return Q(kind=kind, regulator=regulator)


def _audit(actor: Any, job: ReportJob, action: str, *, from_state: str = "", to_state: str = "", reason: str = "",
           payload: dict | None = None) -> None:
    audit_record(actor=actor, action=action, obj=job, enterprise=job.enterprise_id, regulator=job.regulator,
                 from_state=from_state, to_state=to_state, reason=reason, payload=payload or {})


@transaction.atomic
def report_request(
    *,
    actor: Any,
    kind: str,
    period_start: date,
    period_end: date,
    enterprise: Enterprise | None = None,
    regulator: Regulator | None = None,
) -> tuple[ReportJob, bool]:
    """Request a report; returns ``(job, created)``.

    The same kind, subject and period twice gives the existing (non-superseded) job and
    ``created=False``; if that job had failed it is queued again. Authorization is the caller's
    (the API checks the subject is in the actor's organization). Raises FieldError (400) for a
    bad period.
    """
    user = actor_of(actor).user
    if kind not in ReportJob.Kind.values:
        raise FieldError("未知的报告类型。", code=Code.INVALID_CHOICE, field="kind")
    if (kind == ReportJob.Kind.ENTERPRISE) != (enterprise is not None) or (regulator is None) == (enterprise is None):
        raise FieldError("报告对象与类型不符。", code=Code.SUBJECT_MISMATCH, field="kind")
    _validate_period(period_start, period_end)
    current = ReportJob.objects.filter(
        _subject_filter(kind, enterprise, regulator), period_start=period_start, period_end=period_end,
        superseded_at__isnull=True,
    )
    job = current.first()
    if job is None:
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(kind=kind, enterprise=enterprise, regulator=regulator,
                                               period_start=period_start, period_end=period_end, requested_by=user)
        except IntegrityError:
            job = current.get()  # a concurrent request won the unique constraint
        else:
            _audit(user, job, ReportEvent.REQUEST, to_state=job.state,
                   payload={"kind": kind, "period": [period_start.isoformat(), period_end.isoformat()]})
            transaction.on_commit(lambda: enqueue_render(job.pk))
            return job, True
    if job.state in JOB_MACHINE.sources_of("retry"):
        if ReportJob.objects.filter(pk=job.pk, state__in=JOB_MACHINE.sources_of("retry")).update(
            state=JOB_MACHINE.check("retry", job.state), attempts=0, started_at=None, finished_at=None
        ):
            _audit(user, job, ReportEvent.RETRY, from_state=job.state, to_state=ReportJob.State.PENDING,
                   reason=job.error[:200])
            transaction.on_commit(lambda: enqueue_render(job.pk))
        job.refresh_from_db()
    return job, False


def report_corrector_check(*, actor: Any, report: ReportJob) -> None:
    """May ``actor`` correct ``report``? An enterprise report: a member of that enterprise with a
    requester role (403 ``role_not_allowed`` otherwise; a regulator only reads it: 403
    ``read_only``; another enterprise: 404); a jurisdiction report:
    its regulator (403 ``permission_denied``). The system may correct any."""
    a = actor_of(actor)
    if a.is_system:
        return
    if report.kind == ReportJob.Kind.ENTERPRISE:
        if a.is_regulator:
            raise Forbidden("监管部门用户对企业数据只读。", code=CoreErrorCode.READ_ONLY)
        require_enterprise_member(a, report.enterprise_id, REQUESTER_ROLES, not_found="报告不存在。")
    elif a.regulator_id != report.regulator_id:
        raise Forbidden("无权更正该报告。", code=CoreErrorCode.PERMISSION_DENIED)


@transaction.atomic
def report_correct(*, actor: Any, report: ReportJob, reason: str) -> ReportJob:
    """Issue a correction of a done report: a new pending job for the same subject and period
    naming ``report`` in ``replaces``; ``report`` gets ``superseded_at`` and is otherwise
    unchanged. Who corrects: a member of the enterprise for an enterprise report (a regulator
    reads them: 403 ``read_only``), the regulator itself for its jurisdiction report (403
    ``permission_denied``). 409 ``invalid_transition`` unless ``report`` is done; 409
    ``already_superseded``."""
    a = actor_of(actor)
    report_corrector_check(actor=a, report=report)
    if not (reason or "").strip():
        raise FieldError("更正须说明原因。", code=Code.REQUIRED, field="reason")
    old = ReportJob.objects.select_for_update().get(pk=report.pk)
    try:
        JOB_MACHINE.check("correct", old.state)
    except RuleError as exc:
        raise from_rule(exc) from exc
    if old.superseded_at is not None:
        raise Conflict("该报告已被更正。", code=Code.ALREADY_SUPERSEDED)
    now = timezone.now()
    ReportJob.objects.filter(pk=old.pk).update(superseded_at=now)
    new = ReportJob.objects.create(kind=old.kind, enterprise=old.enterprise, regulator=old.regulator,
                                   period_start=old.period_start, period_end=old.period_end, replaces=old,
                                   reason=reason.strip()[:200],
                                   requested_by=a.user)
    _audit(a.user, new, ReportEvent.CORRECT, to_state=new.state, reason=reason, payload={"replaces": old.pk})
    transaction.on_commit(lambda: enqueue_render(new.pk))
    return new


def report_claim(*, job_id: int) -> ReportJob | None:
    """Win the job for rendering (conditional UPDATE). Returns the claimed job (``attempts``
    already incremented), or None when it is done/failed or held by a live worker. A job whose
    lease expired ``MAX_ATTEMPTS`` times is marked failed."""
    now = timezone.now()
    expired = Q(state__in=JOB_MACHINE.sources_of("reclaim"), started_at__lt=now - report_lease())
    with transaction.atomic():
        row = ReportJob.objects.filter(pk=job_id).filter(Q(state__in=JOB_MACHINE.sources_of("claim")) | expired).first()
        if row is None:
            return None
        if row.state == ReportJob.State.RUNNING and row.attempts >= MAX_ATTEMPTS:
            _finish_failed(row, attempt=row.attempts, error=f"渲染被中断 {row.attempts} 次（worker 被终止或超时），已停止重试。")
            return None
        action = "claim" if row.state == ReportJob.State.PENDING else "reclaim"
        won = ReportJob.objects.filter(pk=job_id, state=row.state, attempts=row.attempts).update(
            state=JOB_MACHINE.check(action, row.state), started_at=now, attempts=row.attempts + 1, error=""
        )
    if not won:
        return None
    return ReportJob.objects.select_related("enterprise", "regulator").get(pk=job_id)


def _finish_failed(job: ReportJob, *, attempt: int, error: str) -> bool:
    with transaction.atomic():
        n = ReportJob.objects.filter(pk=job.pk, state__in=JOB_MACHINE.sources_of("fail"), attempts=attempt).update(
            state=JOB_MACHINE.transition("fail").target, error=error[:2000], finished_at=timezone.now()
        )
        if n:
            _audit(None, job, ReportEvent.FAIL, from_state=ReportJob.State.RUNNING, to_state=ReportJob.State.FAILED,
                   reason=error[:200])
    return bool(n)


def verify_url(sha256_hex: str) -> str:
    """The public verification page of a report file: ``REPORTS_PUBLIC_BASE_URL`` + ``/verify/<sha256>``
    (the page is the regulator console's; it asks ``GET /api/v1/reports/verify/?sha256=``)."""
    base = settings.REPORTS_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/verify/{sha256_hex}"


def _person(user: Any) -> dict | None:
    if user is None:
        return None
    m = getattr(user, "membership", None)
    return {"id": user.pk, "name": user.full_name or user.username,
            "role": m.get_role_display() if m is not None else ""}


def _principal(job: ReportJob) -> Any:
    """The organization's 主要负责人: an enterprise's principal member, a regulator's admin."""
    from backend.accounts.models import Membership

    q = (Q(enterprise_id=job.enterprise_id, role="principal") if job.kind == ReportJob.Kind.ENTERPRISE
         else Q(regulator_id=job.regulator_id, role="admin"))
    m = Membership.objects.filter(q).select_related("user").order_by("id").first()
    return m.user if m is not None else None


@transaction.atomic
def report_edit(*, actor: Any, report: ReportJob, narrative: str) -> ReportJob:
    """Write the 存在问题及下步工作 narrative of a draft (who may: as :func:`report_corrector_check`).
    409 ``already_issued`` once issued, ``already_superseded`` once corrected. Audited
    (``report.edit``, with the old and new length)."""
    a = actor_of(actor)
    report_corrector_check(actor=a, report=report)
    job = ReportJob.objects.select_for_update().get(pk=report.pk)
    if job.issued_at is not None:
        raise Conflict("报告已签发，不可编辑；请生成更正版。", code=Code.ALREADY_ISSUED)
    if job.superseded_at is not None:
        raise Conflict("该报告已被更正。", code=Code.ALREADY_SUPERSEDED)
    before = len(job.narrative)
    job.narrative, job.narrative_by, job.narrative_at = narrative, a.user, timezone.now()
    job.save(update_fields=["narrative", "narrative_by", "narrative_at"])
    _audit(a.user, job, ReportEvent.EDIT, payload={"field": "narrative", "before_len": before, "after_len": len(narrative)})
    return job


@transaction.atomic
def report_issue(*, actor: Any, report: ReportJob) -> ReportJob:
    """Issue a generated draft: 409 ``invalid_transition`` unless it is done (generated), 409
    ``already_issued``, 409 ``period_not_ended`` while its period runs (the draft says 截至 <time>),
    400 ``required`` (field ``narrative``) without a narrative. Stamps ``issued_at``/``issued_by``
    and the signature block (编制人 = who last wrote the narrative, 审核人 = the issuer, 主要负责人 =
    the enterprise's principal member or the regulator's admin), and queues the final render from
    the frozen figures (the job is pending until the worker finishes). Audited (``report.issue``)."""
    a = actor_of(actor)
    report_corrector_check(actor=a, report=report)
    job = ReportJob.objects.select_for_update().get(pk=report.pk)
    if job.superseded_at is not None:
        raise Conflict("该报告已被更正。", code=Code.ALREADY_SUPERSEDED)
    now = timezone.now()
    try:
        if job.issued_at is None:
            JOB_MACHINE.check("issue", job.state)
        # the figures are frozen at generation: a draft generated while its period ran stays partial
        # (截至 <time>) even after the period ends — correct it (regenerate) to issue the whole period
        partial = bool(((job.data or {}).get("data") or {}).get("partial"))
        issue_errors(period_over=now >= content.day_start(job.period_end + timedelta(days=1)) and not partial,
                     issued=job.issued_at is not None, narrative=job.narrative)
    except RuleError as exc:
        raise from_rule(exc) from exc
    principal = _principal(job)
    signatures = {
        "compiled_by": _person(job.narrative_by or a.user),
        "reviewed_by": _person(a.user),
        "approved_by": _person(principal),
        "issued_on": timezone.localtime(now, SHANGHAI).date().isoformat(),
    }
    ReportJob.objects.filter(pk=job.pk).update(issued_at=now, issued_by=a.user, signatures=signatures,
                                               state=JOB_MACHINE.check("issue", job.state), attempts=0,
                                               started_at=None)
    _audit(a.user, job, ReportEvent.ISSUE, from_state=job.state, to_state=ReportJob.State.PENDING,
           payload={"signatures": signatures})
    transaction.on_commit(lambda: enqueue_render(job.pk))
    job.refresh_from_db()
    return job


def _previous_snapshot(job: ReportJob) -> dict | None:
    doc = (
        ReportJob.objects.filter(_subject_filter(job.kind, job.enterprise, job.regulator), state=ReportJob.State.DONE,
                                 superseded_at__isnull=True, period_end__lt=job.period_start)
        .order_by("-period_end", "-id")
        .values_list("data", flat=True)
        .first()
    )
    return (doc or {}).get("data")


def report_document(job: ReportJob, *, now: Any = None) -> dict:
    """The snapshot a job is rendered from: report metadata + :func:`content.report_data`."""
    now = now or timezone.now()
    subject: dict[str, Any]
    if job.kind == ReportJob.Kind.ENTERPRISE:
        e = job.enterprise
        assert e is not None  # report_subject_matches_kind
        subject = {"type": "enterprise", "id": e.pk, "name": e.name, "uscc": e.uscc, "division_code": e.division_code}
    else:
        r = job.regulator
        assert r is not None  # report_subject_matches_kind
        subject = {"type": "regulator", "id": r.pk, "name": r.name, "jurisdiction": r.jurisdiction}
    data = content.report_data(kind=job.kind, period_start=job.period_start, period_end=job.period_end,
                               enterprise=job.enterprise, regulator=job.regulator,
                               previous=_previous_snapshot(job), now=now)
    return {
        "report": {
            "id": job.pk,
            "kind": job.kind,
            "kind_label": ReportJob.Kind(job.kind).label,
            "subject": subject,
            "period": {"start": job.period_start.isoformat(), "end": job.period_end.isoformat()},
            "status": "draft",
            "generated_at": timezone.localtime(now, SHANGHAI).isoformat(timespec="seconds"),
            "issued_at": None,
            "period_kind": period_kind_of(job.period_start, job.period_end).value,
            "period_kind_label": period_kind_of(job.period_start, job.period_end).label,
            "narrative": "",
            "signatures": None,
            "replaces": job.replaces_id,
            # the enterprise's audit chain head when issued: an anchor of the trail outside the
            # database (a later truncation below it is named by audit_verify; issue 12)
            "audit_head": chain_head(job.enterprise_id) if job.kind == ReportJob.Kind.ENTERPRISE else None,
        },
        "data": data,
    }


def issued_document(job: ReportJob) -> dict:
    """The issued snapshot: the draft's frozen figures (``job.data``) with the narrative, the
    signature block and the issue time; ``status`` ``issued``."""
    doc = dict(job.data or {})
    doc["report"] = {**doc["report"], "status": "issued", "narrative": job.narrative, "signatures": job.signatures,
                     "issued_at": timezone.localtime(job.issued_at, SHANGHAI).isoformat(timespec="seconds")}
    return doc


def plan_image_of(document: dict) -> bytes | None:
    """The plant layout image a report's frozen zone map was drawn on (bytes), or None: no zone map,
    or the enterprise has since replaced its plan (the zones are then drawn without it)."""
    zm = (document.get("data") or {}).get("zone_map")
    if not zm:
        return None
    from compliance.models import PlantLayout

    layout = PlantLayout.objects.filter(enterprise_id=document["report"]["subject"]["id"],
                                        sha256=zm["layout_sha256"]).first()
    if layout is None:
        return None
    with layout.file.open("rb") as fh:
        return fh.read()


def _file_stem(job: ReportJob) -> str:
    return f"reports/{job.pk}/{job.kind}-{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}-a{job.attempts}"


def report_render(*, job_id: int) -> ReportJob | None:
    """Claim and render one job (worker side). Returns the finished job, or None when there was
    nothing to do (already done/failed, or held by a live worker). Never raises for a render
    error: the job becomes failed with the error text."""
    job = report_claim(job_id=job_id)
    if job is None:
        return None
    attempt = job.attempts
    saved: list[str] = []
    try:
        if job.issued_at is not None and job.data:
            document = issued_document(job)
        else:
            document = report_document(job)
            document["report"]["narrative"] = job.narrative
        json_bytes = render.render_json(document)
        sha_json = render.sha256(json_bytes)
        xlsx_bytes = render.render_xlsx(document)
        pdf_bytes = render.render_pdf(document, sha256_json=sha_json, verify_url=verify_url(sha_json),
                                      plan_image=plan_image_of(document))
        stem = _file_stem(job)
        names = {}
        for field, ext, blob in (("json_file", "json", json_bytes), ("xlsx", "xlsx", xlsx_bytes), ("pdf", "pdf", pdf_bytes)):
            names[field] = default_storage.save(f"{stem}.{ext}", ContentFile(blob))
            saved.append(names[field])
        with transaction.atomic():
            won = ReportJob.objects.filter(pk=job.pk, state__in=JOB_MACHINE.sources_of("finish"), attempts=attempt).update(
                state=JOB_MACHINE.transition("finish").target, finished_at=timezone.now(), data=document, error="",
                sha256_json=sha_json, sha256_xlsx=render.sha256(xlsx_bytes), sha256_pdf=render.sha256(pdf_bytes),
                **names,
            )
            if won:
                _audit(None, job, ReportEvent.DONE, from_state=ReportJob.State.RUNNING, to_state=ReportJob.State.DONE,
                       payload={"sha256_pdf": render.sha256(pdf_bytes), "sha256_json": sha_json})
        if not won:  # our lease expired and someone else re-claimed the job: theirs counts
            for name in saved:
                default_storage.delete(name)
            return None
    except Exception as exc:  # noqa: BLE001 — recorded on the job
        log.exception("report job %s failed", job_id)
        for name in saved:
            default_storage.delete(name)
        _finish_failed(job, attempt=attempt, error=f"{type(exc).__name__}: {exc}")
    job.refresh_from_db()
    return job


def report_sweep() -> int:
    """Re-enqueue pending jobs older than a minute and running jobs whose lease expired
    (beat, every few minutes). Returns how many were sent."""
    now = timezone.now()
    ids = list(
        ReportJob.objects.filter(
            Q(state=ReportJob.State.PENDING, created_at__lt=now - timedelta(minutes=1))
            | Q(state=ReportJob.State.RUNNING, started_at__lt=now - report_lease())
        ).order_by("id").values_list("id", flat=True)[:1000]
    )
    for job_id in ids:
        enqueue_render(job_id)
    return len(ids)


def report_schedule_enterprises(*, today: date | None = None) -> int:
    """Draft dual reports of every approved enterprise for the periods that ended yesterday (beat,
    the 1st, 02:00): the previous month, and the previous quarter (1 Jan/Apr/Jul/Oct) and year
    (1 Jan) too (:func:`rules.periods_ending_on`). Idempotent. Returns how many jobs were created."""
    periods = periods_ending_on((today or local_today()) - timedelta(days=1))
    created = 0
    for ent in Enterprise.objects.filter(status=Enterprise.Status.APPROVED).order_by("id").iterator():
        for start, end in periods:
            _job, new = report_request(actor=SYSTEM, kind=ReportJob.Kind.ENTERPRISE, enterprise=ent,
                                       period_start=start, period_end=end)
            created += new
    return created


def report_schedule_jurisdictions(*, today: date | None = None) -> int:
    """Draft jurisdiction reports of every regulator for the periods that ended yesterday (beat,
    the 1st, 03:00, after the enterprise reports): month, and quarter / year at their ends. Idempotent."""
    periods = periods_ending_on((today or local_today()) - timedelta(days=1))
    created = 0
    for reg in Regulator.objects.order_by("id").iterator():
        for start, end in periods:
            _job, new = report_request(actor=SYSTEM, kind=ReportJob.Kind.JURISDICTION, regulator=reg,
                                       period_start=start, period_end=end)
            created += new
    return created


def report_verify(*, sha256_hex: str) -> ReportJob | None:
    """The current or superseded issued report one of whose files has this SHA-256, or None (a
    draft's files never verify)."""
    h = (sha256_hex or "").strip().lower()
    if len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
        raise FieldError("SHA-256 须为 64 位十六进制。", code=Code.INVALID_SHA256, field="sha256")
    return (
        ReportJob.objects.filter(Q(sha256_pdf=h) | Q(sha256_json=h) | Q(sha256_xlsx=h), state=ReportJob.State.DONE,
                                 issued_at__isnull=False)
        .select_related("enterprise", "regulator")
        .first()
    )
