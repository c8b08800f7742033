"""Factories of the compliance app: the risk register, hazards (model-level, no service, no audit
event) with photos and extensions, and investigation tasks. Every row is valid for the API that
lists it; the enterprise of a child row follows its parent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from compliance.models import (
    ControlMeasure,
    Hazard,
    HazardExtension,
    HazardPhoto,
    InvestigationTask,
    RiskEvent,
    RiskPoint,
)
from tests.factories.accounts import EnterpriseFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _day_end(day: dt.date | None) -> dt.datetime | None:
    # The stored end of a date deadline (23:59:59.999999 Asia/Shanghai), as the services write it.
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI) if day else None


class RiskPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPoint

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"RP-{n:03d}")
    name = factory.Sequence(lambda n: f"风险点{n}")
    kind = RiskPoint.Kind.ACTIVITY


class RiskEventFactory(factory.django.DjangoModelFactory):
    """An LS-assessed event (L 2 × S 2 = 4, 低风险) of a new risk point."""

    class Meta:
        model = RiskEvent

    risk_point = factory.SubFactory(RiskPointFactory)
    enterprise = factory.SelfAttribute("risk_point.enterprise")
    description = factory.Sequence(lambda n: f"危险源{n}：阀门泄漏")
    method = RiskEvent.Method.LS
    l = 2  # noqa: E741
    s = 2
    score = 4
    level = "low"


class ControlMeasureFactory(factory.django.DjangoModelFactory):
    """A management measure checked every day."""

    class Meta:
        model = ControlMeasure

    risk_event = factory.SubFactory(RiskEventFactory)
    enterprise = factory.SelfAttribute("risk_event.enterprise")
    category = ControlMeasure.Category.MANAGEMENT
    text = factory.Sequence(lambda n: f"巡检措施{n}")
    check_cycle = 1
    check_cycle_unit = ControlMeasure.CycleUnit.DAY


class HazardFactory(factory.django.DjangoModelFactory):
    """A general hazard in rectification (state ``rectifying``) written directly, with
    ``deadline_at`` derived from ``deadline`` and ``responsible_name`` from ``responsible_person``."""

    class Meta:
        model = Hazard

    enterprise = factory.SubFactory(EnterpriseFactory)
    # 50000+: never a number the hazard_file service allocates in a test (it counts from 1).
    number = factory.Sequence(lambda n: f"YH-2026-{50000 + n % 50000:05d}")
    title = "储罐区呼吸阀堵塞"
    found_on = dt.date(2026, 11, 1)
    state = "rectifying"
    grade = "general"
    deadline = dt.date(2026, 12, 1)
    deadline_at = factory.LazyAttribute(lambda o: _day_end(o.deadline))
    responsible_person = None
    responsible_name = factory.LazyAttribute(lambda o: str(o.responsible_person or ""))


class HazardPhotoFactory(factory.django.DjangoModelFactory):
    """A 'before' photo row (the file name only; no bytes on disk)."""

    class Meta:
        model = HazardPhoto

    hazard = factory.SubFactory(HazardFactory)
    kind = HazardPhoto.Kind.BEFORE
    file = factory.Sequence(lambda n: f"hazards/test/{n}.jpg")
    content_type = "image/jpeg"
    size = 1024
    uploaded_by = factory.SubFactory("tests.factories.accounts.UserFactory")


class HazardExtensionFactory(factory.django.DjangoModelFactory):
    """A pending extension request (one pending per hazard) by the hazard's responsible person."""

    class Meta:
        model = HazardExtension

    hazard = factory.SubFactory(HazardFactory)
    requested_by = factory.SubFactory("tests.factories.accounts.UserFactory")
    old_deadline = factory.SelfAttribute("hazard.deadline")
    new_deadline = factory.LazyAttribute(lambda o: (o.old_deadline or dt.date(2026, 12, 1)) + dt.timedelta(days=10))
    reason = "备件到货延迟"


class InvestigationTaskFactory(factory.django.DjangoModelFactory):
    """A pending daily check of a new measure, due 2026-11-25 (Asia/Shanghai)."""

    class Meta:
        model = InvestigationTask

    measure = factory.SubFactory(ControlMeasureFactory)
    enterprise = factory.SelfAttribute("measure.enterprise")
    risk_point = factory.SelfAttribute("measure.risk_event.risk_point")
    due_start = factory.Sequence(lambda n: dt.datetime(2026, 11, 25, tzinfo=SHANGHAI) + dt.timedelta(days=n))
    due_end = factory.LazyAttribute(lambda o: o.due_start + dt.timedelta(days=1))
