"""The enterprise's accident-type standard (GB 6441-1986 or GB 6441-2025, issue 14 §13): which
standard its register exports use. The register itself accepts either standard's names
(:func:`compliance.rules.accident_types.parse_accident_names`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise, require_role
from compliance.error_codes import RegisterEvent
from compliance.rules.hazard_states import MANAGERS


@transaction.atomic
def enterprise_set_accident_standard(*, actor: Actor | Any, standard: str) -> Enterprise:
    """Set the actor's enterprise's ``accident_standard`` (``gb6441-1986`` / ``gb6441-2025``); audited
    ``enterprise.set_accident_standard`` with the old and new value. Enterprise managers only (403
    ``enterprise_only`` / ``role_not_allowed``); the value is validated by the caller (choice)."""
    actor = actor_of(actor)
    ent = require_enterprise(actor)
    require_role(actor, MANAGERS)
    ent = Enterprise.objects.select_for_update().get(pk=ent.pk)
    old = ent.accident_standard
    if old != standard:
        ent.accident_standard = standard
        ent.save(update_fields=["accident_standard"])
        audit_record(actor=actor.user, action=RegisterEvent.ACCIDENT_STANDARD_SET, obj=ent, enterprise=ent,
                     changes={"accident_standard": [old, standard]})
    return ent
