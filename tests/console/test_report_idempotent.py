"""随手拍 on a weak network: ``POST /hazards/report/`` with an ``Idempotency-Key`` (or ``client_key``)
files one hazard however often the phone retries, also when two identical requests race."""

from __future__ import annotations

import pytest
import time_machine

from compliance.models import Hazard, HazardReportKey
from tests.helpers.concurrency import run_concurrently

URL = "/api/v1/hazards/report/"
BODY = {"title": "罐区东侧法兰渗漏", "location": "罐区东侧"}
KEY = "3f2c9a64-5b1e-4c0e-9a8f-6d3b2e1f0a77"


def report(client, key=KEY, body=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body or BODY, format="json", **headers, **extra)


@pytest.mark.django_db
def test_a_retry_answers_the_first_hazard(api, orgs):
    phone = api(orgs.employee)
    first = report(phone)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = report(phone)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and again.json()["title"] == BODY["title"]
    assert Hazard.objects.count() == 1
    assert report(phone, key="another-key").status_code == 201  # another report
    assert report(api(orgs.officer)).status_code == 201  # the same key from someone else is theirs
    assert Hazard.objects.count() == 3
    body_key = api(orgs.employee).post(URL, {**BODY, "client_key": "body-key-1"}, format="json")
    assert body_key.status_code == 201
    assert api(orgs.employee).post(URL, {**BODY, "client_key": "body-key-1"}, format="json").json()["id"] == \
        body_key.json()["id"]
    assert report(phone, key=None).status_code == 201 and report(phone, key=None).status_code == 201  # no key: no dedup


@pytest.mark.django_db
def test_a_key_expires_after_24_hours(api, orgs):
    with time_machine.travel("2026-11-25T08:00:00+08:00", tick=False):
        first = report(api(orgs.employee)).json()["id"]
    with time_machine.travel("2026-11-26T07:59:00+08:00", tick=False):
        assert report(api(orgs.employee)).json()["id"] == first
    with time_machine.travel("2026-11-26T08:00:01+08:00", tick=False):
        r = report(api(orgs.employee))
        assert r.status_code == 201 and r.json()["id"] != first
    assert HazardReportKey.objects.get().hazard_id == r.json()["id"]


@pytest.mark.django_db
def test_bad_keys_and_refused_reports(api, orgs):
    phone = api(orgs.employee)
    r = report(phone, key="has spaces!")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "invalid_idempotency_key"
    assert r.json()["errors"][0]["attr"] == "Idempotency-Key"
    r = report(phone, key="a" * 65)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "invalid_idempotency_key"
    r = phone.post(URL, {**BODY, "client_key": "x1"}, format="json", HTTP_IDEMPOTENCY_KEY="x2")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "client_key"
    r = report(phone, body={"location": "无标题"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "title"
    from tests.factories import RiskPointFactory

    foreign = RiskPointFactory(enterprise=orgs.outsider)
    r = report(phone, body={**BODY, "risk_point": foreign.pk})
    assert r.status_code == 400
    assert not HazardReportKey.objects.exists()  # a refused report keeps no key: the retry may succeed
    assert report(phone).status_code == 201


@pytest.mark.django_db
def test_regulators_and_outsiders(api, orgs):
    r = report(api(orgs.inspector))
    assert r.status_code == 403
    first = report(api(orgs.employee)).json()["id"]
    r = report(api(orgs.outsider_officer))
    assert r.status_code == 201 and r.json()["id"] != first  # its own report in its own enterprise
    assert Hazard.objects.get(pk=r.json()["id"]).enterprise_id == orgs.outsider.pk


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_racing_file_one_hazard(api, orgs):
    """Four identical requests at once (threads on real transactions; meant for PostgreSQL, where the
    losers wait on the winner's key row): one hazard, one 201, three 200s."""
    def go():
        r = report(api(orgs.employee))
        return r.status_code, r.json()["id"]

    results, errors = run_concurrently(go, 4)
    assert errors == []
    assert len({hid for _, hid in results}) == 1, results
    assert sorted(code for code, _ in results) == [200, 200, 200, 201]
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 1


@pytest.mark.django_db
def test_the_key_of_another_report_is_refused_not_swallowed(api, orgs):
    """The same key with a different report is 409 naming the key: the second report is not silently
    answered with the first hazard (the user is told to resend it under a new key)."""
    phone = api(orgs.employee)
    first = report(phone)
    other = report(phone, body={**BODY, "title": "另一处：泵房地面积油"})
    assert other.status_code == 409, other.json()
    err = other.json()["errors"][0]
    assert err["code"] == "idempotency_key_reused" and err["attr"] == "Idempotency-Key"
    body_keyed = phone.post(URL, {**BODY, "title": "又一处", "client_key": KEY}, format="json")
    assert body_keyed.status_code == 409 and body_keyed.json()["errors"][0]["attr"] == "client_key"
    assert list(Hazard.objects.values_list("id", flat=True)) == [first.json()["id"]]
    assert report(phone, key="fresh-key", body={**BODY, "title": "另一处：泵房地面积油"}).status_code == 201
