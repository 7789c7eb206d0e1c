#!/usr/bin/env bash
# Installs Chromium for the HTML report's browser test (test/reports-html.test.ts), which drives
# it through playwright-core at /usr/bin/chromium. The browser comes from Debian's own `chromium`
# package (playwright's browser download needs an internet connection the CI machine does not have).
# Idempotent: once /usr/bin/chromium is there, it changes nothing.
set -euo pipefail

log() { printf 'setup-browser: %s\n' "$*" >&2; }

CHROMIUM=/usr/bin/chromium

chromium_version() { "$CHROMIUM" --version 2>/dev/null || printf 'chromium'; }

if [ -x "$CHROMIUM" ]; then
  log "$(chromium_version) already installed at $CHROMIUM."
  exit 0
fi

if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get here: install Chromium so that $CHROMIUM runs it, then run the tests again."
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else log "needs root or sudo"; exit 1; fi
fi

log "installing Debian's chromium package..."
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
  log "the chromium package is installed but $CHROMIUM is not there"
  exit 1
fi
log "installed $(chromium_version) at $CHROMIUM."
