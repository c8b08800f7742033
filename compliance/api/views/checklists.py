"""``GET /api/v1/checklists/``: the major-hazard judgement checklists (重大事故隐患判定标准) that
apply to an enterprise, with their items — the ones its rule set names (DOMAIN.md §3; issue 14): a
化工 plant chem-2017; a 工贸 plant 令第10号's general list (第三条、第十一至十三条) plus its sector's
article only (a 机械 plant 第七条; 商贸 none), every sector article while its industry names no sector.

An enterprise member gets its own enterprise's; a regulator member passes ``?enterprise=<id>`` of
an enterprise in its jurisdiction (another's, or an id that does not exist: 404 ``not_found``), or
no parameter for every checklist (reference data, ``enterprise`` and ``rule_set`` null). Unknown
parameters: 400 ``unknown_filter``; a non-numeric ``enterprise``: 400 ``invalid`` naming it.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Enterprise
from backend.core.actors import actor_of
from backend.core.api.viewsets import scope_queryset
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError, NotFound
from compliance.rules.major_hazard import CHECKLIST_SCOPES, MAJOR_HAZARD_CHECKLISTS, Checklist


class ChecklistItemOut(serializers.Serializer):
    no = serializers.IntegerField(help_text="勾选时提交的编号（令第10号：条 × 100 + 项，如 1103）")
    article = serializers.CharField(help_text="条款（如 第十一条第（三）项；2017 标准为空）")
    scope = serializers.CharField(help_text="适用范围：general / dust / ammonia / confined_space / 行业（metallurgy、"
                                            "nonferrous、building_materials、machinery、light_industry、textile、"
                                            "tobacco）/ 空")
    scope_label = serializers.CharField()
    text = serializers.CharField()
    verbatim = serializers.BooleanField(help_text="true：原文；false：释义（以官方原文为准）")


class ChecklistOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    version = serializers.CharField()
    in_force = serializers.CharField(help_text="施行日期（YYYY-MM-DD，未知为空）")
    note = serializers.CharField()
    complete = serializers.BooleanField(help_text="false：原文部分条款未收录（见 note），判定时须对照原文")
    items = ChecklistItemOut(many=True)


class ChecklistsOut(serializers.Serializer):
    enterprise = serializers.IntegerField(allow_null=True)
    rule_set = serializers.DictField(allow_null=True, help_text="{kind, label, name, sector, sector_label}（工贸企业的"
                                                                "行业决定适用令第10号第四条至第十条中的哪一条）")
    checklists = ChecklistOut(many=True)


def _checklist_data(checklist: Checklist) -> dict:
    return {
        "code": checklist.code, "title": checklist.title, "source": checklist.source, "version": checklist.version,
        "in_force": checklist.in_force, "note": checklist.note, "complete": checklist.complete,
        "items": [{"no": i.no, "article": i.article, "scope": i.scope, "scope_label": CHECKLIST_SCOPES.get(i.scope, ""),
                   "text": i.text, "verbatim": i.verbatim} for i in checklist.items],
    }


class ChecklistsView(APIView):
    """重大事故隐患判定标准：适用于企业的判定标准及其条款。"""

    @extend_schema(parameters=[OpenApiParameter("enterprise", int, description="企业 id（监管端）")],
                   responses=ChecklistsOut, summary="适用的重大事故隐患判定标准（含条款）")
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"enterprise"})
        if unknown:
            raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
        actor = actor_of(request)
        raw = request.query_params.get("enterprise")
        if actor.is_regulator and raw in (None, ""):
            return Response({"enterprise": None, "rule_set": None,
                             "checklists": [_checklist_data(c) for c in MAJOR_HAZARD_CHECKLISTS.values()]})
        if raw not in (None, "") and not (raw.isascii() and raw.isdigit() and len(raw) < 18):
            raise FieldError("企业 id 须为正整数。", code="invalid", field="enterprise")
        qs = scope_queryset(Enterprise.objects.all(), request.user, None)
        ent = qs.filter(pk=int(raw)).first() if raw not in (None, "") else qs.filter(pk=actor.enterprise_id).first()
        if ent is None:
            raise NotFound("对象不存在或不属于调用方的组织。", code=CoreErrorCode.NOT_FOUND)
        rule_set = ent.rule_set
        return Response({
            "enterprise": ent.pk, "rule_set": {"kind": rule_set.kind, "label": rule_set.label, "name": rule_set.name,
                                                "sector": rule_set.sector, "sector_label": rule_set.sector_label},
            "checklists": [_checklist_data(MAJOR_HAZARD_CHECKLISTS[c]) for c in rule_set.checklists],
        })
