"""The append-only audit trail (责任追溯): one :class:`Event` per write, hash-chained per enterprise."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditChain(models.Model):
    """Head of one hash chain (one per enterprise, one for platform-level events); locked on append."""

    key = models.CharField("链标识", max_length=40, unique=True)
    last_seq = models.BigIntegerField("最新序号", default=0)
    last_hash = models.CharField("最新哈希", max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链"
        verbose_name_plural = "审计链"

    def __str__(self) -> str:
        return f"{self.key} #{self.last_seq}"


class Event(models.Model):
    """One recorded write: who, when, which object, what action, which fields changed.

    Rows are append-only: database triggers reject UPDATE and DELETE (PostgreSQL and SQLite).
    ``hash`` = SHA-256 over the canonical JSON of the row's content and ``prev_hash``, so
    ``manage.py audit_verify`` finds the first altered row of a chain.
    """

    chain = models.CharField("链标识", max_length=40)
    seq = models.BigIntegerField("序号")
    created_at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人名称", max_length=100, blank=True)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regulator = models.ForeignKey(
        "accounts.Regulator", verbose_name="监管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象ID", max_length=40)
    action = models.CharField("动作", max_length=60)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    reason = models.TextField("原因", blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)
    payload = models.JSONField("附加数据", default=dict, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ("chain", "seq")
        constraints = [models.UniqueConstraint(fields=("chain", "seq"), name="audit_event_chain_seq_uniq")]
        indexes = [models.Index(fields=("object_type", "object_id"), name="audit_event_object_idx")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"
