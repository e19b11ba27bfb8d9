#!/usr/bin/env bash
# Install the PostgreSQL server binaries (initdb, pg_ctl) from Debian's packages, if missing.
#
# The archive tests start a throw-away PostgreSQL cluster with them (tests/archive_fixtures.py);
# under CI they fail when the binaries are absent. Idempotent: when PostgreSQL is already
# installed this returns at once and prints nothing.
set -euo pipefail

have_postgres() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
        && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if have_postgres || { [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; }; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres.sh: apt-get not found; install PostgreSQL (initdb and pg_ctl) and set PG_BIN to their folder" >&2
    exit 1
fi
run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-postgres.sh: run as root (or with sudo) to install PostgreSQL" >&2
        exit 1
    fi
    run_as_root=(sudo)
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! "${run_as_root[@]}" apt-get update -qq >"$log" 2>&1 \
    || ! "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends postgresql >>"$log" 2>&1; then
    echo "install-postgres.sh: installing PostgreSQL failed:" >&2
    tail -n 20 "$log" >&2
    exit 1
fi
if ! have_postgres; then
    echo "install-postgres.sh: PostgreSQL was installed but initdb/pg_ctl are not in /usr/lib/postgresql/*/bin" >&2
    exit 1
fi
