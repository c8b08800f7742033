"""``manage.py import_register <xlsx> --enterprise-uscc <uscc>``: import a risk register; prints the per-row report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.accounts.models import Enterprise
from backend.core.progress import progress_bar
from compliance.management.import_options import load_mapping, write_report
from compliance.services.register_import import register_import


class Command(BaseCommand):
    help = "导入风险分级管控清单（作业活动 LEC / 设备设施 LS），输出逐行报告（新增/更新/待复核/拒绝）。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--enterprise-uscc", required=True)
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")
        parser.add_argument("--dry-run", action="store_true", help="preview: report what would happen, write nothing")
        parser.add_argument("--mapping", type=Path, help='JSON file {"sheet": …, "columns": {field: header}}')

    def handle(self, *args, path, enterprise_uscc, json=False, dry_run=False, mapping=None, **options):
        try:
            enterprise = Enterprise.objects.get(uscc=enterprise_uscc)
        except Enterprise.DoesNotExist:
            raise CommandError(f"no enterprise with USCC {enterprise_uscc}")
        report = register_import(actor=None, enterprise=enterprise, source=path, progress=progress_bar,
                                 dry_run=dry_run, mapping=load_mapping(mapping))
        write_report(self.stdout, report, as_json=json, dry_run=dry_run)
        if json:
            return
