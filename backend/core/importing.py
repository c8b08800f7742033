"""The one report every importer returns (enterprise CSV, risk register, hazard ledger), for the
management command and the API alike.

Shape (``ImportReport.as_dict()``, the API body)::

    {"source": "register.xlsx",
     "counts": {"created": 3, "updated": 0, "unchanged": 1, "rejected": 1, "skipped": 0, "flagged": 1, "total": 5},
     "rows": [{"outcome": "rejected", "sheet": "作业活动", "row": 29, "ref": "作业活动!第29行",
               "summary": "…", "object_id": null, "changed": [],
               "errors": [{"field": "l", "code": "off_scale", "message": "…"}], "flags": []}, …],
     "errors": [{"field": "file", "code": "…", "message": "…"}]}

``outcome`` is one of :class:`Outcome`; a *flagged* row (imported, but a person must review it,
e.g. a written score that disagrees with the computed one) keeps its outcome and carries
``flags``; ``counts["flagged"]`` counts them. ``errors`` at the top are problems of the file, not
of one row. Pure: no Django.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from backend.core.rules import LabelledStrEnum, RuleError


class Outcome(LabelledStrEnum):
    """What happened to one input row."""

    CREATED = "created", "新增"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "未变"
    REJECTED = "rejected", "拒绝"
    SKIPPED = "skipped", "跳过"


_OUTCOME_VALUES = frozenset(o.value for o in Outcome)
#: Keys of ``ImportReport.counts`` in order (every outcome, then ``flagged`` and ``total``).
COUNT_KEYS: tuple[str, ...] = (*(o.value for o in Outcome), "flagged", "total")


@dataclass(frozen=True)
class RowIssue:
    """Why a row was rejected or flagged: English ``code``, Chinese ``message``, the ``field``."""

    code: str
    message: str
    field: str | None = None

    @classmethod
    def of(cls, exc: RuleError, *, field: str | None = None) -> RowIssue:
        return cls(code=exc.code, message=exc.message, field=field or exc.field)


@dataclass(kw_only=True)
class RowResult:
    """Outcome of one input row.

    ``ref`` locates the row for a person ("作业活动!第29行", "第3行"); ``sheet``/``row`` are the
    same as data (row = Excel row or CSV line, header counted). ``summary`` names what the row
    is about; ``changed`` lists the fields an update changed; ``object_id`` is the created or
    updated object's id.
    """

    outcome: str
    ref: str
    sheet: str = ""
    row: int | None = None
    summary: str = ""
    object_id: int | None = None
    changed: list[str] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    flags: list[RowIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.outcome not in _OUTCOME_VALUES:
            raise ValueError(f"unknown import outcome {self.outcome!r}; one of {sorted(_OUTCOME_VALUES)}")
        self.outcome = str(self.outcome)

    @classmethod
    def rejected(cls, *, ref: str, code: str, message: str, field: str | None = None, **kw: Any) -> RowResult:
        """A rejected row with one error."""
        return cls(outcome=Outcome.REJECTED, ref=ref, errors=[RowIssue(code, message, field or None)], **kw)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(kw_only=True)
class ImportReport:
    """The rows of one import, in input order, plus problems of the file as a whole."""

    source: str = ""
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    #: What layout detection found (per sheet: header rows, column mapping, unmapped headers, kind,
    #: rows skipped as not data with the reason; sheets skipped with the reason) — the preview.
    detected: dict[str, Any] = field(default_factory=dict)
    dry_run: bool = False  # True: nothing was written (the preview of ``?dry_run=1`` / ``--dry-run``)

    def add(self, row: RowResult) -> RowResult:
        self.rows.append(row)
        return row

    @property
    def counts(self) -> dict[str, int]:
        """``{created, updated, unchanged, rejected, skipped, flagged, total}``."""
        c = Counter(r.outcome for r in self.rows)
        out = {o.value: c.get(o.value, 0) for o in Outcome}
        out["flagged"] = sum(1 for r in self.rows if r.flags)
        out["total"] = len(self.rows)
        return out

    def count(self, outcome: str) -> int:
        return self.counts[outcome]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "counts": self.counts, "rows": [r.as_dict() for r in self.rows],
               "errors": [asdict(e) for e in self.errors]}
        if self.detected or self.dry_run:
            out["detected"] = self.detected
            out["dry_run"] = self.dry_run
        return out

    def lines(self) -> list[str]:
        """Human-readable lines for what a person must look at (file errors, rejected or flagged
        rows), then the totals."""
        out = [f"{e.code}: {e.message}" for e in self.errors]
        for r in self.rows:
            if r.outcome == Outcome.REJECTED or r.flags:
                why = "；".join(i.message for i in (r.errors or r.flags))
                out.append(f"{r.ref}: {r.outcome}{' [flagged]' if r.flags else ''} — {r.summary + '：' if r.summary else ''}{why}")
        out.append("  ".join(f"{k}={v}" for k, v in self.counts.items()))
        return out
