"""Hazard services: concurrency, outbox atomicity, regulator sign-off, extensions, risk feedback."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from backend.audit.models import Event
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound
from backend.notifications.models import Notification
from compliance.models import Hazard, RiskPoint
from compliance.services import extensions, major_hazard, supervision
from compliance.services import hazards as svc
from tests.helpers.concurrency import run_concurrently
from tests.helpers.hazards import FIVE


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_one_wins_the_other_gets_409(api, orgs, file_hazard):
    h = file_hazard()

    def go():
        r = api(orgs.employee).post(f"/api/v1/hazards/{h.pk}/start-rectification/", {}, format="json")
        return r.status_code, r.json()["errors"][0]["code"] if r.status_code != 200 else ""

    results, errors = run_concurrently(go, 4)
    assert errors == []
    assert sorted(results) == [(200, ""), (409, "invalid_transition"), (409, "invalid_transition"), (409, "invalid_transition")]
    assert Event.objects.filter(object_id=str(h.pk), action="hazard.start_rectification").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_numbers(orgs, file_hazard):
    numbers, errors = run_concurrently(lambda: file_hazard().number, 5)
    assert errors == []
    assert sorted(numbers) == [f"YH-2026-{i:05d}" for i in range(1, 6)]


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
class TestMajorNotification:
    def test_notification_row_exists_after_commit(self, orgs, file_hazard):
        h = file_hazard(grade="major", **FIVE)
        assert Notification.objects.filter(idempotency_key=f"hazard:{h.pk}:major:reg{orgs.gaoqing.pk}:in_app").exists()

    def test_notification_row_is_gone_after_rollback(self, orgs, file_hazard):
        h = file_hazard()
        seen = []

        def tick_then_fail():
            with transaction.atomic():
                major_hazard.hazard_tick_checklist(actor=orgs.officer, hazard=h, checklist="chem-2017", items=[3])
                seen.append(Notification.objects.filter(idempotency_key__startswith=f"hazard:{h.pk}:major").exists())
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            tick_then_fail()
        assert seen == [True]
        assert not Notification.objects.filter(idempotency_key__startswith=f"hazard:{h.pk}:major").exists()
        assert Hazard.objects.get(pk=h.pk).grade == "general"


def _to_accepted(orgs, h):
    svc.hazard_start_rectification(actor=orgs.employee, hazard=h)
    svc.hazard_submit_for_acceptance(actor=orgs.employee, hazard=h)
    return svc.hazard_accept(actor=orgs.principal, hazard=h)


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
class TestRegulatorSignoff:
    def test_supervised_hazard_closes_only_after_signoff(self, orgs, file_hazard):
        h = file_hazard(grade="major", **FIVE)
        supervision.hazard_supervise(actor=orgs.inspector, hazard=h, note="县应急管理局挂牌督办")
        h = _to_accepted(orgs, h)
        with pytest.raises(Conflict) as exc:
            svc.hazard_close(actor=orgs.officer, hazard=h)
        assert exc.value.code == "regulator_signoff_required"
        with pytest.raises(NotFound):
            supervision.hazard_regulator_signoff(actor=orgs.other_inspector, hazard=h)
        with pytest.raises(NotFound):
            supervision.hazard_regulator_signoff(actor=orgs.officer, hazard=h)
        supervision.hazard_regulator_signoff(actor=orgs.inspector, hazard=h, comment="复查合格")
        with pytest.raises(Conflict):
            supervision.hazard_regulator_signoff(actor=orgs.inspector2, hazard=h)
        assert svc.hazard_close(actor=orgs.officer, hazard=h).state == "closed"
        ev = Event.objects.get(object_id=str(h.pk), action="hazard.regulator_signoff")
        assert ev.regulator_id == orgs.gaoqing.pk and ev.reason == "复查合格"

    def test_signoff_needs_acceptance_and_supervision(self, orgs, file_hazard):
        h = file_hazard(grade="major", **FIVE)
        with pytest.raises(Conflict) as exc:
            supervision.hazard_regulator_signoff(actor=orgs.inspector, hazard=h)
        assert exc.value.code == "not_supervised"
        supervision.hazard_supervise(actor=orgs.inspector, hazard=h)
        with pytest.raises(Conflict) as exc:
            supervision.hazard_regulator_signoff(actor=orgs.inspector, hazard=h)
        assert exc.value.code == "invalid_transition"


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
class TestExtensions:
    def test_general_hazard_gets_one_extension_approved_by_someone_else(self, api, orgs, file_hazard):
        h = file_hazard()
        with pytest.raises(Forbidden) as exc:
            extensions.hazard_request_extension(actor=orgs.officer, hazard=h, new_deadline=date(2026, 12, 10), reason="备件未到")
        assert exc.value.code == "not_responsible"
        with pytest.raises(FieldError):
            extensions.hazard_request_extension(actor=orgs.employee, hazard=h, new_deadline=date(2026, 11, 30), reason="x")
        r = api(orgs.employee).post(f"/api/v1/hazards/{h.pk}/request-extension/",
                                    {"new_deadline": "2026-12-10", "reason": "备件未到"}, format="json")
        assert r.status_code == 201, r.json()
        ext_id = r.json()["id"]
        assert api(orgs.outsider_admin).post(f"/api/v1/hazard-extensions/{ext_id}/decide/", {"approve": True},
                                             format="json").status_code == 404
        assert api(orgs.employee).post(f"/api/v1/hazard-extensions/{ext_id}/decide/", {"approve": True},
                                       format="json").status_code == 403
        r = api(orgs.officer).post(f"/api/v1/hazard-extensions/{ext_id}/decide/", {"approve": True}, format="json")
        assert r.status_code == 200 and r.json()["status"] == "approved"
        h.refresh_from_db()
        assert h.deadline == date(2026, 12, 10) and h.extension_count == 1
        assert h.deadline_at.isoformat().startswith("2026-12-10T15:59:59.999999")
        # the cap: a second one is refused on approval
        ext = extensions.hazard_request_extension(actor=orgs.employee, hazard=h, new_deadline=date(2026, 12, 20), reason="再延")
        with pytest.raises(Conflict) as exc:
            extensions.hazard_decide_extension(actor=orgs.officer, extension=ext, approve=True)
        assert exc.value.code == "extension_cap_reached"

    def test_requester_cannot_approve_own_request(self, orgs, file_hazard):
        h = file_hazard(responsible_person=orgs.officer)
        ext = extensions.hazard_request_extension(actor=orgs.officer, hazard=h, new_deadline=date(2026, 12, 10), reason="x")
        with pytest.raises(Forbidden) as exc:
            extensions.hazard_decide_extension(actor=orgs.officer, extension=ext, approve=True)
        assert exc.value.code == "approver_is_requester"

    def test_major_extension_needs_the_regulator(self, orgs, file_hazard):
        h = file_hazard(grade="major", **FIVE)
        ext = extensions.hazard_request_extension(actor=orgs.employee, hazard=h, new_deadline=date(2026, 12, 10), reason="x")
        with pytest.raises(Conflict):
            extensions.hazard_decide_extension(actor=orgs.principal, extension=ext, approve=True)
        ext = extensions.hazard_decide_extension(actor=orgs.inspector, extension=ext, approve=True)
        assert ext.regulator_approved and Hazard.objects.get(pk=h.pk).deadline == date(2026, 12, 10)


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
def test_three_hazards_in_90_days_flag_the_risk_point(api, orgs, point, file_hazard):
    file_hazard(risk_point=point, found_on=date(2026, 8, 1))  # outside the 90-day window
    file_hazard(risk_point=point, found_on=date(2026, 10, 1))
    file_hazard(risk_point=point, found_on=date(2026, 11, 1))
    assert not RiskPoint.objects.get(pk=point.pk).needs_reassessment
    file_hazard(risk_point=point, found_on=date(2026, 11, 20))
    body = api(orgs.officer).get(f"/api/v1/risk-points/{point.pk}/").json()
    assert body["needs_reassessment"] is True
    assert "90" in body["reassessment_reason"]
