"""Factories of the regulator side: checklist templates, inspections (with ≥ 2 inspectors) and
findings, 双随机 draws, conflicts of interest, whistleblower reports and 双报告 report jobs.
Model-level: no service runs, no audit event is written."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory

from backend.accounts.models import Role
from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    Inspection,
    InspectionTemplate,
    WhistleblowerPhoto,
    WhistleblowerReport,
)
from inspections.reports.models import ReportJob
from tests.factories.accounts import EnterpriseFactory, RegulatorFactory, member


class InspectionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionTemplate

    code = factory.Sequence(lambda n: f"T-{n:03d}")
    version = "2026.1"
    title = "双重预防机制检查表"
    items = factory.LazyFunction(lambda: [{"code": "DP-01", "text": "风险分级管控清单是否建立", "basis": "DOMAIN.md §1"}])


class InspectionFactory(factory.django.DjangoModelFactory):
    """A planned inspection by ``regulator`` of ``enterprise``; ``inspectors=[u1, u2]`` sets the
    team, else two new inspectors of the regulator are made (the creator is the first)."""

    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    regulator = factory.SubFactory(RegulatorFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    planned_on = dt.date(2026, 11, 25)
    title = factory.Sequence(lambda n: f"专项检查{n}")
    template = factory.SubFactory(InspectionTemplateFactory)
    created_by = factory.LazyAttribute(lambda o: member(o.regulator, Role.INSPECTOR))

    @factory.post_generation
    def inspectors(self, create, extracted, **kwargs):
        if not create:
            return
        team = list(extracted) if extracted else [self.created_by, member(self.regulator, Role.INSPECTOR)]
        self.inspectors.set(team)


class FindingFactory(factory.django.DjangoModelFactory):
    """An open general finding of an inspection (no hazard ordered)."""

    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    item_code = "DP-01"
    text = factory.Sequence(lambda n: f"检查发现问题{n}：未按周期排查")
    created_by = factory.SelfAttribute("inspection.created_by")


def _draw_snapshot(regulator) -> dict:
    # Two candidate enterprises of the jurisdiction, three inspectors, one declared conflict
    # (inspector 3 × enterprise 1) and the result: enterprise 2 with inspectors 1 and 2.
    e1, e2 = (EnterpriseFactory(division_code=f"{regulator.jurisdiction}101") for _ in range(2))
    i1, i2, i3 = (member(regulator, Role.INSPECTOR) for _ in range(3))
    return {"candidates": sorted([e1.pk, e2.pk]), "roster": sorted([i1.pk, i2.pk, i3.pk]),
            "conflicts": [[i3.pk, e1.pk]], "result": [{"enterprise": e2.pk, "inspectors": sorted([i1.pk, i2.pk])}]}


class DrawFactory(factory.django.DjangoModelFactory):
    """A stored draw of one enterprise out of two (snapshots consistent, see ``_draw_snapshot``;
    the seed is not the one that would re-run to this result: use the service to test verify)."""

    class Meta:
        model = Draw
        exclude = ("snapshot",)

    regulator = factory.SubFactory(RegulatorFactory)
    title = factory.Sequence(lambda n: f"第{n}批双随机抽查")
    n = 1
    seed = factory.Sequence(lambda n: str(1000 + n))
    snapshot = factory.LazyAttribute(lambda o: _draw_snapshot(o.regulator))
    candidates = factory.LazyAttribute(lambda o: o.snapshot["candidates"])
    roster = factory.LazyAttribute(lambda o: o.snapshot["roster"])
    conflicts = factory.LazyAttribute(lambda o: o.snapshot["conflicts"])
    result = factory.LazyAttribute(lambda o: o.snapshot["result"])
    planned_on = dt.date(2026, 12, 1)
    created_by = factory.LazyAttribute(lambda o: member(o.regulator, Role.ADMIN))


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    regulator = factory.SubFactory(RegulatorFactory)
    inspector = factory.LazyAttribute(lambda o: member(o.regulator, Role.INSPECTOR))
    enterprise = factory.SubFactory(EnterpriseFactory)
    reason = "近亲属在该企业任职"
    declared_by = factory.SelfAttribute("inspector")


class WhistleblowerReportFactory(factory.django.DjangoModelFactory):
    """A received report about a place in 高青县; only the SHA-256 of ``code`` is stored."""

    class Meta:
        model = WhistleblowerReport
        exclude = ("code",)

    code = factory.Sequence(lambda n: f"WB-TEST-{n:06d}")
    code_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.code.encode("utf-8")).hexdigest())
    enterprise = None
    enterprise_name = "某化工厂"
    location = "高青县化工园区"
    division_code = "370322102"
    description = "夜间违规动火，无人监护"


class WhistleblowerPhotoFactory(factory.django.DjangoModelFactory):
    """A photo row of a report (the stored name only; no bytes on disk)."""

    class Meta:
        model = WhistleblowerPhoto

    report = factory.SubFactory(WhistleblowerReportFactory)
    file = factory.Sequence(lambda n: f"whistleblower/test/{n}.png")
    content_type = "image/png"
    size = 1024


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A pending enterprise 双报告 for a one-month period (each new job takes the next month, so
    the one-current-job-per-period constraint holds)."""

    class Meta:
        model = ReportJob

    kind = ReportJob.Kind.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)
    regulator = None
    period_start = factory.Sequence(lambda n: dt.date(2000 + n // 12, n % 12 + 1, 1))
    period_end = factory.LazyAttribute(
        lambda o: (o.period_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
