"""Hidden dangers (隐患排查治理): hazards, their photos and deadline extensions, and the periodic
investigation tasks generated from control measures' check cycles (DOMAIN.md §3).

Lifecycle, grading and deadline rules live in :mod:`compliance.rules.hazard_codes` / :mod:`compliance.rules.hazard_states`; the writes in
:mod:`compliance.services.hazards`, :mod:`compliance.services.investigation` and
:mod:`compliance.services.ledger_import`. The append-only history of every transition is the audit
``Event`` table (object ``compliance.hazard``/<id>).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance.rules.hazard_codes import HazardCause, HazardGrade, HazardSource, HazardTreatment, HazardType
from compliance.rules.hazard_states import NOT_OVERDUE_STATES, HazardState


def _choices(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum_cls]


GRADE_CHOICES = _choices(HazardGrade)
TREATMENT_CHOICES = _choices(HazardTreatment)
SOURCE_CHOICES = _choices(HazardSource)
TYPE_CHOICES = _choices(HazardType)
CAUSE_CHOICES = _choices(HazardCause)
STATE_CHOICES = _choices(HazardState)
#: The states in which a past deadline makes a hazard overdue (reported, confirmed, rectifying: the
#: complement of ``NOT_OVERDUE_STATES``), in enum order — the partial list indexes' condition.
OVERDUE_STATE_VALUES = [s.value for s in HazardState if s not in NOT_OVERDUE_STATES]


class HazardNumberCounter(models.Model):
    """Per enterprise and year, the last allocated hazard serial; locked (SELECT … FOR UPDATE)
    while a number is allocated so concurrent filings never collide."""

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年份")
    last = models.PositiveIntegerField("最新序号", default=0)

    class Meta:
        verbose_name = "隐患编号计数器"
        verbose_name_plural = "隐患编号计数器"
        constraints = [models.UniqueConstraint(fields=("enterprise", "year"), name="hazard_counter_ent_year")]


class Hazard(models.Model):
    """A hidden danger (隐患) of an enterprise, from report to closure (销号).

    ``number`` is ``YH-<year>-<5 digits>``, unique per enterprise. ``deadline`` is the date the
    clerk gives; ``deadline_at`` the instant it ends (23:59:59.999999 Asia/Shanghai) so the
    database can compute ``overdue``. National codes (dangerLevel, dangerSrc, …) come from the
    enums in :mod:`compliance.rules.hazard_codes` / :mod:`compliance.rules.hazard_states`. ``ledger_seq``/``source_ref`` identify a row imported
    from a paper/Excel ledger (idempotency key: enterprise + ledger_seq + found_date).
    """

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="hazards")
    number = models.CharField("隐患编号", max_length=20)
    title = models.CharField("隐患名称", max_length=200)
    description = models.TextField("隐患描述", blank=True)
    location = models.CharField("隐患部位", max_length=200, blank=True)
    risk_point = models.ForeignKey("compliance.RiskPoint", verbose_name="风险点", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="hazards")
    control_measure = models.ForeignKey("compliance.ControlMeasure", verbose_name="管控措施", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="hazards")
    source = models.CharField("隐患来源", max_length=20, choices=SOURCE_CHOICES, default=HazardSource.DAILY.value)
    source_detail = models.CharField("排查类型说明", max_length=50, blank=True)
    hazard_type = models.CharField("隐患类别", max_length=12, choices=TYPE_CHOICES, default=HazardType.OTHER.value)
    cause = models.CharField("隐患原因", max_length=20, choices=CAUSE_CHOICES, blank=True)
    grade = models.CharField("隐患级别", max_length=8, choices=GRADE_CHOICES, default=HazardGrade.GENERAL.value)
    treatment = models.CharField("治理方式", max_length=10, choices=TREATMENT_CHOICES, default=HazardTreatment.DEADLINE.value)
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=HazardState.REPORTED.value)
    found_on = models.DateField("排查日期")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    responsible_person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="整改责任人", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    responsible_name = models.CharField("整改责任人姓名", max_length=50, blank=True)
    measures = models.TextField("整改措施", blank=True)
    funds_yuan = models.DecimalField("整改资金（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    deadline_at = models.DateTimeField("整改期限截止时刻", null=True, blank=True)
    contingency_plan = models.TextField("应急预案及防范措施", blank=True)
    extension_count = models.PositiveIntegerField("延期次数", default=0)
    # major-hazard judgement (checklist items ticked) and 挂牌督办
    checklist_code = models.CharField("重大隐患判定标准", max_length=20, blank=True)
    checklist_version = models.CharField("判定标准版本", max_length=20, blank=True)
    checklist_items = models.JSONField("符合的判定条款", default=list, blank=True)
    major_basis = models.TextField("重大隐患判定依据", blank=True)
    supervised = models.BooleanField("挂牌督办", default=False)
    supervised_by = models.ForeignKey("accounts.Regulator", verbose_name="督办部门", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    supervision_note = models.CharField("督办说明", max_length=100, blank=True)
    regulator_signed_off_at = models.DateTimeField("监管部门销号确认时间", null=True, blank=True)
    regulator_signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="监管部门确认人", null=True,
                                                blank=True, on_delete=models.PROTECT, related_name="+")
    # rectification and acceptance
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="整改人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField("整改完成日期", null=True, blank=True)
    acceptor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="验收人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    acceptor_name = models.CharField("验收人姓名", max_length=50, blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    acceptance_comment = models.TextField("验收意见", blank=True)
    reject_reason = models.TextField("驳回原因", blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    # import provenance
    ledger_seq = models.PositiveIntegerField("台账序号", null=True, blank=True)
    source_ref = models.CharField("导入来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "隐患"
        verbose_name_plural = "隐患"
        ordering = ("-found_on", "-id")
        constraints = [
            models.UniqueConstraint(fields=("enterprise", "number"), name="hazard_number_per_enterprise"),
            models.UniqueConstraint(fields=("enterprise", "ledger_seq", "found_on"), condition=Q(ledger_seq__isnull=False),
                                    name="hazard_ledger_key"),
        ]
        # The lists' indexes (issue 18): tenant (or jurisdiction) + filter + ordering, the API's
        # ``id`` tie-breaker last, so a page is an index range read, not a sort of every match.
        # PostgreSQL creates them concurrently (migration 0006).
        indexes = [
            models.Index(fields=("state", "deadline_at"), name="hazard_state_deadline_idx"),
            models.Index(fields=("enterprise", "state"), name="hazard_ent_state_idx"),
            models.Index(fields=("risk_point", "found_on"), name="hazard_point_found_idx"),
            # /hazards/ default order (-found_on, id)
            models.Index(fields=("enterprise", "-found_on", "id"), name="hazard_ent_found_idx"),
            # ?state=…&ordering=deadline
            models.Index(fields=("enterprise", "state", "deadline", "id"), name="hazard_ent_state_dl_idx"),
            # ?ordering=deadline
            models.Index(fields=("enterprise", "deadline", "id"), name="hazard_ent_deadline_idx"),
            # ?overdue=true (tenant): the open states, deadline_at checked from the index
            models.Index(fields=("enterprise", "-found_on", "id"),
                         condition=Q(state__in=OVERDUE_STATE_VALUES), name="hazard_ent_open_found_idx"),
            # ?grade=major (tenant)
            models.Index(fields=("enterprise", "-found_on", "id"), condition=Q(grade=HazardGrade.MAJOR.value),
                         name="hazard_ent_major_found_idx"),
            # /audit/hazards/ (jurisdiction) default order, and its ?overdue=true
            models.Index(fields=("-found_on", "id"), name="hazard_found_idx"),
            models.Index(fields=("-found_on", "id"), condition=Q(state__in=OVERDUE_STATE_VALUES),
                         name="hazard_open_found_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:30]}"


class HazardPhoto(models.Model):
    """A before/after photo of a hazard. Stored under a server-generated name
    (``hazards/<enterprise_id>/<uuid>.<ext>``); served only through the authenticated API."""

    class Kind(models.TextChoices):
        BEFORE = "before", "整改前"
        AFTER = "after", "整改后"

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField("类别", max_length=6, choices=Kind.choices)
    file = models.FileField("文件", max_length=200)
    content_type = models.CharField("内容类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    original_name = models.CharField("原文件名", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐患照片"
        verbose_name_plural = "隐患照片"
        ordering = ("hazard", "id")

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind} {self.file.name}"


class HazardExtension(models.Model):
    """A deadline extension request (延期申请): requested by the responsible person, decided by
    someone else with the right role; capped per grade (``EXTENSION_CAPS``, DOMAIN.md §3 [config])."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    old_deadline = models.DateField("原期限", null=True, blank=True)
    new_deadline = models.DateField("申请期限")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    regulator_approved = models.BooleanField("监管部门批准", default=False)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ("hazard", "id")
        constraints = [
            models.UniqueConstraint(fields=("hazard",), condition=Q(status="pending"), name="one_pending_extension"),
        ]


