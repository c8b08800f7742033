"""Sweeps (expire, suspend on stale gas) and conflict checks on submit and on start."""

from __future__ import annotations

import copy
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from special_ops.models import WorkPermit
from special_ops.services.sweeps import permits_expire, permits_suspend_stale_gas
from tests.helpers.permits import URL, body_of, hot_work_case, load_sample

CASES = {c["case_id"]: c for c in load_sample()["cases"]}
T = datetime.fromisoformat


def started_confined_space(driver, points):
    case = copy.deepcopy(CASES["P07"])
    pk = driver.file_and_approve(body_of(case, points), at=case["submitted_at"])["id"]
    with time_machine.travel(T(case["planned_start"]), tick=False):
        driver.post(f"{URL}{pk}/gas-tests/", case["gas_tests"][0] | {"toxic": []})
        assert driver.post(f"{URL}{pk}/start/").json()["state"] == "in_progress"
    return pk


@pytest.mark.django_db
class TestSweeps:
    def test_expire_sets_expired_after_planned_end_only(self, driver, points):
        approved = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
        draft = driver.create(body_of(hot_work_case(permit_no="DH-20261201-02"), points)).json()["id"]
        with time_machine.travel(T("2026-12-01T16:29:00+08:00"), tick=False):
            assert permits_expire(now=timezone.now()) == []
        with time_machine.travel(T("2026-12-01T16:30:00+08:00"), tick=False):
            assert permits_expire(now=timezone.now()) == [approved]
        assert WorkPermit.objects.get(pk=approved).state == "expired"
        assert WorkPermit.objects.get(pk=draft).state == "draft"
        assert driver.get(approved)["state"] == "expired"

    def test_confined_space_without_reading_for_2h_is_suspended(self, driver, points):
        pk = started_confined_space(driver, points)  # sample at 08:15
        with time_machine.travel(T("2026-12-08T10:15:00+08:00"), tick=False):
            assert permits_suspend_stale_gas(now=timezone.now()) == []
        with time_machine.travel(T("2026-12-08T10:16:00+08:00"), tick=False):
            assert permits_suspend_stale_gas(now=timezone.now()) == [pk]
            assert driver.get(pk)["state"] == "suspended"
            r = driver.post(f"{URL}{pk}/resume/")
            assert r.json()["errors"][0]["code"] == "gas_retest_required"
            driver.post(f"{URL}{pk}/gas-tests/", CASES["P07"]["gas_tests"][0] | {"sampled_at": "2026-12-08T10:16:00+08:00",
                                                                                  "toxic": []})
            assert driver.post(f"{URL}{pk}/resume/").json()["state"] == "in_progress"

    def test_hot_work_in_progress_is_not_suspended_by_the_sweep(self, driver, points):
        pk = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
        with time_machine.travel(T("2026-12-01T08:30:00+08:00"), tick=False):
            driver.sign_phase(pk, "pre_start")
            driver.post(f"{URL}{pk}/gas-tests/", CASES["P01"]["gas_tests"][0] | {"sampled_at": "2026-12-01T08:20:00+08:00"})
            driver.post(f"{URL}{pk}/start/")
        assert permits_suspend_stale_gas(now=T("2026-12-01T12:00:00+08:00")) == []


@pytest.mark.django_db
class TestConflicts:
    def test_two_blinding_permits_on_one_pipeline(self, driver, points):
        driver.file_and_approve(body_of(CASES["P09"], points), at=CASES["P09"]["submitted_at"])
        pk = driver.create(body_of(CASES["P10"], points)).json()["id"]
        r = driver.post(f"{URL}{pk}/submit/")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "blinding_same_pipeline_overlap"
        assert "MB-20261210-01" in r.json()["errors"][0]["detail"]

    def test_hot_work_near_active_blinding_in_fire_explosion_area(self, driver, points):
        driver.file_and_approve(body_of(CASES["P09"], points), at=CASES["P09"]["submitted_at"])
        case = hot_work_case(permit_no="DH-20261210-01", level_declared="一级", lon=117.7544, lat=37.0749,  # ≈ 9 m away
                             planned_start="2026-12-10T09:30:00+08:00", planned_end="2026-12-10T12:00:00+08:00",
                             facts={"in_fire_explosion_area": True})
        pk = driver.create(body_of(case, points)).json()["id"]
        r = driver.post(f"{URL}{pk}/submit/")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "hot_work_near_blinding"
        assert "MB-20261210-01" in r.json()["errors"][0]["detail"]
        far = copy.deepcopy(case) | {"permit_no": "DH-20261210-02", "lon": 117.7600}
        pk = driver.create(body_of(far, points)).json()["id"]
        assert driver.post(f"{URL}{pk}/submit/").status_code == 200

    def test_hot_work_inside_confined_space_needs_the_linked_permit(self, driver, points):
        cs = CASES["P07"]
        driver.file_and_approve(body_of(cs, points), at=cs["submitted_at"])
        case = hot_work_case(permit_no="DH-20261208-05", planned_start="2026-12-08T09:00:00+08:00",
                             planned_end="2026-12-08T12:00:00+08:00", guardian={"name": "杨振华", "cert_no": "JH-2026-013"},
                             facts={"confined_space_name": "污水调节池"})
        pk = driver.create(body_of(case, points)).json()["id"]
        r = driver.post(f"{URL}{pk}/submit/")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "hot_work_confined_space_unlinked"
        assert cs["permit_no"] in r.json()["errors"][0]["detail"]
        linked = copy.deepcopy(case) | {"permit_no": "DH-20261208-06", "related_permits": [cs["permit_no"]]}
        pk = driver.create(body_of(linked, points)).json()["id"]
        assert driver.post(f"{URL}{pk}/submit/").status_code == 200

    def test_conflict_is_checked_again_on_start(self, driver, points):
        driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
        other = hot_work_case(permit_no="DH-20261201-02", guardian={"name": "马超", "cert_no": "JH-2026-015"})
        b = driver.file_and_approve(body_of(other, points), at="2026-11-30T10:00:00+08:00")["id"]
        # The guardian of B is changed behind the API's back (e.g. a data fix): start must still refuse.
        WorkPermit.objects.filter(pk=b).update(guardian_cert_no="JH-2026-011", guardian_name="高文斌")
        with time_machine.travel(T("2026-12-01T08:30:00+08:00"), tick=False):
            driver.sign_phase(b, "pre_start")
            driver.post(f"{URL}{b}/gas-tests/", CASES["P01"]["gas_tests"][0] | {"sampled_at": "2026-12-01T08:20:00+08:00"})
            r = driver.post(f"{URL}{b}/start/")
        assert r.status_code == 409 and r.json()["errors"][0]["code"] == "guardian_overlap"
        assert "DH-20261201-01" in r.json()["errors"][0]["detail"]

    def test_touching_windows_do_not_conflict(self, driver, points):
        driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
        after = hot_work_case(permit_no="DH-20261201-02", planned_start="2026-12-01T16:30:00+08:00",
                              planned_end="2026-12-01T20:00:00+08:00")
        pk = driver.create(body_of(after, points)).json()["id"]
        assert driver.post(f"{URL}{pk}/submit/").status_code == 200
