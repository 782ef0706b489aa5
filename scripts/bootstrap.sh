#!/usr/bin/env bash
# Install everything vet needs on a fresh machine: pnpm (pinned), then the workspace.
# better-sqlite3 (the notary's database) is compiled by node-gyp when no prebuilt binary
# can be downloaded; where the machine ships Node's headers we point node-gyp at them so
# the build needs no network beyond the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
pnpm install --frozen-lockfile