class InvestigationTask(models.Model):
    """One due check (隐患排查任务) of a control measure in its window [due_start, due_end).

    Generated from the measure's check cycle; unique per (measure, due_start) so generation is
    idempotent. A task still ``pending`` after ``due_end`` is overdue (computed in the DB)."""

    class State(models.TextChoices):
        PENDING = "pending", "待排查"
        DONE = "done", "已完成"

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey("compliance.ControlMeasure", verbose_name="管控措施", on_delete=models.CASCADE,
                                related_name="investigation_tasks")
    risk_point = models.ForeignKey("compliance.RiskPoint", verbose_name="风险点", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("排查类型", max_length=20, choices=SOURCE_CHOICES, default=HazardSource.DAILY.value)
    due_start = models.DateTimeField("开始时间")
    due_end = models.DateTimeField("截止时间")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐患排查任务"
        verbose_name_plural = "隐患排查任务"
        ordering = ("due_start", "id")
        constraints = [models.UniqueConstraint(fields=("measure", "due_start"), name="task_measure_due_start")]
        indexes = [
            models.Index(fields=("state", "due_end"), name="task_state_due_end_idx"),
            models.Index(fields=("enterprise", "due_start"), name="task_ent_due_start_idx"),
        ]

    def __str__(self) -> str:
        return f"task {self.measure_id} @ {self.due_start:%Y-%m-%d %H:%M}"


class InvestigationRecord(models.Model):
    """The result of doing one investigation task (排查记录)."""

    class Result(models.TextChoices):
        NORMAL = "normal", "正常"
        HAZARD_FOUND = "hazard_found", "发现隐患"
        NOT_CHECKED = "not_checked", "未排查"

    task = models.OneToOneField(InvestigationTask, verbose_name="任务", on_delete=models.CASCADE, related_name="record")
    result = models.CharField("结果", max_length=14, choices=Result.choices)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="排查人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("排查时间")
    hazard = models.ForeignKey(Hazard, verbose_name="发现的隐患", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        verbose_name = "排查记录"
        verbose_name_plural = "排查记录"
        ordering = ("-recorded_at", "id")
