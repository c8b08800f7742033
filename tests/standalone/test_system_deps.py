"""scripts/system-deps.sh: decides right under pipefail, never calls apt when everything is there, and
without root says what is missing and how to get it."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh"


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def bin_dir(tmp_path):
    """A PATH folder whose apt-get only records that it was called."""
    folder = tmp_path / "bin"
    folder.mkdir()
    stub(folder, "apt-get", f'echo "$@" >> {tmp_path}/apt-called; exit 0')
    return folder


def run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


def test_with_everything_installed_it_never_calls_apt(bin_dir, tmp_path):
    # This machine has them (CI runs the script before the tests): ten runs, no apt, no output.
    assert run(bin_dir, "--check").returncode == 0, "system packages missing here: run scripts/system-deps.sh"
    for _ in range(10):
        r = run(bin_dir)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert not (tmp_path / "apt-called").exists()


def test_a_long_font_list_is_not_misread_under_pipefail(bin_dir, tmp_path):
    # `fc-list | grep -q` died of SIGPIPE on long outputs and the script reinstalled everything.
    stub(bin_dir, "fc-list", "i=0; while [ $i -lt 20000 ]; do echo 'Noto Sans CJK SC'; i=$((i+1)); done")
    for _ in range(3):
        assert run(bin_dir).returncode == 0
    assert not (tmp_path / "apt-called").exists()


def test_without_root_it_prints_what_is_missing_and_how_to_install_it(bin_dir, tmp_path):
    stub(bin_dir, "fc-list", "exit 0")  # no CJK font
    stub(bin_dir, "id", "echo 1000")    # not root
    r = run(bin_dir)
    assert r.returncode == 0
    assert "fonts-noto-cjk" in r.stderr and "apt-get install" in r.stderr
    assert not (tmp_path / "apt-called").exists()
    assert run(bin_dir, "--check").returncode == 1


def test_as_root_it_installs_only_what_is_missing(bin_dir, tmp_path):
    if os.geteuid() != 0:
        stub(bin_dir, "id", "echo 0")
    stub(bin_dir, "fc-list", "exit 0")
    stub(bin_dir, "fc-cache", "exit 0")
    r = run(bin_dir)
    assert r.returncode == 0, r.stderr
    calls = (tmp_path / "apt-called").read_text().splitlines()
    assert calls[0].startswith("update")
    assert calls[1].split()[-1] == "fonts-noto-cjk" and "libpango-1.0-0" not in calls[1]
