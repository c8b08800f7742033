"""Daily 安全风险研判与承诺 (issue 14 point 15): prefilled from the platform, signed by the principal
once a day, seen by the regulators (who has and has not committed), and a missing commitment
escalated past the configured hour through the outbox."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from backend.audit.models import Event
from backend.notifications.models import Notification
from compliance.models import DailyRiskCommitment
from compliance.services.daily_commitment import escalate_missing_commitments
from tests.factories import RiskPointFactory
from tests.factories.compliance import HazardFactory
from tests.factories.special_ops import WorkPermitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/risk-commitments/"
STATUS = "/api/v1/audit/risk-commitment-status/"
DAY = "2026-11-25T08:00:00+08:00"  # the permit factory's day


def at(s):
    return time_machine.travel(datetime.fromisoformat(s), tick=False)


def codes(r):
    return [(e["code"], e["attr"]) for e in r.json()["errors"]]


@pytest.fixture
def plant(orgs):
    RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区", is_major_hazard_source=True)
    RiskPointFactory(enterprise=orgs.owner, code="SB-02", name="酯化反应釜")
    WorkPermitFactory(enterprise=orgs.owner)  # 二级 hot work 2026-11-25 08:00–16:00
    WorkPermitFactory(enterprise=orgs.owner, level="first")
    WorkPermitFactory(enterprise=orgs.owner, state="cancelled")  # not planned any more
    HazardFactory(enterprise=orgs.owner, grade="major", state="rectifying")
    HazardFactory(enterprise=orgs.owner, grade="major", state="closed")
    return orgs


def test_prefill_is_the_platforms_figures_for_today(api, plant):
    with at(DAY):
        body = api(plant.officer).get(f"{URL}prefill/").json()
    assert body["day"] == "2026-11-25"
    assert body["operations"] == {"hot_work": {"second": 1, "first": 1}} and body["operations_total"] == 2
    assert body["major_hazard_sources"]["points"] == ["储罐区"] and body["major_hazards_open"] == 1
    assert body["units"] == ["储罐区", "酯化反应釜"]


def test_the_principal_signs_once_a_day(api, plant):
    with at(DAY):
        r = api(plant.principal).post(URL, {"units_running": 2, "units_stopped": 1, "note": "无异常"}, format="json")
        assert r.status_code == 201, r.json()
        body = r.json()
        assert body["day"] == "2026-11-25" and body["signer_name"] == "韩德茂"
        assert body["snapshot"]["operations_total"] == 2 and body["snapshot"]["major_hazards_open"] == 1
        r = api(plant.principal).post(URL, {"units_running": 2}, format="json")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "already_committed"
    assert Event.objects.filter(action="risk_commitment.sign", enterprise=plant.owner).count() == 1
    with at("2026-11-26T08:00:00+08:00"):  # a new day, a new commitment
        assert api(plant.principal).post(URL, {"units_running": 2}, format="json").status_code == 201


def test_signing_is_refused_with_codes(api, orgs):
    for user in (orgs.officer, orgs.admin, orgs.employee):
        r = api(user).post(URL, {"units_running": 1}, format="json")
        assert r.status_code == 403, user
    assert codes(api(orgs.officer).post(URL, {"units_running": 1}, format="json"))[0][0] == "principal_only"
    r = api(orgs.principal).post(URL, {"units_running": -1}, format="json")
    assert r.status_code == 400 and codes(r)[0][1] == "units_running"
    r = api(orgs.principal).post(URL, {}, format="json")
    assert r.status_code == 400 and codes(r)[0] == ("required", "units_running")
    assert api(orgs.inspector).post(URL, {"units_running": 1}, format="json").status_code == 403
    assert not DailyRiskCommitment.objects.exists()


def test_regulators_see_who_has_and_has_not_committed(api, orgs):
    from tests.factories import EnterpriseFactory

    quiet = EnterpriseFactory(name="高青某机械厂", division_code="370322103", industry="工贸-机械", status="approved")
    orgs.owner.status = "approved"
    orgs.owner.save(update_fields=["status"])
    with at(DAY):
        api(orgs.principal).post(URL, {"units_running": 2}, format="json")
        body = api(orgs.inspector).get(STATUS).json()
        assert body["date"] == "2026-11-25" and body["committed"] == 1 and body["missing"] == 1
        rows = {r["enterprise"]: r for r in body["results"]}
        assert rows[orgs.owner.pk]["committed"] and rows[orgs.owner.pk]["signer_name"] == "韩德茂"
        assert not rows[quiet.pk]["committed"]
        assert [r["enterprise"] for r in api(orgs.inspector).get(STATUS, {"committed": "false"}).json()["results"]] \
            == [quiet.pk]
        assert api(orgs.inspector).get(STATUS, {"date": "2026-11-24"}).json()["committed"] == 0
        # the regulator reads the signed commitment; another jurisdiction sees nothing
        listed = api(orgs.inspector).get(URL).json()["results"]
        assert [c["enterprise"] for c in listed] == [orgs.owner.pk]
        other = [r["enterprise"] for r in api(orgs.other_inspector).get(STATUS).json()["results"]]
        assert orgs.owner.pk not in other and quiet.pk not in other
        assert api(orgs.other_inspector).get(f"{URL}{listed[0]['id']}/").status_code == 404
    r = api(orgs.officer).get(STATUS)
    assert r.status_code == 403 and codes(r)[0][0] == "regulator_only"
    r = api(orgs.inspector).get(STATUS, {"date": "2026-02-30"})
    assert r.status_code == 400 and codes(r)[0][1] == "date"
    r = api(orgs.inspector).get(STATUS, {"colour": "red"})
    assert r.status_code == 400 and codes(r) == [("unknown_filter", "colour")]


def test_a_missing_commitment_escalates_once_past_the_hour(api, orgs, settings):
    settings.RISK_COMMITMENT_DEADLINE_HOUR = 9
    orgs.owner.status = "approved"
    orgs.owner.save(update_fields=["status"])
    assert escalate_missing_commitments(datetime.fromisoformat("2026-11-25T08:59:00+08:00")) == 0
    # both approved enterprises of the fixture (owner and the other county's) have not committed
    assert escalate_missing_commitments(datetime.fromisoformat("2026-11-25T09:00:00+08:00")) == 2
    assert escalate_missing_commitments(datetime.fromisoformat("2026-11-25T09:01:00+08:00")) == 0  # once
    reg = Notification.objects.get(kind="risk_commitment_missing", recipient_regulator=orgs.gaoqing)
    assert "高青澄源化工有限公司测试" in reg.title
    assert Notification.objects.filter(kind="risk_commitment_missing", recipient_user=orgs.principal).exists()
    assert not Notification.objects.filter(kind="risk_commitment_missing", recipient_regulator=orgs.other_reg,
                                           payload__enterprise_id=orgs.owner.pk).exists()
    assert Event.objects.filter(action="risk_commitment.missing", enterprise=orgs.owner).count() == 1


def test_a_signed_commitment_is_not_escalated(api, orgs):
    orgs.owner.status = "approved"
    orgs.owner.save(update_fields=["status"])
    with at(DAY):
        api(orgs.principal).post(URL, {"units_running": 2}, format="json")
    escalate_missing_commitments(datetime.fromisoformat("2026-11-25T10:00:00+08:00"))
    assert not Event.objects.filter(action="risk_commitment.missing", enterprise=orgs.owner).exists()
    assert DailyRiskCommitment.objects.get().day == date(2026, 11, 25)
