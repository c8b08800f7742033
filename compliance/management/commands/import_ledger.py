"""``manage.py import_ledger <path> --enterprise-uscc 91370322564206426R`` — import a
隐患排查治理台账 workbook through :func:`compliance.services.ledger_import.ledger_import` and print the
per-row report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.accounts.models import Enterprise
from backend.core.actors import SYSTEM
from compliance.management.import_options import load_mapping, write_report
from compliance.services.ledger_import import ledger_import


class Command(BaseCommand):
    help = "导入隐患排查治理台账（xlsx/xls/csv；--dry-run 预览），逐行报告 created/updated/unchanged/rejected。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--enterprise-uscc", required=True)
        parser.add_argument("--dry-run", action="store_true", help="preview: report what would happen, write nothing")
        parser.add_argument("--mapping", type=Path, help='JSON file {"sheet": …, "columns": {field: header}}')
        parser.add_argument("--json", action="store_true", help="print the full report (with the detected layout) as JSON")

    def handle(self, *args, path: Path, enterprise_uscc: str, dry_run: bool = False, mapping: Path | None = None,
               json: bool = False, **options):
        enterprise = Enterprise.objects.filter(uscc=enterprise_uscc).first()
        if enterprise is None:
            raise CommandError(f"找不到统一社会信用代码为 {enterprise_uscc} 的企业。")
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        report = ledger_import(actor=SYSTEM, enterprise=enterprise, source=path, dry_run=dry_run,
                               mapping=load_mapping(mapping))
        write_report(self.stdout, report, as_json=json, dry_run=dry_run)
        if json:
            return
        if report.errors and not report.rows:
            raise CommandError("导入失败。")
