"""Models of the enterprise register (risk points, events, measures) and of hidden dangers."""

from compliance.models.daily import DailyRiskCommitment  # noqa: F401
from compliance.models.escalation import HazardEscalation  # noqa: F401
from compliance.models.hazards import (  # noqa: F401
    Hazard,
    HazardExtension,
    HazardNumberCounter,
    HazardPhoto,
    InvestigationRecord,
    InvestigationTask,
)
from compliance.models.imports import ImportJob  # noqa: F401
from compliance.models.register import ControlMeasure, RiskEvent, RiskPoint  # noqa: F401
from compliance.models.report_keys import HazardReportKey  # noqa: F401
from compliance.models.riskmap import PlantLayout, RiskZone, RiskZonePoint  # noqa: F401
