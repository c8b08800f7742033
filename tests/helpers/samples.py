"""The sample files in the repository's ``samples/`` folder (expected figures: ``samples/README.md``).

Usable without Django (the pure parser tests): the folder is found from this file, not from settings.
"""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
ENTERPRISES_CSV = SAMPLES_DIR / "enterprises.csv"
REGISTER_XLSX = SAMPLES_DIR / "风险分级管控清单_示例化工.xlsx"
LEDGER_XLSX = SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx"
PERMITS_JSON = SAMPLES_DIR / "permits_sample.json"
