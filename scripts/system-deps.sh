#!/usr/bin/env bash
# The Debian packages the platform needs: a CJK font for Chinese PDFs, Pango for WeasyPrint, HarfBuzz's
# subsetter (without it WeasyPrint subsets fonts in Python: 15–20 s per CJK PDF) and pdftotext; and Debian's
# Chromium for the console's browser tests (tests/browser; Playwright never downloads a browser) unless
# SYSTEM_DEPS_BROWSER=0 (the Docker image: it serves the console, it does not test it).
#
# With everything present it changes nothing and never calls apt. Otherwise, as root on a Debian-like
# system, it installs what is missing; without root (or without apt) it prints what is missing and how to
# get it, and exits 0: the API runs without them, only PDF rendering needs them (/readyz reports the font).
# `--check` only reports (exit 1 when something is missing), for scripts and tests.
set -euo pipefail

# Each probe reads its command's whole output first: `cmd | grep -q` fails under pipefail when grep stops
# early and cmd dies of SIGPIPE, which made this script reinstall packages that were present.
fonts=$(fc-list :lang=zh family 2>/dev/null || true)
libs=$(ldconfig -p 2>/dev/null || true)
need=()
[ -n "$fonts" ] || need+=(fonts-noto-cjk)
grep -q 'libpango-1\.0\.so' <<<"$libs" || need+=(libpango-1.0-0)
grep -q 'libpangoft2-1\.0\.so' <<<"$libs" || need+=(libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset\.so' <<<"$libs" || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
browser=()
if [ "${SYSTEM_DEPS_BROWSER:-1}" != 0 ] && [ ! -x /usr/bin/chromium ]; then browser+=(chromium); fi

if [ ${#need[@]} -eq 0 ] && [ ${#browser[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "missing system packages: ${need[*]} ${browser[*]}"
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
warning: missing system packages: ${need[*]} ${browser[*]}
  Chinese PDF reports and permits cannot be rendered until they are installed (the API runs without them;
  /readyz reports the missing font); the console's browser tests need chromium. On Debian/Ubuntu:
    sudo apt-get update && sudo apt-get install --no-install-recommends ${need[*]} ${browser[*]}
  elsewhere: install a Noto Sans CJK (or any Chinese) font, Pango ≥ 1.44 and HarfBuzz with its subset library.
MSG
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi
if [ ${#browser[@]} -gt 0 ]; then
  echo "installing the browser of the console's tests: ${browser[*]}"
  apt-get install -y -qq --no-install-recommends "${browser[@]}" >/dev/null
fi
