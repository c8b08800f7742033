"""Demo data of the compliance app for ``manage.py load_demo``: the sample hidden-danger ledger,
the 重大危险源 of the tank farm with its 包保 persons, and check cycles so investigation tasks exist."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backend.core.demo import DemoContext
from compliance.models import ControlMeasure, RiskPoint
from compliance.services.investigation import investigation_tasks_generate
from compliance.services.ledger_import import ledger_import
from compliance.services.register import control_measure_update, risk_point_update

#: SB-01 储罐区 holds the company's 重大危险源 (shared/data/README.md §2); 包保 persons are the sample's principal etc.
MAJOR_HAZARD_SOURCE = {"code": "SB-01", "mhs_principal": "韩德茂", "mhs_technical": "王志强", "mhs_operational": "刘晓燕"}
#: Check cycles by measure category [config defaults, DOMAIN.md §3]: patrol-type measures daily, the rest weekly.
CYCLES = {"engineering": (1, "day"), "management": (7, "day"), "emergency": (1, "month")}


def load(ctx: DemoContext) -> None:
    """Import ``隐患排查治理台账_示例化工.xlsx``, mark SB-01 as 重大危险源 and generate this week's tasks (idempotent)."""
    enterprise, users, stdout = ctx.enterprise, ctx.users, ctx.stdout
    actor = users.get("officer")
    report = ledger_import(actor=actor, enterprise=enterprise,
                           source=settings.SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx")
    stdout.write("  ledger: " + "  ".join(f"{k}={v}" for k, v in report.counts.items()))
    for err in report.errors:
        stdout.write(f"  error: {err.message}")
    point = RiskPoint.objects.filter(enterprise=enterprise, code=MAJOR_HAZARD_SOURCE["code"]).first()
    if point is None:
        return
    risk_point_update(actor=actor, point=point, is_major_hazard_source=True,
                      **{k: v for k, v in MAJOR_HAZARD_SOURCE.items() if k != "code"})
    for measure in ControlMeasure.objects.filter(risk_event__risk_point=point, check_cycle__isnull=True):
        if measure.category in CYCLES:
            n, unit = CYCLES[measure.category]
            control_measure_update(actor=actor, measure=measure, check_cycle=n, check_cycle_unit=unit)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    created = investigation_tasks_generate(start=today - timedelta(days=7), end=today + timedelta(days=7), enterprise=enterprise)
    stdout.write(f"  SB-01 marked 重大危险源 (包保 {MAJOR_HAZARD_SOURCE['mhs_principal']} …); investigation tasks created: {created}")
