"""Liveness of the Celery worker and beat: each touches a heartbeat file from its own loop; a probe reads its age.

- The worker touches ``<CELERY_HEARTBEAT_DIR>/worker`` every :data:`INTERVAL` seconds from its event-loop
  timer (a bootstep), so a wedged consumer stops the heartbeat even while the process exists.
- Beat touches ``<CELERY_HEARTBEAT_DIR>/beat`` on every scheduler tick (:class:`HeartbeatScheduler`, the
  PersistentScheduler plus the touch; beat ticks at least every 5 s with the outbox schedule).
- ``python -m celery_worker.liveness worker|beat [--max-age SECONDS]`` exits 0 when the file is younger
  than ``--max-age`` (default :data:`MAX_AGE`), 1 otherwise, with one line saying why: the compose
  file's health check of the worker and beat services.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from celery import bootsteps
from celery.beat import PersistentScheduler

INTERVAL = 10.0
MAX_AGE = 60.0


def heartbeat_path(role: str) -> Path:
    """The heartbeat file of ``role`` (``worker`` or ``beat``) under settings.CELERY_HEARTBEAT_DIR."""
    from django.conf import settings

    return Path(settings.CELERY_HEARTBEAT_DIR) / role


def touch(role: str) -> None:
    path = heartbeat_path(role)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Worker bootstep: touch the ``worker`` heartbeat from the worker's timer."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        touch("worker")
        self.tref = worker.timer.call_repeatedly(INTERVAL, touch, ("worker",), priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


class HeartbeatScheduler(PersistentScheduler):
    """PersistentScheduler that touches the ``beat`` heartbeat on each tick (at most every INTERVAL / 2)."""

    _last_touch = 0.0

    def tick(self, *args: Any, **kwargs: Any) -> float:
        now = time.monotonic()
        if now - self._last_touch >= INTERVAL / 2:
            touch("beat")
            self._last_touch = now
        return super().tick(*args, **kwargs)


def install(app: Any) -> None:
    """Add the worker bootstep and make :class:`HeartbeatScheduler` beat's default scheduler."""
    app.steps["worker"].add(WorkerHeartbeat)
    app.conf.beat_scheduler = "celery_worker.liveness:HeartbeatScheduler"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m celery_worker.liveness", description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=("worker", "beat"))
    parser.add_argument("--max-age", type=float, default=MAX_AGE, help="seconds (default %(default)s)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    path = heartbeat_path(args.role)
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        sys.stdout.write(f"{args.role}: no heartbeat at {path}\n")
        return 1
    if age > args.max_age:
        sys.stdout.write(f"{args.role}: last heartbeat {age:.0f} s ago (> {args.max_age:.0f} s)\n")
        return 1
    sys.stdout.write(f"{args.role}: alive ({age:.0f} s ago)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
