"""BREAKIT D13: parallel ledger imports into one enterprise never answer 500.

Six ``POST /api/v1/hazards/import/`` of the sample ledger into an empty enterprise at once used to
give 1 × 200 and 5 × 500 on PostgreSQL (``IntegrityError`` on the hazard numbers). The import now
locks the enterprise row before it reads the existing ledger, so the imports serialize: the first
creates the 70 hazards, each later one finds them and reports every row ``unchanged``.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.audit.models import Event
from compliance.models import Hazard
from tests.helpers.concurrency import run_concurrently
from tests.helpers.samples import LEDGER_XLSX

URL = "/api/v1/hazards/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.django_db(transaction=True)
def test_parallel_imports_serialize_one_creates_the_rest_are_unchanged(api, orgs):
    body = LEDGER_XLSX.read_bytes()

    def go():
        upload = SimpleUploadedFile("ledger.xlsx", body, content_type=XLSX)
        r = api(orgs.officer).post(URL, {"file": upload}, format="multipart")
        counts = r.json()["counts"] if r.status_code == 200 else r.json()
        return r.status_code, counts

    results, errors = run_concurrently(go, 4)
    assert errors == []
    assert sorted(status for status, _ in results) == [200, 200, 200, 200]
    outcomes = sorted((c["created"], c["unchanged"], c["rejected"]) for _, c in results)
    assert outcomes == [(0, 70, 0), (0, 70, 0), (0, 70, 0), (70, 0, 0)]
    hazards = Hazard.objects.filter(enterprise=orgs.owner)
    assert hazards.count() == 70
    assert len(set(hazards.values_list("number", flat=True))) == 70
    assert Event.objects.filter(action="hazard.import", enterprise=orgs.owner).count() == 70
