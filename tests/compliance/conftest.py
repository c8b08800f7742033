"""Fixtures of the hazard, investigation and ledger tests."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from compliance.models import ControlMeasure, RiskEvent
from compliance.services import hazards as svc
from tests.factories import RiskPointFactory

LEDGER_PATH = settings.SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx"


@pytest.fixture
def point(orgs):
    return RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区")


@pytest.fixture
def measure(orgs, point):
    event = RiskEvent.objects.create(enterprise=orgs.owner, risk_point=point, description="储罐泄漏", method="ls",
                                     l=4, s=5, score=20, level="major")
    return ControlMeasure.objects.create(enterprise=orgs.owner, risk_event=event, category="engineering",
                                         text="检查呼吸阀", check_cycle=1, check_cycle_unit="day")


@pytest.fixture
def make_hazard(orgs):
    """``make_hazard(**values)`` → a confirmed hazard filed by the officer (employee responsible)."""

    def make(enterprise=None, actor=None, **values):
        values.setdefault("title", "储罐呼吸阀阻火器锈蚀")
        values.setdefault("found_on", date(2026, 11, 20))
        values.setdefault("deadline", date(2026, 12, 1))
        values.setdefault("responsible_person", orgs.employee if enterprise is None else None)
        return svc.hazard_file(actor=actor or orgs.officer, enterprise=enterprise or orgs.owner, **values)

    return make


FIVE = {"measures": "更换隔爆型电机", "funds_yuan": 6800, "contingency_plan": "临时通风并加密检测"}


@pytest.fixture
def clock(time_machine):
    """Pin 'now' to 2026-11-25 10:00 Asia/Shanghai (ticking)."""
    time_machine.move_to("2026-11-25T10:00:00+08:00")
    return time_machine
