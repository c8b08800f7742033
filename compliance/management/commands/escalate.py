"""``manage.py escalate --now [--at ISO]``: run one escalation-ladder sweep and print what it did."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.services.escalation import escalation_sweep


class Command(BaseCommand):
    help = "执行一次隐患升级（逾期提醒）扫描并输出结果。"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run the sweep now (required; the worker runs it every minute)")
        parser.add_argument("--at", help="sweep as of this ISO 8601 moment with offset instead of the current time")

    def handle(self, *args, **options):
        if not options["now"]:
            raise CommandError("pass --now to run the sweep immediately")
        at = timezone.now()
        if options["at"]:
            try:
                at = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(f"--at: not an ISO 8601 moment: {options['at']!r}")
            if timezone.is_naive(at):
                raise CommandError("--at needs a UTC offset, e.g. 2026-12-01T09:00:00+08:00")
        result = escalation_sweep(now=at)
        self.stdout.write(f"escalation sweep at {timezone.localtime(at).isoformat()}")
        for line in result.lines():
            self.stdout.write("  " + line)
