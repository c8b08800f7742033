"""吹哨人: anonymous intake, tracking by code, rate limit, jurisdiction-scoped triage."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from backend.audit.models import Event
from compliance.models import Hazard
from inspections.api.public import AnonReportThrottle
from inspections.models import Inspection, WhistleblowerReport
from inspections.services.whistleblower import code_digest
from tests.helpers.concurrency import run_concurrently

URL = "/api/v1/public/reports/"


def _report(api, **extra):
    body = {"enterprise_name": "高青澄源化工有限公司测试", "description": "夜间偷排废液，储罐区无人值守"} | extra
    resp = api().post(URL, body, format="json")
    assert resp.status_code == 201, resp.json()
    return resp.json()["code"]


def test_created_without_auth_and_followed_by_code(orgs, api):
    code = _report(api)
    assert len(code) >= 16
    r = WhistleblowerReport.objects.get()
    assert r.code_hash == code_digest(code) and code not in r.code_hash
    assert r.enterprise == orgs.owner and r.division_code == orgs.owner.division_code
    assert r.contact == ""
    resp = api().get(f"{URL}{code}/")
    assert resp.status_code == 200
    assert resp.json()["status"] == "received"
    assert set(resp.json()) == {"status", "status_display", "created_at", "updated_at"}
    assert api().get(f"{URL}{code[:-1]}x/").status_code == 404
    assert api().get(f"{URL}wrong-code-wrong-code/").status_code == 404


def test_no_identity_stored(orgs, api):
    _report(api, contact="")
    r = WhistleblowerReport.objects.get()
    field_names = {f.name for f in WhistleblowerReport._meta.get_fields()}
    assert not {"ip", "ip_address", "remote_addr", "user", "user_agent"} & field_names
    ev = Event.objects.get(action="whistleblower.receive")
    assert ev.actor_id is None and "127.0.0.1" not in str(ev.payload)
    assert r.contact == ""


def test_contact_stored_only_if_given(orgs, api):
    _report(api, contact="13900000000")
    assert WhistleblowerReport.objects.get().contact == "13900000000"


def test_location_with_division_code(orgs, api):
    code = _report(api, enterprise_name="", location="花沟镇某小作坊", division_code="370322106")
    r = WhistleblowerReport.objects.get(code_hash=code_digest(code))
    assert r.enterprise is None and r.division_code == "370322106"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"description": "x"}, "enterprise_name", "required"),
        ({"description": "x", "enterprise_name": "不存在的厂"}, "division_code", "division_required"),
        ({"description": "x", "location": "某处", "division_code": "999999"}, "division_code", "unknown_division"),
        ({"description": "x", "location": "某处", "division_code": "abc"}, "division_code", "unknown_division"),
    ],
)
def test_bad_input_coded(orgs, api, body, field, code):
    resp = api().post(URL, body, format="json")
    assert resp.status_code == 400
    err = resp.json()["errors"][0]
    assert (err["attr"], err["code"]) == (field, code)


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    buf.seek(0)
    buf.name = "p.png"
    return buf


def test_photo_upload_sniffed(orgs, api, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    resp = api().post(URL, {"enterprise_name": orgs.owner.name, "description": "d", "photos": [_png()]},
                      format="multipart")
    assert resp.status_code == 201, resp.json()
    photo = WhistleblowerReport.objects.get().photos.get()
    assert photo.content_type == "image/png"
    fake = io.BytesIO(b"not an image at all")
    fake.name = "x.png"
    resp = api().post(URL, {"enterprise_name": orgs.owner.name, "description": "d", "photos": [fake]},
                      format="multipart")
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["code"] == "unsupported_file_type"


def test_rate_limited(orgs, api, monkeypatch):
    monkeypatch.setattr(AnonReportThrottle, "THROTTLE_RATES", {"anon_report": "2/hour"})
    client = api()
    body = {"enterprise_name": orgs.owner.name, "description": "d"}
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 429
    assert WhistleblowerReport.objects.count() == 2


def test_triage_scoped_to_jurisdiction(orgs, api):
    code = _report(api)
    r = WhistleblowerReport.objects.get()
    base = "/api/v1/whistleblower-reports/"
    assert [x["id"] for x in api(orgs.inspector).get(base).json()["results"]] == [r.pk]
    assert api(orgs.other_inspector).get(base).json()["results"] == []
    assert api(orgs.other_inspector).get(f"{base}{r.pk}/").status_code == 404
    assert api(orgs.other_inspector).post(f"{base}{r.pk}/accept/", {}).status_code == 404
    assert api(orgs.officer).get(base).status_code == 403
    assert api().get(base).status_code == 401

    resp = api(orgs.inspector).post(f"{base}{r.pk}/accept/", {"note": "受理"})
    assert resp.status_code == 200 and resp.json()["status"] == "accepted"
    assert api().get(f"{URL}{code}/").json()["status"] == "accepted"
    resp = api(orgs.inspector).post(f"{base}{r.pk}/accept/", {})
    assert resp.status_code == 409 and resp.json()["errors"][0]["code"] == "invalid_transition"

    deadline = date.today() + timedelta(days=10)
    resp = api(orgs.inspector).post(f"{base}{r.pk}/create-hazard/", {"title": "储罐区偷排", "deadline": deadline})
    assert resp.status_code == 200, resp.json()
    h = Hazard.objects.get(pk=resp.json()["hazard"])
    assert (h.enterprise, h.source, h.deadline) == (orgs.owner, "whistleblower", deadline)
    assert api().get(f"{URL}{code}/").json()["status"] == "hazard_created"


def test_open_inspection_and_reject(orgs, api):
    _report(api)
    _report(api, description="另一条")
    r1, r2 = WhistleblowerReport.objects.order_by("id")
    base = "/api/v1/whistleblower-reports/"
    api(orgs.reg_admin).post(f"{base}{r1.pk}/accept/", {})
    resp = api(orgs.reg_admin).post(f"{base}{r1.pk}/open-inspection/", {
        "planned_on": date.today(), "inspectors": [orgs.inspector.pk, orgs.inspector2.pk]}, format="json")
    assert resp.status_code == 200, resp.json()
    insp = Inspection.objects.get(pk=resp.json()["inspection"])
    assert insp.enterprise == orgs.owner and insp.state == "planned"
    assert api(orgs.reg_admin).post(f"{base}{r2.pk}/reject/", {}).status_code == 400
    resp = api(orgs.reg_admin).post(f"{base}{r2.pk}/reject/", {"reason": "不属实"})
    assert resp.json()["status"] == "rejected"


def test_photo_metadata_never_reaches_storage(orgs, api, settings, tmp_path):
    """A phone photo's EXIF (GPS position, camera maker) and comment are dropped before storage:
    the reporter stays anonymous (the same pipeline as hazard photos, backend.core.uploads)."""
    settings.MEDIA_ROOT = str(tmp_path)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Inc."
    exif[0x8825] = {1: "N", 2: (36.0, 58.0, 12.5)}  # GPS
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG", exif=exif.tobytes(), comment=b"owner: zhang san")
    buf.seek(0)
    buf.name = "IMG_0001.jpg"
    resp = api().post(URL, {"enterprise_name": orgs.owner.name, "description": "d", "photos": [buf]}, format="multipart")
    assert resp.status_code == 201, resp.json()
    photo = WhistleblowerReport.objects.get().photos.get()
    with photo.file.open("rb") as f:
        data = f.read()
    assert b"SecretCam" not in data and b"zhang san" not in data
    stored = Image.open(io.BytesIO(data))
    assert not stored.getexif() and stored.size == (64, 48) and photo.content_type == "image/jpeg"


@pytest.mark.django_db(transaction=True)
def test_concurrent_triage_one_wins_the_others_get_invalid_transition(orgs, api):
    _report(api)
    r = WhistleblowerReport.objects.get()

    def go():
        resp = api(orgs.inspector).post(f"/api/v1/whistleblower-reports/{r.pk}/accept/", {}, format="json")
        return resp.status_code, resp.json()["errors"][0]["code"] if resp.status_code != 200 else ""

    results, errors = run_concurrently(go, 3)
    assert errors == []
    assert sorted(results) == [(200, ""), (409, "invalid_transition"), (409, "invalid_transition")]
    assert Event.objects.filter(object_id=str(r.pk), action="whistleblower.accept").count() == 1
