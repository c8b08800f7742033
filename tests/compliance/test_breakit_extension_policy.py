"""BREAKIT D24 (policy): who at the regulator may decide a hazard's deadline extension.

Policy (DOMAIN.md §3, deadline extensions [config]): a general hazard's extension is the enterprise's
own decision — a manager other than the requester, once — and no regulator member decides it; a
major hazard's extension needs the regulator, and any member (inspector or admin) of a regulator
covering the enterprise may give that approval. Enforced in compliance.services.extensions.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def _request(api, orgs, h):
    r = api(orgs.employee).post(f"/api/v1/hazards/{h.pk}/request-extension/",
                                {"new_deadline": "2026-12-10", "reason": "备件未到"}, format="json")
    assert r.status_code == 201, r.json()
    return f"/api/v1/hazard-extensions/{r.json()['id']}/decide/"


def test_no_regulator_member_decides_a_general_hazards_extension(api, orgs, file_hazard):
    url = _request(api, orgs, file_hazard(responsible_person=orgs.employee))
    for regulator_member in (orgs.inspector, orgs.reg_admin):
        r = api(regulator_member).post(url, {"approve": True}, format="json")
        assert r.status_code == 403
        assert r.json()["errors"][0]["code"] == "extension_decided_by_enterprise"
    assert api(orgs.other_inspector).post(url, {"approve": True}, format="json").status_code == 404
    r = api(orgs.officer).post(url, {"approve": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_a_covering_inspector_decides_a_major_hazards_extension(api, orgs, file_hazard):
    url = _request(api, orgs, file_hazard(grade="major", responsible_person=orgs.employee))
    r = api(orgs.inspector).post(url, {"approve": False, "comment": "不同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
