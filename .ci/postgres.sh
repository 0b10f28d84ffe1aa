#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the tests and benchmarks.
#
#   eval "$(.ci/postgres.sh start)"   # install if missing (root), start, print the exports
#   .venv/bin/python -m pytest -q     # storage, dialog and scheduler tests on both databases
#   .ci/postgres.sh stop              # stop the server and remove its files
#
# Settings (environment): REBOUND_PG_DIR (data directory, default /tmp/rebound-pg),
# REBOUND_PG_PORT (default 54329), REBOUND_PG_OPTIONS (extra server flags; the
# default trades durability for speed, which a test server does not need:
# fsync=off, synchronous_commit=off, full_page_writes=off).
# `start` prints only `export ...` lines on stdout; everything else goes to stderr.
set -euo pipefail

dir=${REBOUND_PG_DIR:-/tmp/rebound-pg}
port=${REBOUND_PG_PORT:-54329}
options=${REBOUND_PG_OPTIONS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}
url="postgresql+asyncpg://rebound:rebound@127.0.0.1:${port}/rebound"

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$found" ]] && command -v pg_ctl >/dev/null; then
        found=$(dirname "$(command -v pg_ctl)")
    fi
    echo "$found"
}

# root cannot run postgres: run the server as the `postgres` user then.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "PostgreSQL is not installed; as root: apt-get install -y postgresql" >&2
        exit 1
    fi
    echo "installing PostgreSQL (Debian packages)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >/dev/null
}

start() {
    local bin
    bin=$(find_bin)
    if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
        install
        bin=$(find_bin)
    fi
    if [[ -f "$dir/data/postmaster.pid" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "PostgreSQL already running in $dir" >&2
    else
        rm -rf "$dir"
        mkdir -p "$dir"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
        as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
            -o "-k /tmp -c listen_addresses=127.0.0.1 -p $port -c max_connections=200 $options" \
            start >&2
        as_owner "$bin/psql" -q -h /tmp -p "$port" -U postgres -d postgres \
            -c "CREATE ROLE rebound LOGIN CREATEDB PASSWORD 'rebound'" \
            -c "GRANT pg_signal_backend TO rebound" \
            -c "CREATE DATABASE rebound OWNER rebound" >&2
    fi
    echo "export REBOUND_TEST_POSTGRES_URL='$url'"
}

stop() {
    local bin
    bin=$(find_bin)
    if [[ -n "$bin" && -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) echo "$url" ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
