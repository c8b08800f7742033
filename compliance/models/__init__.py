"""Models of the enterprise register (risk points, events, measures) and of hidden dangers."""

from compliance.models.register import ControlMeasure, RiskEvent, RiskPoint  # noqa: F401
