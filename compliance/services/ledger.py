"""Compatibility re-exports: the ledger import is :mod:`compliance.services.ledger_import`, its export
:mod:`compliance.selectors` (``ledger_export_xlsx``/``ledger_export_csv``). Kept only while other
apps' tests still import this path."""

from __future__ import annotations

from compliance.selectors import ledger_export_csv, ledger_export_xlsx
from compliance.services.ledger_import import IMPORT_FIELDS, ledger_import

__all__ = ["IMPORT_FIELDS", "ledger_export_csv", "ledger_export_xlsx", "ledger_import"]
