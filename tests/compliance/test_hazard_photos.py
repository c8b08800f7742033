"""Hazard photos: sniffed content type, size cap, server-generated names, authorized streaming."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from compliance.models import HazardPhoto
from compliance.services import photos

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def upload(client, hazard, name, content, kind="before", ctype="image/png"):
    f = SimpleUploadedFile(name, content, content_type=ctype)
    return client.post(f"/api/v1/hazards/{hazard.pk}/photos/", {"kind": kind, "file": f}, format="multipart")


def test_png_is_stored_under_a_server_name_and_streamed_to_members(api, orgs, file_hazard):
    h = file_hazard()
    content = png_bytes()
    r = upload(api(orgs.employee), h, "../../etc/passwd.png", content)
    assert r.status_code == 201, r.json()
    photo = HazardPhoto.objects.get(pk=r.json()["id"])
    assert re.fullmatch(rf"hazards/{orgs.owner.pk}/[0-9a-f]{{32}}\.png", photo.file.name)
    assert photo.content_type == "image/png" and photo.original_name == "passwd.png"
    r = api(orgs.colleague).get(f"/api/v1/hazard-photos/{photo.pk}/file/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    served = b"".join(r.streaming_content)
    assert served == photo.file.open("rb").read() and len(served) == photo.size
    assert Image.open(io.BytesIO(served)).getpixel((0, 0)) == (255, 0, 0)  # re-encoded, same pixels
    assert api(orgs.outsider_officer).get(f"/api/v1/hazard-photos/{photo.pk}/file/").status_code == 404
    assert api(orgs.outsider_officer).get(f"/api/v1/hazard-photos/{photo.pk}/").status_code == 404
    assert api(orgs.other_inspector).get(f"/api/v1/hazard-photos/{photo.pk}/file/").status_code == 404
    assert api(orgs.inspector).get(f"/api/v1/hazard-photos/{photo.pk}/file/").status_code == 200
    assert api(orgs.officer).get(f"/api/v1/hazards/{h.pk}/photos/").json()[0]["id"] == photo.pk
    assert api().get(f"/api/v1/hazard-photos/{photo.pk}/file/").status_code == 401


def test_renamed_executable_is_400(api, orgs, file_hazard):
    h = file_hazard()
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    r = upload(api(orgs.officer), h, "photo.jpg", elf, ctype="image/jpeg")
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "unsupported_file_type"
    assert not HazardPhoto.objects.exists()


def test_oversize_is_413(api, orgs, file_hazard, monkeypatch):
    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 1024)
    h = file_hazard()
    r = upload(api(orgs.officer), h, "big.png", png_bytes() + b"\x00" * 2048)
    assert r.status_code == 413
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("file", "file_too_large")


def test_real_cap_is_ten_megabytes(api, orgs, file_hazard):
    h = file_hazard()
    r = upload(api(orgs.officer), h, "big.png", png_bytes() + b"\x00" * (10 * 1024 * 1024))
    assert r.status_code == 413


def test_sanitize_filename():
    assert photos.sanitize_filename("..\\..\\windows\\evil.exe") == "evil.exe"
    assert photos.sanitize_filename("a/b/\x00c<>.png") == "c__.png"
    assert photos.sanitize_filename("../..") == "upload"


def test_exif_and_gps_are_stripped_from_a_jpeg(api, orgs, file_hazard):
    h = file_hazard()
    img = Image.new("RGB", (8, 8), (0, 128, 0))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (36.0, 50.0, 0.0)}  # GPSInfo: latitude
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    assert b"PhoneMaker" in buf.getvalue()
    r = upload(api(orgs.officer), h, "site.jpg", buf.getvalue(), ctype="image/jpeg")
    assert r.status_code == 201, r.json()
    stored = HazardPhoto.objects.get(pk=r.json()["id"]).file.open("rb").read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_png_header_in_front_of_an_executable_is_refused(api, orgs, file_hazard):
    # break-it D17: magic bytes alone are not an image
    h = file_hazard()
    r = upload(api(orgs.officer), h, "x.png", b"\x89PNG\r\n\x1a\n" + b"MZ" + b"\x00" * 300)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] in ("unsupported_file_type", "invalid_image")
    assert not HazardPhoto.objects.exists()
