"""`make run | tee log` then Ctrl-C stops the API, the worker and beat (scripts/run.sh)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(fn, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if fn():
            return True
        time.sleep(0.3)
    return False


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        assert r.status == 200, (path, r.status)
        return r.read().decode("utf-8", "replace")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.integration
def test_ctrl_c_on_a_piped_make_run_stops_everything(tmp_path):
    port = free_port()
    # the embedded defaults in a private folder (the demo's own setup: no service needed)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "PYTEST_VERSION", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")}
    env.update(SHUANGFANG_VAR_DIR=str(tmp_path / "var"), DEBUG="True")
    # `make run` minus its install/migrate/demo prerequisites: the same recipe line.
    makefile = tmp_path / "run.mk"
    makefile.write_text("r:\n\t@bash scripts/run.sh $(PORT)\n")
    # The terminal's Ctrl-C is a SIGINT to the whole foreground process group: make, run.sh and tee
    # (with SIGINT at its default action, as in a terminal, even if this test runs where it is ignored).
    proc = subprocess.Popen(["bash", "-c", f"make -f {makefile} r PORT={port} | tee {tmp_path}/log"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert wait_for(lambda: answers(port), 120), "the API did not come up"
        assert "127.0.0.1" in (tmp_path / "log").read_text()  # listens on 127.0.0.1 by default
        # the console `make run` serves: the page and the built assets it names (runserver must not take
        # /static/ away from whitenoise: a new user saw a blank page when it did)
        index = fetch(port, "/")
        assets = re.findall(r'(?:src|href)="(/static/console/[^"]+)"', index)
        assert assets, index[:500]
        for asset in assets:
            assert fetch(port, asset), asset
        os.killpg(proc.pid, signal.SIGINT)
        assert wait_for(lambda: not answers(port), 20), "the API is still answering after Ctrl-C"
        # the shell that ran the pipe is reaped first (a zombie leader still counts as a group member)
        assert wait_for(lambda: proc.poll() is not None and not group_alive(proc.pid), 20), \
            "processes left running after Ctrl-C"
    finally:
        if proc.poll() is None or group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
