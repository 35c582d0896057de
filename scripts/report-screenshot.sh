#!/usr/bin/env bash
# Renders an HTML report of refkit in headless Chromium to a PNG, to look at what a person sees.
#   scripts/report-screenshot.sh [REPORT.html] [OUT.png]
# Without arguments: runs the demo (if its dump is absent), writes its report and renders it to
# docs/report.png. Installs Debian's chromium package when no Chromium is on the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report="${1:-}"
png="${2:-$root/docs/report.png}"

if [ -z "$report" ]; then
  dump="${TMPDIR:-/tmp}/refkit-demo/demo.hprof"
  [ -f "$dump" ] || "$root/refkit" demo --quiet >/dev/null
  report="${TMPDIR:-/tmp}/refkit-demo/report.html"
  "$root/refkit" analyze "$dump" --quiet --html "$report" >/dev/null
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "report-screenshot: installing Debian's chromium package ..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1000,1900 --screenshot="$png" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" \
  >/dev/null 2>&1
echo "wrote $png"
