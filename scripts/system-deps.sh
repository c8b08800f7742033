#!/usr/bin/env bash
# Installs the Debian packages the platform needs (CJK font for Chinese PDFs, Pango for WeasyPrint).
# Idempotent; a no-op when they are present or when we are not root on a Debian-like system.
set -euo pipefail
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# Without HarfBuzz's subsetter WeasyPrint falls back to slow font subsetting (15–20 s per CJK PDF).
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "warning: missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 0
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends fontconfig "${need[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
