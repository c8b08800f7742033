"""Docker, as far as a machine without an engine allows: the compose file validates and depends on nothing
outside the repository; the image's install steps (the Dockerfile's COPY lines and scripts) work in a clean venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"


def compose_cmd() -> list[str]:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    assert shutil.which("docker-compose"), "needs `docker compose` or docker-compose (.ci/run installs it)"
    return ["docker-compose"]


def compose_config(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*compose_cmd(), "-f", str(COMPOSE), "config"], capture_output=True, text=True, timeout=60,
                          env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env})


def test_compose_config_validates_and_needs_the_production_secrets():
    secrets = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "sf.example.gov.cn",
               "REPORTS_PUBLIC_BASE_URL": "https://sf.example.gov.cn"}
    # the verification URL printed in every issued report is required like the secrets (issue 17)
    missing = compose_config(**{k: v for k, v in secrets.items() if k != "REPORTS_PUBLIC_BASE_URL"})
    assert missing.returncode != 0 and "REPORTS_PUBLIC_BASE_URL" in missing.stderr
    r = compose_config(**secrets)
    assert r.returncode == 0, r.stderr
    config = yaml.safe_load(r.stdout)
    services = config["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"]["test"][-2:] == ["celery_worker.liveness", "worker"]
    assert services["beat"]["healthcheck"]["test"][-2:] == ["celery_worker.liveness", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "False" and env["SECRET_KEY"] == "k" * 50 and env["ALLOWED_HOSTS"] == "sf.example.gov.cn"
        assert env["REPORTS_PUBLIC_BASE_URL"] == "https://sf.example.gov.cn"
    # nothing outside the repository: only named volumes, no bind mounts (the old file mounted a folder beside the project)
    for name, svc in services.items():
        for volume in svc.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            assert not source.startswith(("/", ".")), f"{name} mounts {source}"
        build = svc.get("build")
        if build:
            context = Path(build["context"] if isinstance(build, dict) else build).resolve()
            assert context == ROOT
    text = COMPOSE.read_text() + DOCKERFILE.read_text()
    outside = "/".join(("..", "shared"))  # the team's folder beside the checkout, which a user does not have
    assert outside not in text and "SHUANGFANG_SHARED" not in text and "runserver" not in text
    assert re.search(r'^CMD \["gunicorn"', DOCKERFILE.read_text(), re.M)


def test_compose_refuses_to_start_without_secret_key_or_hosts():
    r = compose_config(ALLOWED_HOSTS="sf.example.gov.cn")
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr
    r = compose_config(SECRET_KEY="k" * 50)
    assert r.returncode != 0 and "ALLOWED_HOSTS" in r.stderr


def dockerfile_copies() -> list[tuple[list[str], str]]:
    """The COPY lines of the image's last stage from the repository (not the console's Node stage, not
    ``COPY --from=`` a stage: the built console is checked by tests/console)."""
    copies = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("FROM "):
            copies = []
        elif line.startswith("COPY ") and not line.split()[1].startswith("--from="):
            *sources, dest = line.split()[1:]
            copies.append((sources, dest))
    return copies


@pytest.mark.integration
def test_the_image_install_steps_work_in_a_clean_venv(tmp_path):
    """What the image gets (its COPY lines) installed by its RUN steps' scripts into a new venv (~30 s)."""
    app = tmp_path / "app"
    app.mkdir()
    for sources, dest in dockerfile_copies():
        for src in sources:
            target = app / dest / Path(src).name if dest.endswith("/") else app / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (ROOT / src).is_dir() else shutil.copy2)(ROOT / src, target)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PY": sys.executable, "PIP_EDITABLE": ""}
    r = subprocess.run(["bash", "scripts/system-deps.sh", "--check"], cwd=app, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
    venv = tmp_path / "venv"
    r = subprocess.run(["bash", "scripts/install.sh", str(venv), "."], cwd=app, env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    run_env = {"PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(tmp_path), "DEBUG": "False",
               "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "sf.example.gov.cn", "REPORTS_PUBLIC_BASE_URL": "https://sf.example.gov.cn", "SHUANGFANG_VAR_DIR": str(tmp_path / "var"),
               "DJANGO_SETTINGS_MODULE": "backend.settings"}
    for cmd in (["python", "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
                ["gunicorn", "--check-config", "-c", "python:backend.gunicorn_conf", "backend.wsgi"],
                ["python", "-c", "import django; django.setup(); from django.conf import settings; "
                                 "assert (settings.SAMPLES_DIR / 'enterprises.csv').is_file()"]):
        r = subprocess.run(cmd, cwd=app, env=run_env, capture_output=True, text=True, timeout=180)
        assert r.returncode == 0, (cmd, r.stdout[-2000:], r.stderr[-2000:])
    r = subprocess.run(["python", "-m", "celery_worker.liveness", "worker"], cwd=app, env=run_env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1 and "no heartbeat" in r.stdout  # nothing running: the probe says so
