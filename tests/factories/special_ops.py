"""Factories of the special-operations app: a work permit (hot work by default) with its detail
row, workers and gas tests. Model-level: no approval chain is computed, no audit event is written;
drive the permit through the API (``tests/helpers/permits.py``) when a test needs a real chain."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from special_ops.models import GasTest, HotWorkDetail, PermitWorker, WorkPermit
from tests.factories.accounts import EnterpriseFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


class WorkPermitFactory(factory.django.DjangoModelFactory):
    """A draft 二级 hot-work permit planned for 2026-11-25 08:00–16:00 (Asia/Shanghai), with its
    :class:`HotWorkDetailFactory` row (``detail=None`` to leave it out)."""

    class Meta:
        model = WorkPermit
        skip_postgeneration_save = True  # the detail row points at the permit: nothing to re-save

    enterprise = factory.SubFactory(EnterpriseFactory)
    # 100+: never a number the service allocates in a test (DH-<date>-01, -02, …).
    number = factory.Sequence(lambda n: f"DH-20261125-{100 + n}")
    type = "hot_work"
    state = "draft"
    level_declared = "second"
    level_computed = "second"
    level = "second"
    applicant_name = "刘晓燕"
    applicant_unit = "生产部"
    work_unit = "检修车间"
    work_content = "更换储罐呼吸阀法兰"
    location = "储罐区 T-101"
    planned_start = dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)
    planned_end = dt.datetime(2026, 11, 25, 16, 0, tzinfo=SHANGHAI)
    work_leader_name = "张工"
    guardian_name = "王强"
    gas_analyst_name = "李分析"
    detail = factory.RelatedFactory("tests.factories.special_ops.HotWorkDetailFactory", factory_related_name="permit")


class HotWorkDetailFactory(factory.django.DjangoModelFactory):
    """动火作业 facts of a 二级 job outside fire/explosion areas (GB 30871-2022 §5.2)."""

    class Meta:
        model = HotWorkDetail

    permit = factory.SubFactory(WorkPermitFactory, detail=None)
    method = "电焊"
    in_fire_explosion_area = False
    on_running_equipment = False
    inside_major_hazard_tank_dike = False
    on_pipe_rack = False


class PermitWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermitWorker

    permit = factory.SubFactory(WorkPermitFactory)
    name = factory.Sequence(lambda n: f"焊工{n}")
    trade = "电焊工"
    cert_type = "特种作业操作证（焊接与热切割作业）"
    cert_no = factory.Sequence(lambda n: f"T37032219800101{n:04d}")


class GasTestFactory(factory.django.DjangoModelFactory):
    """A passing sample taken 30 minutes before the planned start (O₂ 20.9 %vol, no flammables)."""

    class Meta:
        model = GasTest

    permit = factory.SubFactory(WorkPermitFactory)
    sampled_at = factory.LazyAttribute(lambda o: o.permit.planned_start - dt.timedelta(minutes=30))
    sample_point = "T-101 人孔"
    analyst_name = "李分析"
    o2_pct_vol = "20.90"
    flammable = factory.LazyFunction(lambda: [{"medium": "甲烷", "lel_pct_vol": 5.0, "reading_pct_vol": 0.0,
                                               "reading_pct_lel": 0.0}])
    toxic = factory.LazyFunction(list)
    passed = True
