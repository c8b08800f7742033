"""Report jobs (双报告): one row per report, rendered by a worker, never edited once done.

A job is a **draft** until issued: generated (numbers frozen in ``data``), its 存在问题及下步工作
``narrative`` edited, then **issued** (``issued_at``): re-rendered from the frozen figures with the
narrative and signature block, hashed, verifiable. A job is ``pending`` when requested, ``running`` while a worker holds it (``started_at`` is the
start of its lease), then ``done`` (files, hashes and the data snapshot stored) or ``failed``
(``error``). A correction is a new job whose ``replaces`` names the old one; creating it stamps
the old one's ``superseded_at`` (its only change after ``done``), which frees the
(kind, subject, period) slot: at most one non-superseded job exists per slot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from inspections.reports.rules import ReportState


class ReportJob(models.Model):
    """A 双报告 for an enterprise (``kind=enterprise``) or a regulator's jurisdiction
    (``kind=jurisdiction``) over the dates ``period_start``…``period_end`` (both inclusive,
    Asia/Shanghai)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业双报告"
        JURISDICTION = "jurisdiction", "辖区双报告"

    #: :data:`inspections.reports.rules.JOB_MACHINE`.
    State = ReportState

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="reports")
    regulator = models.ForeignKey("accounts.Regulator", verbose_name="监管部门", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    state = models.CharField("状态", max_length=8, choices=State.choices(), default=State.PENDING)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始生成时间", null=True, blank=True)
    finished_at = models.DateTimeField("生成完成时间", null=True, blank=True)
    data = models.JSONField("数据快照", null=True, blank=True)
    pdf = models.FileField("PDF", upload_to="reports/", max_length=200, blank=True)
    json_file = models.FileField("JSON", upload_to="reports/", max_length=200, blank=True)
    xlsx = models.FileField("XLSX", upload_to="reports/", max_length=200, blank=True)
    sha256_pdf = models.CharField("PDF SHA-256", max_length=64, blank=True, db_index=True)
    sha256_json = models.CharField("JSON SHA-256", max_length=64, blank=True, db_index=True)
    sha256_xlsx = models.CharField("XLSX SHA-256", max_length=64, blank=True, db_index=True)
    replaces = models.ForeignKey("self", verbose_name="更正的报告", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="replaced_by")
    superseded_at = models.DateTimeField("被更正时间", null=True, blank=True)
    reason = models.CharField("更正原因", max_length=200, blank=True)
    # draft → issued: a done job is a draft (figures frozen in ``data`` at generation) until issued
    narrative = models.TextField("存在问题及下步工作", blank=True)
    narrative_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    narrative_at = models.DateTimeField("编辑时间", null=True, blank=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signatures = models.JSONField("签署栏", null=True, blank=True)

    class Meta:
        verbose_name = "双报告"
        verbose_name_plural = "双报告"
        ordering = ("-period_start", "-id")
        constraints = [
            models.CheckConstraint(
                name="report_subject_matches_kind",
                condition=(Q(kind="enterprise", enterprise__isnull=False, regulator__isnull=True)
                           | Q(kind="jurisdiction", enterprise__isnull=True, regulator__isnull=False)),
            ),
            models.CheckConstraint(name="report_period_order", condition=Q(period_start__lte=models.F("period_end"))),
            models.UniqueConstraint(
                fields=("enterprise", "period_start", "period_end"),
                condition=Q(kind="enterprise", superseded_at__isnull=True),
                name="report_one_current_per_enterprise_period",
            ),
            models.UniqueConstraint(
                fields=("regulator", "period_start", "period_end"),
                condition=Q(kind="jurisdiction", superseded_at__isnull=True),
                name="report_one_current_per_regulator_period",
            ),
        ]
        indexes = [models.Index(fields=("state", "started_at"), name="report_state_started_idx")]

    @property
    def is_issued(self) -> bool:
        """Issued (frozen, hashed, verifiable): ``issued_at`` set and the final files rendered."""
        return self.issued_at is not None and self.state == ReportState.DONE

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_name} {self.period_start}–{self.period_end}"

    @property
    def subject_name(self) -> str:
        subject = self.enterprise if self.kind == self.Kind.ENTERPRISE else self.regulator
        return subject.name if subject is not None else ""
