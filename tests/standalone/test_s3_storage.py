"""Files on shared storage: photo upload, report render and downloads against an S3 emulator (moto's
server mode, started here), so a web node and a worker on different machines see the same files.
Downloads stream through the API's permission checks: no bucket URL is ever handed out."""

from __future__ import annotations

import hashlib
import io
import socket
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from compliance.models import HazardPhoto
from inspections.reports.models import ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, moto_endpoint):
    """A fresh bucket, and the default storage pointed at it exactly as STORAGE_BACKEND=s3 does."""
    import boto3

    name = f"shuangfang-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": name, "endpoint_url": moto_endpoint, "region_name": "us-east-1", "access_key": "test",
        "secret_key": "test", "default_acl": None, "file_overwrite": False, "querystring_auth": True}}}
    client.bucket = name
    return client


def objects(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=client.bucket).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=client.bucket, Key=o["Key"])["Body"].read() for o in listing}


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_photo_upload_report_render_and_downloads_go_through_the_bucket(api, orgs, bucket):
    from django.core.files.storage import default_storage

    assert default_storage.bucket_name == bucket.bucket  # the S3 storage, not the local disk

    # web node: an employee reports a hazard with a photo
    r = api(orgs.employee).post("/api/v1/hazards/report/", {"title": "罐区消防通道堆放杂物", "location": "罐区东侧"},
                                format="json")
    assert r.status_code == 201, r.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = api(orgs.employee).post(f"/api/v1/hazards/{r.json()['id']}/photos/",
                                {"kind": "before", "file": SimpleUploadedFile("p.png", png(), "image/png")},
                                format="multipart")
    assert r.status_code == 201, r.content
    photo = HazardPhoto.objects.get(pk=r.json()["id"])
    stored = objects(bucket)
    assert list(stored) == [photo.file.name] and photo.file.name.startswith(f"hazards/{orgs.owner.pk}/")
    assert "http" not in str(r.json())  # metadata only: no bucket URL

    res = api(orgs.officer).get(f"/api/v1/hazard-photos/{photo.pk}/file/")
    assert res.status_code == 200 and b"".join(res.streaming_content) == stored[photo.file.name]
    assert api(orgs.outsider_officer).get(f"/api/v1/hazard-photos/{photo.pk}/file/").status_code == 404

    # worker: the dual report is rendered and its files land in the same bucket
    from celery_worker.tasks import render_report

    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        r = api(orgs.officer).post("/api/v1/reports/", {"month": "2026-11"}, format="json")
        assert r.status_code == 201, r.content
        job_id = r.json()["id"]
        assert render_report.run(job_id) == "done"
    job = ReportJob.objects.get(pk=job_id)
    stored = objects(bucket)
    assert {job.pdf.name, job.json_file.name, job.xlsx.name} <= set(stored)
    assert hashlib.sha256(stored[job.pdf.name]).hexdigest() == job.sha256_pdf

    # web node: the download streams the bucket's bytes, after the permission check
    res = api(orgs.officer).get(f"/api/v1/reports/{job_id}/pdf/")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    body = b"".join(res.streaming_content)
    assert body == stored[job.pdf.name] and body.startswith(b"%PDF")
    assert api(orgs.outsider_officer).get(f"/api/v1/reports/{job_id}/pdf/").status_code == 404
    assert api().get(f"/api/v1/reports/{job_id}/pdf/").status_code == 401


def test_whistleblower_photos_are_in_the_bucket_and_only_the_jurisdiction_downloads_them(api, orgs, bucket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = api().post("/api/v1/public/reports/", {"enterprise_name": orgs.owner.name, "description": "夜间偷排",
                                               "photos": [SimpleUploadedFile("x.png", png(), "image/png")]},
                   format="multipart")
    assert r.status_code == 201, r.content
    from inspections.models import WhistleblowerPhoto

    photo = WhistleblowerPhoto.objects.get()
    stored = objects(bucket)
    assert list(stored) == [photo.file.name]
    url = f"/api/v1/whistleblower-photos/{photo.pk}/file/"
    res = api(orgs.inspector).get(url)
    assert res.status_code == 200 and res["Content-Type"] == "image/png"
    assert b"".join(res.streaming_content) == stored[photo.file.name]
    assert api(orgs.other_inspector).get(url).status_code == 404  # another county's regulator
    assert api(orgs.officer).get(url).status_code == 403  # enterprises never see who reported them
    assert api(orgs.inspector).get(f"/api/v1/whistleblower-photos/{photo.pk}/").json()["size"] == photo.size


def test_readyz_checks_the_bucket(settings, bucket):
    from django.test import Client

    assert Client().get("/readyz").json()["checks"]["storage"]["ok"] is True
    assert objects(bucket) == {}  # the probe file is deleted again
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {
        **settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"}}}
    r = Client().get("/readyz")
    assert r.status_code == 503 and r.json()["down"] == ["storage"]
