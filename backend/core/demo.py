"""What ``manage.py load_demo`` hands each app's demo loader: ``<app>.demo.load(ctx)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoContext:
    """The demo's sample enterprise, its regulator (高青县应急管理局), the demo users keyed by
    username and by role alias (``officer``/``safety_officer``, ``entadmin``/``admin``,
    ``regadmin``/``regulator_admin``, ``unitlead``/``unit_lead``, ``employee``, ``principal``,
    ``inspector``, ``inspector2``) and the command's output stream."""

    enterprise: Any
    regulator: Any
    users: dict[str, Any]
    stdout: Any

    def write(self, line: str) -> None:
        self.stdout.write(line)
