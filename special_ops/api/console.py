"""Console reads that combine the compliance and special_ops data (issue 15 §1), enterprise members
only: ``GET /api/v1/me/todos/`` (my to-dos) and ``GET /api/v1/dashboard/`` (工作台 figures).
They live in special_ops because they read both apps (layers: compliance ← special_ops)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.actors import actor_of, require_enterprise
from backend.core.errors import FieldError
from special_ops.dashboard import dashboard_of
from special_ops.todos import TODO_KINDS, todos_of


def no_query_params(request) -> None:
    """These reads take no parameters: any is 400 ``unknown_filter`` naming it."""
    if request.query_params:
        bad = sorted(request.query_params)[0]
        raise FieldError(f"未知的筛选参数：{bad}。", code="unknown_filter", field=bad)


class TodoOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(TODO_KINDS), help_text="待办类别")
    kind_display = serializers.CharField(help_text="类别中文名")
    object_type = serializers.ChoiceField(choices=["hazard", "permit", "investigation_task"])
    object_id = serializers.IntegerField()
    number = serializers.CharField(help_text="隐患编号 / 作业票编号 / 风险点编号")
    title = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True, help_text="整改期限 / 计划开始 / 排查截止（无则 null）")
    overdue = serializers.BooleanField()
    action = serializers.CharField(help_text="要执行的操作（隐患状态机动作、approve、accept、record）")
    step = serializers.CharField(allow_null=True, help_text="作业票待签署的环节代码（approve 的 step）")
    link = serializers.CharField(help_text="对象的 API 路径")


class TodosOut(serializers.Serializer):
    items = TodoOut(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="各类别总数（items 每类最多 50 条）")
    total = serializers.IntegerField()


class MyTodosView(APIView):
    """我的待办：当前用户此刻要做的事（一次请求）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TodosOut}, summary="我的待办：待确认/整改/验收/销号的隐患、待签署的作业票环节、今日排查任务",
                   description="企业成员；监管部门用户 403 enterprise_only。任何查询参数 400 unknown_filter。"
                               "规则见 special_ops.todos.todos_of；每类最多 50 条，counts 为总数。")
    def get(self, request):
        no_query_params(request)
        actor = actor_of(request)
        require_enterprise(actor)
        return Response(TodosOut(todos_of(actor)).data)


class LinkOut(serializers.Serializer):
    path = serializers.CharField(help_text="列表的 API 路径")
    params = serializers.DictField(help_text="筛选参数（值为列表时重复该参数）")
    query = serializers.CharField(help_text="编码后的查询串：GET <path>?<query> 的 count 即该数字")


class FigureOut(serializers.Serializer):
    count = serializers.IntegerField()
    link = LinkOut(allow_null=True)


class LevelFigureOut(FigureOut):
    level = serializers.CharField(help_text="风险等级代码（空：未评估）")
    label = serializers.CharField()
    colour = serializers.ChoiceField(choices=["red", "orange", "yellow", "blue", "grey"])
    colour_label = serializers.CharField(help_text="红/橙/黄/蓝/未评估")
    colour_hex = serializers.CharField(help_text="#FF0000 / #FFA500 / #FFFF00 / #0000FF / #9E9E9E")


class StateFigureOut(FigureOut):
    state = serializers.CharField()
    label = serializers.CharField()


class RectificationOut(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM（Asia/Shanghai）")
    rate = serializers.FloatField(allow_null=True, help_text="整改率（%），本月无发现时为 null")
    found = FigureOut(help_text="本月发现（不含驳回）")
    fixed = FigureOut(help_text="其中已验收或销号")
    rule = serializers.CharField()


class DashboardOut(serializers.Serializer):
    as_of = serializers.DateTimeField()
    risk_points = LevelFigureOut(many=True, help_text="风险点按四色等级（重大→低，末项未评估）")
    hazards_open_by_state = StateFigureOut(many=True, help_text="未销号隐患按状态")
    hazards_open = FigureOut()
    hazards_overdue = FigureOut()
    hazards_major_open = FigureOut()
    tasks_due_today = FigureOut()
    permits_live = FigureOut()
    rectification = RectificationOut()


class DashboardView(APIView):
    """工作台：本企业的风险、隐患、排查任务、作业票与本月整改率，每个数字附可复现它的列表查询。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: DashboardOut}, summary="企业工作台数字（每项附列表查询）",
                   description="企业成员；监管部门用户 403 enterprise_only（监管端见 /audit/enterprises/summary/）。"
                               "定义见 special_ops.dashboard；查询次数恒定。任何查询参数 400 unknown_filter。")
    def get(self, request):
        no_query_params(request)
        enterprise = require_enterprise(actor_of(request))
        return Response(DashboardOut(dashboard_of(enterprise)).data)
