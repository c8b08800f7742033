"""The beat schedule, in one place. Sweeps are idempotent, so a second beat cannot double-send."""

from __future__ import annotations

BEAT_SCHEDULE: dict[str, dict] = {}
