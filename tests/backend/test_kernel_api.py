"""backend.core.api: role tables derived from a state machine, scoping by ``scope``, inputs, and the
error-code table in the OpenAPI description."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework import serializers

from backend.accounts.models import Enterprise, Membership
from backend.core.api import roles_from, scope_queryset, validated
from backend.core.error_codes import code_table
from backend.core.states import StateMachine, Transition

MACHINE = StateMachine("t", {
    "confirm": Transition({"reported"}, "confirmed", roles={"admin", "safety_officer"}),
    "start": Transition({"confirmed"}, "rectifying"),
    "submit_for_acceptance": Transition({"rectifying"}, "pending", roles={"employee"}),
})


def test_roles_from_a_machine():
    assert roles_from(MACHINE) == {"confirm": frozenset({"admin", "safety_officer"}),
                                   "submit_for_acceptance": frozenset({"employee"})}
    derived = roles_from(MACHINE, actions={"submit": "submit_for_acceptance"}, extra={"photos": {"admin"}})
    assert derived["submit"] == frozenset({"employee"}) and derived["photos"] == frozenset({"admin"})
    assert "start" not in derived  # any role: left to the view's write_roles


def test_scope_queryset_per_scope(orgs):
    ents = Enterprise.objects.all()
    assert set(scope_queryset(ents, orgs.officer, None)) == {orgs.owner}
    assert set(scope_queryset(ents, orgs.inspector, None)) == {orgs.owner}  # 370322 covers the owner only
    assert set(scope_queryset(ents, orgs.other_inspector, None)) == {orgs.outsider}
    assert not scope_queryset(ents, None, None).exists()
    assert set(scope_queryset(ents, None, None, scope="public")) == {orgs.owner, orgs.outsider}
    assert not scope_queryset(ents, orgs.officer, None, scope="jurisdiction").exists()
    assert set(scope_queryset(ents, orgs.inspector, None, scope="jurisdiction")) == {orgs.owner}
    members = Membership.objects.all()
    assert {m.user for m in scope_queryset(members, orgs.inspector, None, scope="regulator")} == {
        orgs.inspector, orgs.inspector2, orgs.reg_admin}
    assert not scope_queryset(members, orgs.officer, None, scope="regulator").exists()
    own = {m.user for m in scope_queryset(members, orgs.officer, None, scope="organization")}
    assert own == {orgs.admin, orgs.officer, orgs.colleague, orgs.principal, orgs.employee}


class _In(serializers.Serializer):
    reason = serializers.CharField(max_length=5)


def test_validated_returns_data_or_raises_400():
    assert validated(_In, {"reason": "ok"}) == {"reason": "ok"}
    with pytest.raises(serializers.ValidationError) as exc:
        validated(_In, {"reason": "far too long"})
    assert exc.value.detail["reason"][0].code == "max_length"


def test_openapi_description_documents_every_registered_code(tmp_path, db):
    out = tmp_path / "schema.json"
    call_command("spectacular", "--file", str(out), "--format", "openapi-json", "--validate")
    import json

    description = json.loads(out.read_text())["info"]["description"]
    assert "| code | HTTP | 含义 |" in description
    rows = {r["code"]: r for r in code_table()}
    assert {"invalid_transition", "role_not_allowed", "not_found", "duplicate", "not_regulator_admin"} <= set(rows)
    for code, row in rows.items():
        assert f"| `{code}` | {'/'.join(map(str, row['statuses']))} |" in description
    assert rows["invalid_transition"]["statuses"] == [409]
