"""Pure rules of the report jobs (双报告): the job's state machine and the period a report may cover.

Job states (:data:`JOB_MACHINE`): ``pending`` → ``running`` (a worker claims it; ``running`` →
``running`` again when the holder's lease expired) → ``done`` | ``failed``; a failed job requested
again goes back to ``pending``; only a ``done`` job may be corrected (a new job replaces it). The
worker-side moves are guarded UPDATEs filtered on :meth:`~backend.core.states.StateMachine.sources_of`;
a wrong state is ``invalid_transition`` (409). No Django.
"""

from __future__ import annotations

from datetime import date

from backend.core.rules import LabelledStrEnum, RuleError
from backend.core.states import StateMachine, Transition
from inspections.reports.error_codes import ReportErrorCode as Code

#: Enterprise roles that request and correct their enterprise's reports (``Role`` values); any
#: member of a regulator requests its jurisdiction's.
REQUESTER_ROLES = frozenset({"admin", "safety_officer", "principal"})
#: Longest period a report may cover (days).
MAX_PERIOD_DAYS = 366
#: Earliest period a report may cover: the dual-prevention mechanism dates from 2016 (安委办〔2016〕11号).
EARLIEST_PERIOD = date(2016, 1, 1)


class ReportState(LabelledStrEnum):
    PENDING = "pending", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


_S = ReportState
JOB_MACHINE = StateMachine(
    "report_job",
    {
        "claim": Transition({_S.PENDING}, _S.RUNNING),
        "reclaim": Transition({_S.RUNNING}, _S.RUNNING),  # the previous holder's lease expired
        "finish": Transition({_S.RUNNING}, _S.DONE),
        "fail": Transition({_S.RUNNING}, _S.FAILED),
        "retry": Transition({_S.FAILED}, _S.PENDING),
        "correct": Transition({_S.DONE}, _S.DONE),  # the old job keeps its state; a new one replaces it
    },
    labels=_S.labels(),
    action_labels={"claim": "开始生成", "reclaim": "重新生成", "finish": "完成", "fail": "标记失败", "retry": "重新排队",
                   "correct": "更正"},
)


def period_errors(period_start: date, period_end: date, today: date) -> None:
    """Raise :class:`RuleError` (400) unless ``period_start``…``period_end`` is a period a report may
    cover: from 2016 (``period_too_early``), in order (``period_order``), at most
    :data:`MAX_PERIOD_DAYS` days (``period_too_long``, field ``period_end``), not starting after
    ``today`` (``period_in_future``)."""
    if period_start < EARLIEST_PERIOD:
        raise RuleError("统计期不能早于 2016 年。", code=Code.PERIOD_TOO_EARLY, field="period_start")
    if period_start > period_end:
        raise RuleError("统计期起不能晚于统计期止。", code=Code.PERIOD_ORDER, field="period_start")
    if (period_end - period_start).days + 1 > MAX_PERIOD_DAYS:
        raise RuleError(f"统计期不能超过 {MAX_PERIOD_DAYS} 天。", code=Code.PERIOD_TOO_LONG, field="period_end")
    if period_start > today:
        raise RuleError("统计期不能从未来开始。", code=Code.PERIOD_IN_FUTURE, field="period_start")
