"""The platform's notion of "today": the calendar date in Asia/Shanghai (TIME_ZONE), from ``timezone.now()``
so time-machine moves it in tests."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def local_today() -> date:
    """Today's date in Asia/Shanghai."""
    return timezone.localdate(timezone.now())
