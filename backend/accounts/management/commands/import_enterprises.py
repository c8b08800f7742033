"""``manage.py import_enterprises <csv>``: import an enterprise list; prints the per-row report."""

from __future__ import annotations

import json as _json

from django.core.management.base import BaseCommand

from backend.accounts.importers import enterprises_import
from backend.core.progress import progress_bar


class Command(BaseCommand):
    help = "导入企业名单 CSV（统一社会信用代码校验），输出逐行报告。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")

    def handle(self, *args, path, **options):
        report = enterprises_import(source=path, progress=progress_bar)
        if options.get("json"):
            self.stdout.write(_json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
            return
        for line in report.lines():
            self.stdout.write(line)

