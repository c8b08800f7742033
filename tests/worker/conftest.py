"""Fixtures of the worker tests: hazards made directly (minimal fields) with a chosen deadline."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from compliance.models import Hazard
from compliance.rules.hazards import deadline_end

_seq = itertools.count(1)


def make_hazard(enterprise, *, deadline: date | None, state: str = "rectifying", grade: str = "general",
                responsible=None, title: str = "储罐区呼吸阀堵塞") -> Hazard:
    n = next(_seq)
    return Hazard.objects.create(
        enterprise=enterprise, number=f"YH-2026-{n:05d}", title=title, found_on=date(2026, 11, 1), state=state,
        grade=grade, deadline=deadline, deadline_at=deadline_end(deadline) if deadline else None,
        responsible_person=responsible, responsible_name=str(responsible or ""),
    )


@pytest.fixture
def hazard_factory():
    return make_hazard
