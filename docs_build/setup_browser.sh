#!/usr/bin/env bash
# Make sure the browser tests have a Chromium to drive, installing Debian's
# package only where this machine can (root with apt-get). Never downloads a
# browser build of its own. Looks where tests/support.py:chromium_path() looks.
set -euo pipefail

for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser google-chrome; do
  if [ -n "$candidate" ] && found=$(command -v "$candidate") && "$found" --version >/dev/null 2>&1; then
    echo "browser: $found ($("$found" --version))"
    exit 0
  fi
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "browser: installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  chromium --version
  exit 0
fi

echo "No Chromium found and none can be installed here." >&2
echo "Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH to its executable." >&2
exit 1
