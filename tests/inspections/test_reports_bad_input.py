"""Report requests and verification refuse absurd input with coded 400s (never a 500)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("month", ["0000-05", "9999-12", "1000-01", "2026-13", "abc"])
def test_absurd_months_are_a_coded_400(api, orgs, month):
    r = api(orgs.officer).post("/api/v1/reports/", {"month": month}, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["errors"][0]["attr"] == "month"


def test_period_before_2016_is_refused(api, orgs):
    r = api(orgs.officer).post("/api/v1/reports/", {"period_start": "0001-01-01", "period_end": "0001-01-31"},
                               format="json")
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "period_too_early"


def test_verify_with_a_list_body_is_400(api):
    r = api().post("/api/v1/reports/verify/", [1, 2], format="json")
    assert r.status_code == 400
