"""``python -m bench [sweep|report] [options]``: run a benchmark (default: sweep).

- ``sweep [--sizes 100000,1000000] [--due 1000]``: escalation sweep cost vs table size (PostgreSQL).
- ``report``: dual-report data/render time and peak RSS (sample enterprise, 200-enterprise jurisdiction).
- ``import [--rows 10000]``: ledger import rows/s and peak RSS (parse, preview, commit).
- ``api [--hazards 1000000]``: lists, summaries, conflict check and throughput against the raw SQL
  of the same page (PostgreSQL, its own database; see bench/api.py).
"""

from __future__ import annotations

import sys

from bench import sweep


def _report(argv: list[str]) -> int:
    from bench import report

    return report.main(argv)


def _import(argv: list[str]) -> int:
    from bench import imports

    return imports.main(argv)


def _api(argv: list[str]) -> int:
    from bench import api

    return api.main(argv)


BENCHES = {"sweep": sweep.main, "report": _report, "import": _import, "api": _api}


def main(argv: list[str]) -> int:
    name = argv[0] if argv and not argv[0].startswith("-") else "sweep"
    rest = argv[1:] if argv and argv[0] == name else argv
    if name not in BENCHES:
        print(f"unknown benchmark {name!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    return BENCHES[name](rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
