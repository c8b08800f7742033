"""Worker and beat liveness (celery_worker/liveness.py): heartbeat files touched from their own loops,
a probe that reads their age (the compose file's health checks)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from celery_worker import liveness

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _dir(settings, tmp_path):
    settings.CELERY_HEARTBEAT_DIR = tmp_path / "hb"


def test_the_probe_reads_the_heartbeat_age(capsys):
    assert liveness.main(["worker"]) == 1 and "no heartbeat" in capsys.readouterr().out
    liveness.touch("worker")
    assert liveness.main(["worker"]) == 0 and "alive" in capsys.readouterr().out
    old = time.time() - 120
    os.utime(liveness.heartbeat_path("worker"), (old, old))
    assert liveness.main(["worker", "--max-age", "60"]) == 1 and "120 s ago" in capsys.readouterr().out


def test_the_worker_step_touches_from_the_worker_timer():
    calls = []

    class Timer:
        def call_repeatedly(self, interval, fn, args, priority=0):
            calls.append(interval)
            fn(*args)
            return type("Ref", (), {"cancel": lambda self: calls.append("cancelled")})()

    worker = type("Worker", (), {"timer": Timer()})()
    step = liveness.WorkerHeartbeat.__new__(liveness.WorkerHeartbeat)
    step.tref = None
    step.start(worker)
    assert liveness.heartbeat_path("worker").exists() and calls == [liveness.INTERVAL]
    step.stop(worker)
    assert calls[-1] == "cancelled"


def test_the_app_installs_both():
    from celery_worker.app import app

    assert app.conf.beat_scheduler == "celery_worker.liveness:HeartbeatScheduler"
    assert liveness.WorkerHeartbeat in app.steps["worker"]


@pytest.mark.integration
def test_a_running_beat_is_alive_and_a_stopped_one_is_not(tmp_path):
    env = {**os.environ, "SHUANGFANG_VAR_DIR": str(tmp_path / "var"), "CELERY_HEARTBEAT_DIR": str(tmp_path / "hb2"),
           "DEBUG": "True"}
    env.pop("PYTEST_VERSION", None)
    probe = [sys.executable, "-m", "celery_worker.liveness", "beat", "--max-age", "5"]
    beat = subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_worker", "beat", "-l", "warning",
                             "-s", str(tmp_path / "schedule")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(probe, cwd=ROOT, env=env, capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, "beat never touched its heartbeat"
            time.sleep(1)
    finally:
        beat.terminate()
        beat.wait(30)
    time.sleep(6)
    assert subprocess.run(probe, cwd=ROOT, env=env, capture_output=True).returncode == 1
