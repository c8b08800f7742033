"""Pure rules of the report jobs (双报告): the job's state machine and the period a report may cover.

Job states (:data:`JOB_MACHINE`): ``pending`` → ``running`` (a worker claims it; ``running`` →
``running`` again when the holder's lease expired) → ``done`` | ``failed``; a failed job requested
again goes back to ``pending``; only a ``done`` job may be corrected (a new job replaces it). The
worker-side moves are guarded UPDATEs filtered on :meth:`~backend.core.states.StateMachine.sources_of`;
a wrong state is ``invalid_transition`` (409). No Django.
"""

from __future__ import annotations

from datetime import date, timedelta

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
        "issue": Transition({_S.DONE}, _S.PENDING),  # a draft issued: rendered again from its frozen figures
    },
    labels=_S.labels(),
    action_labels={"claim": "开始生成", "reclaim": "重新生成", "finish": "完成", "fail": "标记失败", "retry": "重新排队",
                   "correct": "更正", "issue": "签发"},
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


class IssueConflict(RuleError):
    """A draft that cannot be issued in its state (409)."""

    status = 409


class PeriodKind(LabelledStrEnum):
    """Statutory periods of the 双报告 (monthly, quarterly, annual returns)."""

    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年度"
    CUSTOM = "custom", "自定义"


def month_bounds(y: int, m: int) -> tuple[date, date]:
    """(first, last day) of month ``m`` of year ``y``."""
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), nxt - timedelta(days=1)


def quarter_bounds(y: int, q: int) -> tuple[date, date]:
    """(first, last day) of quarter ``q`` (1–4) of year ``y``."""
    return month_bounds(y, 3 * q - 2)[0], month_bounds(y, 3 * q)[1]


def period_kind_of(start: date, end: date) -> PeriodKind:
    """Which statutory period ``start``…``end`` is (``custom`` when none)."""
    if start.day == 1 and (start, end) == month_bounds(start.year, start.month):
        return PeriodKind.MONTH
    if start.day == 1 and start.month % 3 == 1 and (start, end) == quarter_bounds(start.year, (start.month + 2) // 3):
        return PeriodKind.QUARTER
    if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)):
        return PeriodKind.YEAR
    return PeriodKind.CUSTOM


def periods_ending_on(day: date) -> list[tuple[date, date]]:
    """The statutory periods whose last day is ``day``: its month, and its quarter / year when
    ``day`` also ends those (what the schedule generates the morning after)."""
    out = [month_bounds(day.year, day.month)]
    if out[0][1] != day:
        return []
    if day.month % 3 == 0:
        out.append(quarter_bounds(day.year, day.month // 3))
    if day.month == 12:
        out.append((date(day.year, 1, 1), day))
    return out


def issue_errors(*, period_over: bool, issued: bool, narrative: str) -> None:
    """Raise :class:`RuleError` unless a draft may be issued: not already issued (409
    ``already_issued``), its period over (409 ``period_not_ended`` — a running period is printed as a
    draft 截至 <time>, never issued as the whole period), and a 存在问题及下步工作 narrative written
    (400 ``required``, field ``narrative``)."""
    if issued:
        raise IssueConflict("报告已签发。", code=Code.ALREADY_ISSUED)
    if not period_over:
        raise IssueConflict("统计期尚未结束，期末后方可签发。", code=Code.PERIOD_NOT_ENDED)
    if not narrative.strip():
        raise RuleError("签发前须填写“存在问题及下步工作”。", code=Code.REQUIRED, field="narrative")
