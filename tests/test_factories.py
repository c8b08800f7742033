"""Every factory builds a row the models' own validation accepts (``full_clean``), saved."""

from __future__ import annotations

import factory
import pytest

from tests.factories import accounts, compliance, inspections, special_ops

pytestmark = pytest.mark.django_db

FACTORIES = sorted(
    (f for module in (accounts, compliance, special_ops, inspections) for f in vars(module).values()
     if isinstance(f, type) and issubclass(f, factory.django.DjangoModelFactory) and f.__module__ == module.__name__),
    key=lambda f: f.__name__,
)


def test_every_main_model_has_a_factory():
    models = {f._meta.model.__name__ for f in FACTORIES}
    assert {"Enterprise", "Regulator", "User", "Membership", "Notification", "RiskPoint", "RiskEvent", "ControlMeasure",
            "Hazard", "HazardPhoto", "HazardExtension", "InvestigationTask", "WorkPermit", "HotWorkDetail", "GasTest",
            "PermitWorker", "InspectionTemplate", "Inspection", "Finding", "Draw", "ConflictOfInterest",
            "WhistleblowerReport", "ReportJob"} <= models


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_row(factory_class):
    first, second = factory_class(), factory_class()
    for obj in (first, second):
        obj.full_clean()
        assert type(obj).objects.filter(pk=obj.pk).exists()
