"""``allowed_actions`` on hazards and permits: what the caller may do now, from the state machine and
the role table (compliance.rules.hazard_states.allowed_actions, special_ops.rules.allowed), with
no extra query per row. A listed transition succeeds for that caller; an unlisted one is refused."""

from __future__ import annotations

import pytest

from compliance.models import Hazard
from compliance.rules.hazard_states import allowed_actions
from tests.factories import member
from tests.helpers.hazards import FIVE
from tests.helpers.permits import URL as PERMITS
from tests.helpers.permits import body_of, hot_work_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/hazards/"
TRANSITION_PATHS = {"confirm": ("confirm", {"deadline": "2026-12-01"}), "reject": ("reject", {"reason": "不是隐患"}),
                    "start_rectification": ("start-rectification", {}),
                    "submit_for_acceptance": ("submit-for-acceptance", {}), "accept": ("accept", {}),
                    "fail_acceptance": ("fail-acceptance", {"reason": "未整改到位"}), "close": ("close", {})}


def test_rule_by_state_and_role():
    assert allowed_actions("reported", "general", "safety_officer") == ["confirm", "reject", "tick_checklist",
                                                                        "photos"]
    assert allowed_actions("reported", "general", "employee") == ["photos"]
    assert allowed_actions("confirmed", "general", "employee") == ["photos"]  # not the responsible person
    assert allowed_actions("confirmed", "general", "employee", responsible=True) == [
        "start_rectification", "request_extension", "photos"]
    assert allowed_actions("pending_acceptance", "major", "safety_officer") == ["fail_acceptance", "photos"]
    assert allowed_actions("pending_acceptance", "major", "principal") == ["accept", "fail_acceptance", "photos"]
    assert allowed_actions("pending_acceptance", "general", "safety_officer", rectifier=True) == ["photos"]
    assert allowed_actions("closed", "general", "admin") == []
    assert allowed_actions("reported", "general", "inspector") == []


def _in_state(file_hazard, orgs, state, **kw):
    h = file_hazard(**kw)
    Hazard.objects.filter(pk=h.pk).update(state=state, rectified_by=orgs.colleague if state == "pending_acceptance"
                                          else None)
    return h


@pytest.mark.parametrize("state", ["reported", "confirmed", "rectifying", "pending_acceptance", "accepted"])
@pytest.mark.parametrize("who", ["officer", "colleague", "principal", "employee", "other_employee"])
def test_listed_transitions_succeed_and_unlisted_are_refused(api, orgs, file_hazard, state, who):
    """For every persona and state: the transitions ``allowed_actions`` lists are exactly those the API accepts."""
    orgs.other_employee = member(orgs.owner, "employee", full_name="赵六")
    user = getattr(orgs, who)
    listed = api(user).get(f"{URL}{_in_state(file_hazard, orgs, state).pk}/").json()["allowed_actions"]
    for action, (path, body) in TRANSITION_PATHS.items():
        h = _in_state(file_hazard, orgs, state)
        r = api(user).post(f"{URL}{h.pk}/{path}/", body, format="json")
        assert (r.status_code == 200) == (action in listed), (who, state, action, listed, r.status_code, r.content)


def test_major_hazard_is_accepted_by_the_principal_only(api, orgs, file_hazard):
    h = _in_state(file_hazard, orgs, "pending_acceptance", grade="major", **FIVE)
    assert "accept" not in api(orgs.officer).get(f"{URL}{h.pk}/").json()["allowed_actions"]
    assert "accept" in api(orgs.principal).get(f"{URL}{h.pk}/").json()["allowed_actions"]


def test_regulators_and_other_enterprises_get_no_actions(api, orgs, file_hazard):
    h = file_hazard()
    r = api(orgs.inspector).get(f"/api/v1/audit/hazards/{h.pk}/")
    assert r.status_code == 200 and r.json()["allowed_actions"] == []
    assert api(orgs.outsider_officer).get(f"{URL}{h.pk}/").status_code == 404


