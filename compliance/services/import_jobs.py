"""Big register and ledger uploads imported by the worker, with their progress (issue 13 §5).

An API upload with more than ``IMPORT_JOB_ROW_THRESHOLD`` rows (default 2,000; previews stay
synchronous) becomes an :class:`~compliance.models.imports.ImportJob`: the file is stored through
the storage API, the job committed ``pending`` and handed to the hooks of ``IMPORT_JOB_HOOKS`` after
commit (the worker's ``enqueue_import_job``; settings are the composition root, this layer never
imports the worker). :func:`import_job_run` claims it (``pending`` → ``running``, a conditional
UPDATE: a redelivered message does nothing), runs the same import as the request would, and stores
the report (``done``) or the error (``failed``). While it runs, ``rows_done`` is published through
the cache (the import's own transaction is not visible until it commits): :func:`import_job_progress`.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import APIException

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of
from compliance.error_codes import ImportEvent
from compliance.importers.workbook import open_workbook
from compliance.models import ImportJob
from compliance.services.common import check_workbook_limits, check_workbook_size

log = logging.getLogger(__name__)

#: Called after commit with the id of each new job (``IMPORT_JOB_HOOKS``, installed by the app config).
ON_JOB_HOOKS: list[Callable[[int], None]] = []
#: Rows between two progress reports of a running job.
PROGRESS_EVERY = 200
_ZIP = b"PK\x03\x04"


def import_job_threshold() -> int:
    """Rows above which an API import runs as a job (``IMPORT_JOB_ROW_THRESHOLD``, default 2,000)."""
    return int(getattr(settings, "IMPORT_JOB_ROW_THRESHOLD", 2000))


def workbook_rows(source: IO[bytes]) -> int:
    """Rows of all the sheets of an upload (title, header and note rows included: an upper bound of
    its data rows), from the sheets' dimensions when they declare one; rewinds ``source``."""
    source.seek(0)
    head = source.read(4)
    source.seek(0)
    try:
        if head == _ZIP:
            import openpyxl

            wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
            total = 0
            for ws in wb.worksheets:
                rows = getattr(ws, "max_row", None)
                total += rows if rows else sum(1 for _ in ws.iter_rows(values_only=True))
            wb.close()
            return total
        return sum(ws.max_row for ws in open_workbook(source).worksheets)
    except Exception:  # noqa: BLE001 — not readable: the synchronous import names the problem
        return 0
    finally:
        source.seek(0)


def _enqueue(job_id: int) -> None:
    for hook in ON_JOB_HOOKS:
        try:
            hook(job_id)
        except Exception:  # noqa: BLE001 — the job stays pending; a later submit or the operator resends
            log.exception("could not enqueue import job %s", job_id)


@transaction.atomic
def import_job_submit(*, actor: Actor | Any, enterprise: Enterprise, kind: str, upload: IO[bytes],
                      mapping: dict[str, Any] | None = None, rows: int | None = None) -> ImportJob:
    """Store ``upload`` and create a ``pending`` job importing it into ``enterprise`` (``kind``:
    ``register`` or ``ledger``); the worker is told after commit. The size and workbook limits are
    checked first (413 ``file_too_large`` / ``too_many_rows`` …, as the synchronous import). Audited
    (``import_job.submit``)."""
    actor = actor_of(actor)
    check_workbook_size(upload)
    check_workbook_limits(upload)
    name = Path(str(getattr(upload, "name", "") or "upload")).name[:200]
    job = ImportJob(enterprise=enterprise, kind=kind, filename=name, mapping=mapping or None,
                    requested_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
                    rows_total=rows if rows is not None else workbook_rows(upload))
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}{Path(name).suffix[:8]}", File(upload), save=False)
    job.save()
    audit_record(actor=actor.user, action=ImportEvent.JOB_SUBMIT, obj=job, enterprise=enterprise,
                 to_state=job.state, payload={"kind": kind, "filename": name, "rows_total": job.rows_total})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:rows_done"


def import_job_progress(job: ImportJob) -> int:
    """Rows done of ``job``: the stored figure, or while it runs the latest the worker published."""
    if job.state == ImportJob.State.RUNNING:
        return max(job.rows_done, int(cache.get(_progress_key(job.pk)) or 0))
    return job.rows_done


def _counting(report: Callable[[int], None]) -> Callable[..., Iterator[Any]]:
    """A ``progress`` wrapper for :func:`register_import` that reports every ``PROGRESS_EVERY`` rows."""
    done = 0

    def wrap(rows: Iterable[Any], desc: str = "") -> Iterator[Any]:
        nonlocal done
        for row in rows:
            yield row
            done += 1
            if done % PROGRESS_EVERY == 0:
                report(done)

    return wrap


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run job ``job_id`` if it is still pending (else None: done already, or held by another worker).

    The import is :func:`~compliance.services.ledger_import.ledger_import` or
    :func:`~compliance.services.register_import.register_import` with the job's file and mapping,
    acting as the user who uploaded it. ``done``: ``report`` is the same report the request would
    have answered, ``rows_done`` its row count. ``failed``: ``error`` is the refusal (``code：message``,
    e.g. a missing column) or the exception's type; nothing of the import is written."""
    from compliance.services.ledger_import import ledger_import
    from compliance.services.register_import import register_import

    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("enterprise", "requested_by").get(pk=job_id)

    def publish(done: int) -> None:
        cache.set(_progress_key(job.pk), done, timeout=24 * 3600)

    try:
        with job.file.open("rb") as fh:
            source = io.BytesIO(fh.read())
        source.name = job.filename
        if job.kind == ImportJob.Kind.LEDGER:
            report = ledger_import(actor=job.requested_by, enterprise=job.enterprise, source=source,
                                   mapping=job.mapping, on_progress=lambda done, total: publish(done))
        else:
            report = register_import(actor=job.requested_by, enterprise=job.enterprise, source=source,
                                     mapping=job.mapping, progress=_counting(publish))
    except APIException as exc:
        job.state, job.error = ImportJob.State.FAILED, _refusal(exc)
    except Exception as exc:  # noqa: BLE001 — recorded on the job; the import rolled back
        log.exception("import job %s failed", job.pk)
        job.state, job.error = ImportJob.State.FAILED, f"导入失败：{type(exc).__name__}"
    else:
        job.state, job.report = ImportJob.State.DONE, report.as_dict()
        job.rows_done = report.counts["total"]
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["state", "error", "report", "rows_done", "finished_at"])
        audit_record(actor=job.requested_by, action=ImportEvent.JOB_FINISH, obj=job, enterprise=job.enterprise,
                     from_state=ImportJob.State.RUNNING, to_state=job.state,
                     payload={"counts": job.report["counts"] if job.report else None, "error": job.error})
    cache.delete(_progress_key(job.pk))
    return job


def _refusal(exc: APIException) -> str:
    detail = exc.detail
    if isinstance(detail, dict):
        field, messages = next(iter(detail.items()))
        message = str(messages[0] if isinstance(messages, list) else messages)
        code = getattr(messages[0] if isinstance(messages, list) else messages, "code", "")
        return f"{code}（{field}）：{message}"
    return f"{getattr(detail, 'code', '')}：{detail}"
