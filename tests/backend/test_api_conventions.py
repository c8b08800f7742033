"""API conventions: OpenAPI schema and docs are served; in-app notifications are private."""

from __future__ import annotations

import pytest

from backend.notifications.services import notification_enqueue

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served(api, orgs):
    r = api().get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/v1/risk-points/" in r.content
    assert api().get("/api/docs/").status_code == 200


def test_notifications_are_visible_to_their_recipients_only(api, orgs):
    n, created = notification_enqueue(key="t:1", kind="test", title="整改即将到期", enterprise=orgs.owner)
    again, created_again = notification_enqueue(key="t:1", kind="test", title="整改即将到期", enterprise=orgs.owner)
    assert created and not created_again and again.pk == n.pk
    mine = api(orgs.officer).get("/api/v1/notifications/").json()
    assert [x["id"] for x in mine["results"]] == [n.pk]
    assert api(orgs.outsider_officer).get(f"/api/v1/notifications/{n.pk}/").status_code == 404
    assert api(orgs.outsider_officer).post(f"/api/v1/notifications/{n.pk}/read/").status_code == 404
    assert api(orgs.inspector).get(f"/api/v1/notifications/{n.pk}/").status_code == 404
    r = api(orgs.officer).post(f"/api/v1/notifications/{n.pk}/read/")
    assert r.status_code == 200 and r.json()["read_at"]
    assert api(orgs.officer).get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_regulator_notifications_reach_its_members(api, orgs):
    n, _ = notification_enqueue(key="t:2", kind="major_hazard", title="重大隐患报告", regulator=orgs.gaoqing)
    assert api(orgs.inspector).get(f"/api/v1/notifications/{n.pk}/").status_code == 200
    assert api(orgs.other_inspector).get(f"/api/v1/notifications/{n.pk}/").status_code == 404
    assert api(orgs.officer).get(f"/api/v1/notifications/{n.pk}/").status_code == 404
