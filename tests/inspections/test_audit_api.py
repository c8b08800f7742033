"""The audit API: jurisdiction-scoped, read-only views and the DB-computed per-enterprise summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from compliance.models import ControlMeasure, Hazard, InvestigationTask, RiskEvent
from compliance.services import hazards as hz
from special_ops.models import WorkPermit
from tests.factories import EnterpriseFactory, RiskPointFactory

A = "/api/v1/audit/"


def _hazard(ent, officer, **extra) -> Hazard:
    body = {"title": "安全阀未校验", "deadline": date.today() + timedelta(days=10)} | extra
    return hz.hazard_file(actor=officer, enterprise=ent, **body)


def _permit(ent, state="in_progress", **extra) -> WorkPermit:
    now = timezone.now()
    fields = dict(enterprise=ent, number=f"DH-{WorkPermit.objects.count() + 1}", type="hot_work", state=state,
                  applicant_name="张三", applicant_unit="车间", work_unit="车间", work_content="动火", location="罐区",
                  planned_start=now - timedelta(hours=1), planned_end=now + timedelta(hours=4), level="second",
                  work_leader_name="李四", guardian_name="王五") | extra
    return WorkPermit.objects.create(**fields)


def _task(ent) -> InvestigationTask:
    point = RiskPointFactory(enterprise=ent)
    event = RiskEvent.objects.create(enterprise=ent, risk_point=point, method="LEC", score=20, level="low")
    measure = ControlMeasure.objects.create(enterprise=ent, risk_event=event, category="management", text="巡检")
    now = timezone.now()
    return InvestigationTask.objects.create(enterprise=ent, measure=measure, risk_point=point,
                                            due_start=now - timedelta(days=2), due_end=now - timedelta(days=1))


@pytest.fixture
def world(orgs, gaoqing_enterprises):
    own_point = RiskPointFactory(enterprise=orgs.owner, level="major")
    out_point = RiskPointFactory(enterprise=orgs.outsider, level="major")
    own_hazard = _hazard(orgs.owner, orgs.officer)
    out_hazard = _hazard(orgs.outsider, orgs.outsider_officer)
    return {
        "risk-points": (own_point, out_point),
        "hazards": (own_hazard, out_hazard),
        "permits": (_permit(orgs.owner), _permit(orgs.outsider)),
        "investigation-tasks": (_task(orgs.owner), _task(orgs.outsider)),
        "risk-events": tuple(RiskEvent.objects.filter(enterprise=e).first() for e in (orgs.owner, orgs.outsider)),
        "control-measures": tuple(ControlMeasure.objects.filter(enterprise=e).first() for e in (orgs.owner, orgs.outsider)),
    }


def test_inspector_sees_jurisdiction_enterprises(orgs, api, gaoqing_enterprises):
    resp = api(orgs.inspector).get(f"{A}enterprises/")
    assert resp.status_code == 200
    ids = {e["id"] for e in resp.json()["results"]}
    assert ids == {orgs.owner.pk, *(e.pk for e in gaoqing_enterprises)}
    assert api(orgs.inspector).get(f"{A}enterprises/{orgs.owner.pk}/").status_code == 200
    assert api(orgs.inspector).get(f"{A}enterprises/{orgs.outsider.pk}/").status_code == 404
    assert api(orgs.inspector).get(f"{A}enterprises/{orgs.outsider.pk}/summary/").status_code == 404
    assert api(orgs.other_inspector).get(f"{A}enterprises/{orgs.owner.pk}/").status_code == 404
    assert {e["id"] for e in api(orgs.other_inspector).get(f"{A}enterprises/").json()["results"]} == {orgs.outsider.pk}


@pytest.mark.parametrize("resource", ["risk-points", "risk-events", "control-measures", "hazards",
                                      "investigation-tasks", "permits"])
def test_resources_scoped_and_read_only(orgs, api, world, resource):
    own, foreign = world[resource]
    url = f"{A}{resource}/"
    resp = api(orgs.inspector).get(url)
    assert resp.status_code == 200, resp.json()
    ids = [x["id"] for x in resp.json()["results"]]
    assert own.pk in ids and foreign.pk not in ids
    assert type(own).objects.filter(pk__in=ids).exclude(enterprise=orgs.owner).count() == 0
    assert api(orgs.inspector).get(f"{url}{own.pk}/").status_code == 200
    assert api(orgs.inspector).get(f"{url}{foreign.pk}/").status_code == 404
    assert api(orgs.other_inspector).get(f"{url}{own.pk}/").status_code == 404
    # enterprise users and anonymous callers are refused
    assert api(orgs.officer).get(url).status_code == 403
    assert api(orgs.officer).get(f"{url}{own.pk}/").status_code == 403
    assert api().get(url).status_code == 401
    # no write is possible
    for user in (orgs.inspector, orgs.reg_admin):
        client = api(user)
        assert client.post(url, {}, format="json").status_code in (403, 405)
        assert client.patch(f"{url}{own.pk}/", {"name": "x", "title": "x"}, format="json").status_code in (403, 405)
        assert client.put(f"{url}{own.pk}/", {}, format="json").status_code in (403, 405)
        assert client.delete(f"{url}{own.pk}/").status_code in (403, 405)
    assert type(own).objects.filter(pk=own.pk).exists()


def test_no_write_through_audit_actions(orgs, api, world):
    h = world["hazards"][0]
    for action in ("confirm", "close", "reject", "tick-checklist"):
        assert api(orgs.reg_admin).post(f"{A}hazards/{h.pk}/{action}/", {}, format="json").status_code in (403, 405)
    assert api(orgs.reg_admin).post(f"{A}enterprises/", {"name": "x"}, format="json").status_code in (403, 405)
    assert api(orgs.reg_admin).delete(f"{A}enterprises/{orgs.owner.pk}/").status_code in (403, 405)
    assert Hazard.objects.get(pk=h.pk).state == "confirmed"


def test_jurisdiction_filters(orgs, api, world, gaoqing_enterprises):
    ids = lambda resp: {x["id"] for x in resp.json()["results"]}  # noqa: E731
    c = api(orgs.inspector)
    assert ids(c.get(f"{A}enterprises/", {"town": "370322104"})) == {gaoqing_enterprises[1].pk}
    assert ids(c.get(f"{A}enterprises/", {"industry": "带储存"})) == {gaoqing_enterprises[1].pk}
    assert ids(c.get(f"{A}enterprises/", {"risk_level": "major"})) == {orgs.owner.pk}
    assert ids(c.get(f"{A}enterprises/", {"major": "true"})) == set()
    assert ids(c.get(f"{A}enterprises/", {"overdue": "true"})) == set()
    h = world["hazards"][0]
    Hazard.objects.filter(pk=h.pk).update(deadline_at=timezone.now() - timedelta(days=1), grade="major", supervised=True)
    assert ids(c.get(f"{A}enterprises/", {"overdue": "true"})) == {orgs.owner.pk}
    assert ids(c.get(f"{A}enterprises/", {"major": "true"})) == {orgs.owner.pk}
    assert ids(c.get(f"{A}enterprises/", {"supervised": "true"})) == {orgs.owner.pk}
    assert orgs.owner.pk not in ids(c.get(f"{A}enterprises/", {"supervised": "false"}))
    assert c.get(f"{A}enterprises/", {"bogus": "1"}).status_code == 400
    # resource lists take enterprise / town / industry on top of their own filters
    assert ids(c.get(f"{A}hazards/", {"town": "370322102", "overdue": "true"})) == {h.pk}
    assert ids(c.get(f"{A}hazards/", {"enterprise": gaoqing_enterprises[0].pk})) == set()
    assert ids(c.get(f"{A}permits/", {"live": "true", "industry": "化"})) == {world["permits"][0].pk}
    assert ids(c.get(f"{A}investigation-tasks/", {"overdue": "true"})) == {world["investigation-tasks"][0].pk}


def test_summary_counts(orgs, api, world):
    _hazard(orgs.owner, orgs.officer, grade="major", title="重大")
    _permit(orgs.owner, state="accepted")
    resp = api(orgs.inspector).get(f"{A}enterprises/{orgs.owner.pk}/summary/")
    assert resp.status_code == 200
    s = resp.json()["summary"]
    # owner: the factory point (major) + the task's point (level blank, not counted)
    assert s["risk_points_by_level"] == {"major": 1, "high": 0, "moderate": 0, "low": 0}
    assert s["hazards_by_state"]["confirmed"] == 2 and sum(s["hazards_by_state"].values()) == 2
    assert s["hazards_overdue"] == 0 and s["major_hazards_open"] == 1 and s["permits_live"] == 1
    rows = api(orgs.inspector).get(f"{A}enterprises/summary/").json()["results"]
    by_id = {r["id"]: r["summary"] for r in rows}
    assert by_id[orgs.owner.pk] == s and orgs.outsider.pk not in by_id
    assert api(orgs.officer).get(f"{A}enterprises/summary/").status_code == 403


def test_summary_constant_queries(orgs, api, django_assert_max_num_queries):
    def fill(k):
        for _ in range(k):
            e = EnterpriseFactory()
            RiskPointFactory(enterprise=e, level="high")
            _permit(e)
    fill(1)
    client = api(orgs.inspector)
    with django_assert_max_num_queries(4) as small:
        assert len(client.get(f"{A}enterprises/summary/").json()["results"]) == 2
    fill(8)
    with django_assert_max_num_queries(4) as big:
        rows = client.get(f"{A}enterprises/summary/").json()["results"]
    assert len(rows) == 10
    assert len(big.captured_queries) == len(small.captured_queries)
    assert all(r["summary"]["permits_live"] == 1 for r in rows if r["id"] != orgs.owner.pk)
