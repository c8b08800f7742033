#!/usr/bin/env bash
# Installs the project into a virtualenv: `bash scripts/install.sh VENV [SPEC]` (SPEC default `.`, the
# Makefile passes '.[dev]'). The Makefile (`make install`) and docker/Dockerfile run this same script;
# tests/standalone/test_install.py runs it in a fresh venv. PY names the interpreter (default python3).
set -euo pipefail
venv=${1:?usage: install.sh VENV [SPEC]}
spec=${2:-.}
py=${PY:-python3}
# A venv whose creation was interrupted (python but no pip) is made anew rather than failing every run.
if ! { [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip --version >/dev/null 2>&1; }; then
  "$py" -m venv --clear "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q ${PIP_EDITABLE--e} "$spec"
