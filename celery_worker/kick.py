"""The dispatch kick: after a transaction that wrote outbox rows commits, ask a worker to run the
dispatcher now instead of waiting for the next beat tick (``NOTIFICATION_ON_ENQUEUE_HOOKS``).

It never raises into the request: with the broker down the publish fails, is logged, and the rows
stay ``pending`` for the beat sweep (``shuangfang.dispatch_outbox`` every few seconds)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def kick_dispatch() -> None:
    """Publish ``shuangfang.dispatch_outbox`` once, without publish retries; swallow any error."""
    try:
        from celery_worker.tasks import dispatch_outbox

        dispatch_outbox.apply_async(retry=False)
    except Exception as exc:  # broker down, DNS, anything: the beat sweep picks the rows up
        log.warning("dispatch kick not sent (%s: %s); the beat sweep will deliver", type(exc).__name__, exc)
