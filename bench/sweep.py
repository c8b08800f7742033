"""Escalation-sweep benchmark: one sweep pass over 100k and over 1M hazards with the same number
due (default 1000), printing both times, their ratio (target ≤ 1.3) and the EXPLAIN plan of the
due-hazards query (it must use ``hazard_state_deadline_idx``).

Needs PostgreSQL: ``DATABASE_URL=postgres://…/shuangfang make bench``. It works in its own
database ``<name>_bench`` on that server (created and migrated here, dropped at the end unless
``--keep``), never in yours. On SQLite it refuses.

The table is grown, not rebuilt: size 1 gets N1 hazards of which ``due`` are open and overdue;
after its sweep those are closed and size 2 adds the missing rows plus a fresh ``due`` overdue set.
The rest is history (closed, past deadlines) and open hazards whose deadline is still ahead.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta

CHUNK = 20_000


def _bench_database(url: str, keep: bool) -> tuple[str, object]:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    if "postgresql" not in cfg["ENGINE"]:
        raise SystemExit("bench: the sweep benchmark needs PostgreSQL (DATABASE_URL=postgres://…); "
                         "SQLite is not representative of a 1M-row plan. Nothing was run.")
    name = f"{cfg['NAME']}_bench"
    admin = dict(host=cfg.get("HOST") or "127.0.0.1", port=cfg.get("PORT") or 5432, user=cfg.get("USER") or None,
                 password=cfg.get("PASSWORD") or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        if keep:
            print(f"kept database {name}")
            return
        from django.db import connections

        connections.close_all()
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url.rsplit("/", 1)[0] + "/" + name, drop


def _hazards(enterprise_id: int, start: int, count: int, *, due: int, today: date):
    """``count`` Hazard rows numbered from ``start``; the first ``due`` are open and 8 days overdue."""
    from compliance.models import Hazard
    from compliance.rules.deadlines import deadline_end

    overdue = today - timedelta(days=8)
    past_end = deadline_end(overdue)
    for i in range(start, start + count):
        k = i - start
        if k < due:
            state, deadline, at = "rectifying", overdue, past_end
        elif k % 10 == 0:  # open, deadline still ahead
            deadline = today + timedelta(days=10 + k % 60)
            state, at = "rectifying", deadline_end(deadline)
        else:  # history
            deadline = today - timedelta(days=30 + k % 700)
            state, at = "closed", deadline_end(deadline)
        yield Hazard(enterprise_id=enterprise_id, number=f"B-{i:08d}", title="基准隐患", found_on=deadline - timedelta(days=7),
                     state=state, grade="general", deadline=deadline, deadline_at=at)


def _load(enterprise_id: int, start: int, count: int, *, due: int, today: date) -> None:
    from compliance.models import Hazard

    batch: list = []
    t0 = time.perf_counter()
    for h in _hazards(enterprise_id, start, count, due=due, today=today):
        batch.append(h)
        if len(batch) == CHUNK:
            Hazard.objects.bulk_create(batch)
            batch.clear()
    if batch:
        Hazard.objects.bulk_create(batch)
    print(f"  loaded {count:,} hazards in {time.perf_counter() - t0:.1f}s")


def _explain(now) -> str:
    from django.db import connection

    from compliance.services.escalation import current_ladder, due_hazards

    qs = due_hazards(current_ladder()[1], now).values_list("deadline_at", "pk")[:500]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench sweep")
    parser.add_argument("--sizes", default="100000,1000000", help="two table sizes, comma-separated")
    parser.add_argument("--due", type=int, default=1000, help="hazards due at each size")
    parser.add_argument("--keep", action="store_true", help="keep the <name>_bench database")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        parser.error("--sizes needs two increasing sizes")

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        print("bench: the sweep benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
              "(it works in a separate <name>_bench database). Refusing to run on SQLite.", file=sys.stderr)
        return 2
    bench_url, drop = _bench_database(url, args.keep)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from backend.accounts.models import Enterprise
    from backend.notifications.services import ON_ENQUEUE_HOOKS
    from compliance.models import Hazard
    from compliance.services.escalation import escalation_sweep

    ON_ENQUEUE_HOOKS.clear()  # no broker kicks from a benchmark
    try:
        print(f"database {connection.settings_dict['NAME']}: migrating…")
        call_command("migrate", verbosity=0)
        ent = Enterprise.objects.create(name="基准测试化工有限公司", uscc="91370322MA3BENCH01", division_code="370322102")
        today = timezone.localdate()
        times: list[float] = []
        loaded = 0
        for size in sizes:
            print(f"== {size:,} hazards, {args.due} due")
            Hazard.objects.filter(enterprise=ent, state="rectifying", deadline__lt=today).update(state="closed")
            _load(ent.pk, loaded, size - loaded, due=args.due, today=today)
            loaded = size
            with connection.cursor() as cur:
                cur.execute("ANALYZE compliance_hazard; ANALYZE compliance_hazardescalation;")
            now = timezone.now()
            plan = _explain(now)
            t0 = time.perf_counter()
            result = escalation_sweep(now=now)
            elapsed = time.perf_counter() - t0
            times.append(elapsed)
            print(f"  sweep: {elapsed:.2f}s — {result.lines()[0]}")
            t0 = time.perf_counter()
            again = escalation_sweep(now=now)
            print(f"  second pass (nothing due): {time.perf_counter() - t0:.3f}s, {again.hazards} hazards")
            print("  EXPLAIN ANALYZE of the due-hazards query before the sweep (step 'overdue', LIMIT 500):")
            for line in plan.splitlines():
                print("    " + line)
        ratio = times[1] / times[0]
        print(f"\nsweep time at {sizes[0]:,}: {times[0]:.2f}s; at {sizes[1]:,}: {times[1]:.2f}s; "
              f"ratio {ratio:.2f} (target ≤ 1.3) → {'OK' if ratio <= 1.3 else 'ABOVE TARGET'}")
        return 0 if ratio <= 1.3 else 1
    finally:
        drop()
