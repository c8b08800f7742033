"""The plant-layout image is a file, not a list: the console's cache version ``?v=`` (the URL the API hands
out in ``/risk-map/`` and ``/plant-layout/``) is 200 image/png, while other parameters stay 400
``unknown_filter`` (the 四色风险分布图 page showed no plan while its ``?t=`` was refused)."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db
LAYOUT, MAP = "/api/v1/plant-layout/", "/api/v1/risk-map/"


def _png(w=320, h=200):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def plan(api, orgs):
    r = api(orgs.officer).put(LAYOUT, {"file": SimpleUploadedFile("plan.png", _png(), content_type="image/png")},
                              format="multipart")
    assert r.status_code == 200, r.content
    return r.json()


def test_the_map_hands_out_a_versioned_image_url_that_serves_the_png(api, orgs, plan):
    url = api(orgs.employee).get(MAP).json()["metadata"]["image"]
    parts = urlsplit(url)
    assert parts.path == f"{LAYOUT}image/"
    assert parse_qs(parts.query) == {"v": [plan["sha256"][:16]]}
    assert plan["image"] == url  # the layout's metadata gives the same URL
    r = api(orgs.employee).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(r.streaming_content))).size == (320, 200)


def test_a_regulator_url_carries_the_enterprise_and_the_version(api, orgs, plan):
    url = api(orgs.inspector).get(MAP, {"enterprise": orgs.owner.pk}).json()["metadata"]["image"]
    assert parse_qs(urlsplit(url).query) == {"enterprise": [str(orgs.owner.pk)], "v": [plan["sha256"][:16]]}
    r = api(orgs.inspector).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"


def test_a_replaced_plan_gets_a_new_url(api, orgs, plan):
    before = api(orgs.officer).get(MAP).json()["metadata"]["image"]
    r = api(orgs.officer).put(LAYOUT, {"file": SimpleUploadedFile("b.png", _png(400, 300), content_type="image/png")},
                              format="multipart")
    assert r.status_code == 200
    after = api(orgs.officer).get(MAP).json()["metadata"]["image"]
    assert after != before and after == r.json()["image"]


def test_any_version_value_is_accepted_other_parameters_are_not(api, orgs, plan):
    client = api(orgs.officer)
    assert client.get(f"{LAYOUT}image/", {"v": "1733100000000"}).status_code == 200
    r = client.get(f"{LAYOUT}image/", {"t": "1733100000000"})
    assert r.status_code == 400
    assert [(e["code"], e["attr"]) for e in r.json()["errors"]] == [("unknown_filter", "t")]
    r = client.get(f"{LAYOUT}image/", {"v": "x" * 65})
    assert r.status_code == 400 and [(e["code"], e["attr"]) for e in r.json()["errors"]] == [("invalid", "v")]
    # the map and the layout metadata take no version: still strict
    assert client.get(MAP, {"v": "1"}).status_code == 400
