#!/usr/bin/env bash
# Starts the API, the Celery worker and beat on the embedded defaults; Ctrl-C stops all three.
set -euo pipefail
PORT=${1:-8000}
PY="$PWD/.venv/bin/python"
pids=()
cleanup() {
  # Ignore further INT/TERM while cleaning up (make forwards a second TERM), but finish the job.
  trap '' INT TERM
  trap - EXIT
  echo; echo "stopping…"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # Celery's warm shutdown can hang; give everything 10 s, then stop it hard.
  for _ in $(seq 1 20); do
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  pkill -KILL -P "$(IFS=,; echo "${pids[*]}")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
mkdir -p var/log
$PY -m celery -A celery_worker worker -l info -c 2 -Q celery,reports > var/log/worker.log 2>&1 & pids+=($!)
$PY -m celery -A celery_worker beat -l info -s var/celerybeat-schedule > var/log/beat.log 2>&1 & pids+=($!)
cat <<MSG

  Shuangfang is starting on http://127.0.0.1:${PORT}/
    API docs (Swagger):  http://127.0.0.1:${PORT}/api/docs/
    OpenAPI schema:      http://127.0.0.1:${PORT}/api/schema/
    Admin:               http://127.0.0.1:${PORT}/admin/   (demo / demo-pass-2026)
    Worker / beat logs:  var/log/worker.log, var/log/beat.log
  Get a token:
    curl -s -X POST http://127.0.0.1:${PORT}/api/v1/auth/login/ -H 'Content-Type: application/json' \\
         -d '{"username":"officer","password":"demo-pass-2026"}'
  Then: curl -H "Authorization: Token <token>" http://127.0.0.1:${PORT}/api/v1/risk-points/
  Ctrl-C stops the API, the worker and beat.

MSG
$PY manage.py runserver "0.0.0.0:${PORT}" --noreload & api=$!; pids+=($api)
# Only the API's exit ends the session: a crashed worker must not take the API down with it.
wait "$api"
