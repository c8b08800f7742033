"""Break-it on the import endpoints' explicit column ``mapping``: a mapping file that is not UTF-8 (a
Chinese user's GBK-saved .json) or JSON nested beyond the parser's depth is a coded 400 naming
``mapping`` — never a 500 — and nothing is imported."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Hazard, RiskEvent
from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

pytestmark = pytest.mark.django_db

GBK = json.dumps({"sheet": "作业活动", "columns": {"L": "可能性"}}, ensure_ascii=False).encode("gbk")
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("url", "sample"), [("/api/v1/risk-register/import/", REGISTER_XLSX),
                                              ("/api/v1/hazards/import/", LEDGER_XLSX)])
@pytest.mark.parametrize("mapping", [SimpleUploadedFile("m.json", GBK, content_type="application/json"),
                                     SimpleUploadedFile("m.json", DEEP.encode(), content_type="application/json"),
                                     DEEP], ids=["gbk-file", "deep-file", "deep-text"])
def test_malformed_mapping_is_a_coded_400(api, orgs, url, sample, mapping):
    if hasattr(mapping, "seek"):
        mapping.seek(0)
    f = SimpleUploadedFile("book.xlsx", sample.read_bytes())
    r = api(orgs.officer).post(url, {"file": f, "mapping": mapping}, format="multipart")
    assert r.status_code == 400, r.content[:300]
    err = r.json()["errors"][0]
    assert err["attr"] == "mapping" and err["code"] == "invalid_choice"
    assert RiskEvent.objects.filter(enterprise=orgs.owner).count() == 0
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 0