def test_transition_response_carries_the_next_actions(api, orgs, file_hazard):
    h = file_hazard()
    r = api(orgs.employee).post(f"{URL}{h.pk}/start-rectification/", {}, format="json")
    assert r.status_code == 200 and r.json()["allowed_actions"] == ["submit_for_acceptance", "request_extension",
                                                                   "photos"]


def test_hazard_list_queries_stay_flat_with_actions(api, orgs, file_hazard, point, django_assert_max_num_queries):
    client = api(orgs.employee)
    for _ in range(2):
        file_hazard(risk_point=point)
    with django_assert_max_num_queries(8) as small:
        rows = client.get(URL).json()["results"]
    assert all(r["allowed_actions"] == ["start_rectification", "request_extension", "photos"] for r in rows)
    for _ in range(10):
        file_hazard(risk_point=point, responsible_person=orgs.colleague)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 12


# --- permits --------------------------------------------------------------------------------------
def _submitted(driver, points, i=0):
    body = body_of(hot_work_case(), points)
    body.pop("permit_no")
    if i:  # another job: its own guardian and place, a day later (no conflict with the first)
        body["guardian"] = {"name": f"监护人{i}", "cert_no": f"JH-{i:04d}"}
        body.pop("lon", None), body.pop("lat", None)
        body["location"] = f"{body['location']}{i}"
    r = driver.create(body)
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert driver.post(f"{PERMITS}{pk}/submit/").status_code == 200
    return pk


def test_permit_sign_step_follows_the_chain(api, orgs, driver, points):
    pk = _submitted(driver, points)
    chain = driver.get(pk)["chain"]
    people = {"officer": orgs.officer, "principal": orgs.principal, "employee": orgs.employee,
              "unit_lead": driver.unit_lead}
    for step in [s for s in chain if s["phase"] == "approval"]:
        if step["step"] == "approver":
            driver.prepare(pk)
        signer = driver.signer(step)
        for name, user in people.items():
            body = api(user).get(f"{PERMITS}{pk}/").json()
            if user == signer:
                assert body["sign_step"] == step["step"] and "approve" in body["allowed_actions"], (name, step)
            elif user.membership.role != step["role"]:
                assert body["sign_step"] is None and "approve" not in body["allowed_actions"], (name, step)
        r = driver.post(f"{PERMITS}{pk}/approve/", {"step": step["step"], "opinion": "同意"}, signer)
        assert r.status_code == 200, r.json()
    assert driver.get(pk)["state"] == "approved"


def test_work_leader_never_signs_later_steps(api, orgs, driver, points):
    pk = _submitted(driver, points)
    driver.post(f"{PERMITS}{pk}/approve/", {"step": "work_leader", "opinion": "同意"}, orgs.employee)
    body = api(orgs.employee).get(f"{PERMITS}{pk}/").json()
    assert body["sign_step"] is None and "approve" not in body["allowed_actions"]
    step = driver.get(pk)["current_step"]
    r = api(orgs.employee).post(f"{PERMITS}{pk}/approve/", {"step": step}, format="json")
    assert r.status_code == 403


def test_permit_actions_for_the_regulator_are_empty(api, orgs, driver, points):
    pk = _submitted(driver, points)
    body = api(orgs.inspector).get(f"{PERMITS}{pk}/").json()
    assert body["allowed_actions"] == [] and body["sign_step"] is None
    draft = api(orgs.officer).get(f"{PERMITS}{pk}/").json()
    assert "reject" in draft["allowed_actions"] and "submit" not in draft["allowed_actions"]


def test_permit_list_queries_stay_flat(api, orgs, driver, points, django_assert_max_num_queries):
    for i in range(2):
        _submitted(driver, points, i + 1)
    client = api(orgs.employee)
    with django_assert_max_num_queries(12) as small:
        rows = client.get(PERMITS).json()["results"]
    assert all(r["sign_step"] == "work_leader" for r in rows), rows
    n = len(small.captured_queries)  # read now: the connection's query log is a bounded deque
    for i in range(6):
        _submitted(driver, points, i + 3)
    with django_assert_max_num_queries(n):
        assert len(client.get(PERMITS).json()["results"]) == 8
