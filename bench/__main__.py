"""``python -m bench [sweep] [--sizes 100000,1000000] [--due 1000]``: run a benchmark (default: sweep)."""

from __future__ import annotations

import sys

from bench import sweep

BENCHES = {"sweep": sweep.main}


def main(argv: list[str]) -> int:
    name = argv[0] if argv and not argv[0].startswith("-") else "sweep"
    rest = argv[1:] if argv and argv[0] == name else argv
    if name not in BENCHES:
        print(f"unknown benchmark {name!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    return BENCHES[name](rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
