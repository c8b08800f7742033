"""List pages rendered by the field plan are byte-for-byte what DRF's own serializer renders (issue 18).

The hazard, permit and investigation-task list serializers use
:class:`backend.core.api.listing.PlannedListSerializer`. On the seeded set of ``test_list_pages``
(plus investigation tasks with and without records), every page of every list — for every filter
the list tests use, tenant and regulator — is fetched twice: once as served, once with the
serializers' ``list_serializer_class`` put back to DRF's ``ListSerializer``. The two response bodies
must be identical bytes (same keys in the same order, same datetimes in Asia/Shanghai, same labels,
``allowed_actions`` and ``sign_step`` for the caller), and the detail endpoints are unchanged.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random

import pytest
from rest_framework import serializers

from backend.core.api.listing import PlannedListSerializer
from compliance.api.serializers.hazards import HazardOut
from compliance.api.serializers.investigation import InvestigationTaskOut
from compliance.models import InvestigationRecord
from special_ops.api.serializers import PermitListOut
from tests.factories.compliance import ControlMeasureFactory, InvestigationTaskFactory
from tests.test_list_pages import AUDIT_FILTERS, HAZARD_FILTERS, PAGE, PERMIT_FILTERS, SHANGHAI, seeded  # noqa: F401

PLANNED = (HazardOut, PermitListOut, InvestigationTaskOut)


@pytest.fixture
def with_tasks(seeded):  # noqa: F811 (the fixture imported above)
    rng = random.Random(7)
    for i in range(30):
        task = InvestigationTaskFactory(
            measure=ControlMeasureFactory(risk_event__risk_point__enterprise=seeded.owner),
            due_start=dt.datetime(2026, 11, 20, tzinfo=SHANGHAI) + dt.timedelta(hours=rng.randint(0, 240)),
            state=rng.choice(("pending", "pending", "done", "missed")))
        if task.state == "done":
            InvestigationRecord.objects.create(task=task, result=rng.choice(("normal", "not_checked")), note=f"记录{i}",
                                               recorded_by=seeded.officer, recorded_at=task.due_start)
    return seeded


def _pages(client, url: str, params: dict) -> list[bytes]:
    bodies = []
    for page in itertools.count(1):
        r = client.get(url, {**params, "page": page, "page_size": PAGE})
        assert r.status_code == 200, (url, params, page, r.content[:300])
        bodies.append(r.content)
        if not r.json()["next"]:
            return bodies


def _compare(client, url: str, params: dict, monkeypatch) -> int:
    """The pages with the plan, then with DRF's ListSerializer: identical bytes. Returns the row count."""
    planned = _pages(client, url, params)
    with monkeypatch.context() as m:
        for serializer in PLANNED:
            m.setattr(serializer.Meta, "list_serializer_class", serializers.ListSerializer, raising=False)
        assert all(s(many=True).__class__ is serializers.ListSerializer for s in PLANNED)
        drf = _pages(client, url, params)
    assert planned == drf, (url, params)
    return sum(len(json.loads(b)["results"]) for b in planned)


def test_the_list_serializers_use_the_plan():
    assert all(type(s(many=True)) is PlannedListSerializer for s in PLANNED)


@pytest.mark.parametrize("filters", HAZARD_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_hazard_list_bytes_equal_drf(seeded, api, monkeypatch, filters):  # noqa: F811
    for who in (seeded.officer, seeded.employee):
        _compare(api(who), "/api/v1/hazards/", {**filters, "ordering": "-updated_at"}, monkeypatch)


@pytest.mark.parametrize("filters", AUDIT_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_audit_hazard_list_bytes_equal_drf(seeded, api, monkeypatch, filters):  # noqa: F811
    _compare(api(seeded.inspector), "/api/v1/audit/hazards/", filters, monkeypatch)


@pytest.mark.parametrize("filters", PERMIT_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_permit_list_bytes_equal_drf(seeded, api, monkeypatch, filters):  # noqa: F811
    for who in (seeded.officer, seeded.employee):
        _compare(api(who), "/api/v1/permits/", filters, monkeypatch)


@pytest.mark.parametrize("filters", [{}, {"state": "pending"}, {"state": "done"}, {"overdue": "true"},
                                     {"overdue": "false"}, {"due_on": "2026-11-25"}],
                         ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_task_list_bytes_equal_drf(with_tasks, api, monkeypatch, filters):
    rows = _compare(api(with_tasks.officer), "/api/v1/investigation-tasks/", filters, monkeypatch)
    if not filters:
        assert rows == 30


def test_rows_cover_nulls_and_values(seeded, api):  # noqa: F811
    """The seeded pages hold both null and set foreign keys, deadlines and persons (the plan's two paths)."""
    rows = api(seeded.officer).get("/api/v1/hazards/", {"page_size": 200}).json()["results"]
    for key in ("risk_point", "responsible_person", "acceptor", "deadline", "deadline_at"):
        values = [row[key] for row in rows]
        assert None in values and any(v is not None for v in values), key
    assert any(row["allowed_actions"] for row in rows)
