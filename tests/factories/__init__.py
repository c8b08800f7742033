"""factory_boy factories, one module per app (model-level: valid rows, no services, no audit
events). The historical names are re-exported here so ``from tests.factories import …`` works."""

from tests.factories.accounts import (
    EnterpriseFactory,
    MembershipFactory,
    NotificationFactory,
    RegulatorFactory,
    UserFactory,
    make_uscc,
    member,
)
from tests.factories.compliance import RiskPointFactory

__all__ = [
    "EnterpriseFactory",
    "MembershipFactory",
    "NotificationFactory",
    "RegulatorFactory",
    "RiskPointFactory",
    "UserFactory",
    "make_uscc",
    "member",
]
