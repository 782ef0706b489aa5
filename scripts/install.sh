#!/usr/bin/env bash
# Put `vet` on your PATH from a checkout, to vet your own projects:
#
#   scripts/install.sh [--no-build] [PREFIX]      (PREFIX defaults to $HOME/.local)
#
# installs the bundled CLI (packages/cli/dist/bundle: plain JavaScript, no dependencies beyond
# Node 20.10+) into PREFIX/lib/vet and links PREFIX/bin/vet to it. It builds first (pnpm and the
# workspace are installed by scripts/bootstrap.sh when missing: no network beyond the npm
# registry); --no-build installs the bundle as it is. Run it again to update; remove
# PREFIX/lib/vet and PREFIX/bin/vet to uninstall.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
prefix="${PREFIX:-$HOME/.local}"
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    *) prefix="$arg" ;;
  esac
done
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)'; then
  echo "install.sh: vet needs Node 20.10 or later (found $(node --version 2>/dev/null || echo none))" >&2
  exit 2
fi
bundle=packages/cli/dist/bundle
if [ "$build" = 1 ]; then
  if [ ! -d node_modules ]; then bash scripts/bootstrap.sh; fi
  node_modules/.bin/tsc -b
  node scripts/bundle-cli.mjs
fi
if [ ! -f "$bundle/bin.js" ]; then
  echo "install.sh: $bundle/bin.js is missing: run without --no-build" >&2
  exit 2
fi
mkdir -p "$prefix/lib" "$prefix/bin"
prefix="$(cd "$prefix" && pwd)"
# Stage next to the target, then swap, so a failed copy never leaves half an install.
stage="$(mktemp -d "$prefix/lib/.vet-install.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
cp -R "$bundle/." "$stage/"
# The bundle is ES modules: its own package.json says so wherever it is installed.
printf '{ "name": "vet-cli-bundle", "private": true, "type": "module" }\n' >"$stage/package.json"
chmod 755 "$stage/bin.js"
rm -rf "$prefix/lib/vet"
mv "$stage" "$prefix/lib/vet"
ln -sfn ../lib/vet/bin.js "$prefix/bin/vet"
echo "Installed vet $("$prefix/bin/vet" --version) as $prefix/bin/vet"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Add it to your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
