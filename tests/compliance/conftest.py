"""Fixtures of the hazard, investigation and ledger tests."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.services import hazards as svc
from tests.factories import RiskPointFactory
from tests.factories.compliance import ControlMeasureFactory, RiskEventFactory


@pytest.fixture
def point(orgs):
    return RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区")


@pytest.fixture
def measure(orgs, point):
    event = RiskEventFactory(risk_point=point, description="储罐泄漏", l=4, s=5, score=20, level="major")
    return ControlMeasureFactory(risk_event=event, category="engineering", text="检查呼吸阀")


@pytest.fixture
def file_hazard(orgs):
    """``file_hazard(**values)`` → a hazard filed through the ``hazard_file`` service by the officer
    (employee responsible), with its audit event; for a bare row use ``HazardFactory``."""

    def make(enterprise=None, actor=None, **values):
        values.setdefault("title", "储罐呼吸阀阻火器锈蚀")
        values.setdefault("found_on", date(2026, 11, 20))
        values.setdefault("deadline", date(2026, 12, 1))
        values.setdefault("responsible_person", orgs.employee if enterprise is None else None)
        return svc.hazard_file(actor=actor or orgs.officer, enterprise=enterprise or orgs.owner, **values)

    return make


@pytest.fixture
def clock(time_machine):
    """Pin 'now' to 2026-11-25 10:00 Asia/Shanghai (ticking)."""
    time_machine.move_to("2026-11-25T10:00:00+08:00")
    return time_machine
