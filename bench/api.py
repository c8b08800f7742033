"""API benchmark at a province's scale (issue 18): ``python -m bench api [--hazards 1000000]``.

1. **Seeds** a PostgreSQL database of its own (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/sf_bench``; created if missing, migrated), once: a re-run
   with the same ``--hazards`` finds the data there and skips seeding. ~1,000 enterprises (one holds
   5 % of the hazards, tens of thousands at 1M), 25 risk points each, hazards in every state with
   deadlines, photos, investigation tasks, notifications and 10,000 live hot-work permits in the big
   enterprise. Bulk SQL (COPY for hazards and photos, ``bulk_create`` elsewhere) with the values the
   services write (model defaults, end-of-day ``deadline_at``, ``YH-<year>-<n>`` numbers).
2. **Lists and summaries:** each main list/summary endpoint through Django's test client in-process
   (full middleware, a real knox token) and the hand-written SQL of the same page (same WHERE,
   ORDER BY, the serializer's columns, plus the count the response carries — capped like the API's)
   over a persistent psycopg connection, alternating A and B for ``--rounds``; prints medians,
   the ratio, queries per request and the EXPLAIN ANALYZE of the slowest query of the slow ones.
3. **Conflict check** of a new hot-work permit against the 10,000 live permits (the product's
   ``check_conflicts``), median of ``--rounds``.
4. **Throughput:** gunicorn (2 workers, persistent connections) on a loopback port, ``wrk`` (or a
   Python threaded client when wrk is missing) for ``--seconds`` against an authenticated list and
   against a DRF endpoint that touches no database (the ceiling), in the same run.

Absolute times depend on the machine (a shared 2-core box): read the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sf_bench"
JURISDICTION = "370322"
MARK_USCC = "91370322MA3BENCHXX"  # the big enterprise: the seed's marker
OPEN_STATES = ("reported", "confirmed", "rectifying")
STATE_WEIGHTS = (("closed", 62), ("accepted", 6), ("rejected", 4), ("pending_acceptance", 4), ("rectifying", 16),
                 ("reported", 4), ("confirmed", 4))


# --- environment ---------------------------------------------------------------------------------
def _environment(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("REPORTS_PUBLIC_BASE_URL", "https://sf.example.gov.cn")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # no line per expected 404


def _ensure_database(url: str) -> None:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    if "postgresql" not in cfg["ENGINE"]:
        raise SystemExit("bench api needs PostgreSQL (DATABASE_URL=postgres://…).")
    admin = dict(host=cfg.get("HOST") or "127.0.0.1", port=cfg.get("PORT") or 5432, user=cfg.get("USER") or None,
                 password=cfg.get("PASSWORD") or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")


# --- seeding -----------------------------------------------------------------------------------------
def _copy(model: Any, rows: Iterator[dict[str, Any]]) -> int:
    """COPY ``rows`` (dicts by attname) into ``model``'s table; absent columns get the model
    default (as ``Model()`` would), auto_now(_add) columns now. Returns the number of rows."""
    from django.db import connection
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    json_cols = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    cols = ", ".join(f'"{f.column}"' for f in fields)
    n = 0
    with connection.cursor() as cur, cur.cursor.copy(f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN') as cp:
        for row in rows:
            values = []
            for f in fields:
                v = row[f.attname] if f.attname in row else defaults[f.attname]
                values.append(Jsonb(v) if f.attname in json_cols else v)
            cp.write_row(values)
            n += 1
    return n


def _marker(hazards: int, enterprises: int, permits: int) -> str:
    return f"bench:seeded:{hazards}:{enterprises}:{permits}"


def _seeded(hazards: int, enterprises: int, permits: int) -> bool:
    """The seed's last write is a marker notification naming its sizes: present = complete."""
    from backend.notifications.models import Notification

    return Notification.objects.filter(idempotency_key=_marker(hazards, enterprises, permits)).exists()


def _wipe() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'django\\_%%'", [])
        tables = [r[0] for r in cur.fetchall()]
        cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


