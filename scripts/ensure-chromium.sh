#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (HOTBEAT_CHROMIUM, default /usr/bin/chromium):
# installs it from Debian's packages when it is missing. Playwright's own browser download is
# not used, so the tests need no network beyond the package mirror.
set -euo pipefail
browser="${HOTBEAT_CHROMIUM:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: $browser is missing and there is no apt-get; install Chromium and set HOTBEAT_CHROMIUM" >&2
  exit 1
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
