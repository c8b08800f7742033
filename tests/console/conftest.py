"""Fixtures of the console API tests (reuse the hazard and permit fixtures)."""

from tests.compliance.conftest import clock, file_hazard, measure, point  # noqa: F401
from tests.special_ops.conftest import driver, points  # noqa: F401
