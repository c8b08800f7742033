"""API conventions: OpenAPI schema and docs are served; in-app notifications are private."""

from __future__ import annotations

import pytest

from backend.notifications.services import notification_enqueue

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served(api, orgs):
    r = api().get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/v1/risk-points/" in r.content
    docs = api().get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content  # self-hosted Swagger UI: works on an intranet
    assert b"/static/drf_spectacular_sidecar/" in docs.content


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


def test_members_lists_the_callers_own_organization(api, orgs):
    ids = {m["id"] for m in api(orgs.officer).get("/api/v1/members/?page_size=100").json()["results"]}
    assert orgs.employee.pk in ids and orgs.outsider_officer.pk not in ids and orgs.inspector.pk not in ids
    r = api(orgs.officer).get("/api/v1/members/?role=employee").json()
    assert [m["full_name"] for m in r["results"]] == ["张工"]
    assert api(orgs.outsider_officer).get(f"/api/v1/members/{orgs.employee.pk}/").status_code == 404
    regs = {m["id"] for m in api(orgs.inspector).get("/api/v1/members/").json()["results"]}
    assert regs == {orgs.inspector.pk, orgs.inspector2.pk, orgs.reg_admin.pk}
    assert api().get("/api/v1/members/").status_code == 401


def test_tests_never_share_the_demo_var_folder(settings):
    import os

    if not os.environ.get("SHUANGFANG_VAR_DIR"):
        assert settings.VAR_DIR.name == "test"


def test_hand_built_json_speaks_asia_shanghai_too():
    import datetime

    from backend.core.api.renderers import JSONRenderer

    body = JSONRenderer().render({"at": datetime.datetime(2026, 11, 29, 1, 0, tzinfo=datetime.UTC)}).decode()
    assert body == '{"at":"2026-11-29T09:00:00+08:00"}'



def test_organization_admin_adds_members(api, orgs):
    body = {"username": "welder01", "password": "a-long-password", "full_name": "宋立平", "role": "employee",
            "department": "检修班"}
    assert api(orgs.officer).post("/api/v1/members/", body, format="json").status_code == 403
    r = api(orgs.admin).post("/api/v1/members/", body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["full_name"] == "宋立平"
    assert api(orgs.admin).post("/api/v1/members/", body, format="json").json()["errors"][0]["code"] == "duplicate"
    r = api(orgs.admin).post("/api/v1/members/", body | {"username": "xx1", "role": "inspector"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "role"
    r = api(orgs.reg_admin).post("/api/v1/members/", body | {"username": "insp9", "role": "inspector"}, format="json")
    assert r.status_code == 201
    ids = {m["id"] for m in api(orgs.inspector).get("/api/v1/members/").json()["results"]}
    assert r.json()["id"] in ids
    assert r.json()["id"] not in {m["id"] for m in api(orgs.officer).get("/api/v1/members/").json()["results"]}


def test_the_schema_is_rendered_once_per_process_and_format(api):
    """``/api/schema/`` keeps its rendering (it changes only with the code): the second request of a
    format answers the same bytes without generating again; JSON and YAML are kept apart."""
    from unittest import mock

    from drf_spectacular.generators import SchemaGenerator

    first = api().get("/api/schema/?format=json")
    assert first.status_code == 200 and first["Content-Type"].startswith("application/vnd.oai.openapi+json")
    with mock.patch.object(SchemaGenerator, "get_schema", side_effect=AssertionError("generated again")):
        again = api().get("/api/schema/?format=json")
    assert again.status_code == 200 and again.content == first.content
    yaml = api().get("/api/schema/")
    assert yaml.status_code == 200 and yaml.content.startswith(b"openapi:")
