"""The demo's hazard ledger reads like a real one: hazards verified (验收) more than a week ago have
been closed (销号) through the service, only the recent ones wait for 销号 (compliance.demo)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db.models import Count

from backend.audit.models import Event
from backend.core.time import SHANGHAI
from compliance.demo import CLOSE_AFTER_DAYS, close_stale_accepted
from compliance.models import Hazard
from compliance.services.ledger_import import ledger_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
LEDGER = settings.SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx"
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=SHANGHAI)  # the clock fixture's instant


def _states(enterprise) -> dict[str, int]:
    qs = Hazard.objects.filter(enterprise=enterprise).order_by().values("state").annotate(n=Count("id"))
    return {r["state"]: r["n"] for r in qs}


def test_demo_closes_accepted_hazards_older_than_a_week_once(orgs):
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER)
    accepted = Hazard.objects.filter(enterprise=orgs.owner, state="accepted")
    cutoff = NOW.date() - dt.timedelta(days=CLOSE_AFTER_DAYS)
    stale = set(accepted.filter(accepted_on__lt=cutoff).values_list("pk", flat=True))
    recent = set(accepted.exclude(pk__in=stale).values_list("pk", flat=True))
    assert len(stale) > 40 and 0 < len(recent) < 10  # the sample: 51 accepted, most since June

    assert close_stale_accepted(actor=orgs.officer, enterprise=orgs.owner) == len(stale)
    assert set(Hazard.objects.filter(state="closed").values_list("pk", flat=True)) == stale
    assert set(accepted.values_list("pk", flat=True)) == recent  # a few awaiting 销号
    closes = Event.objects.filter(action="hazard.close", object_type="compliance.hazard", object_id__in=[str(pk) for pk in stale])
    assert closes.count() == len(stale)  # through the service: each 销号 recorded
    assert not Hazard.objects.filter(pk__in=stale, closed_at__isnull=True).exists()

    before = _states(orgs.owner)
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER)  # load_demo run again
    assert close_stale_accepted(actor=orgs.officer, enterprise=orgs.owner) == 0
    assert _states(orgs.owner) == before and closes.count() == len(stale)
