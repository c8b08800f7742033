"""``python -m bench.report [--enterprises 200] [--renders 20]``: 双报告 rendering benchmark.

Runs on a fresh SQLite database in a temporary directory (nothing of ``var/`` is touched), clock
frozen at the sample data's reference date 2026-11-29. Steps:

1. the sample enterprise (shared register + ledger imported): data time, render time
   (JSON + XLSX + PDF), PDF size;
2. a jurisdiction report over N generated enterprises (default 200; ~25 risk points and ~70
   hazards each): data time (and its query count), render time;
3. each report's PDF against a bare WeasyPrint render of the same HTML, in the same run: the
   report's own path (``render.render_pdf``: template → HTML → WeasyPrint) and
   ``weasyprint.HTML(string=html).write_pdf()`` of the HTML it renders, each in a child forked from
   the same parent state (same baseline memory; the child resets its peak RSS first, so its peak is
   its own), best of ``--compare`` interleaved runs; printed with the ratios (render time, peak RSS;
   and the growth over the child's starting RSS), time and peak RSS ≤ :data:`MAX_RATIO` (exit status
   1 otherwise);
4. ``--renders`` renders in this one process (alternating the two reports), printing the RSS
   after each, to show memory stays bounded (the worker also recycles children above
   ``CELERY_WORKER_MAX_MEMORY_PER_CHILD``).

Peak RSS is ``resource.getrusage(RUSAGE_SELF).ru_maxrss``; current RSS is ``VmRSS``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=SH)


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mib(key: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0: ``clear_refs`` 5), so
    a forked child measures its own peak, not the one inherited from its parent."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _setup(tmp: str) -> None:
    os.environ["SHUANGFANG_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(n: int, regulator_code: str) -> None:
    """``n`` approved enterprises with risk points and hazards (bulk inserts)."""
    from backend.accounts.models import Enterprise
    from compliance.models import Hazard, RiskPoint
    from compliance.rules.deadlines import deadline_end
    from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardType

    rnd = random.Random(7)
    ents = Enterprise.objects.bulk_create(
        Enterprise(name=f"基准测试企业{i:03d}有限公司", uscc=f"91{regulator_code}{i:010d}"[:18].ljust(18, "0"),
                   division_code=f"{regulator_code}{100 + i % 12:03d}", status=Enterprise.Status.APPROVED)
        for i in range(n)
    )
    levels = ["major", "high", "moderate", "moderate", "low", "low"]
    points, hazards = [], []
    sources = [s.value for s in HazardSource][:8]
    types = [t.value for t in HazardType]
    for e in ents:
        for j in range(25):
            points.append(RiskPoint(enterprise=e, code=f"RP-{j:02d}", name=f"风险点{j}", kind="facility",
                                    level=rnd.choice(levels), is_major_hazard_source=(j == 0)))
        for k in range(70):
            found = date(2026, 6, 1) + timedelta(days=rnd.randrange(0, 180))
            deadline = found + timedelta(days=rnd.randrange(0, 60))
            state = rnd.choices(["accepted", "closed", "rectifying", "pending_acceptance"], [55, 10, 25, 10])[0]
            accepted_on = min(deadline, date(2026, 11, 28)) if state in ("accepted", "closed") else None
            grade = HazardGrade.MAJOR.value if k == 0 else HazardGrade.GENERAL.value
            hazards.append(Hazard(
                enterprise=e, number=f"YH-2026-{k + 1:05d}", title=f"隐患{k}", found_on=found, grade=grade,
                source=rnd.choice(sources), hazard_type=rnd.choice(types), state=state, deadline=deadline,
                deadline_at=deadline_end(deadline), funds_yuan=Decimal(rnd.randrange(0, 50000)),
                accepted_on=accepted_on, completed_on=accepted_on, measures="整改措施", responsible_name="责任人",
                contingency_plan="应急预案",
            ))
    RiskPoint.objects.bulk_create(points, batch_size=2000)
    Hazard.objects.bulk_create(hazards, batch_size=2000)


def _timed_render(job) -> tuple[float, float, int, dict]:
    """(data seconds, render seconds, pdf bytes, document) without storing anything."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from inspections.reports import render, services

    reset_queries()
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        document = services.report_document(job)
    t1 = time.perf_counter()
    js = render.render_json(document)
    render.render_xlsx(document)
    pdf = render.render_pdf(document, sha256_json=render.sha256(js), verify_url=services.verify_url(render.sha256(js)))
    t2 = time.perf_counter()
    document["_queries"] = len(ctx.captured_queries)
    return t1 - t0, t2 - t1, len(pdf), document


#: The report's PDF path may cost at most this much more than bare WeasyPrint (time and peak RSS).
MAX_RATIO = 1.3


