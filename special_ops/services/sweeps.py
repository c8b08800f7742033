"""Scheduled permit sweeps, run every minute by the worker (``shuangfang.permits_expire``,
``shuangfang.permits_suspend_stale_gas``).

One shape for both (and for the project's other sweeps): candidates are read through an index in
bounded keyset batches of ``batch_size`` ids (``pk > last``, never OFFSET, never the whole table at
once); each candidate is claimed with a guarded UPDATE that compares-and-sets the old state
(healthchecks ``sendalerts``: the row is ours only if exactly one row changed), in the same short
transaction as its one audit event. A second sweep running at the same time, a redelivered task or
a permit changed by a user meanwhile therefore changes nothing twice: the loser's UPDATE matches no
row. The hash-chained audit log locks its chain head per event, so each transaction holds at most
one chain lock (no lock ordering across enterprises).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from backend.core.actors import SYSTEM
from special_ops.error_codes import PermitEvent
from special_ops.models import DETAIL_ACCESSORS, GasTest, WorkPermit
from special_ops.rules import gas as gas_rules
from special_ops.rules.types import MACHINE, PermitAction, PermitState
from special_ops.services.common import record
from special_ops.services.gas import gas_retest_due

#: Ids read per batch (the work of one batch is bounded; the sweep loops until no candidate is left).
BATCH_SIZE = 200
#: States the expiry sweep may leave (rules.types.MACHINE, action ``expire``).
EXPIRE_SOURCES: tuple[str, ...] = tuple(sorted(MACHINE.sources_of(PermitAction.EXPIRE)))
EXPIRE_REASON = "作业票有效期已过，未完工"
STALE_GAS_REASON = "气体检测超过规定间隔，自动暂停"
#: Types that can need a gas test (blinding, lifting, … never do): only these are read.
GAS_TYPES: tuple[str, ...] = tuple(t.value for t, condition in gas_rules.GAS_TEST_REQUIRED.items() if condition != "never")


def _keyset(qs: QuerySet[WorkPermit], size: int) -> Iterator[list[WorkPermit]]:
    """Batches of at most ``size`` rows of ``qs`` in id order, each page after the last id seen.
    A row claimed meanwhile simply drops out of the next page's query."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk


def permits_expire(*, now: datetime, batch_size: int = BATCH_SIZE) -> list[int]:
    """Set ``expired`` on permits whose planned end passed before completion (submitted, approved,
    in progress or suspended with ``planned_end <= now``; DOMAIN.md §4 "Side exits").

    ``now``: aware datetime. Returns the ids this call expired, ascending; each has one
    ``permit.expire`` audit event (actor: system). Idempotent and safe to run concurrently.
    """
    done: list[int] = []
    candidates = WorkPermit.objects.filter(state__in=EXPIRE_SOURCES, planned_end__lte=now).only(
        "pk", "state", "enterprise_id")
    for batch in _keyset(candidates, batch_size):
        for permit in batch:
            with transaction.atomic():
                claimed = WorkPermit.objects.filter(pk=permit.pk, state=permit.state, planned_end__lte=now).update(
                    state=PermitState.EXPIRED, updated_at=timezone.now())
                if claimed != 1:
                    continue  # another sweep or a user got there first
                from_state, permit.state = permit.state, PermitState.EXPIRED
                record(SYSTEM, permit, PermitEvent.EXPIRE, from_state, reason=EXPIRE_REASON)
            done.append(permit.pk)
    return done


def permits_suspend_stale_gas(*, now: datetime, batch_size: int = BATCH_SIZE) -> list[int]:
    """Suspend in-progress permits whose required gas re-test window has lapsed at ``now``
    (rules.gas.retest_due, e.g. a confined space without a reading for > 2 h; DOMAIN.md §4 "A permit
    in progress whose required re-test window passes is suspended automatically").

    ``now``: aware datetime. Returns the ids this call suspended, ascending; each has one
    ``permit.suspend`` audit event (``automatic: true``, actor: system). A sample recorded after
    the batch was read keeps its permit running (the UPDATE is guarded on it).
    """
    done: list[int] = []
    candidates = (
        WorkPermit.objects.filter(state=PermitState.IN_PROGRESS, type__in=GAS_TYPES)
        .select_related(*DETAIL_ACCESSORS)
        .annotate(last_sampled=Max("gas_tests__sampled_at", filter=Q(gas_tests__sampled_at__lte=now)))
    )
    for batch in _keyset(candidates, batch_size):
        for permit in batch:
            last: datetime | None = getattr(permit, "last_sampled")  # noqa: B009 - the annotation above
            if not gas_retest_due(permit, last, now):
                continue
            newer = GasTest.objects.filter(permit=OuterRef("pk"), sampled_at__lte=now)
            if last is not None:
                newer = newer.filter(sampled_at__gt=last)
            with transaction.atomic():
                claimed = (WorkPermit.objects.filter(pk=permit.pk, state=PermitState.IN_PROGRESS)
                           .filter(~Exists(newer))
                           .update(state=PermitState.SUSPENDED, suspended_at=now, suspend_reason=STALE_GAS_REASON,
                                   updated_at=timezone.now()))
                if claimed != 1:
                    continue
                permit.state = PermitState.SUSPENDED
                record(SYSTEM, permit, PermitEvent.SUSPEND, PermitState.IN_PROGRESS, reason=STALE_GAS_REASON,
                       automatic=True)
            done.append(permit.pk)
    return done
