"""The daily 安全风险研判与承诺 (risk commitment announcement) of an enterprise: each day its
principal (主要负责人) signs what the enterprise runs and commits to, prefilled from the platform's
own data (issue 14 point 15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DailyRiskCommitment(models.Model):
    """One enterprise's signed commitment for one local day (unique per enterprise and day)."""

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="risk_commitments")
    day = models.DateField("承诺日期")
    units_running = models.PositiveIntegerField("运行装置数")
    units_stopped = models.PositiveIntegerField("停产检修装置数", default=0)
    #: The platform's figures when signed: {"operations": {type: {level: n}}, "operations_total",
    #: "major_hazard_sources", "major_hazards_open", "units": [risk-point names]}.
    snapshot = models.JSONField("研判数据（签署时）", default=dict)
    note = models.CharField("风险研判说明", max_length=500, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签署人", on_delete=models.PROTECT,
                                  related_name="+")
    signer_name = models.CharField("签署人姓名", max_length=50)
    signed_at = models.DateTimeField("签署时间")

    class Meta:
        verbose_name = "安全风险研判与承诺"
        verbose_name_plural = "安全风险研判与承诺"
        ordering = ("-day", "id")
        constraints = [models.UniqueConstraint(fields=("enterprise", "day"), name="risk_commitment_one_per_day")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.day}"
