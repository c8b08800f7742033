"""Regulator side (DOMAIN.md §5): inspections with checklists and findings, follow-ups (复查),
双随机 draws with their snapshots, declared conflicts of interest, and whistleblower reports (吹哨人).

Writes go through :mod:`inspections.services`; every write appends an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from inspections.rules.states import FindingStatus, InspectionState, WhistleblowerStatus

USER = settings.AUTH_USER_MODEL


class InspectionTemplate(models.Model):
    """A versioned inspection checklist (检查表); rows come from :mod:`inspections.rules.checklists`.

    ``items``: ``[{"code": "DP-01", "text": "…", "basis": "…"}, …]``. Never edited in place."""

    code = models.CharField("编码", max_length=40)
    version = models.CharField("版本", max_length=20)
    title = models.CharField("名称", max_length=100)
    items = models.JSONField("检查项", default=list)

    class Meta:
        verbose_name = "检查表模板"
        verbose_name_plural = "检查表模板"
        ordering = ("code", "version")
        constraints = [models.UniqueConstraint(fields=("code", "version"), name="inspection_template_code_version")]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class ConflictOfInterest(models.Model):
    """A declared conflict of interest (回避): ``inspector`` is never drawn for ``enterprise``."""

    regulator = models.ForeignKey("accounts.Regulator", verbose_name="监管部门", on_delete=models.CASCADE, related_name="+")
    inspector = models.ForeignKey(USER, verbose_name="执法人员", on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("回避原因", max_length=200)
    declared_by = models.ForeignKey(USER, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益冲突回避"
        verbose_name_plural = "利益冲突回避"
        ordering = ("id",)
        constraints = [models.UniqueConstraint(fields=("inspector", "enterprise"), name="conflict_inspector_enterprise")]


class Draw(models.Model):
    """One 双随机 draw with everything needed to re-run it (:func:`inspections.rules.draw.draw`).

    ``seed`` is a decimal string (a 64-bit value does not fit a signed bigint). ``candidates``:
    sorted enterprise ids; ``weights``: one int per candidate, or null when unweighted; ``roster``:
    sorted inspector user ids; ``conflicts``: sorted ``[inspector_id, enterprise_id]`` pairs;
    ``result``: ``[{"enterprise": id, "inspectors": [id, id]}, …]``."""

    regulator = models.ForeignKey("accounts.Regulator", verbose_name="监管部门", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=100, blank=True)
    filter = models.JSONField("筛选条件", default=dict, blank=True)
    n = models.PositiveIntegerField("抽取企业数")
    seed = models.CharField("随机种子", max_length=20)
    weighted = models.BooleanField("按风险等级加权", default=False)
    candidates = models.JSONField("候选企业快照", default=list)
    weights = models.JSONField("权重快照", null=True, blank=True)
    roster = models.JSONField("执法人员名录快照", default=list)
    conflicts = models.JSONField("回避快照", default=list)
    result = models.JSONField("抽取结果", default=list)
    planned_on = models.DateField("计划检查日期")
    created_by = models.ForeignKey(USER, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)
    #: 一公开: set by the regulator admin; the public results page then lists the draw's closed inspections.
    published_at = models.DateTimeField("公开时间", null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(USER, verbose_name="公开人", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = "双随机抽查"
        verbose_name_plural = "双随机抽查"
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return f"draw {self.pk} ({self.n})"


class Inspection(models.Model):
    """An inspection (执法检查) of one enterprise by ≥ 2 inspectors of a regulator.

    planned → in_progress → closed. ``kind``: planned, drawn (from a :class:`Draw`) or follow_up
    (复查 of ``follow_up_of``). ``template`` is the checklist version it was run against."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "计划检查"
        DRAWN = "drawn", "双随机抽查"
        FOLLOW_UP = "follow_up", "复查"

    #: planned → in_progress → closed (:data:`inspections.rules.states.INSPECTION_MACHINE`).
    State = InspectionState

    regulator = models.ForeignKey("accounts.Regulator", verbose_name="监管部门", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    draw = models.ForeignKey(Draw, verbose_name="抽查批次", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")
    follow_up_of = models.ForeignKey("self", verbose_name="复查的检查", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="follow_ups")
    title = models.CharField("名称", max_length=100, blank=True)
    planned_on = models.DateField("检查日期")
    state = models.CharField("状态", max_length=12, choices=State.choices(), default=State.PLANNED)
    inspectors: models.ManyToManyField = models.ManyToManyField(USER, verbose_name="执法人员", related_name="+")
    template = models.ForeignKey(InspectionTemplate, verbose_name="检查表", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("检查结论", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法检查"
        verbose_name_plural = "执法检查"
        ordering = ("-planned_on", "-id")
        indexes = [
            models.Index(fields=("regulator", "state"), name="inspection_reg_state_idx"),
            models.Index(fields=("state", "closed_at"), name="inspection_state_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.planned_on}"


class ItemResult(models.Model):
    """The result of one checklist item in one inspection."""

    class Result(models.TextChoices):
        PASS = "pass", "符合"
        FAIL = "fail", "不符合"
        NA = "na", "不适用"

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="results")
    item_code = models.CharField("检查项", max_length=20)
    result = models.CharField("结果", max_length=4, choices=Result.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "检查项结果"
        verbose_name_plural = "检查项结果"
        ordering = ("inspection", "item_code")
        constraints = [models.UniqueConstraint(fields=("inspection", "item_code"), name="item_result_per_inspection")]


class Finding(models.Model):
    """A problem found in an inspection (检查发现). When ordered rectified (责令限期整改) it becomes
    a hazard at the enterprise (source ``inspector``) with ``deadline``; ``status`` follows the
    latest follow-up (复查): open → fixed / not_fixed."""

    class Severity(models.TextChoices):
        GENERAL = "general", "一般"
        MAJOR = "major", "重大"

    #: open → fixed | not_fixed (:data:`inspections.rules.states.FINDING_MACHINE`).
    Status = FindingStatus

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.CASCADE, related_name="findings")
    item_code = models.CharField("检查项", max_length=20, blank=True)
    text = models.TextField("问题描述")
    location = models.CharField("部位", max_length=200, blank=True)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    deadline = models.DateField("责令整改期限", null=True, blank=True)
    hazard = models.OneToOneField("compliance.Hazard", verbose_name="隐患", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices(), default=Status.OPEN)
    created_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"
        ordering = ("inspection", "id")


class FollowUp(models.Model):
    """A follow-up check (复查) of one finding: fixed or not, by whom, when, in which inspection."""

    finding = models.ForeignKey(Finding, verbose_name="检查发现", on_delete=models.CASCADE, related_name="follow_ups")
    inspection = models.ForeignKey(Inspection, verbose_name="复查检查", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    fixed = models.BooleanField("已整改")
    note = models.CharField("复查意见", max_length=500, blank=True)
    hazard_state = models.CharField("复查时隐患状态", max_length=20, blank=True)
    checked_on = models.DateField("复查日期")
    recorded_by = models.ForeignKey(USER, verbose_name="复查人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ("finding", "id")


class WhistleblowerReport(models.Model):
    """An anonymous report (吹哨人举报). Only the SHA-256 of the tracking code is stored; the
    reporter's contact only when given; never an IP address.

    ``division_code``/``regulator`` say whose jurisdiction it concerns (from the named enterprise
    when it matches, else the code given). received → accepted | rejected; accepted →
    inspection_opened | hazard_created."""

    #: :data:`inspections.rules.states.WHISTLEBLOWER_MACHINE`.
    Status = WhistleblowerStatus

    code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    enterprise_name = models.CharField("被举报单位", max_length=200, blank=True)
    location = models.CharField("位置", max_length=200, blank=True)
    division_code = models.CharField("行政区划代码", max_length=12, db_index=True)
    description = models.TextField("举报内容")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices(), default=Status.RECEIVED)
    resolution = models.CharField("处理意见", max_length=500, blank=True)
    inspection = models.ForeignKey(Inspection, verbose_name="检查", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    hazard = models.ForeignKey("compliance.Hazard", verbose_name="隐患", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    handled_by = models.ForeignKey(USER, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("举报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "吹哨人举报"
        verbose_name_plural = "吹哨人举报"
        ordering = ("-created_at", "id")


class WhistleblowerPhoto(models.Model):
    """A photo attached to a report, stored under a server-generated name; sniffed type only."""

    report = models.ForeignKey(WhistleblowerReport, verbose_name="举报", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("文件", max_length=200)
    content_type = models.CharField("内容类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "举报照片"
        verbose_name_plural = "举报照片"
        ordering = ("report", "id")
        constraints = [models.CheckConstraint(name="wb_photo_size_positive", condition=Q(size__gt=0))]
