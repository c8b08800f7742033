#!/usr/bin/env bash
# Build the web console (frontend/ → frontend/dist/, served by Django at /): `npm ci` when node_modules is
# missing or older than the lockfile, then `npm run build` (type-check, Vite, bundle budget).
# Without Node.js ≥ 20 / npm it says so and exits 0 — the API runs without the console (/ answers a
# 503 page telling to build it) — unless CONSOLE_REQUIRED=1 (then exit 1).
set -euo pipefail
cd "$(dirname "$0")/../frontend"
fail() {
  echo "warning: $*" >&2
  echo "  the web console is not built; the API still runs (/ answers 503 until it is). Install Node.js ≥ 20" >&2
  echo "  (with npm), then: make run — or: cd frontend && npm ci && npm run build" >&2
  [ "${CONSOLE_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
}
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || fail "npm/node not found"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 20 ] || fail "Node.js $(node --version 2>/dev/null) is too old (the console needs ≥ 20)"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "console: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "console: npm run build"
npm run build --silent
touch dist/.built