def _seed(hazards: int, enterprises: int, permits: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from backend.accounts.models import Enterprise, Membership, Regulator, Role, User
    from backend.notifications.models import Notification
    from compliance.models import ControlMeasure, Hazard, HazardPhoto, InvestigationTask, RiskEvent, RiskPoint
    from compliance.rules.deadlines import deadline_end
    from special_ops.models import HotWorkDetail, WorkPermit

    rng = random.Random(18)
    t0 = time.perf_counter()
    print(f"seeding {hazards:,} hazards over {enterprises:,} enterprises…")
    _wipe()
    today = timezone.localdate()
    with transaction.atomic():
        reg = Regulator.objects.create(name="基准县应急管理局", jurisdiction=JURISDICTION)
        ents = Enterprise.objects.bulk_create([
            Enterprise(name=f"基准化工有限公司{i:04d}", uscc=MARK_USCC if i == 0 else f"91370322MA3B{i:06d}",
                       division_code=f"{JURISDICTION}{100 + i % 12:03d}", industry="危险化学品生产",
                       status=Enterprise.Status.APPROVED, lon=118.0 + (i % 40) * 0.01, lat=36.8 + (i // 40) * 0.01)
            for i in range(enterprises)])
        big = ents[0]
        users = User.objects.bulk_create([User(username=f"bench{i}", full_name=f"基准用户{i}") for i in range(6)])
        officer, inspector = users[0], users[1]
        for u in users:
            u.set_password("bench-password-1")
        User.objects.bulk_update(users, ["password"])
        Membership.objects.bulk_create(
            [Membership(user=officer, enterprise=big, role=Role.SAFETY_OFFICER),
             Membership(user=inspector, regulator=reg, role=Role.INSPECTOR)]
            + [Membership(user=u, enterprise=big, role=Role.EMPLOYEE) for u in users[2:]])
        levels = ("major", "high", "moderate", "low")
        points = RiskPoint.objects.bulk_create([
            RiskPoint(enterprise=e, code=f"RP-{k:03d}", name=f"区域{k}", kind=RiskPoint.Kind.ACTIVITY,
                      level=levels[(k + e.pk) % 4]) for e in ents for k in range(25)], batch_size=5000)
        big_points = [p for p in points if p.enterprise_id == big.pk]
        events = RiskEvent.objects.bulk_create([
            RiskEvent(enterprise=big, risk_point=p, step="巡检", description="泄漏", l=3, s=3, score=9, level="low")
            for p in big_points])
        measures = ControlMeasure.objects.bulk_create([
            ControlMeasure(enterprise=big, risk_event=ev, category=ControlMeasure.Category.MANAGEMENT, text="巡检",
                           check_cycle=1, check_cycle_unit=ControlMeasure.CycleUnit.DAY) for ev in events])
        start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=800)
        InvestigationTask.objects.bulk_create([
            InvestigationTask(enterprise=big, measure=m, risk_point_id=m.risk_event.risk_point_id,
                              due_start=start + timedelta(days=d), due_end=start + timedelta(days=d + 1),
                              state="done" if d < 795 else "pending")
            for m in measures for d in range(800)], batch_size=5000)
        Notification.objects.bulk_create([
            Notification(idempotency_key=f"bench:{i}", channel="in_app", kind="hazard.overdue", title=f"隐患逾期{i}",
                         recipient_user=officer) for i in range(20_000)], batch_size=5000)
    print(f"  organizations, points, tasks, notifications: {time.perf_counter() - t0:.0f}s")

    # hazards: 5 % in the big enterprise, the rest spread evenly
    big_share = max(1, hazards // 20)
    share = {big.pk: big_share}
    rest = hazards - big_share
    for i, e in enumerate(ents[1:]):
        share[e.pk] = rest // (len(ents) - 1) + (1 if i < rest % (len(ents) - 1) else 0)
    points_of: dict[int, list[int]] = {}
    for p in points:
        points_of.setdefault(p.enterprise_id, []).append(p.pk)
    people = [u.pk for u in users[2:]]
    states = [s for s, w in STATE_WEIGHTS for _ in range(w)]

    def hazard_rows() -> Iterator[dict[str, Any]]:
        for ent_id, n in share.items():
            for k in range(n):
                found = today - timedelta(days=rng.randint(0, 730))
                state = rng.choice(states)
                immediate = rng.random() < 0.2
                deadline = found if immediate else found + timedelta(days=rng.randint(7, 90))
                person = rng.choice(people) if ent_id == big.pk and rng.random() < 0.5 else None
                yield {"enterprise_id": ent_id, "number": f"YH-{found.year}-{k + 1:06d}", "title": f"隐患{k}",
                       "location": "储罐区", "risk_point_id": rng.choice(points_of[ent_id]) if rng.random() < 0.7 else None,
                       "source": rng.choice(("daily", "comprehensive", "specialist", "seasonal", "key_period")),
                       "hazard_type": rng.choice(("safety", "process", "electrical", "instrument", "fire", "layout")),
                       "grade": "major" if rng.random() < 0.03 else "general",
                       "treatment": "immediate" if immediate else "deadline", "state": state, "found_on": found,
                       "responsible_person_id": person, "responsible_name": "" if person else "车间主任",
                       "deadline": deadline, "deadline_at": deadline_end(deadline),
                       "completed_on": deadline if state in ("accepted", "closed") else None,
                       "supervised": rng.random() < 0.01}

    t1 = time.perf_counter()
    n = _copy(Hazard, hazard_rows())
    print(f"  {n:,} hazards (COPY): {time.perf_counter() - t1:.0f}s")
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM compliance_hazard WHERE id % 10 = 0")
        with_photos = [r[0] for r in cur.fetchall()]
    t1 = time.perf_counter()
    n = _copy(HazardPhoto, ({"hazard_id": h, "kind": "before", "file": f"hazards/bench/{h}-{j}.jpg",
                              "content_type": "image/jpeg", "size": 1024, "original_name": "a.jpg",
                              "uploaded_by_id": officer.pk} for h in with_photos for j in range(1 + h % 2)))
    print(f"  {n:,} photos (COPY): {time.perf_counter() - t1:.0f}s")

    # permits: `permits` live hot-work permits in the big enterprise (distinct guardians, spread out)
    # plus two finished ones per other enterprise
    now = timezone.now()
    t1 = time.perf_counter()
    rows = []
    for i in range(permits):
        s = now + timedelta(hours=rng.randint(-12, 20))
        rows.append(WorkPermit(enterprise=big, number=f"DH-{s:%Y%m%d}-{i + 1:05d}", type="hot_work",
                               state=rng.choice(("approved", "in_progress")), level="second", level_declared="second",
                               level_computed="second", applicant_name="申请人", work_content="动火", location=f"装置{i % 50}",
                               planned_start=s, planned_end=s + timedelta(hours=8), guardian_name=f"监护人{i}",
                               lon=118.0 + (i % 100) * 0.001, lat=36.8 + (i // 100) * 0.001))
    for e in ents[1:]:
        for j in range(2):
            s = now - timedelta(days=3 + j)
            rows.append(WorkPermit(enterprise=e, number=f"DH-{s:%Y%m%d}-{j + 1:02d}", type="hot_work", state="closed",
                                   level="second", applicant_name="申请人", work_content="动火", location="罐区",
                                   planned_start=s, planned_end=s + timedelta(hours=8), guardian_name="监护人"))
    created = WorkPermit.objects.bulk_create(rows, batch_size=5000)
    HotWorkDetail.objects.bulk_create([
        HotWorkDetail(permit=p, method="电焊", in_fire_explosion_area=False, on_running_equipment=False,
                      inside_major_hazard_tank_dike=False, on_pipe_rack=False) for p in created], batch_size=5000)
    print(f"  {len(created):,} permits: {time.perf_counter() - t1:.0f}s")
    Notification.objects.create(idempotency_key=_marker(hazards, enterprises, permits), channel="in_app",
                                kind="bench.seeded", title="基准数据已生成", recipient_enterprise=big)
    print(f"seeded in {time.perf_counter() - t0:.0f}s")


# --- measuring -----------------------------------------------------------------------------------------
HAZARD_COLS = """h.*, rp.code AS risk_point_code, ru.full_name AS responsible_full_name, ru.username AS responsible_username,
  au.full_name AS acceptor_full_name, au.username AS acceptor_username,
  (h.state IN ('reported', 'confirmed', 'rectifying') AND h.deadline_at < %(now)s) AS overdue,
  (SELECT count(*) FROM compliance_hazardphoto p WHERE p.hazard_id = h.id) AS photo_count"""
HAZARD_FROM = """compliance_hazard h LEFT JOIN compliance_riskpoint rp ON rp.id = h.risk_point_id
  LEFT JOIN accounts_user ru ON ru.id = h.responsible_person_id LEFT JOIN accounts_user au ON au.id = h.acceptor_id"""
OVERDUE = "h.state IN ('reported', 'confirmed', 'rectifying') AND h.deadline_at < %(now)s"
JURIS = "h.enterprise_id IN (SELECT id FROM accounts_enterprise WHERE division_code LIKE %(prefix)s)"


def _hazard_raw(where: str, order: str, page: int) -> list[str]:
    """The page's SQL (ids first, then the rows with the serializer's columns) and the capped count
    the response carries (the same cap as the API's)."""
    from backend.core.api.pagination import COUNT_CAP

    offset = (page - 1) * 50
    # the best hand-written form: the page's ids from the index first, then those rows (a deferred join)
    ids = f"SELECT h.id FROM compliance_hazard h WHERE {where} ORDER BY {order} LIMIT 51 OFFSET {offset}"
    return [f"SELECT {HAZARD_COLS} FROM {HAZARD_FROM} WHERE h.id IN ({ids}) ORDER BY {order}",
            f"SELECT count(*) FROM (SELECT h.id FROM compliance_hazard h WHERE {where} LIMIT {COUNT_CAP + 1}) c"]


def _scenarios(big_id: int, permits_detail_sql: str) -> list[tuple[str, str, str, list[str]]]:
    """(name, who, url, raw statements)."""
    ent = f"h.enterprise_id = {big_id}"
    summary_sql = """SELECT e.id, e.name, e.division_code, e.industry, rp.levels, hz.states, hz.overdue, hz.major, pm.live
      FROM (SELECT id, name, division_code, industry FROM accounts_enterprise WHERE division_code LIKE %(prefix)s
            ORDER BY id LIMIT 50 OFFSET {offset}) e
      LEFT JOIN LATERAL (SELECT json_object_agg(level, n) AS levels FROM (SELECT level, count(*) n FROM compliance_riskpoint
            WHERE enterprise_id = e.id GROUP BY level) x) rp ON true
      LEFT JOIN LATERAL (SELECT json_object_agg(state, n) AS states, sum(o) AS overdue, sum(m) AS major FROM
            (SELECT state, count(*) n, count(*) FILTER (WHERE state IN ('reported','confirmed','rectifying')
             AND deadline_at < %(now)s) o, count(*) FILTER (WHERE grade = 'major' AND state NOT IN ('closed','rejected')) m
             FROM compliance_hazard WHERE enterprise_id = e.id GROUP BY state) y) hz ON true
      LEFT JOIN LATERAL (SELECT count(*) AS live FROM special_ops_workpermit WHERE enterprise_id = e.id
            AND state IN ('approved','in_progress','suspended') AND planned_end > %(now)s
            AND planned_start < %(now)s + interval '24 hours') pm ON true ORDER BY e.id"""
    ent_count = "SELECT count(*) FROM (SELECT id FROM accounts_enterprise WHERE division_code LIKE %(prefix)s LIMIT 10001) c"
    permit_where = f"p.enterprise_id = {big_id}"
    return [
        ("S1 hazards ?state=rectifying&ordering=deadline", "officer", "/api/v1/hazards/?state=rectifying&ordering=deadline",
         _hazard_raw(f"{ent} AND h.state = 'rectifying'", "h.deadline, h.id", 1)),
        ("S2 same, page 100", "officer", "/api/v1/hazards/?state=rectifying&ordering=deadline&page=100",
         _hazard_raw(f"{ent} AND h.state = 'rectifying'", "h.deadline, h.id", 100)),
        ("S3 hazards ?overdue=true", "officer", "/api/v1/hazards/?overdue=true",
         _hazard_raw(f"{ent} AND {OVERDUE}", "h.found_on DESC, h.id", 1)),
        ("S4 hazards ?grade=major", "officer", "/api/v1/hazards/?grade=major",
         _hazard_raw(f"{ent} AND h.grade = 'major'", "h.found_on DESC, h.id", 1)),
        ("S5 hazards (no filter)", "officer", "/api/v1/hazards/", _hazard_raw(ent, "h.found_on DESC, h.id", 1)),
        ("S6 hazards page 200", "officer", "/api/v1/hazards/?page=200", _hazard_raw(ent, "h.found_on DESC, h.id", 200)),
        ("S7 hazards last page", "officer", "/api/v1/hazards/?page={last}", _hazard_raw(ent, "h.found_on DESC, h.id", 0)),
        ("S8 hazards ?ordering=deadline page 200", "officer", "/api/v1/hazards/?ordering=deadline&page=200",
         _hazard_raw(ent, "h.deadline, h.id", 200)),
        ("S9 hazards page past the end (404)", "officer", "/api/v1/hazards/?page=999999",
         [f"SELECT h.id FROM compliance_hazard h WHERE {ent} ORDER BY h.found_on DESC, h.id LIMIT 51 OFFSET 49999900"]),
        ("P1 permits (no filter)", "officer", "/api/v1/permits/",
         [permits_detail_sql.format(where=permit_where, order="p.planned_start DESC, p.id"),
          f"SELECT count(*) FROM (SELECT id FROM special_ops_workpermit p WHERE {permit_where} LIMIT 10001) c"]),
        ("T1 investigation tasks", "officer", "/api/v1/investigation-tasks/",
         [f"""SELECT t.*, m.*, rp.code, rp.name, (t.state = 'pending' AND t.due_end <= %(now)s) AS overdue
              FROM compliance_investigationtask t JOIN compliance_controlmeasure m ON m.id = t.measure_id
              JOIN compliance_riskpoint rp ON rp.id = t.risk_point_id WHERE t.enterprise_id = {big_id}
              ORDER BY t.id LIMIT 51""",
          f"SELECT count(*) FROM (SELECT id FROM compliance_investigationtask WHERE enterprise_id = {big_id} LIMIT 10001) c"]),
        ("R1 audit hazards ?overdue=true", "inspector", "/api/v1/audit/hazards/?overdue=true",
         _hazard_raw(f"{JURIS} AND {OVERDUE}", "h.found_on DESC, h.id", 1)),
        ("R2 same, page 200", "inspector", "/api/v1/audit/hazards/?overdue=true&page=200",
         _hazard_raw(f"{JURIS} AND {OVERDUE}", "h.found_on DESC, h.id", 200)),
        ("R3 audit hazards (no filter)", "inspector", "/api/v1/audit/hazards/",
         _hazard_raw(JURIS, "h.found_on DESC, h.id", 1)),
        ("R4 audit enterprises summary", "inspector", "/api/v1/audit/enterprises/summary/",
         [summary_sql.replace("{offset}", "0"), ent_count]),
        ("R5 audit enterprises summary page 20", "inspector", "/api/v1/audit/enterprises/summary/?page=20",
         [summary_sql.replace("{offset}", "950"), ent_count]),
        ("R6 audit enterprises", "inspector", "/api/v1/audit/enterprises/",
         ["SELECT * FROM accounts_enterprise WHERE division_code LIKE %(prefix)s ORDER BY id LIMIT 51", ent_count]),
        ("R7 audit permits ?live=true", "inspector", "/api/v1/audit/permits/?live=true",
         [permits_detail_sql.format(
             where="p.enterprise_id IN (SELECT id FROM accounts_enterprise WHERE division_code LIKE %(prefix)s) AND "
                   "p.state IN ('approved','in_progress','suspended') AND p.planned_end > %(now)s AND "
                   "p.planned_start < %(now)s + interval '24 hours'", order="p.planned_start DESC, p.id"),
          "SELECT count(*) FROM (SELECT id FROM special_ops_workpermit p WHERE p.state IN ('approved','in_progress',"
          "'suspended') AND p.planned_end > %(now)s AND p.planned_start < %(now)s + interval '24 hours' LIMIT 10001) c"]),
    ]


def _permits_sql() -> str:
    from special_ops.models import DETAIL_MODELS

    joins = " ".join(f'LEFT JOIN "{m._meta.db_table}" d{i} ON d{i}.permit_id = p.id'
                     for i, m in enumerate(DETAIL_MODELS.values()))
    cols = ", ".join(f"d{i}.*" for i in range(len(DETAIL_MODELS)))
    return (f"SELECT p.*, e.name, rp.code, rp.name, {cols}, (SELECT json_agg(a.*) FROM special_ops_permitapproval a "
            f"WHERE a.permit_id = p.id AND a.voided_at IS NULL) AS approvals FROM special_ops_workpermit p "
            f"JOIN accounts_enterprise e ON e.id = p.enterprise_id LEFT JOIN compliance_riskpoint rp ON "
            f"rp.id = p.risk_point_id {joins} WHERE {{where}} ORDER BY {{order}} LIMIT 51")


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def _explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, params)
        return [r[0] for r in cur.fetchall()]


def _measure_lists(args: argparse.Namespace, tokens: dict[str, str], big_id: int) -> list[dict[str, Any]]:
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from compliance.models import Hazard

    client = Client(HTTP_HOST="localhost")
    raw = psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1), autocommit=True,
                          prepare_threshold=None)
    now = timezone.now()
    params = {"now": now, "prefix": JURISDICTION + "%"}
    last = max(1, math.ceil(Hazard.objects.filter(enterprise_id=big_id).count() / 50))
    results = []
    for name, who, url, statements in _scenarios(big_id, _permits_sql()):
        if args.only and not any(name.split()[0] == tag for tag in args.only.split(",")):
            continue
        url = url.replace("{last}", str(last))
        statements = [s.replace("OFFSET -50", f"OFFSET {(last - 1) * 50}") for s in statements]
        headers = {"HTTP_AUTHORIZATION": f"Token {tokens[who]}"}
        r = client.get(url, **headers)  # warm-up; also the status
        status = r.status_code
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, **headers)
        queries = list(ctx.captured_queries)
        api_t: list[float] = []
        raw_t: list[float] = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            client.get(url, **headers)
            api_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with raw.cursor() as cur:
                for sql in statements:
                    cur.execute(sql, params)
                    cur.fetchall()
            raw_t.append(time.perf_counter() - t0)
        row = {"name": name, "url": url, "status": status, "queries": len(queries), "api_ms": _median_ms(api_t),
               "raw_ms": _median_ms(raw_t)}
        row["ratio"] = row["api_ms"] / row["raw_ms"] if row["raw_ms"] else float("inf")
        if row["api_ms"] > args.explain_ms:
            slowest = max((q for q in queries if not q["sql"].startswith("EXPLAIN")), key=lambda q: float(q["time"]))
            row["explain"] = (slowest["sql"], _explain(slowest["sql"], None))
        results.append(row)
        print(f"  {name:<44} {status} q={row['queries']} api {row['api_ms']:8.1f} ms  raw {row['raw_ms']:7.1f} ms  "
              f"ratio {row['ratio']:5.2f}", flush=True)
    raw.close()
    return results


def _measure_conflicts(args: argparse.Namespace, big_id: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from special_ops.models import HotWorkDetail, WorkPermit
    from special_ops.services.assessment import check_conflicts

    start = timezone.now() + timedelta(hours=1)
    times = []
    overlapping = WorkPermit.objects.filter(enterprise_id=big_id, state__in=("approved", "in_progress"),
                                            planned_start__lt=start + timedelta(hours=8), planned_end__gt=start).count()
    with transaction.atomic():
        permit = WorkPermit.objects.create(
            enterprise_id=big_id, number="DH-BENCH-NEW", type="hot_work", state="draft", level="second",
            applicant_name="申请人", work_content="动火", location="新装置", planned_start=start,
            planned_end=start + timedelta(hours=8), guardian_name="新监护人", lon=119.5, lat=37.5)
        HotWorkDetail.objects.create(permit=permit, method="电焊", in_fire_explosion_area=False,
                                     on_running_equipment=False, inside_major_hazard_tank_dike=False, on_pipe_rack=False)
        permit = WorkPermit.objects.select_related("hotworkdetail", "risk_point").get(pk=permit.pk)
        for _ in range(max(args.rounds, 10)):
            t0 = time.perf_counter()
            check_conflicts(permit)
            times.append(time.perf_counter() - t0)
        transaction.set_rollback(True)
    return {"overlapping": overlapping, "median_ms": _median_ms(times)}


# --- throughput ----------------------------------------------------------------------------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python_load(url: str, token: str | None, seconds: float, connections: int) -> tuple[float, int]:
    """Requests/s of ``connections`` threads for ``seconds`` (keep-alive-free urllib client)."""
    stop = time.perf_counter() + seconds
    counts = [0] * connections
    errors = [0] * connections

    def worker(i: int) -> None:
        while time.perf_counter() < stop:
            req = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 (loopback)
                    r.read()
                counts[i] += 1
            except OSError:
                errors[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - t0), sum(errors)


def _wrk(url: str, token: str | None, seconds: int, connections: int) -> tuple[float, int]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Token {token}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def _throughput(args: argparse.Namespace, token: str) -> list[tuple[str, float, int]]:
    port = _free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:backend.gunicorn_conf", "bench.wsgi"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        tool = "wrk" if shutil.which("wrk") else "python threads"
        load: Callable[..., tuple[float, int]] = _wrk if tool == "wrk" else _python_load
        out = []
        for label, path, tok in (("no-DB DRF ceiling /bench/ceiling/", "/bench/ceiling/", None),
                                 ("/api/v1/risk-points/ (officer)", "/api/v1/risk-points/", token),
                                 ("/api/v1/hazards/?state=rectifying&ordering=deadline", "/api/v1/hazards/?state=rectifying&ordering=deadline", token)):
            load(base + path, tok, 2, args.connections)  # warm the workers
            rps, bad = load(base + path, tok, args.seconds, args.connections)
            out.append((f"{label} [{tool}, c={args.connections}, {args.seconds}s]", rps, bad))
            print(f"  {out[-1][0]:<90} {rps:8.1f} req/s  non-2xx {bad}", flush=True)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- main ----------------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=1000)
    parser.add_argument("--permits", type=int, default=10_000, help="live permits in the big enterprise")
    parser.add_argument("--rounds", type=int, default=15, help="alternating API/raw rounds per scenario")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each throughput run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--explain-ms", type=float, default=50.0, help="EXPLAIN the slowest query above this API median")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn throughput part")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated scenario tags to run (S1,S9,P1,T1,R3,…; "
                        "'C' the conflict check); default all")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    _environment(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from knox.models import AuthToken

    from backend.accounts.models import Enterprise, User
    from backend.notifications.services import ON_ENQUEUE_HOOKS

    ON_ENQUEUE_HOOKS.clear()
    print(f"database {connection.settings_dict['NAME']}: migrating…", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - t0:.0f}s")
    if args.reseed or not _seeded(args.hazards, args.enterprises, args.permits):
        _seed(args.hazards, args.enterprises, args.permits)
        with connection.cursor() as cur:  # statistics, and the visibility map for index-only scans
            cur.execute("VACUUM ANALYZE")
    else:
        print(f"seed found ({args.hazards:,} hazards): not reseeding")
    big_id = Enterprise.objects.get(uscc=MARK_USCC).pk
    tokens = {who: AuthToken.objects.create(User.objects.get(username=name))[1]
              for who, name in (("officer", "bench0"), ("inspector", "bench1"))}
    print(f"\n== lists and summaries (median of {args.rounds} alternating rounds; raw = hand-written SQL of the same page)")
    results = _measure_lists(args, tokens, big_id)
    conflict: dict[str, float] = {}
    if not args.only or "C" in args.only.split(","):
        print("\n== conflict check of a new hot-work permit")
        conflict = _measure_conflicts(args, big_id)
        print(f"  {conflict['overlapping']:,} live permits overlap its window: check_conflicts median "
              f"{conflict['median_ms']:.1f} ms (goal ≤ 20 ms)")
    if not args.no_http and not args.only:
        print("\n== throughput under gunicorn (2 workers, persistent DB connections)")
        _throughput(args, tokens["officer"])
    print("\n== summary")
    print("| request | status | queries | API ms | raw ms | API/raw |\n|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['status']} | {r['queries']} | {r['api_ms']:.1f} | {r['raw_ms']:.1f} | {r['ratio']:.2f} |")
    for r in results:
        if "explain" in r:
            sql, plan = r["explain"]
            print(f"\nEXPLAIN ANALYZE, slowest query of {r['name']} ({r['api_ms']:.0f} ms):\n  {sql[:300]}…")
            for line in plan:
                print("    " + line)
    print(json.dumps({"lists": [{k: v for k, v in r.items() if k != "explain"} for r in results],
                      "conflict": conflict}, ensure_ascii=False, default=str))
    AuthToken.objects.filter(user__username__in=("bench0", "bench1")).delete()
    return 0
