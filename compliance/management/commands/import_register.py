"""``manage.py import_register <xlsx> --enterprise-uscc <uscc>``: import a risk register; prints the per-row report."""

from __future__ import annotations

import json as _json

from django.core.management.base import BaseCommand, CommandError

from backend.accounts.models import Enterprise
from backend.core.progress import progress_bar
from compliance.services.register_import import register_import


class Command(BaseCommand):
    help = "导入风险分级管控清单（作业活动 LEC / 设备设施 LS），输出逐行报告（新增/更新/待复核/拒绝）。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--enterprise-uscc", required=True)
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")

    def handle(self, *args, path, enterprise_uscc, json=False, **options):
        try:
            enterprise = Enterprise.objects.get(uscc=enterprise_uscc)
        except Enterprise.DoesNotExist:
            raise CommandError(f"no enterprise with USCC {enterprise_uscc}")
        report = register_import(actor=None, enterprise=enterprise, source=path, progress=progress_bar)
        if json:
            self.stdout.write(_json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        for line in report.lines():
            self.stdout.write(line)
