"""List endpoints keep a constant number of queries as rows grow (no N+1)."""

from __future__ import annotations

import pytest

from backend.accounts.models import Role
from backend.notifications.services import notification_enqueue
from compliance.models import ControlMeasure, RiskEvent
from tests.factories import EnterpriseFactory, RiskPointFactory, member

pytestmark = pytest.mark.django_db


def _grow(orgs, n: int, start: int) -> None:
    for i in range(start, start + n):
        point = RiskPointFactory(enterprise=orgs.owner)
        event = RiskEvent.objects.create(enterprise=orgs.owner, risk_point=point, description=f"事件{i}", method="ls",
                                         l=2, s=2, score=4, level="low")
        ControlMeasure.objects.create(enterprise=orgs.owner, risk_event=event, category="management", text=f"措施{i}")
        notification_enqueue(key=f"q:{i}", kind="test", title=f"通知{i}", enterprise=orgs.owner)
        member(orgs.owner, Role.EMPLOYEE)
        EnterpriseFactory(division_code="370322101")


@pytest.mark.parametrize(("user", "url"), [
    ("officer", "/api/v1/risk-events/"),
    ("officer", "/api/v1/control-measures/"),
    ("officer", "/api/v1/notifications/"),
    ("officer", "/api/v1/members/"),
    ("inspector", "/api/v1/enterprises/"),
])
def test_list_queries_do_not_grow(api, orgs, django_assert_max_num_queries, user, url):
    client = api(getattr(orgs, user))
    _grow(orgs, 2, 0)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _grow(orgs, 10, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
