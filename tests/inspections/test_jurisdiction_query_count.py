"""The jurisdiction's lists and summaries cost a constant number of queries whatever the number of
enterprises (issue 18): 10 and 200 enterprises, each with hazards, risk points and live permits,
give the same count for the enterprise list, the summary (first and a deep page), the hazard and
permit lists, and the one-enterprise summary; the figures on the page are the enterprises' own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.accounts.models import Enterprise
from compliance.models import Hazard, RiskPoint
from special_ops.models import WorkPermit
from tests.factories.accounts import make_uscc

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
URLS = ("/api/v1/audit/enterprises/", "/api/v1/audit/enterprises/summary/?page_size=5",
        "/api/v1/audit/enterprises/summary/?page_size=5&page=2", "/api/v1/audit/hazards/?overdue=true",
        "/api/v1/audit/hazards/?page_size=5&page=3", "/api/v1/audit/permits/")


def _grow(n: int, start: int) -> None:
    """``n`` more enterprises in 高青县, each with 2 hazards (one overdue), 1 risk point, 1 live permit."""
    ents = Enterprise.objects.bulk_create(
        [Enterprise(name=f"批量企业{start + i}", uscc=make_uscc(50000 + start + i), division_code="370322102",
                    industry="危险化学品生产", status=Enterprise.Status.APPROVED) for i in range(n)])
    Hazard.objects.bulk_create([
        Hazard(enterprise=e, number=f"YH-2026-{k:05d}", title="隐患", found_on=dt.date(2026, 11, 1), state=state,
               deadline=dt.date(2026, 11, 20), deadline_at=dt.datetime(2026, 11, 20, 16, tzinfo=dt.UTC))
        for e in ents for k, state in ((1, "rectifying"), (2, "accepted"))])
    RiskPoint.objects.bulk_create([RiskPoint(enterprise=e, code="RP-1", name="罐区", level="high") for e in ents])
    WorkPermit.objects.bulk_create([
        WorkPermit(enterprise=e, number="DH-20261125-01", type="hot_work", state="approved", level="second",
                   applicant_name="甲", work_content="动火", location="罐区", guardian_name="乙",
                   planned_start=NOW - dt.timedelta(hours=1), planned_end=NOW + dt.timedelta(hours=4))
        for e in ents])


def _queries(client) -> dict[str, int]:
    out = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200, (url, r.content[:200])
        out[url] = len(ctx.captured_queries)
    return out


def test_constant_queries_from_10_to_200_enterprises(orgs, api, time_machine):
    time_machine.move_to(NOW, tick=False)
    client = api(orgs.inspector)
    _grow(10, 0)
    small = _queries(client)
    _grow(190, 10)
    large = _queries(client)
    assert large == small
    assert max(large.values()) <= 5, large
    body = client.get("/api/v1/audit/enterprises/summary/", {"q": "批量企业199", "page_size": 200}).json()
    assert body["count"] == 1 and body["count_exact"] is True
    figures = body["results"][0]["summary"]
    assert figures["hazards_overdue"] == 1 and figures["hazards_by_state"]["accepted"] == 1
    assert figures["risk_points_by_level"]["high"] == 1 and figures["permits_live"] == 1


@pytest.mark.parametrize("page", ["999", "0", "x"])
def test_page_past_the_end_is_a_coded_404(orgs, api, page):
    _grow(3, 0)
    r = api(orgs.inspector).get("/api/v1/audit/enterprises/summary/", {"page": page})
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"
