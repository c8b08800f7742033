"""``manage.py rules_table``: print every permit rule with its clause and value (the DOMAIN.md §4 table,
generated from the code's tables: :mod:`special_ops.rules.table`).

``--document`` prints the whole rules document (permit rules, safety measures, rule sets by kind and
sector, every major-hazard checklist item, the GB 6441 vocabularies and mapping); ``--write`` writes
it to ``docs/RULES.md`` in the repository (committed; a test checks the file equals the output)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from special_ops.rules.table import RULES_DOCUMENT_PATH, markdown, rule_rows, rules_document


class Command(BaseCommand):
    help = "输出全部特殊作业规则（取值与条款），即 DOMAIN.md §4 规则表；--document 输出完整规则文档，--write 写入 docs/RULES.md。"

    def add_arguments(self, parser):
        parser.add_argument("--document", action="store_true", help="输出完整规则文档（docs/RULES.md 的内容）")
        parser.add_argument("--write", action="store_true", help=f"把完整规则文档写入 {RULES_DOCUMENT_PATH}")

    def handle(self, *args, **options):
        if options["write"]:
            path = Path(settings.BASE_DIR) / RULES_DOCUMENT_PATH
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rules_document(), encoding="utf-8")
            self.stdout.write(f"已写入 {RULES_DOCUMENT_PATH}\n", ending="")
            return
        self.stdout.write(rules_document() if options["document"] else markdown(rule_rows()), ending="")
