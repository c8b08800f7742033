"""Idempotency keys of employees' hazard reports (随手拍 on a weak network, issue 15 §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HazardReportKey(models.Model):
    """The ``Idempotency-Key`` (or body ``client_key``) of one user's report and the hazard it filed.

    Unique per (user, key) — a database constraint, so two identical requests racing each other file
    one hazard: the second waits on the first's row and answers its hazard. A key older than
    :data:`compliance.services.report_once.KEY_TTL` is reused for a new report."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上报人", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("幂等键", max_length=64)
    hazard = models.ForeignKey("compliance.Hazard", verbose_name="隐患", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("首次提交时间")
    #: SHA-256 of the first request's report fields: a replay must carry the same report.
    fingerprint = models.CharField("上报内容指纹", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "隐患上报幂等键"
        verbose_name_plural = "隐患上报幂等键"
        constraints = [models.UniqueConstraint(fields=("user", "key"), name="hazard_report_key_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
