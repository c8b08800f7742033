"""A page past the end is answered before any count is computed (issue 18: ``?page=`` beyond the end a 4xx in < 50 ms)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.compliance import HazardFactory


def test_page_past_the_end_is_404_without_a_count(orgs, api):
    for i in range(3):
        HazardFactory(enterprise=orgs.owner, number=f"YH-2026-{i:05d}")
    client = api(orgs.officer)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/api/v1/hazards/", {"page": 3, "page_size": 2})
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() or q["sql"].startswith("EXPLAIN")]
    page2 = client.get("/api/v1/hazards/", {"page": 2, "page_size": 2}).json()
    assert (page2["count"], page2["count_exact"], page2["next"], len(page2["results"])) == (3, True, None, 1)
    assert client.get("/api/v1/hazards/", {"page": "last", "page_size": 2}).json()["results"] == page2["results"]
