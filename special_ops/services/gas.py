"""Gas analysis on permits (气体分析; GB 30871-2022 §5.3/§6.x; DOMAIN.md §4 "Gas tests"): record and
judge a sample, and the gas gates of start and resume.

The limits, freshness and re-test windows are :mod:`special_ops.rules.gas`; here they are applied to
the permit's stored samples.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.audit.services import audit_record
from backend.core.actors import Actor
from backend.core.errors import FieldError, from_rule
from backend.core.rules import RuleError
from special_ops import selectors
from special_ops.error_codes import PermitErrorCode as E
from special_ops.error_codes import PermitEvent
from special_ops.models import GasTest, WorkPermit
from special_ops.rules import gas as gas_rules
from special_ops.rules.types import GAS_TEST_STATES
from special_ops.services.common import acting, check_member, permit_lock, require_state

#: A sample may be recorded with a clock this far ahead of the server (handheld detectors drift).
GAS_CLOCK_TOLERANCE = timedelta(minutes=5)


def _enriched(permit: WorkPermit) -> bool:
    return selectors.facts_of(permit).get("oxygen_enriched_declared") is True


def check_start_gas(permit: WorkPermit, at: datetime) -> None:
    """The start gate: a passing sample ≤ 30 min old where the type needs one (特级: continuous
    monitoring). Raises FieldError ``gas_test_missing``, ``gas_test_stale``, a failure code."""
    try:
        gas_rules.check_start_gas(permit.type, selectors.level_enum(permit.type, permit.level),
                                  selectors.gas_readings(permit), at, selectors.facts_of(permit))
    except RuleError as exc:
        raise from_rule(exc) from exc


def check_resume_gas(permit: WorkPermit, now: datetime) -> None:
    """The resume gate. Where the type needs gas tests: after an interruption longer than the limit
    (hot work 特级/一级 30 min, 二级 60 min; confined space 60 min) or a lapsed monitoring interval,
    a passing sample taken after the stop is required. Raises FieldError ``gas_retest_required``
    (field ``gas_tests``) or the sample's first failure code."""
    if not gas_rules.gas_test_required(permit.type, selectors.facts_of(permit)):
        return
    level = selectors.level_enum(permit.type, permit.level)
    tests = [t for t in selectors.gas_readings(permit) if t["sampled_at"] <= now]
    last = tests[-1] if tests else None
    paused = permit.suspended_at or now
    if last is None or gas_rules.retest_due(permit.type, level, last["sampled_at"], now, paused_at=paused) or (
            gas_rules.retest_due(permit.type, level, last["sampled_at"], now)):
        raise FieldError("中断时间超过规定或检测已过期，恢复作业前须重新进行气体分析。", code=E.GAS_RETEST_REQUIRED,
                         field="gas_tests")
    if last["sampled_at"] >= paused:
        verdict = gas_rules.evaluate_gas_test(permit.type, last, _enriched(permit))
        if not verdict.passed:
            raise FieldError(verdict.failures[0].message, code=verdict.failures[0].code, field="gas_tests")


def gas_retest_due(permit: WorkPermit, last_sampled_at: datetime | None, now: datetime) -> bool:
    """Whether an in-progress permit's required re-test window has lapsed at ``now`` (rules.gas.retest_due;
    no sample at all counts as lapsed). False for a permit whose type/facts need no gas test."""
    if not gas_rules.gas_test_required(permit.type, selectors.facts_of(permit)):
        return False
    if last_sampled_at is None:
        return True
    return gas_rules.retest_due(permit.type, selectors.level_enum(permit.type, permit.level), last_sampled_at, now)


@transaction.atomic
def gas_test_record(*, actor: Actor, permit: WorkPermit, **values: Any) -> GasTest:
    """Record one sample on a filed, open permit and judge it (rules.gas.evaluate_gas_test).

    ``values``: sampled_at (aware), sample_point, analyst_name, analyst_user, o2_pct_vol (%vol),
    flammable [{medium, lel_pct_vol, reading_pct_vol}], toxic [{gas, formula, reading_ppm}].
    Raises FieldError ``sampled_in_future`` (``sampled_at``); Conflict ``invalid_transition``;
    NotFound for an actor of another enterprise.
    """
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    require_state(permit, "gas_test", GAS_TEST_STATES, f"“{permit.get_state_display()}”状态不能录入气体分析。")
    if values["sampled_at"] > timezone.now() + GAS_CLOCK_TOLERANCE:
        raise FieldError("取样时间不能晚于当前时间。", code=E.SAMPLED_IN_FUTURE, field="sampled_at")
    check_member(permit.enterprise, values.get("analyst_user"), "analyst_user")
    reading = {"o2_pct_vol": selectors.plain(values.get("o2_pct_vol")), "flammable": values.get("flammable") or [],
               "toxic": values.get("toxic") or []}
    try:
        verdict = gas_rules.evaluate_gas_test(permit.type, reading, _enriched(permit))
    except RuleError as exc:
        raise from_rule(exc) from exc
    test = GasTest.objects.create(
        permit=permit, sampled_at=values["sampled_at"], sample_point=values["sample_point"],
        analyst_name=values["analyst_name"], analyst_user=values.get("analyst_user"), o2_pct_vol=values.get("o2_pct_vol"),
        flammable=reading["flammable"], toxic=reading["toxic"], passed=verdict.passed,
        failures=[{"code": f.code, "message": f.message} for f in verdict.failures], recorded_by=actor.user,
    )
    audit_record(actor=actor.user, action=PermitEvent.GAS_TEST.value, obj=permit, enterprise=permit.enterprise_id,
                 payload={"gas_test": test.pk, "sampled_at": test.sampled_at.isoformat(), "passed": test.passed,
                          "failures": test.failures})
    return test
