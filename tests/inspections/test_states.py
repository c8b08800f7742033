"""The regulator side's state machines are the models' states: one table per entity, and the
wrong state is always 409 invalid_transition (the kernel's code)."""

from __future__ import annotations

import pytest

from backend.core.states import InvalidTransition, RoleNotAllowed
from inspections.models import Finding, Inspection, WhistleblowerReport
from inspections.reports.models import ReportJob
from inspections.reports.rules import JOB_MACHINE
from inspections.rules.states import FINDING_MACHINE, INSPECTION_MACHINE, WHISTLEBLOWER_MACHINE


@pytest.mark.parametrize(("machine", "model", "field"), [
    (INSPECTION_MACHINE, Inspection, "state"),
    (FINDING_MACHINE, Finding, "status"),
    (WHISTLEBLOWER_MACHINE, WhistleblowerReport, "status"),
    (JOB_MACHINE, ReportJob, "state"),
])
def test_every_model_state_is_in_its_machine(machine, model, field):
    choices = {value for value, _label in model._meta.get_field(field).choices}
    assert machine.states() == choices


def test_inspection_steps_follow_the_table():
    assert INSPECTION_MACHINE.actions_from("planned") == ["start"]
    assert INSPECTION_MACHINE.actions_from("in_progress") == ["record", "close"]
    assert INSPECTION_MACHINE.actions_from("closed") == []
    with pytest.raises(InvalidTransition) as exc:
        INSPECTION_MACHINE.check("close", "planned")
    assert exc.value.code == "invalid_transition" and exc.value.status == 409


def test_triage_roles_and_states():
    assert WHISTLEBLOWER_MACHINE.check("reject", "accepted", "inspector") == "rejected"
    with pytest.raises(InvalidTransition):
        WHISTLEBLOWER_MACHINE.check("open_inspection", "received", "admin")
    with pytest.raises(RoleNotAllowed):
        WHISTLEBLOWER_MACHINE.check("accept", "received", "safety_officer")


def test_a_confirmed_fix_is_final_and_only_inspectors_follow_up():
    assert FINDING_MACHINE.actions_from("fixed") == []
    assert FINDING_MACHINE.check("confirm_fixed", "not_fixed", "inspector") == "fixed"
    with pytest.raises(RoleNotAllowed):
        FINDING_MACHINE.check("confirm_not_fixed", "open", "admin")
