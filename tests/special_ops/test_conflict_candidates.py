"""The conflict check's database pre-selection finds the same conflicts as judging every
overlapping open permit (issue 18 point 3).

A seeded enterprise holds a few hundred permits of four types in every state, with shared and
distinct guardians (linked users, certificate numbers with stray spaces, names), pipelines, confined
spaces, coordinates a few metres to a few hundred metres apart (some missing), risk-point areas and
links. For each permit taken as the new one, the conflicts found by the product
(``concurrent_snapshots``: only the candidates the database pre-selects) equal those the pure rules
find over every overlapping open permit of the enterprise, loaded the old way — same codes, same
other permits, same messages, same order.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from special_ops import selectors
from special_ops.models import (
    DETAIL_ACCESSORS,
    BlindingDetail,
    ConfinedSpaceDetail,
    HotWorkDetail,
    WorkPermit,
)
from special_ops.rules.conflicts import check_conflicts
from special_ops.rules.types import CONFLICT_STATES
from tests.factories import RiskPointFactory
from tests.factories.special_ops import WorkPermitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)
STATES = ("draft", "submitted", "approved", "in_progress", "suspended", "completed", "accepted", "cancelled")


def _old_path(permit: WorkPermit) -> list:
    """The check before issue 18: every overlapping open permit, all detail rows joined."""
    others = (
        WorkPermit.objects.filter(enterprise_id=permit.enterprise_id, state__in=[s.value for s in CONFLICT_STATES],
                                  planned_start__lt=permit.planned_end, planned_end__gt=permit.planned_start)
        .exclude(pk=permit.pk).select_related("risk_point", *DETAIL_ACCESSORS)
    )
    return [selectors.snapshot_of(o) for o in others]


def _seed(enterprise, users, rng: random.Random) -> list[WorkPermit]:
    points = [RiskPointFactory(enterprise=enterprise, name=name) for name in ("罐区", "装置区", " 罐区 ")]
    guardians = [("王强", "", None), ("王强 ", "T-001", None), ("李四", " T-001 ", None), ("赵六", "", users[0]),
                 ("钱七", "C-9", users[1]), ("孙八", "", None)]
    pipelines = ("PL-1", " PL-1", "PL-2", "PL-3 ")
    spaces = ("", "", "T-101 储罐", "T-102", " T-101 储罐 ")
    permits = []
    for i in range(260):
        kind = rng.choice(("hot_work", "hot_work", "blinding", "confined_space", "height"))
        start = BASE + dt.timedelta(hours=rng.randint(-30, 30))
        name, cert, user = rng.choice(guardians)
        located = rng.random() < 0.8
        permit = WorkPermitFactory(
            enterprise=enterprise, number=f"ZY-20261125-{1000 + i}", type=kind, state=rng.choice(STATES),
            planned_start=start, planned_end=start + dt.timedelta(hours=rng.choice((1, 4, 8, 24))),
            guardian_name=name, guardian_cert_no=cert, guardian_user=user,
            lon=Decimal("118.000000") + Decimal(rng.randint(0, 40)) / Decimal(100000) if located else None,
            lat=Decimal("36.800000") + Decimal(rng.randint(0, 40)) / Decimal(100000) if located else None,
            risk_point=rng.choice(points) if rng.random() < 0.6 else None,
            location=rng.choice(("罐区", "装置区", "库房")), detail=None,
        )
        if kind == "hot_work":
            HotWorkDetail.objects.create(permit=permit, method="电焊", in_fire_explosion_area=rng.random() < 0.5,
                                         on_running_equipment=False, inside_major_hazard_tank_dike=False,
                                         on_pipe_rack=False, confined_space_name=rng.choice(spaces))
        elif kind == "blinding":
            BlindingDetail.objects.create(permit=permit, action="blind", pipeline_id=rng.choice(pipelines),
                                          plate_no=f"B{i}", medium="氮气", temperature_c=Decimal("20"),
                                          pressure_mpa=Decimal("0.1"), plate_material="碳钢", plate_size="DN100",
                                          in_fire_explosion_area=rng.random() < 0.6)
        elif kind == "confined_space":
            ConfinedSpaceDetail.objects.create(permit=permit, space_name=rng.choice(spaces[2:]), original_medium="水")
        permits.append(permit)
    by_space = {}
    for p in permits:  # link some hot work to a confined-space permit
        if p.type == "confined_space":
            by_space.setdefault(p.confinedspacedetail.space_name.strip(), []).append(p.number)
    for p in permits:
        if p.type == "hot_work" and p.hotworkdetail.confined_space_name.strip() and rng.random() < 0.5:
            p.related_numbers = by_space.get(p.hotworkdetail.confined_space_name.strip(), [])[:1]
            p.save(update_fields=["related_numbers"])
    return permits


def _as_tuples(conflicts) -> list[tuple]:
    return [(c.code, c.other_number, c.message) for c in conflicts]


def test_pre_selected_candidates_give_the_same_conflicts(orgs):
    rng = random.Random(30871)
    permits = _seed(orgs.owner, [orgs.officer, orgs.colleague], rng)
    found = 0
    for permit in WorkPermit.objects.filter(pk__in=[p.pk for p in permits]).select_related("risk_point",
                                                                                          *DETAIL_ACCESSORS):
        new = selectors.snapshot_of(permit)
        old = _as_tuples(check_conflicts(new, _old_path(permit)))
        assert _as_tuples(check_conflicts(new, selectors.concurrent_snapshots(permit, new))) == old, permit.number
        found += bool(old)
    # the seeded set exercises the rules: every conflict code occurs
    codes = {c for p in permits for c, _, _ in _as_tuples(check_conflicts(selectors.snapshot_of(p), _old_path(p)))}
    assert found > 20
    assert codes == {"guardian_overlap", "blinding_same_pipeline_overlap", "hot_work_near_blinding",
                     "hot_work_confined_space_unlinked"}


def test_candidates_are_few_when_many_permits_are_live(orgs, django_assert_max_num_queries):
    """200 overlapping live permits with other guardians and no shared place: none is loaded, in one query."""
    for i in range(200):
        WorkPermitFactory(enterprise=orgs.owner, number=f"DH-20261125-{5000 + i}", state="approved",
                          guardian_name=f"监护{i}", planned_start=BASE, planned_end=BASE + dt.timedelta(hours=8))
    new = WorkPermitFactory(enterprise=orgs.owner, number="DH-20261125-9999", state="draft", guardian_name="王强",
                            planned_start=BASE, planned_end=BASE + dt.timedelta(hours=8))
    new = WorkPermit.objects.select_related("hotworkdetail", "risk_point").get(pk=new.pk)
    snap = selectors.snapshot_of(new)
    with django_assert_max_num_queries(1):  # the ids query finds none
        assert selectors.concurrent_snapshots(new, snap) == []
    assert len(_old_path(new)) == 200
