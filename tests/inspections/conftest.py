"""Fixtures of the regulator-side tests: more enterprises in 高青县 (the throttle cache is
cleared for every test by the root conftest)."""

from __future__ import annotations

import pytest

from tests.factories import EnterpriseFactory


@pytest.fixture
def gaoqing_enterprises(orgs):
    """Three more approved enterprises in 高青县 towns (plus the owner)."""
    return [
        EnterpriseFactory(name="高青一号化工", division_code="370322101", industry="化工"),
        EnterpriseFactory(name="高青二号储运", division_code="370322104", industry="危险化学品经营(带储存)"),
        EnterpriseFactory(name="高青三号材料", division_code="370322102", industry="化工"),
    ]
