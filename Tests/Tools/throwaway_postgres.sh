#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the demo and the bench (the tests have their own, PostgreSQLTestServer).
#
#   eval "$(Tests/Tools/throwaway_postgres.sh start)"    # initdb + postgres; prints PG_* variables (below)
#   Tests/Tools/throwaway_postgres.sh psql "$PG_DIR" -c 'SELECT 1'   # psql as the superuser, password supplied
#   Tests/Tools/throwaway_postgres.sh stop "$PG_DIR"      # stops the server and removes the directory
#
# `start` makes a new temporary directory (in $TMPDIR, else /tmp), runs initdb there and starts postgres on a free
# loopback port (its socket in the same directory, never /run/postgresql), with a superuser ($PG_SUPERUSER,
# `postgres` unless THROWAWAY_PG_SUPERUSER says otherwise) whose generated password only scram-sha-256 accepts,
# over TCP and the socket alike. It prints, one per line, shell-quoted for `eval`:
#   PG_DIR PG_HOST PG_PORT PG_SOCKET_DIR PG_SUPERUSER PG_PASSWORD_FILE PG_URL PG_BIN
# PG_PASSWORD_FILE is owner-only and holds the password on its first line; PG_URL never holds it.
# initdb and postgres refuse to run as root: as root, both run as an unprivileged account (THROWAWAY_PG_USER,
# else `postgres`, else `nobody`) that owns the directory. THROWAWAY_PG_OPTIONS adds server settings
# (e.g. "-c fsync=off"). On failure it says why, prints the log's tail, removes what it made and exits non-zero.
# Nothing stops the server but `stop`: callers put it in a trap (Samples/demo.sh) or a finally (bench/run.py).
set -euo pipefail

me=$(basename "$0")
marker=.throwaway-postgres   # in every directory `start` made; `stop` removes no other

die() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }

