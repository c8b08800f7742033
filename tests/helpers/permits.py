"""Permit-test helpers: the sample cases, POST-body builders and a driver that files, approves
and starts permits through the API (``/api/v1/permits/``) as the ``orgs`` users."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import time_machine

from backend.accounts.models import Role
from tests.factories import member
from tests.helpers.samples import PERMITS_JSON

URL = "/api/v1/permits/"

#: Risk points of 高青澄源化工有限公司 referenced by permits_sample.json, with the colours of
#: samples/README.md §2 (highest computed level of their rows).
SAMPLE_POINTS = {
    "SB-01": ("储罐区", "major"), "SB-02": ("酯化反应釜", "high"), "SB-03": ("精馏塔", "low"),
    "SB-04": ("配电室", "low"), "SB-05": ("导热油炉", "moderate"), "SB-06": ("空压站", "low"),
    "SB-07": ("污水处理站", "moderate"), "SB-08": ("危化品仓库", "high"), "SB-09": ("装卸栈台", "high"),
    "SB-10": ("循环水站", "low"), "SB-11": ("中心控制室", "high"), "SB-12": ("天然气调压撬", "moderate"),
    "SB-13": ("工艺管廊", "low"),
}


def load_sample() -> dict[str, Any]:
    """``samples/permits_sample.json`` parsed."""
    return json.loads(PERMITS_JSON.read_text(encoding="utf-8"))


def hot_work_case(**overrides: Any) -> dict[str, Any]:
    """A valid 二级 hot-work case (sample P01) with ``overrides`` applied (``facts`` merged)."""
    case = copy.deepcopy(next(c for c in load_sample()["cases"] if c["case_id"] == "P01"))
    facts = overrides.pop("facts", {})
    case.update(overrides)
    case["facts"].update(facts)
    return case


def body_of(case: dict[str, Any], points: dict[str, Any] | None) -> dict[str, Any]:
    """POST body for a sample-shaped case (``risk_point`` becomes the point's id)."""
    keys = ("type", "permit_no", "level_declared", "work_content", "location", "lon", "lat", "planned_start",
            "planned_end", "applicant", "work_unit", "work_leader", "guardian", "gas_analyst", "workers",
            "related_permits", "facts")
    body = {k: copy.deepcopy(case[k]) for k in keys if k in case}
    rp = case.get("risk_point")
    if rp and points is not None:
        body["risk_point"] = points[rp["code"]].pk
    body["guardian"] = {k: v for k, v in body["guardian"].items() if k in ("name", "cert_no", "user")}
    body["work_leader"] = {k: v for k, v in body["work_leader"].items() if k in ("name", "phone", "user")}
    return body


def gas_body(test: dict[str, Any]) -> dict[str, Any]:
    return {"sampled_at": test["sampled_at"], "sample_point": test["sample_point"], "analyst": test["analyst"],
            "o2_pct_vol": test["o2_pct_vol"], "flammable": test["flammable"],
            "toxic": [{k: v for k, v in t.items() if k in ("gas", "formula", "reading_ppm", "oel_ppm_approx")} for t in test["toxic"]]}


class Driver:
    """Drives permits through the API as the owner enterprise's users."""

    def __init__(self, api, orgs) -> None:
        self.api, self.orgs = api, orgs
        self.signers = {Role.EMPLOYEE: orgs.employee, Role.SAFETY_OFFICER: orgs.officer, Role.PRINCIPAL: orgs.principal}
        # Whoever signs as work leader may not sign another step: the other employee-role steps
        # (owning unit, approver, shift leader, acceptance) are signed by a second employee.
        self.unit_lead = member(orgs.owner, Role.EMPLOYEE, full_name="李卫东")

    def signer(self, step: dict[str, Any]):
        if step["role"] == Role.EMPLOYEE and step["step"] != "work_leader":
            return self.unit_lead
        return self.signers[step["role"]]

    def post(self, path: str, data: dict | None = None, user=None):
        return self.api(user or self.orgs.officer).post(path, data or {}, format="json")

    def create(self, body: dict[str, Any], user=None):
        return self.post(URL, body, user)

    def get(self, pk: int, user=None) -> dict[str, Any]:
        return self.api(user or self.orgs.officer).get(f"{URL}{pk}/").json()

    def prepare(self, pk: int) -> None:
        """Confirm every measure and sign the briefing (workers + guardian)."""
        p = self.get(pk)
        assert self.post(f"{URL}{pk}/confirm-measures/", {"measures": [m["code"] for m in p["measures"]]},
                         self.orgs.employee).status_code == 200
        names = [w["name"] for w in p["workers"]] + [p["guardian"]["name"]]
        r = self.post(f"{URL}{pk}/brief/", {"briefed_names": names}, self.orgs.officer)
        assert r.status_code == 200, r.json()

    def sign_phase(self, pk: int, phase: str) -> dict[str, Any]:
        """Sign every step of ``phase`` in order with a user of the step's role."""
        p = self.get(pk)
        for step in [s for s in p["chain"] if s["phase"] == phase and not s["signed"]]:
            r = self.post(f"{URL}{pk}/approve/", {"step": step["step"], "opinion": "同意"}, self.signer(step))
            assert r.status_code == 200, r.json()
            p = r.json()
        return p

    def file_and_approve(self, body: dict[str, Any], at: datetime | str | None = None) -> dict[str, Any]:
        """Create, submit, prepare and approve (at ``at``, default: the real clock)."""
        ctx = time_machine.travel(at, tick=False) if at else None
        if ctx:
            ctx.start()
        try:
            r = self.create(body)
            assert r.status_code == 201, r.json()
            pk = r.json()["id"]
            r = self.post(f"{URL}{pk}/submit/")
            assert r.status_code == 200, r.json()
            self.prepare(pk)
            return self.sign_phase(pk, "approval")
        finally:
            if ctx:
                ctx.stop()
