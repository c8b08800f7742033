"""List pages stay the same whatever the query plan (issue 18 point 4).

On a seeded set (hazards of several enterprises in every state, grade, source and type, with and
without deadlines, photos, risk points and people; hot-work permits in every state; a jurisdiction
of a dozen enterprises) every page of each list the API offers — for each filter and each ordering,
both directions — is compared with a reference: the plain ORM query of the same rows (the filter's
documented meaning written out, ``order_by(<field>, "id")``), walked page by page. Same ids in the
same order, the same ``count``, and on the hazard lists each row's ``overdue`` and ``photo_count``.

The reference uses no list machinery (no annotations but ``overdue``, no pagination class, no
filterset), so it guards the speed-ups: indexes, subqueries, page-ids-first fetches, capped counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from zoneinfo import ZoneInfo

import pytest
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from backend.accounts.models import Enterprise
from compliance.models import Hazard, HazardPhoto, RiskPoint
from compliance.rules.hazard_states import NOT_OVERDUE_STATES
from special_ops.models import WorkPermit
from tests.factories import EnterpriseFactory, RiskPointFactory
from tests.factories.compliance import HazardFactory, HazardPhotoFactory
from tests.factories.special_ops import WorkPermitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
PAGE = 13

STATES = ("reported", "confirmed", "rectifying", "pending_acceptance", "accepted", "closed", "rejected")
SOURCES = ("daily", "comprehensive", "specialist", "seasonal", "key_period")
TYPES = ("safety", "process", "electrical", "instrument", "fire", "layout")


def _day_end(d: dt.date | None) -> dt.datetime | None:
    return None if d is None else dt.datetime.combine(d, dt.time.max, tzinfo=SHANGHAI)


def _seed_hazards(enterprise: Enterprise, n: int, rng: random.Random, users: list, uploader) -> None:
    points = [RiskPointFactory(enterprise=enterprise, code=f"P{enterprise.pk}-{i}", name=f"区域{i}",
                               level=rng.choice(("major", "high", "moderate", "low", ""))) for i in range(3)]
    for i in range(n):
        deadline = None if rng.random() < 0.15 else dt.date(2026, 11, 1) + dt.timedelta(days=rng.randint(0, 60))
        person = rng.choice(users) if users and rng.random() < 0.5 else None
        h = HazardFactory(
            enterprise=enterprise, number=f"YH-2026-{rng.randint(1, 99999):05d}-{i}",
            title=f"隐患{i}", found_on=dt.date(2026, 10, 1) + dt.timedelta(days=rng.randint(0, 50)),
            state=rng.choice(STATES), grade="major" if rng.random() < 0.2 else "general",
            source=rng.choice(SOURCES), hazard_type=rng.choice(TYPES),
            treatment="immediate" if rng.random() < 0.2 else "deadline",
            deadline=deadline, deadline_at=_day_end(deadline), supervised=rng.random() < 0.1,
            risk_point=rng.choice(points) if rng.random() < 0.7 else None,
            responsible_person=person, acceptor=rng.choice(users) if users and rng.random() < 0.3 else None,
        )
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            HazardPhotoFactory(hazard=h, uploaded_by=uploader)


@pytest.fixture
def seeded(orgs, time_machine):
    time_machine.move_to(NOW, tick=False)
    rng = random.Random(18)
    users = [orgs.officer, orgs.employee, orgs.colleague]
    _seed_hazards(orgs.owner, 90, rng, users, orgs.officer)
    _seed_hazards(orgs.outsider, 10, rng, [], orgs.officer)
    for k in range(10):  # the rest of the jurisdiction, two towns
        ent = EnterpriseFactory(division_code=f"37032210{k % 2}")
        _seed_hazards(ent, rng.randint(0, 12), rng, [], orgs.officer)
    for i in range(40):
        start = NOW + dt.timedelta(hours=rng.randint(-48, 48))
        WorkPermitFactory(enterprise=orgs.owner, number=f"DH-20261125-{300 + i}",
                          state=rng.choice(("draft", "submitted", "approved", "in_progress", "suspended",
                                            "completed", "accepted", "cancelled")),
                          planned_start=start, planned_end=start + dt.timedelta(hours=rng.choice((2, 8, 24))),
                          is_maintenance=rng.random() < 0.3,
                          work_unit_kind=rng.choice(("own", "contractor")), level=rng.choice(("first", "second")))
    return orgs


def _walk(client, url: str, params: dict) -> tuple[list[int], int | None, list[dict]]:
    """Every page of ``url`` with ``params``: (ids in order, count of page 1, rows)."""
    ids: list[int] = []
    rows: list[dict] = []
    count = None
    for page in itertools.count(1):
        r = client.get(url, {**params, "page": page, "page_size": PAGE})
        assert r.status_code == 200, (url, params, page, r.content[:300])
        body = r.json()
        count = body["count"] if count is None else count
        rows += body["results"]
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
    return ids, count, rows


def _ordered(qs, ordering: str | None, default: tuple[str, ...]) -> list[int]:
    keys = [ordering] if ordering else list(default)
    if not any(k.lstrip("-") == "id" for k in keys):
        keys.append("id")
    return list(qs.order_by(*keys).values_list("id", flat=True))


def _overdue_q() -> Q:
    return Q(deadline_at__lt=timezone.now()) & ~Q(state__in=[s.value for s in NOT_OVERDUE_STATES])


def _hazards_ref(scope: Q, filters: dict) -> object:
    qs = Hazard.objects.filter(scope).annotate(
        overdue=Case(When(_overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField()))
    for key, value in filters.items():
        if key == "overdue":
            qs = qs.filter(_overdue_q()) if value == "true" else qs.exclude(_overdue_q())
        elif isinstance(value, list):
            qs = qs.filter(**{f"{key}__in": value})
        elif key in ("supervised",):
            qs = qs.filter(**{key: value == "true"})
        elif key == "enterprise":
            qs = qs.filter(enterprise_id=value)
        elif key == "town":
            qs = qs.filter(enterprise__division_code__startswith=value)
        else:
            qs = qs.filter(**{key: value})
    return qs


HAZARD_ORDERINGS = ("id", "number", "found_on", "deadline", "deadline_at", "overdue", "state", "grade", "updated_at")
HAZARD_FILTERS = (
    {}, {"state": ["rectifying"]}, {"state": ["reported", "confirmed"]}, {"grade": "major"}, {"overdue": "true"},
    {"overdue": "false"}, {"source": ["daily"]}, {"hazard_type": ["fire", "safety"]}, {"supervised": "true"},
    {"treatment": "immediate"}, {"state": ["rectifying"], "grade": "major"},
)


def _check_hazard_list(client, url: str, scope: Q, filters: dict, ordering: str | None) -> None:
    params = {k: v for k, v in filters.items()}
    if ordering:
        params["ordering"] = ordering
    ids, count, rows = _walk(client, url, params)
    ref = _hazards_ref(scope, filters)
    expected = _ordered(ref, ordering, ("-found_on",))
    assert ids == expected, (url, filters, ordering)
    assert count == len(expected)
    overdue = set(ref.filter(overdue=True).values_list("id", flat=True))
    photos: dict[int, int] = {}
    for hid in HazardPhoto.objects.filter(hazard_id__in=ids).values_list("hazard_id", flat=True):
        photos[hid] = photos.get(hid, 0) + 1
    for row in rows:
        assert row["overdue"] is (row["id"] in overdue)
        assert row["photo_count"] == photos.get(row["id"], 0)


@pytest.mark.parametrize("ordering", [None, *HAZARD_ORDERINGS, *(f"-{o}" for o in HAZARD_ORDERINGS)])
def test_hazard_list_pages_in_every_ordering(seeded, api, ordering):
    client = api(seeded.officer)
    _check_hazard_list(client, "/api/v1/hazards/", Q(enterprise=seeded.owner), {}, ordering)


@pytest.mark.parametrize("filters", HAZARD_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
@pytest.mark.parametrize("ordering", [None, "deadline", "-deadline_at"])
def test_hazard_list_pages_per_filter(seeded, api, filters, ordering):
    client = api(seeded.officer)
    _check_hazard_list(client, "/api/v1/hazards/", Q(enterprise=seeded.owner), filters, ordering)


AUDIT_FILTERS = (*HAZARD_FILTERS[:6], {"town": "3703221021"}, {"overdue": "true", "town": "3703221020"})


@pytest.mark.parametrize("filters", AUDIT_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
@pytest.mark.parametrize("ordering", [None, "deadline", "-overdue"])
def test_audit_hazard_list_pages(seeded, api, filters, ordering):
    client = api(seeded.inspector)
    scope = Q(enterprise__division_code__startswith=seeded.gaoqing.jurisdiction)
    _check_hazard_list(client, "/api/v1/audit/hazards/", scope, filters, ordering)


def test_audit_hazard_list_one_enterprise(seeded, api):
    client = api(seeded.inspector)
    scope = Q(enterprise__division_code__startswith=seeded.gaoqing.jurisdiction)
    _check_hazard_list(client, "/api/v1/audit/hazards/", scope, {"enterprise": seeded.owner.pk}, None)


PERMIT_ORDERINGS = ("id", "planned_start", "planned_end", "number", "state", "type")
PERMIT_FILTERS = ({}, {"state": ["approved", "in_progress"]}, {"maintenance": "true"}, {"contractor": "true"},
                  {"level": ["first"]}, {"live": "true"}, {"live": "false"})


def _permits_ref(enterprise: Enterprise, filters: dict) -> object:
    from special_ops.selectors import permits_live_q

    qs = WorkPermit.objects.filter(enterprise=enterprise)
    for key, value in filters.items():
        if key == "state" or key == "level":
            qs = qs.filter(**{f"{key}__in": value})
        elif key == "maintenance":
            qs = qs.filter(is_maintenance=value == "true")
        elif key == "contractor":
            qs = qs.filter(work_unit_kind="contractor")
        elif key == "live":
            qs = qs.filter(permits_live_q(timezone.now())) if value == "true" else qs.exclude(permits_live_q(timezone.now()))
    return qs


@pytest.mark.parametrize("ordering", [None, *PERMIT_ORDERINGS, *(f"-{o}" for o in PERMIT_ORDERINGS)])
@pytest.mark.parametrize("filters", PERMIT_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_permit_list_pages(seeded, api, filters, ordering):
    client = api(seeded.officer)
    params = dict(filters)
    if ordering:
        params["ordering"] = ordering
    ids, count, _ = _walk(client, "/api/v1/permits/", params)
    expected = _ordered(_permits_ref(seeded.owner, filters), ordering, ("-planned_start",))
    assert ids == expected
    assert count == len(expected)


def _summary_ref(ent: Enterprise) -> dict:
    from special_ops.selectors import permits_live_q

    hazards = Hazard.objects.filter(enterprise=ent)
    levels = ("major", "high", "moderate", "low")
    return {
        "risk_points_by_level": {lv: RiskPoint.objects.filter(enterprise=ent, level=lv).count() for lv in levels},
        "hazards_by_state": {st: hazards.filter(state=st).count() for st in STATES},
        "hazards_overdue": hazards.filter(_overdue_q()).count(),
        "major_hazards_open": hazards.filter(grade="major").exclude(state__in=("closed", "rejected")).count(),
        "permits_live": WorkPermit.objects.filter(permits_live_q(timezone.now()), enterprise=ent).count(),
    }


@pytest.mark.parametrize("ordering", [None, "name", "-division_code", "-id"])
def test_enterprise_summary_pages(seeded, api, ordering):
    client = api(seeded.inspector)
    params = {"ordering": ordering} if ordering else {}
    url = "/api/v1/audit/enterprises/summary/"
    ids: list[int] = []
    for page in itertools.count(1):
        body = client.get(url, {**params, "page": page, "page_size": 5}).json()
        for row in body["results"]:
            ids.append(row["id"])
            ent = Enterprise.objects.get(pk=row["id"])
            expected = _summary_ref(ent)
            got = row["summary"]
            assert {k: got[k] for k in expected} == expected, ent.name
        if not body["next"]:
            break
    scope = Enterprise.objects.filter(division_code__startswith=seeded.gaoqing.jurisdiction)
    assert ids == _ordered(scope, ordering, ("id",))
