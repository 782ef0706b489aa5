#!/usr/bin/env bash
# Installs Debian's Chromium for the notary's browser tests when it is missing (as root,
# non-interactively, bounded in time so a machine without a package mirror gets a message,
# not a hang).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: need root and apt-get to install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -qq
timeout 900 apt-get install -y -qq chromium >/dev/null
