"""``GET /api/v1/dashboard/``: the enterprise's figures, each reproduced by its list query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backend.accounts.models import Enterprise
from backend.core.time import SHANGHAI
from compliance.models import Hazard
from compliance.rules.colours import highest_level, level_colour
from tests.factories import RiskPointFactory
from tests.factories.compliance import HazardFactory, InvestigationTaskFactory
from tests.factories.special_ops import WorkPermitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/dashboard/"
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=SHANGHAI)


def test_colours():
    assert level_colour("major") == ("red", "红", "#FF0000")
    assert level_colour("low") == ("blue", "蓝", "#0000FF")
    assert level_colour("")[0] == "grey"
    assert highest_level(["low", "", "high", "moderate"]) == "high" and highest_level([""]) == ""


def _world(orgs, file_hazard):
    for level in ("major", "high", "high", "low", ""):
        RiskPointFactory(enterprise=orgs.owner, level=level)
    RiskPointFactory(enterprise=orgs.outsider, level="major")
    file_hazard()  # confirmed, deadline 12-01
    file_hazard(grade="major", deadline=dt.date(2026, 11, 24), measures="m", funds_yuan=1, contingency_plan="c")
    old = file_hazard(found_on=dt.date(2026, 10, 20), deadline=dt.date(2026, 10, 30))  # overdue, last month
    done = file_hazard()
    Hazard.objects.filter(pk=done.pk).update(state="closed")
    rejected = file_hazard()
    Hazard.objects.filter(pk=rejected.pk).update(state="rejected")
    HazardFactory(enterprise=orgs.outsider)
    start = dt.datetime(2026, 11, 25, tzinfo=SHANGHAI)
    InvestigationTaskFactory(enterprise=orgs.owner, due_start=start, due_end=start + dt.timedelta(days=1),
                             measure__risk_event__risk_point__enterprise=orgs.owner,
                             measure__risk_event__risk_point__level="moderate")
    live = WorkPermitFactory(enterprise=orgs.owner, created_by=orgs.officer)
    WorkPermitFactory._meta.model.objects.filter(pk=live.pk).update(
        state="in_progress", planned_start=NOW - dt.timedelta(hours=1), planned_end=NOW + dt.timedelta(hours=4))
    return old


def test_every_figure_is_reproduced_by_its_list(api, orgs, file_hazard):
    _world(orgs, file_hazard)
    client = api(orgs.officer)
    body = client.get(URL).json()
    figures = [*body["risk_points"], *body["hazards_open_by_state"], body["hazards_open"], body["hazards_overdue"],
               body["hazards_major_open"], body["tasks_due_today"], body["permits_live"],
               body["rectification"]["found"], body["rectification"]["fixed"]]
    for fig in figures:
        if fig["link"] is None:
            continue
        r = client.get(f"{fig['link']['path']}?{fig['link']['query']}")
        assert r.status_code == 200, (fig, r.content)
        assert r.json()["count"] == fig["count"], fig
    by_level = {p["level"]: p["count"] for p in body["risk_points"]}
    assert by_level == {"major": 1, "high": 2, "moderate": 1, "low": 1, "": 1}
    assert body["risk_points"][0]["colour_hex"] == "#FF0000" and body["risk_points"][0]["colour_label"] == "红"
    assert body["hazards_open"]["count"] == 3 and body["hazards_major_open"]["count"] == 1
    assert body["hazards_overdue"]["count"] == 2  # the major one (deadline 11-24) and last month's
    assert body["tasks_due_today"]["count"] == 1 and body["permits_live"]["count"] == 1
    rect = body["rectification"]
    assert (rect["month"], rect["found"]["count"], rect["fixed"]["count"], rect["rate"]) == ("2026-11", 3, 1, 33.3)


def test_rate_is_null_without_finds_and_queries_are_constant(api, orgs, file_hazard, django_assert_max_num_queries):
    client = api(orgs.officer)
    with django_assert_max_num_queries(10) as few:
        assert client.get(URL).json()["rectification"]["rate"] is None
    n = len(few.captured_queries)
    _world(orgs, file_hazard)
    _world(orgs, file_hazard)
    with django_assert_max_num_queries(n):
        assert client.get(URL).status_code == 200


def test_enterprise_only_and_no_parameters(api, orgs):
    HazardFactory(enterprise=orgs.outsider, state="confirmed")
    HazardFactory(enterprise=orgs.owner, state="confirmed")
    HazardFactory(enterprise=orgs.owner, state="reported")
    r = api(orgs.inspector).get(URL)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "enterprise_only"
    assert api(None).get(URL).status_code == 401
    r = api(orgs.officer).get(URL, {"month": "2026-10"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "month"
    assert api(orgs.outsider_officer).get(URL).json()["hazards_open"]["count"] == 1  # its own only


def test_open_hazards_are_the_unclosed_ones_on_dashboard_and_regulator_map(api, orgs, file_hazard):
    """未销号隐患: every state but closed/rejected — an accepted (验收通过, not yet 销号) hazard counts —
    and the enterprise 工作台, its linked list and the regulator's 一张图 give the same number."""
    Enterprise.objects.filter(pk=orgs.owner.pk).update(lon=Decimal("117.754300"), lat=Decimal("37.074900"))
    states = ["reported", "confirmed", "rectifying", "pending_acceptance", "accepted", "accepted", "closed", "rejected"]
    for state in states:
        h = file_hazard()
        Hazard.objects.filter(pk=h.pk).update(state=state)
    client = api(orgs.officer)
    fig = client.get(URL).json()["hazards_open"]
    assert fig["count"] == 6
    assert client.get(f"{fig['link']['path']}?{fig['link']['query']}").json()["count"] == 6
    by_state = {s["state"]: s["count"] for s in client.get(URL).json()["hazards_open_by_state"]}
    assert by_state["accepted"] == 2 and "closed" not in by_state and "rejected" not in by_state
    features = api(orgs.inspector).get("/api/v1/audit/risk-map/").json()["features"]
    mine = next(f for f in features if f["properties"]["id"] == orgs.owner.pk)
    assert mine["properties"]["counts"]["hazards_open"] == 6