# The server's binaries: Debian's postgresql puts them outside PATH, one directory per major version.
find_bin() {
  if [ -n "${THROWAWAY_PG_BIN:-}" ]; then
    [ -x "$THROWAWAY_PG_BIN/initdb" ] || die "THROWAWAY_PG_BIN=$THROWAWAY_PG_BIN holds no initdb"
    printf '%s\n' "$THROWAWAY_PG_BIN"; return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { printf '%s\n' "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  die "no PostgreSQL server found (initdb, pg_ctl): apt-get install postgresql (make setup installs it)"
}

# Runs a command as the account that owns the cluster (itself unless we are root).
as_owner() {
  if [ -n "$owner" ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u "$owner" -- "$@"
    else setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups -- "$@"; fi
  else
    "$@"
  fi
}

choose_owner() {
  owner=""
  [ "$(id -u)" = 0 ] || return 0
  local candidate
  for candidate in ${THROWAWAY_PG_USER:-} postgres nobody; do
    if id -u "$candidate" >/dev/null 2>&1 && [ "$(id -u "$candidate")" != 0 ]; then owner=$candidate; return 0; fi
  done
  die "running as root, and no unprivileged account to run postgres as (initdb refuses root): set THROWAWAY_PG_USER"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

quote() { printf '%q' "$1"; }

start() {
  local bin dir superuser password port attempt started=""
  bin=$(find_bin)
  command -v python3 >/dev/null 2>&1 || die "python3 is needed (to find a free port): apt-get install python3"
  choose_owner
  superuser=${THROWAWAY_PG_SUPERUSER:-postgres}
  dir=$(mktemp -d "${TMPDIR:-/tmp}/throwaway-postgres.XXXXXX") || die "cannot make a temporary directory in ${TMPDIR:-/tmp}"
  touch "$dir/$marker"
  # Whatever fails from here removes the directory (and a server that started).
  trap 'as_owner "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  mkdir -m 700 "$dir/socket"
  if [ -n "$owner" ]; then
    chown -R "$owner:" "$dir" || die "cannot give $dir to $owner"
    chmod 711 "$dir"
    as_owner test -w "$dir" \
      || die "$owner (postgres refuses root) cannot write to $dir: a parent directory is closed to it; set TMPDIR to one it can reach"
  fi

  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077; printf '%s\n' "$password" > "$dir/password")
  # initdb reads the password from a file its own account can read, removed at once.
  (umask 077; printf '%s\n' "$password" > "$dir/initdb-password")
  [ -z "$owner" ] || chown "$owner:" "$dir/initdb-password"
  if ! as_owner "$bin/initdb" -D "$dir/data" -U "$superuser" --pwfile="$dir/initdb-password" \
      --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions \
      > "$dir/initdb.log" 2>&1; then
    rm -f "$dir/initdb-password"
    printf '%s: initdb failed; its log ends with:\n' "$me" >&2
    tail -n 15 "$dir/initdb.log" >&2
    exit 1
  fi
  rm -f "$dir/initdb-password"

  # A free port can be taken between the check and the bind: try another one then.
  for attempt in 1 2 3; do
    port=$(free_port)
    # shellcheck disable=SC2086  # THROWAWAY_PG_OPTIONS is a list of options
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-p $port -k '$dir/socket' -c listen_addresses=127.0.0.1 ${THROWAWAY_PG_OPTIONS:-}" > "$dir/pg_ctl.log" 2>&1; then
      started=1; break
    fi
    grep -q -e 'could not bind' -e 'Address already in use' "$dir/server.log" 2>/dev/null || break
  done
  if [ -z "$started" ]; then
    printf '%s: postgres did not start on 127.0.0.1:%s; its log ends with:\n' "$me" "$port" >&2
    tail -n 15 "$dir/server.log" "$dir/pg_ctl.log" >&2 2>/dev/null || true
    exit 1
  fi
  trap - EXIT

  {
    printf 'PG_DIR=%s\n' "$(quote "$dir")"
    printf 'PG_HOST=127.0.0.1\n'
    printf 'PG_PORT=%s\n' "$port"
    printf 'PG_SOCKET_DIR=%s\n' "$(quote "$dir/socket")"
    printf 'PG_SUPERUSER=%s\n' "$(quote "$superuser")"
    printf 'PG_PASSWORD_FILE=%s\n' "$(quote "$dir/password")"
    printf 'PG_URL=%s\n' "$(quote "postgres://$superuser@127.0.0.1:$port/postgres")"
    printf 'PG_BIN=%s\n' "$(quote "$bin")"
  } | tee "$dir/env"
  printf '%s: PostgreSQL %s on 127.0.0.1:%s (socket in %s), superuser %s, password in %s%s; stop: %s stop %s\n' \
    "$me" "$("$bin/postgres" --version | awk '{print $3}')" "$port" "$dir/socket" "$superuser" "$dir/password" \
    "${owner:+, run as $owner}" "$0" "$dir" >&2
}

# The directory `start` made, checked: stop and psql act on no other.
cluster_dir() {
  local dir=${1:-}
  [ -n "$dir" ] || die "give the directory \`start\` printed (PG_DIR)"
  [ -f "$dir/$marker" ] || die "$dir was not made by \`$me start\` (no $marker in it): nothing done"
  printf '%s\n' "$dir"
}

stop() {
  local dir bin
  dir=$(cluster_dir "${1:-}")
  # shellcheck disable=SC1091
  bin=$(. "$dir/env" 2>/dev/null && printf '%s' "${PG_BIN:-}") || true
  [ -n "$bin" ] || bin=$(find_bin)
  owner=""
  [ "$(id -u)" != 0 ] || owner=$(stat -c %U "$dir/data" 2>/dev/null || true)
  [ "$owner" != root ] || owner=""
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 stop -m fast > /dev/null 2>&1 \
      || as_owner "$bin/pg_ctl" -D "$dir/data" stop -m immediate > /dev/null 2>&1 \
      || printf '%s: pg_ctl could not stop the server of %s (already gone?)\n' "$me" "$dir" >&2
  fi
  rm -rf "$dir"
}

psql_as_superuser() {
  local dir
  dir=$(cluster_dir "${1:-}")
  shift
  # shellcheck disable=SC1091
  . "$dir/env"
  PGPASSWORD=$(head -n 1 "$PG_PASSWORD_FILE") exec psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" \
    -U "$PG_SUPERUSER" -d postgres "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  psql) shift; psql_as_superuser "$@" ;;
  *) die "usage: $me start | stop DIR | psql DIR [psql arguments]" ;;
esac
