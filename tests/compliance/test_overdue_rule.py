"""One overdue rule: the database condition (compliance.selectors.hazard_overdue_q, used by lists,
filters and sweeps) says exactly what the pure rule (compliance.rules.deadlines.is_overdue) says."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from backend.core.time import SHANGHAI
from compliance import selectors
from compliance.models import Hazard
from compliance.rules.deadlines import deadline_end, is_overdue
from compliance.rules.hazard_states import HazardState
from tests.factories.compliance import HazardFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


def test_selector_and_rule_agree_for_every_state_and_deadline(orgs):
    cases = []
    for state in HazardState:
        for deadline in (None, date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)):
            h = HazardFactory(enterprise=orgs.owner, state=state.value, deadline=deadline,
                              deadline_at=deadline_end(deadline) if deadline else None)
            cases.append((h.pk, state, deadline))
    in_db = set(Hazard.objects.filter(selectors.hazard_overdue_q(NOW)).values_list("pk", flat=True))
    for pk, state, deadline in cases:
        assert (pk in in_db) is is_overdue(state, deadline, NOW), (state, deadline)
    # and the boundary: the deadline day ends at 23:59:59.999999 Shanghai time
    assert not is_overdue("rectifying", date(2026, 12, 1), deadline_end(date(2026, 12, 1)))
    assert is_overdue("rectifying", date(2026, 12, 1), deadline_end(date(2026, 12, 1)) + timedelta(microseconds=1))
