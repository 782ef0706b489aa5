#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster when 127.0.0.1:5432 does not answer (Debian's
# postgresql package: pg_ctlcluster). Used by .ci/run; exits non-zero if it cannot.
set -uo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0
if ! command -v pg_ctlcluster >/dev/null; then
  echo "pg_ctlcluster not found: install PostgreSQL (apt-get install postgresql), see docs/notary.md" >&2
  exit 1
fi
for version in $(ls /etc/postgresql 2>/dev/null); do
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 ||
    sudo -n pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || true
done
for _ in $(seq 1 30); do
  ready && exit 0
  sleep 0.5
done
echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2
exit 1
