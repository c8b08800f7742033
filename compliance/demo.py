"""Demo data of the compliance app for ``manage.py load_demo``: the sample hidden-danger ledger,
the 重大危险源 of the tank farm with its 包保 persons, check cycles so investigation tasks exist, and
the 四色风险分布图 (a generated plant layout with three zones)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from backend.core.demo import DemoContext
from backend.core.time import local_today
from compliance.models import ControlMeasure, Hazard, PlantLayout, RiskPoint, RiskZone
from compliance.rules.hazard_states import HazardState
from compliance.services.hazards import hazard_close
from compliance.services.investigation import investigation_tasks_generate
from compliance.services.ledger_import import ledger_import
from compliance.services.register import control_measure_update, risk_point_update
from compliance.services.riskmap import plant_layout_upload, risk_zone_create

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
    closed = close_stale_accepted(actor=actor, enterprise=enterprise)
    stdout.write(f"  hazards accepted over {CLOSE_AFTER_DAYS} days ago closed (销号): {closed}")
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
    load_risk_map(ctx)


#: The demo plan's size (pixels) and its zones: name → (polygon in plan pixels, risk point codes of
#: the sample register in it). 罐区 holds SB-01 (重大) → red; 生产装置区 SB-02 (较大) → orange;
#: 公用工程区 only 低 points → blue.
PLAN_SIZE = (1600, 1000)
DEMO_ZONES: dict[str, tuple[list[list[int]], tuple[str, ...]]] = {
    "罐区": ([[80, 80], [620, 80], [620, 460], [80, 460]], ("SB-01", "SB-09")),
    "生产装置区": ([[700, 80], [1520, 80], [1520, 460], [700, 460]], ("SB-02", "SB-03", "SB-13")),
    "公用工程区": ([[80, 540], [820, 540], [820, 920], [80, 920]], ("SB-04", "SB-06", "SB-10")),
}


#: A demo hazard verified (验收) more than this many days ago has been closed (销号) by now; the
#: recent ones stay ``accepted`` so the demo shows a few awaiting 销号, as a real ledger does.
CLOSE_AFTER_DAYS = 7


def close_stale_accepted(*, actor: object, enterprise: object, now: datetime | None = None) -> int:
    """Close (销号, through :func:`hazard_close`) the ``accepted`` hazards of ``enterprise`` whose
    acceptance (``accepted_on``, else ``accepted_at``) is more than :data:`CLOSE_AFTER_DAYS` days
    before ``now``; supervised hazards without the regulator's sign-off stay accepted. Returns how
    many were closed (0 on a second run: idempotent)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=CLOSE_AFTER_DAYS)
    stale = Hazard.objects.filter(enterprise=enterprise, state=HazardState.ACCEPTED).filter(
        Q(accepted_on__lt=local_today(cutoff)) | Q(accepted_on__isnull=True, accepted_at__lt=cutoff)
    ).exclude(supervised=True, regulator_signed_off_at__isnull=True)
    closed = 0
    for hazard in stale.order_by("pk"):
        hazard_close(actor=actor, hazard=hazard, comment="演示数据：验收满一周已销号")
        closed += 1
    return closed


def demo_plan_png() -> bytes:
    """A simple plant layout drawn with Pillow (site boundary, roads, the outlines of the tank farm, the
    process units, the utilities, the warehouse and the office; no text, so no font is needed)."""
    from PIL import Image, ImageDraw

    w, h = PLAN_SIZE
    img = Image.new("RGB", (w, h), (245, 245, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([20, 20, w - 20, h - 20], outline=(60, 60, 60), width=6)  # site boundary
    d.rectangle([20, 480, w - 20, 520], fill=(200, 200, 200))  # east-west road
    d.rectangle([650, 20, 680, h - 20], fill=(200, 200, 200))  # north-south road
    for cx, cy in ((200, 200), (380, 200), (200, 360), (380, 360)):  # tanks
        d.ellipse([cx - 60, cy - 60, cx + 60, cy + 60], outline=(90, 90, 90), width=4)
    d.rectangle([500, 120, 600, 420], outline=(90, 90, 90), width=3)  # loading rack
    for x in range(740, 1500, 190):  # process units
        d.rectangle([x, 120, x + 150, 420], outline=(90, 90, 90), width=4)
    d.line([700, 300, 1520, 300], fill=(120, 120, 160), width=8)  # pipe rack
    for x0 in (120, 360, 600):  # utilities: substation, air compressors, cooling water
        d.rectangle([x0, 580, x0 + 180, 880], outline=(90, 90, 90), width=4)
    d.rectangle([900, 580, 1250, 880], outline=(90, 90, 90), width=4)  # warehouse
    d.rectangle([1300, 580, 1540, 880], outline=(90, 90, 90), width=4)  # office
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def load_risk_map(ctx: DemoContext) -> None:
    """Upload the generated plant layout (once) and draw :data:`DEMO_ZONES` (each once, by name)."""
    enterprise, actor = ctx.enterprise, ctx.users.get("officer")
    if not PlantLayout.objects.filter(enterprise=enterprise).exists():
        plant_layout_upload(actor=actor, enterprise=enterprise, upload=ContentFile(demo_plan_png(), name="厂区平面图.png"))
    made = 0
    for name, (polygon, codes) in DEMO_ZONES.items():
        if RiskZone.objects.filter(enterprise=enterprise, name=name).exists():
            continue
        points = list(RiskPoint.objects.filter(enterprise=enterprise, code__in=codes))
        risk_zone_create(actor=actor, enterprise=enterprise, name=name, polygon=polygon, points=points)
        made += 1
    ctx.write(f"  四色风险分布图: plant layout {PLAN_SIZE[0]}×{PLAN_SIZE[1]}, zones created: {made}")
