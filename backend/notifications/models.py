"""The notification outbox: rows written in the same transaction as the change that causes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    EMAIL = "email", "邮件"
    WEBHOOK = "webhook", "Webhook"


class Notification(models.Model):
    """One message to one recipient (a user, an enterprise or a regulator) over one channel.

    ``idempotency_key`` is unique: writing the same notification twice (a retried request, a
    redelivered task, a second beat) creates nothing new. A dispatcher delivers ``pending`` rows
    with bounded retries; after ``NOTIFICATION_MAX_ATTEMPTS`` a row is ``dead`` until an operator
    requeues it. ``claimed_at`` is when a dispatcher moved the row to ``sending`` (its lease: a row
    left in ``sending`` longer than the lease is reclaimed; the dispatcher renews it before each
    send). ``claim_token`` names the claim that owns a ``sending`` row: every later write of that
    dispatcher is a compare-and-set on it, so a row reclaimed and re-claimed meanwhile is never sent
    or overwritten by the old owner.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        DEAD = "dead", "发送失败（死信）"

    idempotency_key = models.CharField("幂等键", max_length=200, unique=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    kind = models.CharField("类型", max_length=50)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    payload = models.JSONField("数据", default=dict, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收用户", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient_enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="接收企业", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient_regulator = models.ForeignKey(
        "accounts.Regulator", verbose_name="接收监管部门", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    claim_token = models.CharField("领取令牌", max_length=32, blank=True, default="")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("status", "next_attempt_at"), name="notif_status_next_idx"),
            models.Index(fields=("status", "claimed_at"), name="notif_status_claimed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="notification_has_recipient",
                condition=Q(recipient_user__isnull=False) | Q(recipient_enterprise__isnull=False) | Q(recipient_regulator__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"[{self.channel}] {self.title}"


class DeliveryAttempt(models.Model):
    """One delivery try of a notification (every webhook attempt is logged)."""

    notification = models.ForeignKey(Notification, verbose_name="通知", on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField("时间", auto_now_add=True)
    ok = models.BooleanField("成功", default=False)
    status_code = models.PositiveIntegerField("HTTP 状态", null=True, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
        ordering = ("id",)
