"""The escalation ladder's record: one row per hazard and step (DOMAIN.md §5 "Each step happens
once per hazard and is recorded"). The unique constraint on (hazard, step) is what makes a second
sweep, a redelivered task or a second beat a no-op."""

from __future__ import annotations

from django.db import models

from compliance.rules.escalation import DEFAULT_LADDER


class HazardEscalation(models.Model):
    """Step ``step`` of the ladder was taken for ``hazard`` at ``at`` (it fell due at ``due_at``,
    null for a major hazard escalated at once without a deadline); ``notified`` counts the outbox
    rows written."""

    STEP_CHOICES = [(s.code, s.label) for s in DEFAULT_LADDER]

    hazard = models.ForeignKey("compliance.Hazard", verbose_name="隐患", on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField("升级步骤", max_length=20, choices=STEP_CHOICES)
    at = models.DateTimeField("升级时间")
    due_at = models.DateTimeField("应升级时间", null=True, blank=True)
    notified = models.PositiveIntegerField("通知条数", default=0)

    class Meta:
        verbose_name = "隐患升级记录"
        verbose_name_plural = "隐患升级记录"
        ordering = ("hazard", "at", "id")
        constraints = [models.UniqueConstraint(fields=("hazard", "step"), name="hazard_escalation_once")]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.step} @ {self.at:%Y-%m-%d %H:%M}"
