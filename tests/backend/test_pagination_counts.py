"""List counts at scale (issue 18): exact up to the cap, then PostgreSQL's planner estimate with
``count_exact: false``; ``next`` stays exact, a page past the end is a 404, ``?page=last`` needs an
exact count. The cap is lowered to 5 here so that 12 hazards are "many"."""

from __future__ import annotations

import pytest
from django.db import connection

from backend.core.api import pagination
from tests.factories.compliance import HazardFactory

URL = "/api/v1/hazards/"


@pytest.fixture
def many(orgs, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(pagination.capped_count, "__defaults__", (5,))
    HazardFactory.create_batch(12, enterprise=orgs.owner)
    return orgs


def test_count_up_to_the_cap_is_exact(orgs, api):
    HazardFactory.create_batch(3, enterprise=orgs.owner)
    body = api(orgs.officer).get(URL).json()
    assert body["count"] == 3 and body["count_exact"] is True and body["next"] is None


def test_above_the_cap_the_count_is_flagged_and_next_stays_exact(many, api):
    client = api(many.officer)
    first = client.get(URL, {"page_size": 5}).json()
    if connection.vendor == "postgresql":
        assert first["count_exact"] is False and first["count"] >= 6  # the planner's estimate
    else:  # no planner estimate on SQLite: counted
        assert first["count_exact"] is True and first["count"] == 12
    assert first["next"] and first["previous"] is None
    third = client.get(URL, {"page_size": 5, "page": 3}).json()
    assert len(third["results"]) == 2 and third["next"] is None and "page=2" in third["previous"]
    ids = [r["id"] for p in (1, 2, 3) for r in client.get(URL, {"page_size": 5, "page": p}).json()["results"]]
    assert len(set(ids)) == 12


def test_page_past_the_end_is_404_and_last_needs_an_exact_count(many, api):
    client = api(many.officer)
    r = client.get(URL, {"page_size": 5, "page": 4})
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "not_found"
    r = client.get(URL, {"page_size": 5, "page": "last"})
    if connection.vendor == "postgresql":
        assert r.status_code == 400
        assert r.json()["errors"][0]["attr"] == "page"
    else:
        assert r.status_code == 200 and len(r.json()["results"]) == 2
