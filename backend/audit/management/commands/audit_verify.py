"""``manage.py audit_verify [--chain KEY]``: verify the audit hash chains; exit 1 naming the first broken row."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from backend.audit.models import Event
from backend.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计事件哈希链，报告每条链第一处被篡改的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="只校验一条链，如 enterprise:1 或 platform")

    def handle(self, *args, chain=None, **options):
        breaks = audit_verify(chain=chain)
        total = Event.objects.filter(chain=chain).count() if chain else Event.objects.count()
        if not breaks:
            self.stdout.write(self.style.SUCCESS(f"OK: {total} events verified"))
            return
        for b in breaks:
            self.stdout.write(self.style.ERROR(f"BROKEN chain={b.chain} event_id={b.event_id} seq={b.seq}: {b.problem}"))
        raise CommandError(f"{len(breaks)} broken chain(s)")
