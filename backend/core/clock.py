"""Re-export of :func:`backend.core.time.local_today` (the old home; import from ``backend.core.time``)."""

from backend.core.time import local_today

__all__ = ["local_today"]
