"""The risk register (安全风险分级管控): risk points, their risk events and control measures.

Level fields are derived (from the assessment rules in :mod:`compliance.rules.assessment`) and
stored so they can be filtered and ordered in the database; the register services recompute them
on every write, so a risk point's level is always the highest of its events' levels.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from compliance.rules.assessment import ControlLevel, RiskLevel

LEVEL_CHOICES = [(lv.value, lv.label) for lv in RiskLevel]
CONTROL_LEVEL_CHOICES = [(cl.value, cl.label) for cl in ControlLevel]
#: The largest value an integer column holds on PostgreSQL: stated on the fields so the API's bounds (and the
#: OpenAPI schema the console's client is generated from) are the same on SQLite and PostgreSQL.
INT32_MAX = 2_147_483_647


class RiskPoint(models.Model):
    """A risk point (风险点 / 安全风险分析单元): a facility, place or activity that carries risk."""

    class Kind(models.TextChoices):
        FACILITY = "facility", "设备设施"
        ACTIVITY = "activity", "作业活动"
        PLACE = "place", "场所区域"

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="risk_points")
    code = models.CharField("编号", max_length=30)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    location = models.CharField("区域位置", max_length=200, blank=True)
    department = models.CharField("责任单位", max_length=100, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    control_level = models.CharField("管控层级", max_length=12, choices=CONTROL_LEVEL_CHOICES, blank=True)
    is_major_hazard_source = models.BooleanField("含重大危险源", default=False)
    mhs_principal = models.CharField("包保主要负责人", max_length=50, blank=True)
    mhs_technical = models.CharField("包保技术负责人", max_length=50, blank=True)
    mhs_operational = models.CharField("包保操作负责人", max_length=50, blank=True)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    level = models.CharField("风险等级", max_length=10, choices=LEVEL_CHOICES, blank=True, db_index=True)
    residual_level = models.CharField("残余风险等级", max_length=10, choices=LEVEL_CHOICES, blank=True)
    needs_reassessment = models.BooleanField("需重新评估", default=False)
    reassessment_reason = models.CharField("重新评估原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "风险点"
        verbose_name_plural = "风险点"
        ordering = ("enterprise", "code")
        constraints = [models.UniqueConstraint(fields=("enterprise", "code"), name="riskpoint_code_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RiskEvent(models.Model):
    """A risk event (危险源 / 安全风险事件) of a risk point, with its assessment.

    ``method`` is ``lec`` (inputs l, e, c), ``ls`` (l, s) or ``mes`` (m, e, s); ``score`` and
    ``level`` are computed. ``direct_major`` forces 重大 with a recorded reason (DOMAIN.md §2).
    ``written_score``/``written_level`` keep what an imported register said, and ``flagged`` marks
    a row whose written values disagree with the computed ones.
    """

    class Method(models.TextChoices):
        LEC = "lec", "LEC 作业条件危险性分析"
        LS = "ls", "LS 风险矩阵"
        MES = "mes", "MES"

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey(RiskPoint, verbose_name="风险点", on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField("序号", null=True, blank=True, validators=[MaxValueValidator(INT32_MAX)])
    step = models.CharField("作业步骤/检查项目", max_length=200, blank=True)
    standard = models.TextField("标准", blank=True)
    description = models.TextField("危险源或潜在事件")
    accident_types = models.JSONField("可能导致的事故类型", default=list, blank=True)
    #: What the register wrote beside the GB 6441 names (the consequence in brackets, e.g. 人员受伤 of
    #: 「物体打击（人员受伤）」), kept as text; several are ``；``-joined.
    accident_consequence = models.CharField("事故后果", max_length=200, blank=True)
    method = models.CharField("评价方法", max_length=3, choices=Method.choices)
    l = models.DecimalField("L", max_digits=6, decimal_places=2, null=True, blank=True)  # noqa: E741
    e = models.DecimalField("E", max_digits=6, decimal_places=2, null=True, blank=True)
    c = models.DecimalField("C", max_digits=6, decimal_places=2, null=True, blank=True)
    s = models.DecimalField("S", max_digits=6, decimal_places=2, null=True, blank=True)
    m = models.DecimalField("M", max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("风险值", max_digits=10, decimal_places=2)
    level = models.CharField("风险等级", max_length=10, choices=LEVEL_CHOICES, db_index=True)
    direct_major = models.BooleanField("直接判定重大", default=False)
    direct_major_reason = models.CharField("直接判定理由", max_length=30, blank=True)
    residual_level = models.CharField("残余风险等级", max_length=10, choices=LEVEL_CHOICES, blank=True)
    control_level = models.CharField("管控层级", max_length=12, choices=CONTROL_LEVEL_CHOICES, blank=True)
    department = models.CharField("责任单位", max_length=100, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    written_score = models.DecimalField("登记风险值", max_digits=10, decimal_places=2, null=True, blank=True)
    written_level = models.CharField("登记风险等级", max_length=20, blank=True)
    flagged = models.BooleanField("待复核", default=False)
    flag_reason = models.CharField("复核原因", max_length=200, blank=True)
    source_ref = models.CharField("导入来源", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "风险事件"
        verbose_name_plural = "风险事件"
        ordering = ("risk_point", "seq", "id")
        indexes = [models.Index(fields=("enterprise", "level"), name="riskevent_ent_level_idx")]

    def __str__(self) -> str:
        return self.description[:40]


class ControlMeasure(models.Model):
    """A control measure (管控措施) of a risk event, with its investigation check cycle."""

    class Category(models.TextChoices):
        ENGINEERING = "engineering", "工程技术"
        MANAGEMENT = "management", "管理"
        TRAINING = "training", "培训教育"
        PPE = "ppe", "个体防护"
        EMERGENCY = "emergency", "应急处置"

    class CycleUnit(models.TextChoices):
        HOUR = "hour", "小时"
        DAY = "day", "天"
        MONTH = "month", "月"
        YEAR = "year", "年"

    class DayType(models.TextChoices):
        EVERY_DAY = "every_day", "每天"
        WORKDAY = "workday", "工作日"
        NON_WORKDAY = "non_workday", "非工作日"

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    risk_event = models.ForeignKey(RiskEvent, verbose_name="风险事件", on_delete=models.CASCADE, related_name="measures")
    category = models.CharField("措施类别", max_length=12, choices=Category.choices)
    text = models.TextField("措施内容")
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    control_level = models.CharField("管控层级", max_length=12, choices=CONTROL_LEVEL_CHOICES, blank=True)
    check_cycle = models.PositiveIntegerField("排查周期", null=True, blank=True, validators=[MaxValueValidator(INT32_MAX)])
    check_cycle_unit = models.CharField("周期单位", max_length=6, choices=CycleUnit.choices, blank=True)
    day_type = models.CharField("排查日类型", max_length=12, choices=DayType.choices, default=DayType.EVERY_DAY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "管控措施"
        verbose_name_plural = "管控措施"
        ordering = ("risk_event", "id")

    def __str__(self) -> str:
        return f"[{self.get_category_display()}] {self.text[:30]}"
