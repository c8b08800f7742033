"""Demo data of the regulator side, called by ``manage.py load_demo`` (``make run``): a 双随机
draw over the 高青县 sample enterprises and a closed inspection of the sample enterprise with
findings (one ordered rectified → a hazard at the enterprise). Idempotent: each piece is looked
up by its demo title first, so a second run creates nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from backend.accounts.models import Enterprise
from backend.core.demo import DemoContext
from backend.core.time import local_today
from inspections.models import Draw, Inspection
from inspections.rules.checklists import DEFAULT_TEMPLATE, TEMPLATES
from inspections.selectors import jurisdiction_enterprises
from inspections.services import draws as draw_services
from inspections.services import inspections as inspection_services

DRAW_TITLE = "演示：2026年第一批双随机抽查"
INSPECTION_TITLE = "演示：双重预防机制专项执法检查"
DRAW_SEED = 20260601  # fixed so the demo draw is the same on every machine
FAILED_ITEMS = {"DP-04": "部分管控措施未明确到岗位", "DP-08": "动火作业票气体分析记录不全"}


@transaction.atomic
def load(ctx: DemoContext) -> None:
    """A 双随机 draw and one inspection of the sample enterprise with findings (idempotent)."""
    enterprise, users, regulator, stdout = ctx.enterprise, ctx.users, ctx.regulator, ctx.stdout
    inspection_services.template_sync()
    inspector, inspector2, regadmin = users["inspector"], users["inspector2"], users["regadmin"]

    if Draw.objects.filter(regulator=regulator, title=DRAW_TITLE).exists():
        stdout.write(f"  draw '{DRAW_TITLE}' exists")
    else:
        approved = jurisdiction_enterprises(regulator).filter(status=Enterprise.Status.APPROVED).count()
        if approved:
            d = draw_services.draw_create(actor=regadmin, n=min(3, approved), planned_on=local_today() + timedelta(days=7),
                                weighted=True, seed=DRAW_SEED, title=DRAW_TITLE)
            stdout.write(f"  draw {d.pk}: {len(d.candidates)} candidates → {[r['enterprise'] for r in d.result]}")
            _close_first_drawn(d)
            draw_services.draw_publish(actor=regadmin, draw=d)
            stdout.write(f"  draw {d.pk} published (GET /api/v1/public/draws/)")
        else:
            stdout.write("  no approved enterprise in the jurisdiction: no draw")

    if Inspection.objects.filter(regulator=regulator, enterprise=enterprise, title=INSPECTION_TITLE).exists():
        stdout.write(f"  inspection '{INSPECTION_TITLE}' exists")
        return
    today = local_today()
    insp = inspection_services.inspection_create(actor=inspector, enterprise=enterprise, planned_on=today,
                                 inspectors=[inspector, inspector2], template=DEFAULT_TEMPLATE, title=INSPECTION_TITLE)
    inspection_services.inspection_start(actor=inspector, inspection=insp)
    items = next(t["items"] for t in TEMPLATES if (t["code"], t["version"]) == DEFAULT_TEMPLATE)
    inspection_services.inspection_record_results(actor=inspector, inspection=insp, results=[
        {"item_code": i["code"], "result": "fail" if i["code"] in FAILED_ITEMS else "pass",
         "note": FAILED_ITEMS.get(i["code"], "")} for i in items])
    f1 = inspection_services.finding_add(actor=inspector, inspection=insp, item_code="DP-08", text="动火作业票未附气体分析记录",
                         location="酯化车间", deadline=today + timedelta(days=15))
    inspection_services.finding_add(actor=inspector2, inspection=insp, item_code="DP-04", text="部分岗位管控措施未明确责任人",
                    order_rectification=False)
    inspection_services.inspection_close(actor=inspector, inspection=insp, summary="发现问题2项，责令限期整改1项。")
    stdout.write(f"  inspection {insp.pk} closed with 2 findings (hazard {f1.hazard.number})")


def _close_first_drawn(d: Draw) -> None:
    """The draw's first inspection done without findings, so the public results page (双随机、一公开)
    shows a closed outcome beside the ones still planned."""
    insp = Inspection.objects.filter(draw=d).order_by("id").first()
    if insp is None:
        return
    actor = insp.inspectors.order_by("id").first()
    inspection_services.inspection_start(actor=actor, inspection=insp)
    inspection_services.inspection_record_results(actor=actor, inspection=insp, results=[
        {"item_code": i["code"], "result": "pass"} for i in insp.template.items])
    inspection_services.inspection_close(actor=actor, inspection=insp, summary="未发现问题。")
