#!/usr/bin/env bash
# Installs a software WebGPU adapter (Mesa's lavapipe Vulkan driver) on a Linux machine
# without a GPU, so that wgprof and its tests have a real Dawn device to talk to.
#
# Debian 12's own Mesa (22.3) lavapipe is refused by Dawn ("shaderUniform*ArrayDynamicIndexing
# required"), so on bookworm the driver comes from bookworm-backports (Mesa 25), on the same
# mirror the machine's apt sources already use. Elsewhere, a stock Mesa 24+ is enough.
# Idempotent: running it again changes nothing once the driver is there.
set -euo pipefail

log() { printf 'setup-software-gpu: %s\n' "$*" >&2; }

if [ "$(uname -s)" != "Linux" ]; then
  log "not Linux: nothing to do (macOS uses Metal, Windows D3D12)."
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else log "needs root or sudo"; exit 1; fi
fi

lavapipe_version() {
  # Prints the installed mesa-vulkan-drivers version, or nothing.
  dpkg-query -W -f='${Status} ${Version}\n' mesa-vulkan-drivers 2>/dev/null \
    | awk '$3 == "installed" { print $4 }'
}

mesa_major() { printf '%s' "$1" | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/'; }

have_good_lavapipe() {
  local v; v=$(lavapipe_version)
  [ -n "$v" ] && [ "$(mesa_major "$v")" -ge 24 ] && dpkg-query -W libvulkan1 >/dev/null 2>&1
}

if have_good_lavapipe; then
  log "lavapipe $(lavapipe_version) already installed."
  exit 0
fi

. /etc/os-release
export DEBIAN_FRONTEND=noninteractive

# The mirror URI the machine already uses for the main Debian archive (deb822 or one-line format).
debian_mirror() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") { print u; exit } }
    ' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file|ftp):/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s' "$uri"
}

if [ "${ID:-}" = "debian" ] && [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
  list=/etc/apt/sources.list.d/wgprof-bookworm-backports.list
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(debian_mirror)
    if [ -z "$mirror" ]; then log "could not find the Debian mirror in apt's sources"; exit 1; fi
    log "enabling bookworm-backports from $mirror"
    echo "deb $mirror bookworm-backports main" | $SUDO tee "$list" >/dev/null
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
else
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
fi

if have_good_lavapipe; then
  log "lavapipe $(lavapipe_version) installed."
else
  log "installed mesa-vulkan-drivers $(lavapipe_version), but Dawn needs Mesa 24 or newer."
  exit 1
fi
