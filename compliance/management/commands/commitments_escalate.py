"""``manage.py commitments_escalate [--at ISO]``: escalate the day's missing 安全风险研判与承诺 once
(the worker runs it every escalation interval; nothing happens before RISK_COMMITMENT_DEADLINE_HOUR)."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from compliance.services.daily_commitment import escalate_missing_commitments


class Command(BaseCommand):
    help = "对当日未签署安全风险研判与承诺的企业发出提醒（监管部门与主要负责人）。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="as of this ISO 8601 moment with offset instead of the current time")

    def handle(self, *args, **options):
        at = None
        if options["at"]:
            try:
                at = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(f"--at: not an ISO 8601 moment: {options['at']!r}") from None
            if at.tzinfo is None:
                raise CommandError("--at needs a UTC offset, e.g. 2026-12-01T09:30:00+08:00")
        self.stdout.write(f"escalated {escalate_missing_commitments(now=at)} enterprise(s)")
