"""Fixtures for the permit API tests: the sample enterprise's risk points and the permit driver
(helpers in ``tests/helpers/permits.py``)."""

from __future__ import annotations

import pytest

from tests.factories import RiskPointFactory
from tests.helpers.permits import SAMPLE_POINTS, Driver


@pytest.fixture
def points(orgs):
    """code → RiskPoint of the owner enterprise (levels as in the sample register)."""
    return {code: RiskPointFactory(enterprise=orgs.owner, code=code, name=name, level=level)
            for code, (name, level) in SAMPLE_POINTS.items()}


@pytest.fixture
def driver(api, orgs):
    return Driver(api, orgs)
