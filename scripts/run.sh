#!/usr/bin/env bash
# The local demo: the API (runserver, DEBUG on), the Celery worker and beat on the embedded defaults.
# Listens on 127.0.0.1 unless HOST says otherwise. Ctrl-C stops all three, also when the output is piped
# (`make run | tee log`: Ctrl-C kills tee first, so nothing here may write to stdout before the API is down).
set -euo pipefail
PORT=${1:-${PORT:-8000}}
HOST=${HOST:-127.0.0.1}
export DEBUG=${DEBUG:-True}
PY="$PWD/.venv/bin/python"
pids=()
say() { printf '%s\n' "$*" 2>/dev/null || true; }
cleanup() {
  # Ignore further INT/TERM while cleaning up (make forwards a second TERM), and PIPE (the reader of our
  # stdout may be gone), but finish the job.
  trap '' INT TERM PIPE
  trap - EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # Celery's warm shutdown can hang; give everything 10 s, then stop it hard.
  for _ in $(seq 1 20); do
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  pkill -KILL -P "$(IFS=,; echo "${pids[*]}")" 2>/dev/null || true
  wait 2>/dev/null || true
  say "" "stopped the API, the worker and beat."
}
trap cleanup INT TERM EXIT
var=${SHUANGFANG_VAR_DIR:-var}
mkdir -p "$var/log"
url="http://${HOST/0.0.0.0/127.0.0.1}:${PORT}"
# the QR code and verification URL of the reports the worker renders point at this server
export REPORTS_PUBLIC_BASE_URL=${REPORTS_PUBLIC_BASE_URL:-$url}
$PY -m celery -A celery_worker worker -l info -c 2 -Q celery,reports > "$var/log/worker.log" 2>&1 & pids+=($!)
$PY -m celery -A celery_worker beat -l info -s "$var/celerybeat-schedule" > "$var/log/beat.log" 2>&1 & pids+=($!)
say "
  Shuangfang is starting on ${url}/   (DEBUG=${DEBUG}; HOST=${HOST})
    API docs (Swagger):  ${url}/api/docs/
    OpenAPI schema:      ${url}/api/schema/
    Health:              ${url}/healthz   ${url}/readyz
    Admin:               ${url}/admin/   (demo / \$DEMO_ADMIN_PASSWORD, when set before make run)
    Worker / beat logs:  $var/log/worker.log, $var/log/beat.log
  Get a token:
    curl -s -X POST ${url}/api/v1/auth/login/ -H 'Content-Type: application/json' \\
         -d '{\"username\":\"officer\",\"password\":\"demo-pass-2026\"}'
  Then: curl -H \"Authorization: Token <token>\" ${url}/api/v1/risk-points/
  Ctrl-C stops the API, the worker and beat.
"
$PY manage.py runserver "${HOST}:${PORT}" --noreload & api=$!; pids+=($api)
# Only the API's exit ends the session: a crashed worker must not take the API down with it.
wait "$api"
