#!/usr/bin/env bash
# Renders an HTML report of refkit in headless Chromium to a PNG, to look at what a person sees.
#   scripts/report-screenshot.sh [REPORT.html] [OUT.png]
# Without arguments: runs the demo (if its dump is absent) in the demo's own folder
# (${XDG_CACHE_HOME:-~/.cache}/refkit/demo), writes its report there and renders it to docs/report.png.
# Needs Chromium (chromium, chromium-browser or google-chrome on the PATH); it installs nothing itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report="${1:-}"
png="${2:-$root/docs/report.png}"

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  cat >&2 <<'MISSING'
report-screenshot: needs a headless Chromium, and none is on the PATH (looked for chromium, chromium-browser,
google-chrome). Install one, then run this again; for example:
  Debian, Ubuntu:  sudo apt-get install chromium        Fedora:  sudo dnf install chromium
  macOS:           brew install --cask chromium
MISSING
  exit 2
fi

if [ -z "$report" ]; then
  work="${XDG_CACHE_HOME:-$HOME/.cache}/refkit/demo"
  dump="$work/demo.hprof"
  [ -f "$dump" ] || "$root/refkit" demo --work-dir "$work" --quiet >/dev/null
  report="$work/report.html"
  "$root/refkit" analyze "$dump" --quiet --force --html "$report" >/dev/null
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1000,1900 --screenshot="$png" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" \
  >/dev/null 2>&1
echo "wrote $png"
