"""backend.audit.updates.model_update: the one field-update helper (changes for the audit event)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.audit.updates import model_update


def test_sets_and_saves_only_what_changed(orgs):
    ent = orgs.owner
    ent, changes = model_update(instance=ent, data={"name": ent.name, "industry": "化工", "lon": Decimal("118.0")})
    assert set(changes) == {"industry", "lon"} and changes["industry"][1] == "化工"
    ent.refresh_from_db()
    assert ent.industry == "化工" and ent.lon == Decimal("118.0")


def test_nothing_changed_is_no_query_and_fields_limit_what_is_written(orgs):
    ent = orgs.owner
    with CaptureQueriesContext(connection) as q:
        _, changes = model_update(instance=ent, data={"name": ent.name})
    assert changes == {} and len(q) == 0
    _, changes = model_update(instance=ent, data={"name": "改名", "industry": "x"}, fields=["industry"])
    assert list(changes) == ["industry"]
    ent.refresh_from_db()
    assert ent.name != "改名"


def test_decimals_compare_as_numbers_and_related_objects_as_pks(orgs):
    ent = orgs.owner
    model_update(instance=ent, data={"lat": Decimal("36.5")})
    _, changes = model_update(instance=ent, data={"lat": Decimal("36.500000")})
    assert changes == {}
    m = orgs.officer.membership
    _, changes = model_update(instance=m, data={"enterprise": orgs.outsider}, save=False)
    assert changes == {"enterprise": [orgs.owner.pk, orgs.outsider.pk]}
    m.refresh_from_db()
    assert m.enterprise_id == orgs.owner.pk  # save=False wrote nothing
