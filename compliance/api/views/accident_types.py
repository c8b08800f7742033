"""``/api/v1/accident-types/``: the GB 6441 accident-type vocabularies (1986 and 2025), the mapping
between them, and the caller's enterprise's choice of standard for its exports (issue 14 §13).

* ``GET /accident-types/`` — ``{standard, standard_label, standards, types_1986, types_2025, mappings,
  note}``; ``standard`` is the enterprise's (null for a regulator: reference data). Unknown query
  parameters: 400 ``unknown_filter``.
* ``POST /accident-types/standard/`` ``{standard: "gb6441-1986" | "gb6441-2025"}`` — enterprise
  managers (admin, safety officer, principal) set it (audited ``enterprise.set_accident_standard``);
  400 ``invalid_choice`` naming ``standard``; 403 ``enterprise_only`` (regulators) / ``role_not_allowed``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.actors import actor_of
from backend.core.api import validated
from backend.core.errors import FieldError
from compliance.rules import accident_types as at
from compliance.services.accident_standard import enterprise_set_accident_standard


class AccidentType1986Out(serializers.Serializer):
    code = serializers.IntegerField(help_text="GB 6441-1986 类别代码 1–20")
    name = serializers.CharField()


class AccidentType2025Out(serializers.Serializer):
    name = serializers.CharField()
    confirmed = serializers.BooleanField(help_text="false：名称未能由两份以上公开资料一致确认（[unconfirmed]）")
    note = serializers.CharField()


class MappingOut(serializers.Serializer):
    source = serializers.CharField(help_text="名称所属标准：gb6441-1986 / gb6441-2025")
    name = serializers.CharField()
    target = serializers.CharField(help_text="另一标准中的名称")
    basis = serializers.CharField()


class StandardOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class AccidentTypesOut(serializers.Serializer):
    standard = serializers.CharField(allow_null=True, help_text="企业导出所用的标准（监管端为 null）")
    standard_label = serializers.CharField(allow_null=True)
    standards = StandardOut(many=True)
    types_1986 = AccidentType1986Out(many=True)
    types_2025 = AccidentType2025Out(many=True)
    mappings = MappingOut(many=True)
    note = serializers.CharField()


class AccidentStandardIn(serializers.Serializer):
    standard = serializers.ChoiceField(choices=list(at.STANDARD_LABELS))


def _body(standard: str | None) -> dict:
    return {
        "standard": standard, "standard_label": at.STANDARD_LABELS[standard] if standard else None,
        "standards": [{"code": code, "label": label} for code, label in at.STANDARD_LABELS.items()],
        "types_1986": [{"code": code, "name": name} for code, name in at.ACCIDENT_TYPES.items()],
        "types_2025": [{"name": t.name, "confirmed": t.confirmed, "note": t.note} for t in at.GB6441_2025_TYPES],
        "mappings": [{"source": m.source, "name": m.name, "target": m.target, "basis": m.basis} for m in at.MAPPINGS],
        "note": "登记时两种标准的名称均可使用；导出按企业选择的标准换名（有对应关系的换名，无对应的保留原名并注明标准）。"
                "GB 6441-2025 的类别代码未收录（未能确认）。",
    }


class AccidentTypesView(APIView):
    """事故类型（GB 6441-1986 / GB 6441-2025）：两种标准的名称、对应关系和企业选择的导出标准。"""

    @extend_schema(responses=AccidentTypesOut, summary="事故类型标准、名称与对应关系")
    def get(self, request):
        unknown = sorted(request.query_params)
        if unknown:
            raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
        ent = actor_of(request).enterprise
        return Response(_body(ent.accident_standard if ent is not None else None))


class AccidentStandardView(APIView):
    """企业选择导出所用的事故类型标准。"""

    @extend_schema(request=AccidentStandardIn, responses=AccidentTypesOut, summary="设置企业的事故类型标准（导出所用）")
    def post(self, request):
        body = validated(AccidentStandardIn, request.data)
        ent = enterprise_set_accident_standard(actor=request.user, standard=body["standard"])
        return Response(_body(ent.accident_standard))
