"""A refused permit rule names the input to blame: the field travels on the rule error itself
(``field=`` / ``default_field``) and the one mapper (``backend.core.errors.from_rule``) puts it in
the API body's ``attr`` — the same fields the old per-service RULE_FIELDS table gave. Plus the role
table the permit view derives from the state machine."""

from __future__ import annotations

import pytest

from special_ops.api.views import PermitViewSet
from special_ops.rules.types import MACHINE, PERMIT_ROLES
from tests.helpers.permits import body_of, hot_work_case


def _no_cert(case):
    case["workers"][0]["cert_no"] = None
    return case


CASES = [
    ("hot_work_level_below_computed", "level_declared",
     lambda: hot_work_case(level_declared="二级", facts={"in_fire_explosion_area": True})),
    ("validity_exceeded", "planned_end",
     lambda: hot_work_case(level_declared="一级", planned_end="2026-12-01T17:00:00+08:00")),
    ("invalid_window", "planned_end", lambda: hot_work_case(planned_end="2026-12-01T08:30:00+08:00")),
    ("certificate_missing", "workers", lambda: _no_cert(hot_work_case())),
    ("level_unknown", "level_declared", lambda: hot_work_case(level_declared="五级")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "attr", "case"), CASES, ids=[c[0] for c in CASES])
def test_refused_rule_names_its_field(driver, points, code, attr, case):
    r = driver.create(body_of(case(), points))
    assert r.status_code == 400, r.json()
    assert (r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]) == (code, attr)


@pytest.mark.django_db
def test_conflicts_are_409_without_a_field(driver, points):
    driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
    pk = driver.create(body_of(hot_work_case(permit_no="DH-20261201-02"), points)).json()["id"]  # same guardian
    r = driver.post(f"/api/v1/permits/{pk}/submit/")
    assert r.status_code == 409
    assert (r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]) == ("guardian_overlap", None)


def test_view_roles_are_the_state_machine_roles():
    roles = PermitViewSet.action_roles
    for action in ("submit", "start", "suspend", "resume", "complete", "cancel"):
        assert roles[action] == MACHINE.roles_for(action) == PERMIT_ROLES
    # Signing actions are open to every member at the view; the service checks the step's role.
    assert {"approve", "reject", "accept"}.isdisjoint(roles) and PermitViewSet.write_roles == PERMIT_ROLES
