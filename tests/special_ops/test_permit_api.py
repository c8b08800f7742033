"""Permit API: lifecycle, approvals, separation of duties, reset on change, isolation, list queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection

from backend.audit.models import Event
from backend.notifications.models import Notification
from special_ops.models import PermitApproval, WorkPermit
from tests.helpers.concurrency import run_concurrently
from tests.helpers.permits import URL, body_of, hot_work_case

START = "2026-12-01T08:30:00+08:00"
T = datetime.fromisoformat


def gas_at(when: str, **kw):
    return {"sampled_at": when, "sample_point": "动火点", "analyst": "董晓雪", "o2_pct_vol": kw.get("o2", 20.9),
            "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": kw.get("flam", 0.0)}], "toxic": []}


@pytest.mark.django_db
class TestCreate:
    def test_number_allocated_per_type_and_day(self, driver, points):
        body = body_of(hot_work_case(), points)
        body.pop("permit_no")
        first = driver.create(body).json()
        second = driver.create(body).json()
        assert (first["permit_no"], second["permit_no"]) == ("DH-20261201-01", "DH-20261201-02")
        assert first["level"] == "second" and first["level_display"] == "二级" and first["state"] == "draft"
        assert first["facts"]["method"] == "电焊"

    def test_given_number_is_unique_per_enterprise(self, driver, points):
        body = body_of(hot_work_case(), points)
        assert driver.create(body).status_code == 201
        r = driver.create(body)
        assert r.status_code == 400 and r.json()["errors"][0] == {
            "code": "duplicate", "detail": "作业票编号已存在。（适用规则：危险化学品/化工/医药规则（GB 30871-2022））",
            "attr": "permit_no"}

    def test_wrong_prefix_is_400(self, driver, points):
        r = driver.create(body_of(hot_work_case(permit_no="GC-20261201-01"), points))
        assert r.json()["errors"][0]["code"] == "number_prefix"

    def test_facts_are_validated_per_type(self, driver, points):
        body = body_of(hot_work_case(), points)
        del body["facts"]["on_pipe_rack"]
        r = driver.create(body)
        assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "facts.on_pipe_rack"

    def test_certificate_required_for_welder(self, driver, points):
        case = hot_work_case()
        case["workers"][0]["cert_no"] = None
        r = driver.create(body_of(case, points))
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "certificate_missing"

    def test_validity_cap(self, driver, points):
        r = driver.create(body_of(hot_work_case(level_declared="一级", planned_end="2026-12-01T17:00:00+08:00"), points))
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "validity_exceeded"

    def test_foreign_risk_point_is_400(self, driver, points, orgs):
        from tests.factories import RiskPointFactory

        foreign = RiskPointFactory(enterprise=orgs.outsider)
        body = body_of(hot_work_case(), points) | {"risk_point": foreign.pk}
        assert driver.create(body).json()["errors"][0]["code"] == "does_not_exist"

    def test_regulator_cannot_write(self, driver, points, orgs):
        assert driver.create(body_of(hot_work_case(), points), orgs.inspector).status_code == 403

    def test_no_delete(self, driver, points, api, orgs):
        pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
        assert api(orgs.officer).delete(f"{URL}{pk}/").status_code == 405
        r = driver.post(f"{URL}{pk}/cancel/", {"reason": "计划取消"})
        assert r.json()["state"] == "cancelled"
        assert WorkPermit.objects.filter(pk=pk).exists()


@pytest.mark.django_db
class TestLifecycle:
    def test_full_lifecycle_with_events(self, driver, points, orgs):
        p = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
        pk = p["id"]
        assert p["state"] == "approved" and p["current_step"] == "shift_leader_check"
        with time_machine.travel(T(START), tick=False):
            assert driver.post(f"{URL}{pk}/start/").json()["errors"][0]["code"] == "pre_start_check_missing"
            driver.sign_phase(pk, "pre_start")
            assert driver.post(f"{URL}{pk}/start/").json()["errors"][0]["code"] == "gas_test_missing"
            assert driver.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T08:10:00+08:00")).status_code == 201
            assert driver.post(f"{URL}{pk}/start/").json()["state"] == "in_progress"
        with time_machine.travel(T(START) + timedelta(hours=1), tick=False):
            assert driver.post(f"{URL}{pk}/suspend/", {"reason": "午休"}).json()["state"] == "suspended"
        with time_machine.travel(T(START) + timedelta(hours=1, minutes=50), tick=False):  # 50 min ≤ 60 (二级)
            assert driver.post(f"{URL}{pk}/resume/").json()["state"] == "in_progress"
            assert driver.post(f"{URL}{pk}/complete/").json()["state"] == "completed"
            r = driver.post(f"{URL}{pk}/accept/", {"opinion": "现场已清理"}, orgs.employee)  # signed as work leader
            assert r.status_code == 403 and r.json()["errors"][0]["code"] == "separation_of_duties"
            r = driver.post(f"{URL}{pk}/accept/", {"opinion": "现场已清理"}, driver.unit_lead)
            assert r.json()["state"] == "accepted"
            assert all(s["signed"] for s in r.json()["chain"])
        actions = list(Event.objects.filter(object_type="special_ops.workpermit", object_id=str(pk)).values_list("action", flat=True))
        for a in ("permit.create", "permit.submit", "permit.approve", "permit.brief", "permit.confirm_measures",
                  "permit.gas_test", "permit.start", "permit.suspend", "permit.resume", "permit.complete", "permit.accept"):
            assert a in actions

    def test_resume_after_long_interruption_needs_new_test(self, driver, points):
        pk = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
        with time_machine.travel(T(START), tick=False):
            driver.sign_phase(pk, "pre_start")
            driver.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T08:20:00+08:00"))
            driver.post(f"{URL}{pk}/start/")
            driver.post(f"{URL}{pk}/suspend/")
        with time_machine.travel(T(START) + timedelta(minutes=61), tick=False):  # > 60 min for 二级
            r = driver.post(f"{URL}{pk}/resume/")
            assert r.status_code == 400 and r.json()["errors"][0]["code"] == "gas_retest_required"
            driver.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T09:30:00+08:00", flam=0.8))
            assert driver.post(f"{URL}{pk}/resume/").json()["errors"][0]["code"] == "flammable_over_limit"
            driver.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T09:31:00+08:00"))
            assert driver.post(f"{URL}{pk}/resume/").json()["state"] == "in_progress"

    def test_wrong_state_is_409(self, driver, points):
        pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
        r = driver.post(f"{URL}{pk}/start/")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "invalid_transition"

    def test_reject_needs_reason(self, driver, points):
        pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
        driver.post(f"{URL}{pk}/submit/")
        assert driver.post(f"{URL}{pk}/reject/", {"reason": ""}).status_code == 400
        assert driver.post(f"{URL}{pk}/reject/", {"reason": "措施不全"}).json()["state"] == "rejected"


@pytest.mark.django_db
class TestApprovals:
    def _submitted(self, driver, points, **overrides):
        pk = driver.create(body_of(hot_work_case(**overrides), points)).json()["id"]
        assert driver.post(f"{URL}{pk}/submit/").status_code == 200
        return pk

    def test_chain_order_role_and_final_prerequisites(self, driver, points, orgs):
        pk = self._submitted(driver, points)
        p = driver.get(pk)
        assert [s["step"] for s in p["chain"]] == ["work_leader", "owning_unit", "safety_department", "approver",
                                                  "shift_leader_check", "acceptance"]
        r = driver.post(f"{URL}{pk}/approve/", {"step": "owning_unit"}, orgs.employee)
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "step_out_of_order"
        r = driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, orgs.officer)
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "role_not_allowed"
        assert driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, orgs.employee).status_code == 200
        # whoever signed as work leader acts as the work leader: no second signature on the chain
        r = driver.post(f"{URL}{pk}/approve/", {"step": "owning_unit"}, orgs.employee)
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "separation_of_duties"
        lead = driver.unit_lead
        for step, user in (("owning_unit", lead), ("safety_department", orgs.officer)):
            assert driver.post(f"{URL}{pk}/approve/", {"step": step, "opinion": "同意"}, user).status_code == 200
        r = driver.post(f"{URL}{pk}/approve/", {"step": "approver"}, lead)
        assert r.json()["errors"][0]["code"] == "measures_unconfirmed"
        driver.post(f"{URL}{pk}/confirm-measures/", {"measures": ["hw_isolate"]}, orgs.employee)
        assert driver.post(f"{URL}{pk}/approve/", {"step": "approver"}, lead).json()["errors"][0]["code"] == "measures_unconfirmed"
        driver.prepare(pk)
        r = driver.post(f"{URL}{pk}/approve/", {"step": "approver", "opinion": "同意动火"}, lead)
        assert r.json()["state"] == "approved"
        signed = [s for s in r.json()["chain"] if s["signed"]]
        assert signed[-1]["signer_name"] == "李卫东" and signed[-1]["opinion"] == "同意动火" and signed[-1]["signed_at"]

    def test_briefing_must_cover_workers_and_guardian(self, driver, points, orgs):
        pk = self._submitted(driver, points)
        r = driver.post(f"{URL}{pk}/brief/", {"briefed_names": ["宋立平"]})
        assert r.json()["errors"][0]["code"] == "briefing_incomplete" and "高文斌" in r.json()["errors"][0]["detail"]

    def test_applicant_user_may_not_approve(self, driver, points, orgs):
        case = hot_work_case()
        body = body_of(case, points)
        body["applicant"]["user"] = orgs.employee.pk
        pk = driver.create(body).json()["id"]
        driver.post(f"{URL}{pk}/submit/")
        driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, orgs.employee)  # the work leader's own step
        r = driver.post(f"{URL}{pk}/approve/", {"step": "owning_unit"}, orgs.employee)
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "separation_of_duties"

    def test_work_leader_by_name_may_not_approve(self, driver, points, orgs):
        pk = self._submitted(driver, points, work_leader={"name": "刘晓燕", "phone": ""})  # = orgs.officer's name
        driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, orgs.employee)
        driver.post(f"{URL}{pk}/approve/", {"step": "owning_unit"}, driver.unit_lead)
        r = driver.post(f"{URL}{pk}/approve/", {"step": "safety_department"}, orgs.officer)
        assert r.json()["errors"][0]["code"] == "separation_of_duties"
        assert driver.post(f"{URL}{pk}/approve/", {"step": "safety_department"}, orgs.colleague).status_code == 200

    def test_linked_work_leader_signs_own_step(self, driver, points, orgs):
        from tests.factories import member

        other = member(orgs.owner, "employee", full_name="曹永辉")
        body = body_of(hot_work_case(), points)
        body["work_leader"]["user"] = other.pk
        pk = driver.create(body).json()["id"]
        driver.post(f"{URL}{pk}/submit/")
        r = driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, orgs.employee)
        assert r.json()["errors"][0]["code"] == "not_work_leader"
        assert driver.post(f"{URL}{pk}/approve/", {"step": "work_leader"}, other).status_code == 200

    def test_change_after_approval_resets_signatures(self, driver, points, api, orgs):
        pk = driver.file_and_approve(body_of(hot_work_case(), points))["id"]
        r = api(orgs.officer).patch(f"{URL}{pk}/", {"location": "循环水站泵房（二层）"}, format="json")
        assert r.status_code == 200, r.json()
        p = r.json()
        assert p["state"] == "submitted" and not any(s["signed"] for s in p["chain"])
        assert not any(m["confirmed"] for m in p["measures"]) and p["briefing"]["briefed_at"] is None
        assert PermitApproval.objects.filter(permit_id=pk, voided_at__isnull=False).count() == 4
        assert Event.objects.filter(action="permit.approvals_reset", object_id=str(pk)).exists()
        # a no-op PATCH changes nothing
        r = api(orgs.officer).patch(f"{URL}{pk}/", {"location": "循环水站泵房（二层）"}, format="json")
        assert r.json()["state"] == "submitted"

    def test_change_of_workers_after_approval_resets(self, driver, points, api, orgs):
        pk = driver.file_and_approve(body_of(hot_work_case(), points))["id"]
        workers = [{"name": "魏东", "trade": "焊工", "cert_no": "TZ-HJ-0422"}]
        r = api(orgs.officer).patch(f"{URL}{pk}/", {"workers": workers}, format="json")
        assert r.json()["state"] == "submitted" and r.json()["workers"][0]["name"] == "魏东"

    def test_in_progress_permit_cannot_be_edited(self, driver, points, api, orgs):
        pk = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
        with time_machine.travel(T(START), tick=False):
            driver.sign_phase(pk, "pre_start")
            driver.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T08:20:00+08:00"))
            driver.post(f"{URL}{pk}/start/")
            r = api(orgs.officer).patch(f"{URL}{pk}/", {"location": "别处"}, format="json")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "invalid_transition"

    def test_high_risk_point_adds_principal_step(self, driver, points, orgs):
        body = body_of(hot_work_case(), points) | {"risk_point": points["SB-08"].pk}
        pk = driver.create(body).json()["id"]
        p = driver.post(f"{URL}{pk}/submit/").json()
        assert p["extra_approval"] is True
        approval = [s["step"] for s in p["chain"] if s["phase"] == "approval"]
        assert approval[-1] == "principal_approval"
        p = driver.file_and_approve(body_of(hot_work_case(
            permit_no="DH-20261202-01", planned_start="2026-12-02T08:30:00+08:00", planned_end="2026-12-02T16:30:00+08:00"),
            points))
        assert "principal_approval" not in [s["step"] for s in p["chain"]]

    def test_moving_a_submitted_permit_to_a_high_risk_point_adds_the_step(self, driver, points, api, orgs):
        pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
        p = driver.post(f"{URL}{pk}/submit/").json()
        assert p["extra_approval"] is False
        r = api(orgs.officer).patch(f"{URL}{pk}/", {"risk_point": points["SB-08"].pk}, format="json")
        assert r.status_code == 200, r.json()
        assert r.json()["extra_approval"] is True
        assert [s["step"] for s in r.json()["chain"] if s["phase"] == "approval"][-1] == "principal_approval"

    def test_another_enterprises_risk_point_is_refused(self, driver, points, api, orgs):
        from tests.factories import RiskPointFactory

        foreign = RiskPointFactory(enterprise=orgs.outsider)
        r = driver.create(body_of(hot_work_case(), points) | {"risk_point": foreign.pk})
        assert r.status_code == 400
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("risk_point", "does_not_exist")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_of_one_step_one_wins_one_409(api, orgs, points):
    from tests.helpers.permits import Driver

    driver = Driver(api, orgs)
    pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
    driver.post(f"{URL}{pk}/submit/")

    def go():
        r = api(orgs.employee).post(f"{URL}{pk}/approve/", {"step": "work_leader", "opinion": "同意"}, format="json")
        return r.status_code, r.json()["errors"][0]["code"] if r.status_code != 200 else None

    results, errors = run_concurrently(go, 2)
    assert errors == []
    assert sorted(code for code, _ in results) == [200, 409], results
    assert [c for _, c in results if c] == ["step_already_signed"]
    assert PermitApproval.objects.filter(permit_id=pk, step="work_leader").count() == 1


@pytest.mark.django_db
class TestIsolation:
    def test_outsider_gets_404_everywhere(self, driver, points, api, orgs):
        pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
        out = api(orgs.outsider_officer)
        assert out.get(f"{URL}{pk}/").status_code == 404
        assert out.get(f"{URL}{pk}/gas-tests/").status_code == 404
        assert out.get(f"{URL}{pk}/pdf/").status_code == 404
        assert out.post(f"{URL}{pk}/gas-tests/", gas_at("2026-12-01T08:20:00+08:00"), format="json").status_code == 404
        assert out.patch(f"{URL}{pk}/", {"location": "x"}, format="json").status_code == 404
        for action in ("submit", "approve", "reject", "confirm-measures", "brief", "start", "suspend", "resume",
                       "complete", "accept", "cancel"):
            assert out.post(f"{URL}{pk}/{action}/", {}, format="json").status_code == 404, action
        assert out.get(URL).json()["count"] == 0
        assert api(orgs.other_inspector).get(f"{URL}{pk}/").status_code == 404

    def test_thirty_digit_id_is_404(self, api, orgs):
        assert api(orgs.officer).get(f"{URL}{'9' * 30}/").status_code == 404

    @pytest.mark.parametrize("user", ["officer", "inspector"])
    def test_list_query_count_is_constant(self, driver, points, api, orgs, user):
        from django.test.utils import CaptureQueriesContext

        def make(n, offset):
            for i in range(n):
                driver.create(body_of(hot_work_case(permit_no=f"DH-20261201-{offset + i:02d}"), points))

        def count_queries():
            with CaptureQueriesContext(connection) as ctx:
                assert len(api(getattr(orgs, user)).get(URL).json()["results"]) == n
            return len(ctx.captured_queries)

        make(2, 1)
        n = 2
        two = count_queries()
        make(8, 3)
        n = 10
        assert count_queries() == two <= 6


@pytest.mark.django_db
class TestRegulator:
    def test_live_permits_of_jurisdiction(self, driver, points, api, orgs):
        live = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
        later = driver.file_and_approve(body_of(hot_work_case(
            permit_no="DH-20261204-01", planned_start="2026-12-04T08:30:00+08:00", planned_end="2026-12-04T16:30:00+08:00"),
            points), at="2026-11-30T10:00:00+08:00")
        draft = driver.create(body_of(hot_work_case(permit_no="DH-20261201-05"), points)).json()
        with time_machine.travel(T("2026-11-30T18:00:00+08:00"), tick=False):  # P01 starts in 14.5 h
            ids = [p["id"] for p in api(orgs.inspector).get(f"{URL}?live=true").json()["results"]]
            assert ids == [live["id"]]
            all_ids = {p["id"] for p in api(orgs.inspector).get(URL).json()["results"]}
            assert {live["id"], later["id"], draft["id"]} <= all_ids
            assert api(orgs.other_inspector).get(f"{URL}?live=true").json()["count"] == 0
            assert api(orgs.inspector).get(f"{URL}{live['id']}/").status_code == 200
            assert api(orgs.inspector).post(f"{URL}{live['id']}/cancel/", {"reason": "x"}, format="json").status_code == 403
        with time_machine.travel(T("2026-12-01T17:00:00+08:00"), tick=False):  # window over
            assert api(orgs.inspector).get(f"{URL}?live=true").json()["count"] == 0

    def test_unknown_filter_is_400(self, api, orgs):
        assert api(orgs.inspector).get(f"{URL}?colour=red").status_code == 400


@pytest.mark.django_db
class TestPreworkReport:
    def test_special_hot_work_notifies_regulator_on_approval(self, driver, points, orgs):
        case = hot_work_case(level_declared="特级", risk_point={"code": "SB-01", "name": "储罐区"},
                             planned_end="2026-12-01T14:30:00+08:00",
                             facts={"in_fire_explosion_area": True, "inside_major_hazard_tank_dike": True,
                                    "continuous_gas_monitoring": True})
        pk = driver.create(body_of(case, points)).json()["id"]
        driver.post(f"{URL}{pk}/submit/")
        driver.prepare(pk)
        assert not Notification.objects.filter(idempotency_key__startswith=f"permit:{pk}:prework").exists()
        p = driver.sign_phase(pk, "approval")
        assert p["state"] == "approved"
        n = Notification.objects.get(idempotency_key__startswith=f"permit:{pk}:prework")
        assert n.recipient_regulator == orgs.gaoqing and "DH-20261201-01" in n.title

    def test_holiday_permit_notifies_and_weekday_one_does_not(self, driver, points, orgs):
        holiday = driver.file_and_approve(body_of(hot_work_case(
            permit_no="DH-20270101-01", level_declared="一级", planned_start="2027-01-01T09:00:00+08:00",
            planned_end="2027-01-01T15:00:00+08:00"), points))
        plain = driver.file_and_approve(body_of(hot_work_case(), points))
        assert Notification.objects.filter(idempotency_key__startswith=f"permit:{holiday['id']}:prework").exists()
        assert not Notification.objects.filter(idempotency_key__startswith=f"permit:{plain['id']}:prework").exists()
