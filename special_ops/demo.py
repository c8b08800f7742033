"""Demo permits for ``make run``: one enterprise's permits in several lifecycle states.

:func:`load_demo_permits` is idempotent (permits are keyed by their fixed ``*-DEMO-nn`` numbers) and
drives every permit through the real services, so signatures, gas tests and audit events are those
a user would produce. Windows are relative to "now", so the live list (``?live=true``) is never empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.core.actors import Actor, actor_of
from backend.core.demo import DemoContext
from special_ops import selectors
from special_ops.models import WorkPermit
from special_ops.rules import approvals as approval_rules
from special_ops.rules.gas import gas_test_required
from special_ops.services import approvals, execution, gas, permits

_WELDER = {"name": "宋立平", "trade": "焊工", "cert_type": "特种作业操作证（熔化焊接与热切割作业）", "cert_no": "TZ-HJ-0317"}
_FITTER = {"name": "彭晓东", "trade": "检修工"}
_HOT = {"method": "电焊", "in_fire_explosion_area": False, "on_running_equipment": False,
        "inside_major_hazard_tank_dike": False, "on_pipe_rack": False}
_GAS = {"sample_point": "作业点周边", "analyst_name": "董晓雪", "o2_pct_vol": 20.9,
        "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.0}], "toxic": []}

#: (number, type, target state, start offset h, duration h, content, location, guardian, facts, workers)
DEMO_PERMITS: tuple[tuple[Any, ...], ...] = (
    ("DH-DEMO-01", "hot_work", "draft", 26, 4, "循环水泵出口管支架补焊", "循环水站泵房", "高文斌", _HOT, [_WELDER]),
    ("GC-DEMO-01", "height", "submitted", 28, 4, "精馏框架照明灯具更换", "精馏框架二层（标高8m）", "周明亮",
     {"height_m": 8, "hazard_factors": []}, [_FITTER]),
    ("DZ-DEMO-01", "lifting", "approved", 3, 5, "冷凝器E-304吊装就位", "精馏框架东侧吊装区", "林峰",
     {"load_t": 42, "crane": "130t汽车吊", "lift_plan_no": "DZFA-DEMO-01"},
     [{"name": "吕长江", "trade": "起重司机", "cert_no": "Q2-TZSB-0412"}, {"name": "范志勇", "trade": "起重指挥", "cert_no": "Q1-TZSB-0233"}]),
    ("DH-DEMO-02", "hot_work", "in_progress", -1, 5, "空压站储气罐支座焊接", "空压站储气罐基础", "马超", _HOT, [_WELDER]),
    ("DT-DEMO-01", "excavation", "suspended", -2, 6, "循环水回水管线漏点开挖", "北路南侧绿化带", "冯志强",
     {"depth_m": 1.0, "area_m2": 6.0, "method": "人工开挖"}, [{"name": "侯磊", "trade": "检修工"}]),
    ("GC-DEMO-02", "height", "accepted", -1, 3, "仓库雨棚排水槽清理", "甲类仓库北门雨棚（标高3m）", "郑海波",
     {"height_m": 3, "hazard_factors": []}, [{"name": "谢明", "trade": "保管员"}]),
    ("DL-DEMO-01", "road_closure", "cancelled", 30, 4, "厂区北路断路施工", "厂区北路", "许磊",
     {"road_section": "2号门至循环水站段", "reason": "配合管线开挖"}, [{"name": "陈亮", "trade": "操作工"}]),
)
_ORDER = ("draft", "submitted", "approved", "in_progress", "suspended", "completed", "accepted")


def _signer(users: Mapping[str, Actor], step: Any) -> Actor:
    """The demo user signing ``step``: the work leader's step by ``employee``, the other employee-role
    steps by ``unit_lead`` (whoever signed as work leader may not sign another step)."""
    if step.role == "employee" and step.code != "work_leader":
        return users["unit_lead"]
    return users[step.role]


def _drive(permit: WorkPermit, target: str, users: Mapping[str, Actor]) -> None:
    officer = users["safety_officer"]
    if target == "cancelled":
        execution.permit_cancel(actor=officer, permit=permit, reason="演示：计划取消")
        return
    reach = _ORDER.index(target)
    if reach >= 1:
        approvals.permit_submit(actor=officer, permit=permit)
    if reach >= 2:
        approvals.permit_confirm_measures(actor=users["employee"], permit=permit,
                                    measure_codes=[m.code for m in selectors.measures_of(permit)])
        names = [w.name for w in permit.workers.all()] + [permit.guardian_name]
        approvals.permit_brief(actor=officer, permit=permit, briefed_names=names)
        for phase in (approval_rules.PHASE_APPROVAL, approval_rules.PHASE_PRE_START):
            for step in [s for s in selectors.chain_of(permit) if s.phase == phase]:
                approvals.permit_approve_step(actor=_signer(users, step), permit=permit, step=step.code, opinion="同意")
    if reach >= 3:
        if gas_test_required(permit.type, selectors.facts_of(permit)):
            gas.gas_test_record(actor=officer, permit=permit, sampled_at=timezone.now() - timedelta(minutes=10), **_GAS)
        execution.permit_start(actor=officer, permit=permit)
    if target == "suspended":
        execution.permit_suspend(actor=officer, permit=permit, reason="演示：现场暂停")
    if reach >= 5:
        execution.permit_complete(actor=officer, permit=permit)
    if reach >= 6:
        execution.permit_accept(actor=users.get("unit_lead", users["employee"]), permit=permit, opinion="现场已清理")


def load(ctx: DemoContext) -> None:
    """``manage.py load_demo``: the demo permits of the sample enterprise (:func:`load_demo_permits`)."""
    created = load_demo_permits(enterprise=ctx.enterprise, users=ctx.users)
    ctx.write(f"  permits created: {len(created)}")


def load_demo_permits(*, enterprise: Enterprise, users: Mapping[str, Any]) -> list[WorkPermit]:
    """Create the demo permits of ``enterprise`` in several states; idempotent (existing numbers are
    skipped). ``users``: role code → user of ``enterprise`` for ``"employee"``, ``"safety_officer"``,
    ``"principal"`` and ``"unit_lead"`` (a second employee) (the signers; the people named on the permits are fictitious names).
    Returns the permits created by this call."""
    created = []
    actors = {role: actor_of(user) for role, user in users.items()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number, ptype, target, offset, hours, content, location, guardian, facts, workers in DEMO_PERMITS:
        if WorkPermit.objects.filter(enterprise=enterprise, number=number).exists():
            continue
        with transaction.atomic():
            start = now + timedelta(hours=offset)
            permit = permits.permit_create(
                actor=actors["safety_officer"], enterprise=enterprise, type=ptype, number=number,
                detail=dict(facts), workers=[dict(w) for w in workers], level_declared=None,
                applicant_name="孙国庆", applicant_unit="设备动力部", work_unit="设备动力部检修班",
                work_content=content, location=location, planned_start=start, planned_end=start + timedelta(hours=hours),
                work_leader_name="曹永辉", work_leader_phone="13800000031", guardian_name=guardian,
                guardian_cert_no=f"JH-DEMO-{guardian}", gas_analyst_name="董晓雪",
            )
            _drive(permit, target, actors)
            created.append(permit)
    return created
