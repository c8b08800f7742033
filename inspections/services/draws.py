"""双随机 draws (DOMAIN.md §5 "Random draw"): a regulator admin draws enterprises and inspectors
with the pure :func:`inspections.rules.draw.draw`, stores the seed and the snapshots it ran on,
and plans one inspection per drawn enterprise. :func:`draw_rerun` re-runs a stored draw."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Enterprise, Membership, Role, User
from backend.audit.services import audit_record
from backend.core.errors import Conflict, FieldError, from_rule
from inspections.error_codes import DrawEvent
from inspections.error_codes import InspectionErrorCode as Code
from inspections.models import ConflictOfInterest, Draw, Inspection
from inspections.rules.draw import DrawError, DrawRow
from inspections.rules.draw import draw as run_draw
from inspections.rules.states import DRAW_ROLES
from inspections.selectors import candidate_weights, draw_candidates
from inspections.services.common import regulator_actor
from inspections.services.inspections import inspection_new, template_for

#: Largest N of one draw [config].
MAX_DRAW = 500


def draw_rerun(draw: Draw) -> list[DrawRow]:
    """Re-run ``draw`` from its stored seed and snapshots (pure; no write)."""
    return run_draw(int(draw.seed), draw.candidates, draw.weights, draw.roster,
                    [tuple(p) for p in draw.conflicts], draw.n)


@transaction.atomic
def draw_create(*, actor: Any, n: int, planned_on: date, filter: dict[str, Any] | None = None, weighted: bool = False,
                seed: int | None = None, title: str = "", template: tuple[str, str] | None = None) -> Draw:
    """双随机 draw by a regulator admin (DOMAIN.md §5): candidates are the jurisdiction's approved
    enterprises matching ``filter`` (the jurisdiction enterprise filters: town, industry,
    risk_level, overdue, major, supervised, q); the roster is the regulator's inspectors; declared
    conflicts are excluded. Stores seed (default ``secrets.randbits(64)``) and sorted snapshots,
    then creates one planned inspection (kind ``drawn``) per result row on ``planned_on``.

    400: ``invalid_filter`` (field ``filter``), ``too_few_candidates``/``invalid_n`` (``n``),
    ``insufficient_inspectors`` (``roster``); 403 for non-admins."""
    a = regulator_actor(actor, DRAW_ROLES)
    regulator = a.regulator
    filter = dict(filter or {})
    if not isinstance(n, int) or not 1 <= n <= MAX_DRAW:
        raise FieldError(f"抽取数量须为 1–{MAX_DRAW}。", code=Code.INVALID_N, field="n")
    if seed is None:
        seed = secrets.randbits(64)
    if seed < 0 or seed >= 2**64:
        raise FieldError("随机种子须为 0 至 2^64-1 的整数。", code=Code.INVALID_SEED, field="seed")
    candidates = draw_candidates(regulator, filter)
    weights = None
    if weighted:
        wmap = candidate_weights(candidates)
        weights = [wmap[c] for c in candidates]
    roster = sorted(Membership.objects.filter(regulator=regulator, role=Role.INSPECTOR).values_list("user_id", flat=True))
    conflicts = sorted([list(p) for p in ConflictOfInterest.objects.filter(
        inspector_id__in=roster, enterprise_id__in=candidates).values_list("inspector_id", "enterprise_id")])
    try:
        result = run_draw(seed, candidates, weights, roster, [tuple(p) for p in conflicts], n)
    except DrawError as exc:
        raise from_rule(exc, field="n" if exc.field == "candidates" else None) from exc
    tmpl = template_for(template)
    d = Draw.objects.create(regulator=regulator, title=title, filter=filter, n=n, seed=str(seed), weighted=weighted,
                            candidates=candidates, weights=weights, roster=roster, conflicts=conflicts, result=result,
                            planned_on=planned_on, created_by=a.user)
    audit_record(actor=a.user, action=DrawEvent.CREATE, obj=d, regulator=regulator,
                 payload={"seed": str(seed), "n": n, "candidates": len(candidates), "result": result})
    enterprises = Enterprise.objects.in_bulk([row["enterprise"] for row in result])
    users = User.objects.in_bulk([u for row in result for u in row["inspectors"]])
    for row in result:
        inspection_new(actor=a, regulator=regulator, enterprise=enterprises[row["enterprise"]], planned_on=planned_on,
                       inspectors=[users[u] for u in row["inspectors"]], template=tmpl, kind=Inspection.Kind.DRAWN,
                       draw=d, title=title)
    return d


@transaction.atomic
def draw_publish(*, actor: Any, draw: Draw) -> Draw:
    """双随机、一公开: the regulator admin publishes a draw; the public results page
    (``GET /api/v1/public/draws/``) then shows its seed, sizes and the outcomes of its *closed*
    inspections (never the inspectors, never an inspection still open). 403 for non-admins;
    409 ``already_published``."""
    a = regulator_actor(actor, DRAW_ROLES)
    d = Draw.objects.select_for_update().get(pk=draw.pk, regulator=a.regulator)
    if d.published_at is not None:
        raise Conflict("该抽查结果已公开。", code=Code.ALREADY_PUBLISHED)
    d.published_at, d.published_by = timezone.now(), a.user
    d.save(update_fields=["published_at", "published_by"])
    audit_record(actor=a.user, action=DrawEvent.PUBLISH, obj=d, regulator=a.regulator,
                 payload={"published_at": d.published_at.isoformat()})
    return d
