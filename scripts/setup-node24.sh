#!/usr/bin/env bash
# Node 24 LTS for CI's second test run, from the npm registry itself: the node-linux-<arch>
# package carries the official binary, so nothing is downloaded from anywhere else. Unpacked
# once into .cache/node-24 (or $WGPROF_NODE24_DIR); prints the folder of its `node`, to put
# first on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${WGPROF_NODE24_DIR:-$root/.cache/node-24}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "setup-node24: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@24" >/dev/null)
  tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$tmp" package/bin/node
  mkdir -p "$dir/bin"
  mv "$tmp/package/bin/node" "$dir/bin/node"
fi
echo "setup-node24: $("$dir/bin/node" --version) at $dir/bin/node" >&2
echo "$dir/bin"
