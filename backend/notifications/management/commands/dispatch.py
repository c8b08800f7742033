"""``manage.py dispatch --now``: deliver the due outbox rows once and print the counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from backend.notifications.dispatch import outbox_dispatch
from backend.notifications.models import Notification


class Command(BaseCommand):
    help = "立即投递待发送的通知（站内消息、邮件、Webhook）并输出结果。"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="deliver now (required; the worker does it every few seconds)")

    def handle(self, *args, **options):
        if not options["now"]:
            raise CommandError("pass --now to deliver immediately")
        result = outbox_dispatch()
        for line in result.lines():
            self.stdout.write(line)
        counts = {s: Notification.objects.filter(status=s).count() for s in Notification.Status.values}
        self.stdout.write("outbox now: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
