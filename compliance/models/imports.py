"""Import jobs: a register or ledger upload too big to import within the request (issue 13 §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.core.rules import LabelledStrEnum


class ImportJobState(LabelledStrEnum):
    PENDING = "pending", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(models.Model):
    """One upload imported by the worker: ``pending`` → ``running`` → ``done`` (with the report) or
    ``failed`` (with the error). The file is kept through the storage API (``file``); progress is
    ``rows_done`` of ``rows_total`` data rows."""

    class Kind(models.TextChoices):
        REGISTER = "register", "风险分级管控清单"
        LEDGER = "ledger", "隐患排查治理台账"

    State = ImportJobState

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    state = models.CharField("状态", max_length=8, choices=ImportJobState.choices(), default=ImportJobState.PENDING.value,
                             db_index=True)
    file = models.FileField("上传文件", upload_to="imports/", max_length=200)
    filename = models.CharField("文件名", max_length=200)
    mapping = models.JSONField("列映射", null=True, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    report = models.JSONField("导入报告", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_state_display()})"
