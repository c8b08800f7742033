"""特殊作业监管 live board: ``GET /api/v1/audit/permits/live/`` (issue 16 §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.factories.special_ops import GasTestFactory, WorkPermitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit/permits/live/"
H = dt.timedelta(hours=1)


@pytest.fixture
def board(orgs):
    o = orgs
    now = timezone.now()
    Enterprise.objects.filter(pk=o.owner.pk).update(lon=Decimal("117.754300"), lat=Decimal("37.074900"))
    o.running = WorkPermitFactory(enterprise=o.owner, state="in_progress", planned_start=now - 2 * H,
                                  planned_end=now + 2 * H, started_at=now - 2 * H, work_unit="鲁安检修公司",
                                  work_unit_kind="contractor", location="罐区 T-101")
    GasTestFactory(permit=o.running, sampled_at=now - dt.timedelta(minutes=130))
    GasTestFactory(permit=o.running, sampled_at=now - dt.timedelta(minutes=25), passed=True)  # the latest
    o.soon = WorkPermitFactory(enterprise=o.owner, type="confined_space", level="", state="approved",
                               planned_start=now + 20 * H, planned_end=now + 23 * H,
                               lon=Decimal("117.755"), lat=Decimal("37.0751"), detail=None)
    WorkPermitFactory(enterprise=o.owner, state="approved", planned_start=now + 30 * H, planned_end=now + 32 * H)
    WorkPermitFactory(enterprise=o.owner, state="submitted", planned_start=now - H, planned_end=now + H)
    WorkPermitFactory(enterprise=o.owner, state="in_progress", planned_start=now - 5 * H, planned_end=now - H)
    o.far = EnterpriseFactory(division_code="370322106")  # no coordinates
    o.far_permit = WorkPermitFactory(enterprise=o.far, state="approved", planned_start=now - H, planned_end=now + H)
    WorkPermitFactory(enterprise=o.outsider, state="in_progress", planned_start=now - H, planned_end=now + H)
    return o


def test_live_board_rows(api, board):
    r = api(board.inspector).get(URL)
    assert r.status_code == 200, r.content
    rows = r.json()
    assert [row["id"] for row in rows] == [board.running.pk, board.far_permit.pk, board.soon.pk]  # by planned start
    run = rows[0]
    assert (run["type"], run["type_display"], run["level"], run["level_display"]) == ("hot_work", "动火作业", "second", "二级")
    assert (run["enterprise"], run["enterprise_name"], run["location"]) == (board.owner.pk, board.owner.name, "罐区 T-101")
    assert run["contractor"] == "鲁安检修公司" and run["live_now"] is True
    assert run["gas_test_age_min"] in (25, 26) and run["gas_passed"] is True
    assert (run["coordinates"], run["coordinates_source"]) == ([117.7543, 37.0749], "enterprise")
    soon = rows[2]
    assert soon["live_now"] is False and soon["contractor"] is None and soon["gas_test_age_min"] is None
    assert (soon["coordinates"], soon["coordinates_source"]) == ([117.755, 37.0751], "permit")
    assert (rows[1]["coordinates"], rows[1]["coordinates_source"]) == (None, None)


def test_live_board_filters_scope_and_refusals(api, board):
    client = api(board.inspector)
    assert [p["id"] for p in client.get(URL, {"type": "confined_space"}).json()] == [board.soon.pk]
    assert [p["id"] for p in client.get(URL, {"contractor": "true"}).json()] == [board.running.pk]
    assert [p["id"] for p in client.get(URL, {"town": "370322106"}).json()] == [board.far_permit.pk]
    # another county's inspector sees only its own county's permit
    other = api(board.other_inspector).get(URL).json()
    assert [p["enterprise"] for p in other] == [board.outsider.pk]
    r = api(board.officer).get(URL)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "regulator_only"
    r = client.get(URL, {"type": "dancing"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "type"


def test_live_board_query_count_is_constant(api, board):
    client = api(board.inspector)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    small = measure()
    now = timezone.now()
    for i in range(15):
        ent = EnterpriseFactory(division_code="370322104", lon=Decimal("117.9"), lat=Decimal("37.1"))
        p = WorkPermitFactory(enterprise=ent, state="in_progress", planned_start=now - H, planned_end=now + H + i * H)
        GasTestFactory(permit=p, sampled_at=now - dt.timedelta(minutes=10))
    assert len(client.get(URL).json()) == 18
    assert measure() == small
