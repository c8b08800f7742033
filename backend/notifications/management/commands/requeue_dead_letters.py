"""``manage.py requeue_dead_letters [--id N ...]``: put dead-letter notifications back to pending."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from backend.notifications.dispatch import dead_letters_requeue
from backend.notifications.models import Notification


class Command(BaseCommand):
    help = "将死信通知重新放回待发送队列（尝试次数清零）。"

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="only this notification id (repeatable)")

    def handle(self, *args, **options):
        ids = options.get("ids") or None
        dead = Notification.objects.filter(status=Notification.Status.DEAD)
        if ids:
            dead = dead.filter(pk__in=ids)
        for n in dead.order_by("id")[:50]:
            self.stdout.write(f"  #{n.pk} [{n.channel}] {n.idempotency_key} after {n.attempts} attempt(s): {n.last_error[:80]}")
        count = dead_letters_requeue(ids=ids)
        self.stdout.write(f"requeued {count} dead-letter notification(s)")
