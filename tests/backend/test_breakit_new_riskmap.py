"""Break-it on the 四色风险分布图 reads: an enterprise user naming another enterprise's id in
``?enterprise=`` gets 404 — not 200 with its own map answered under the other id."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/risk-map/", "/api/v1/plant-layout/", "/api/v1/plant-layout/image/"])
def test_enterprise_user_naming_another_enterprise_is_404(api, orgs, url):
    r = api(orgs.officer).get(url, {"enterprise": orgs.outsider.pk})
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"
    assert orgs.outsider.name not in r.content.decode()


def test_enterprise_user_naming_itself_reads_its_map(api, orgs):
    r = api(orgs.officer).get("/api/v1/risk-map/", {"enterprise": orgs.owner.pk})
    assert r.status_code == 200 and r.json()["metadata"]["enterprise"] == orgs.owner.pk
    assert api(orgs.officer).get("/api/v1/risk-map/").json()["metadata"]["enterprise"] == orgs.owner.pk
