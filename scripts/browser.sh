#!/usr/bin/env bash
# Find (or install) a headless-capable Chromium for the browser tests of the HTML report.
#   scripts/browser.sh   -> prints the path of the chromium binary on stdout
# Installs Debian's `chromium` package when it is missing and we are root with apt-get;
# all installer output goes to stderr so that stdout carries only the path.
set -euo pipefail

find_chromium() {
  local c
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null; then command -v "$c"; return 0; fi
  done
  return 1
}

if ! find_chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Chromium from Debian packages..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends chromium fonts-dejavu-core) >&2
  else
    echo "Chromium is not installed and cannot be installed here (need root + apt-get)" >&2
    exit 1
  fi
fi
if ! find_chromium; then
  echo "Chromium was installed but no chromium binary is on PATH" >&2
  exit 1
fi
