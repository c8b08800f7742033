"""Permit services called directly (as the worker, the demo and the admin do): every one of them
checks that the actor belongs to the permit's enterprise, not only the API's scoping."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from backend.audit.models import Event
from backend.core.actors import actor_of
from backend.core.errors import NotFound
from special_ops.models import WorkPermit
from special_ops.services import approvals, execution, gas, permits
from tests.factories.special_ops import WorkPermitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Each permit service with the state its permit is put in and the arguments it needs.
CALLS = [
    ("update", "draft", permits.permit_update, {"location": "别处"}),
    ("submit", "draft", approvals.permit_submit, {}),
    ("approve", "submitted", approvals.permit_approve_step, {"step": "work_leader"}),
    ("reject", "submitted", approvals.permit_reject, {"reason": "不同意"}),
    ("confirm_measures", "submitted", approvals.permit_confirm_measures, {"measure_codes": ["hw_isolate"]}),
    ("brief", "submitted", approvals.permit_brief, {"briefed_names": ["王强"]}),
    ("start", "approved", execution.permit_start, {}),
    ("suspend", "in_progress", execution.permit_suspend, {"reason": "停"}),
    ("resume", "suspended", execution.permit_resume, {}),
    ("complete", "in_progress", execution.permit_complete, {}),
    ("accept", "completed", execution.permit_accept, {}),
    ("cancel", "approved", execution.permit_cancel, {"reason": "取消"}),
    ("gas_test", "in_progress", gas.gas_test_record, {
        "sampled_at": datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI), "sample_point": "动火点", "analyst_name": "李分析",
        "o2_pct_vol": 20.9, "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.0}], "toxic": []}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state", "service", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("who", ["outsider_officer", "outsider_admin", "inspector"])
def test_an_actor_of_another_organization_is_refused_by_every_permit_service(orgs, name, state, service, kwargs, who):
    permit = WorkPermitFactory(enterprise=orgs.owner, state=state)
    with pytest.raises(NotFound):
        service(actor=actor_of(getattr(orgs, who)), permit=permit, **kwargs)
    assert WorkPermit.objects.get(pk=permit.pk).state == state
    assert not Event.objects.filter(object_type="special_ops.workpermit", object_id=str(permit.pk)).exists()


@pytest.mark.django_db
def test_filing_for_another_enterprise_is_refused(orgs):
    with pytest.raises(NotFound):
        permits.permit_create(actor=actor_of(orgs.outsider_officer), enterprise=orgs.owner, type="hot_work",
                              detail={}, workers=[], planned_start=datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI),
                              planned_end=datetime(2026, 11, 25, 16, 0, tzinfo=SHANGHAI))
    assert not WorkPermit.objects.exists()


@pytest.mark.django_db
def test_a_member_of_the_permit_enterprise_gets_through_to_the_state_check(orgs):
    """The enterprise check comes first; a member then meets the ordinary rules (here: the state)."""
    permit = WorkPermitFactory(enterprise=orgs.owner, state="accepted")
    from backend.core.errors import Conflict

    with pytest.raises(Conflict) as exc:
        execution.permit_cancel(actor=actor_of(orgs.officer), permit=permit, reason="取消")
    assert exc.value.code == "invalid_transition"
