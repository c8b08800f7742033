"""``manage.py import_ledger <path> --enterprise-uscc 91370322564206426R`` — import a
隐患排查治理台账 workbook through :func:`compliance.services.ledger.ledger_import` and print the
per-row report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.accounts.models import Enterprise
from compliance.services.ledger import ledger_import


class Command(BaseCommand):
    help = "导入隐患排查治理台账（xlsx），逐行报告 created/updated/unchanged/rejected。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--enterprise-uscc", required=True)

    def handle(self, *args, path: Path, enterprise_uscc: str, **options):
        enterprise = Enterprise.objects.filter(uscc=enterprise_uscc).first()
        if enterprise is None:
            raise CommandError(f"找不到统一社会信用代码为 {enterprise_uscc} 的企业。")
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        report = ledger_import(actor=None, enterprise=enterprise, source=path)
        for row in report.rows:
            if row.status == "rejected":
                self.stdout.write(f"第{row.excel_row}行 序号{row.seq or '?'}: rejected — {row.reason}")
        for err in report.errors:
            self.stderr.write(err)
        d = report.as_dict()
        self.stdout.write(f"created={d['created']} updated={d['updated']} unchanged={d['unchanged']} rejected={d['rejected']}")
        if report.errors:
            raise CommandError("导入失败。")
