"""``manage.py rules_table``: print every permit rule with its clause and value (the DOMAIN.md §4 table,
generated from the code's tables: :mod:`special_ops.rules.table`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from special_ops.rules.table import markdown, rule_rows


class Command(BaseCommand):
    help = "输出全部特殊作业规则（取值与条款），即 DOMAIN.md §4 规则表。"

    def handle(self, *args, **options):
        self.stdout.write(markdown(rule_rows()), ending="")
