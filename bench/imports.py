"""``python -m bench import [--rows 10000]``: hidden-danger ledger import throughput and memory.

Writes an N-row ledger (the sample ledger's rows repeated with new 序号 and dates, in its layout:
title, period line, header, footer) to a temporary file, then on a fresh SQLite database in a
temporary directory (nothing of ``var/`` is touched) measures:

1. parsing alone (:func:`compliance.importers.ledger_parse.parse_ledger`): seconds, rows/s;
2. the preview (``dry_run=True``: everything, rolled back) and the committing import: seconds, rows/s;
3. peak RSS of the process (``ru_maxrss``) after each step;
4. that every created row has its audit event and the enterprise's chain verifies.

``--database-url postgres://…/sf_bench`` (or ``BENCH_DATABASE_URL``) measures on that database
instead (migrated first; each run imports into a new copy of the sample enterprise).

The sample enterprise is created from ``samples/enterprises.csv``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.report import _setup, peak_mib, rss_mib

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def write_ledger(path: Path, n: int) -> None:
    import openpyxl

    src = openpyxl.load_workbook(SAMPLES / "隐患排查治理台账_示例化工.xlsx")["隐患排查治理台账"]
    header = [c.value for c in src[3]]
    body = [list(r) for r in src.iter_rows(min_row=4, max_row=73, values_only=True)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患排查治理台账"
    ws.append(["高青澄源化工有限公司隐患排查治理台账"])
    ws.append(["统计期间：2020-01-01 至 2026-11-28"])
    ws.append(header)
    start = date(2020, 1, 1)
    for i in range(n):
        row = list(body[i % len(body)])
        found = start + timedelta(days=i % 2500)
        row[0] = i + 1
        row[1] = found.isoformat()
        for k in (10, 11, 13):  # 整改期限, 整改完成日期, 验收日期: keep the row's offsets from its found date
            if row[k] is not None and not (isinstance(row[k], str) and row[k].startswith("即")):
                row[k] = (found + timedelta(days=7)).isoformat()
        if row[6] == "重大隐患" or row[5] == "重大隐患":
            row[5] = "一般隐患"
        ws.append(row)
    ws.append([])
    ws.append(["填表人：王海涛    审核人：李红    填表日期：2026年11月28日"])
    wb.save(path)


def _setup_database(tmp: str, database_url: str | None) -> None:
    """A fresh SQLite database in ``tmp`` (default), or ``database_url`` (e.g. PostgreSQL), migrated."""
    if not database_url:
        _setup(tmp)
        return
    os.environ["SHUANGFANG_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_enterprise():  # type: ignore[no-untyped-def]
    """The sample enterprise on a fresh database; on a reused one (``--database-url``) a new copy of it,
    so every run imports into an empty ledger."""
    from backend.accounts.importers import enterprises_import
    from backend.accounts.models import Enterprise

    enterprises_import(source=str(SAMPLES / "enterprises.csv"))
    ent = Enterprise.objects.get(uscc="91370322564206426R")
    if not ent.hazards.exists():
        return ent
    ent.pk, ent.id = None, None
    ent.uscc = f"91370322{time.time_ns() % 10**10:010d}"
    ent.name = f"{ent.name}（基准 {ent.uscc[-6:]}）"
    ent.save()
    return ent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="measure on this database (e.g. postgres://…/sf_bench) instead of a fresh SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        path = Path(tmp) / "ledger.xlsx"
        t = time.perf_counter()
        write_ledger(path, args.rows)
        print(f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        _setup_database(tmp, args.database_url)
        from django.db import connection

        from backend.audit.models import Event
        from backend.audit.services import audit_verify, chain_key
        from compliance.importers.ledger_parse import parse_ledger
        from compliance.services.ledger_import import ledger_import

        print(f"database: {connection.vendor}")
        ent = _fresh_enterprise()
        base = rss_mib()
        t, cpu = time.perf_counter(), time.process_time()
        parsed = parse_ledger(path)
        dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"parse: {len(parsed.rows)} rows, {len(parsed.problems)} problems, {dt:.1f} s = "
              f"{len(parsed.rows) / dt:,.0f} rows/s (CPU {dcpu:.1f} s), peak RSS {peak_mib():.0f} MiB "
              f"(before: {base:.0f} MiB)")
        del parsed
        for label, dry in (("preview (dry run)", True), ("import", False)):
            t, cpu = time.perf_counter(), time.process_time()
            report = ledger_import(actor=None, enterprise=ent, source=str(path), dry_run=dry)
            dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
            c = report.counts
            print(f"{label}: created {c['created']}, rejected {c['rejected']}, {dt:.1f} s = "
                  f"{c['total'] / dt:,.0f} rows/s (this process's CPU {dcpu:.1f} s), peak RSS {peak_mib():.0f} MiB")
        chain = chain_key(ent.pk)
        audited = Event.objects.filter(chain=chain, action="hazard.import").count()
        print(f"audited: {audited} import events for {report.counts['created']} created rows; "
              f"chain {chain} verifies: {'yes' if not audit_verify(chain=chain) else 'NO'}")
    os.environ.pop("SHUANGFANG_VAR_DIR", None)
    return 0