def _forked(fn) -> dict:
    """Run ``fn`` (→ dict) in a forked child; its result plus the child's render seconds and peak RSS."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: no database use (the document is built by the parent)
        os.close(r)
        code = 0
        try:
            reset_peak()
            start = _status_mib("VmRSS")
            t0 = time.perf_counter()
            out = fn()
            out.update(seconds=time.perf_counter() - t0, peak_mib=_status_mib("VmHWM"),
                       growth_mib=_status_mib("VmHWM") - start)
            os.write(w, json.dumps(out).encode())
        except BaseException as exc:  # noqa: BLE001 — reported to the parent, never raised in a fork
            os.write(w, json.dumps({"error": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks) or b'{"error": "child died"}')
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def compare_with_bare(document: dict, runs: int) -> dict:
    """Best-of-``runs`` seconds and peak RSS of the report's PDF path and of bare WeasyPrint on the
    same HTML, and their ratios (report ÷ bare)."""
    from weasyprint import HTML

    from inspections.reports import render, services

    sha = render.sha256(render.render_json(document))
    url = services.verify_url(sha)
    t0 = time.perf_counter()
    html = render.render_html(document, sha256_json=sha, verify_url=url)
    html_seconds = time.perf_counter() - t0

    def ours() -> dict:
        return {"bytes": len(render.render_pdf(document, sha256_json=sha, verify_url=url))}

    def bare() -> dict:
        return {"bytes": len(HTML(string=html).write_pdf())}

    res: dict[str, Any] = {"html_seconds": html_seconds}
    trials: dict[str, list[dict]] = {"report": [], "bare": []}
    for _ in range(runs):  # interleaved, so a load spike on the shared machine hits both sides alike
        for name, fn in (("report", ours), ("bare", bare)):
            trials[name].append(_forked(fn))
    for name, ts in trials.items():
        res[name] = {"seconds": min(t["seconds"] for t in ts), "peak_mib": min(t["peak_mib"] for t in ts),
                     "growth_mib": min(t["growth_mib"] for t in ts), "bytes": ts[0]["bytes"]}
    res["time_ratio"] = res["report"]["seconds"] / res["bare"]["seconds"]
    res["rss_ratio"] = res["report"]["peak_mib"] / res["bare"]["peak_mib"]
    res["growth_ratio"] = res["report"]["growth_mib"] / max(res["bare"]["growth_mib"], 1.0)
    return res


def _print_comparison(label: str, c: dict) -> bool:
    ok = c["time_ratio"] <= MAX_RATIO and c["rss_ratio"] <= MAX_RATIO
    print(f"{label} PDF vs bare WeasyPrint of the same HTML: report {c['report']['seconds']:.2f} s, peak rss "
          f"{c['report']['peak_mib']:.0f} MiB (+{c['report']['growth_mib']:.0f} during the render) | bare "
          f"{c['bare']['seconds']:.2f} s, peak rss {c['bare']['peak_mib']:.0f} MiB (+{c['bare']['growth_mib']:.0f}) "
          f"| ratio time {c['time_ratio']:.2f}, peak rss {c['rss_ratio']:.2f}, growth {c['growth_ratio']:.2f} "
          f"(limit {MAX_RATIO} on time and peak rss) {'ok' if ok else 'OVER'}; "
          f"of the report's time, building the HTML {c['html_seconds']:.2f} s")
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--compare", type=int, default=3, help="runs of each side of the bare-WeasyPrint comparison")
    args = parser.parse_args(argv)

    import time_machine

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp, time_machine.travel(NOW, tick=True):
        _setup(tmp)
        from django.conf import settings

        from backend.accounts.models import Enterprise, Regulator
        from compliance.services.ledger_import import ledger_import
        from compliance.services.register_import import register_import
        from inspections.reports.models import ReportJob

        print(f"start: rss {rss_mib():.0f} MiB")
        reg = Regulator.objects.create(name="高青县应急管理局", jurisdiction="370322")
        sample = Enterprise.objects.create(name="高青澄源化工有限公司", uscc="91370322564206426R",
                                           division_code="370322102", status=Enterprise.Status.APPROVED)
        register_import(actor=None, enterprise=sample, source=settings.SAMPLES_DIR / "风险分级管控清单_示例化工.xlsx")
        ledger_import(actor=None, enterprise=sample, source=settings.SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx")
        t = time.perf_counter()
        _generate(args.enterprises - 1, "370322")
        print(f"generated {args.enterprises - 1} enterprises in {time.perf_counter() - t:.1f}s")

        period = {"period_start": date(2026, 6, 1), "period_end": date(2026, 11, 30)}
        ent_job = ReportJob.objects.create(kind="enterprise", enterprise=sample, **period)
        jur_job = ReportJob.objects.create(kind="jurisdiction", regulator=reg, **period)

        d, r, size, doc = _timed_render(ent_job)
        print(f"enterprise report: data {d * 1000:.0f} ms ({doc['_queries']} queries), render {r:.2f} s, "
              f"pdf {size / 1024:.0f} KiB, found {doc['data']['hazards']['found']}, overdue {doc['data']['hazards']['overdue']}; "
              f"peak rss {peak_mib():.0f} MiB")
        ent_doc = doc
        d, r, size, doc = _timed_render(jur_job)
        print(f"jurisdiction report ({doc['data']['enterprises']['count']} enterprises): data {d * 1000:.0f} ms "
              f"({doc['_queries']} queries), render {r:.2f} s, pdf {size / 1024:.0f} KiB, "
              f"found {doc['data']['hazards']['found']}; peak rss {peak_mib():.0f} MiB")
        bounded = True
        if args.compare > 0:
            for label, document in (("enterprise", ent_doc), ("jurisdiction", doc)):
                document = {k: v for k, v in document.items() if k != "_queries"}
                bounded &= _print_comparison(label, compare_with_bare(document, args.compare))

        rss = []
        for i in range(args.renders):
            _timed_render(ent_job if i % 2 == 0 else jur_job)
            rss.append(rss_mib())
            print(f"render {i + 1:2d}: rss {rss[-1]:.0f} MiB")
        warm = rss[min(4, len(rss) - 1)]
        growth = rss[-1] - warm
        print(f"rss after render 5: {warm:.0f} MiB, after {len(rss)}: {rss[-1]:.0f} MiB (growth {growth:+.0f} MiB); "
              f"peak {peak_mib():.0f} MiB; worker cap per child "
              f"{getattr(settings, 'CELERY_WORKER_MAX_MEMORY_PER_CHILD', 0) / 1024:.0f} MiB")
    return 0 if bounded else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
