"""The per-row report every importer returns (management command and API alike)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RowResult:
    """Outcome of one input row: ``created`` / ``updated`` / ``unchanged`` / ``rejected``.

    ``ref`` locates the row for a person (sheet and Excel row, or CSV line); ``flagged`` marks an
    imported row that needs review, with ``reason``; a rejected row names the ``field`` and ``code``.
    """

    ref: str
    outcome: str
    reason: str = ""
    code: str = ""
    field: str = ""
    flagged: bool = False
    object_id: int | None = None


@dataclass
class ImportReport:
    source: str
    rows: list[RowResult] = field(default_factory=list)

    def add(self, row: RowResult) -> None:
        self.rows.append(row)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.outcome for r in self.rows)
        out = {k: c.get(k, 0) for k in ("created", "updated", "unchanged", "rejected")}
        out["flagged"] = sum(1 for r in self.rows if r.flagged)
        out["total"] = len(self.rows)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "counts": self.counts, "rows": [asdict(r) for r in self.rows]}

    def lines(self) -> list[str]:
        """Human-readable lines for rows a person must look at (rejected or flagged), then the totals."""
        out = [f"{r.ref}: {r.outcome}{' [flagged]' if r.flagged else ''} — {r.reason}" for r in self.rows
               if r.outcome == "rejected" or r.flagged]
        out.append("  ".join(f"{k}={v}" for k, v in self.counts.items()))
        return out
