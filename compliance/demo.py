"""Demo data of the compliance app for ``manage.py load_demo``: the sample hidden-danger ledger."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from compliance.services.ledger import ledger_import


def load(*, enterprise: Any, users: dict[str, Any], regulator: Any, stdout: Any) -> None:
    """Import ``隐患排查治理台账_示例化工.xlsx`` into the sample enterprise (idempotent)."""
    report = ledger_import(actor=users.get("officer"), enterprise=enterprise,
                           source=settings.SHARED_DATA_DIR / "隐患排查治理台账_示例化工.xlsx")
    counts = report.as_dict()
    stdout.write("  " + "  ".join(f"{k}={v}" for k, v in counts.get("counts", counts).items() if not isinstance(v, list)))
    for err in counts.get("errors", []):
        stdout.write(f"  error: {err}")
