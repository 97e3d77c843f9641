#!/bin/sh
# This file contains the PostgreSQL test harness: it starts a real
# PostgreSQL 15 server (Debian's packages, /usr/lib/postgresql/15/bin) on
# 127.0.0.1 with its own data directory under the build tree, as an
# unprivileged user, and stops it again.  It works run as root (CI: the server
# runs as the system user "prtest", created on first use) and as a normal user
# (the server runs as that user).
#
#   pg.sh start DIR         initdb (fresh) + start on a free loopback port;
#                           writes the connection URL to DIR/url
#   pg.sh stop DIR          fast shutdown; never fails when nothing runs
#   pg.sh kill DIR          "pg_ctl stop -m immediate" (a crash, for tests)
#   pg.sh restart DIR       start the existing data directory again
#   pg.sh url DIR           print the URL
#   pg.sh run DIR VAR CMD…  run CMD with VAR=<url> (and PR_PG_URL) exported
#   pg.sh rundb DIR DB VAR CMD…  the same on a fresh database DB (dropped
#                           and created first), so tests run side by side
#
# Environment: PR_PG_BIN (default /usr/lib/postgresql/15/bin), PR_PG_USER
# (default prtest, only used as root), PR_PG_FSYNC (on|off, default off:
# tests crash the server process, never the OS, so WAL in the page cache
# survives), PR_PG_SHARED_BUFFERS (default 128MB).
set -eu

PGBIN=${PR_PG_BIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=${PR_PG_USER:-prtest}
DBNAME=patientrost

die() { echo "pg.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: pg.sh start|stop|kill|restart|url|run|rundb DIR [...]"
cmd=$1
DIR=$2
shift 2

# Run a command as the server's user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PGUSER_OS" -- "$@"
  else
    "$@"
  fi
}

need_bin() {
  [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] ||
    die "PostgreSQL 15 server not found in $PGBIN (run ./deps.sh: package postgresql)"
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id "$PGUSER_OS" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS" ||
      die "cannot create the unprivileged user $PGUSER_OS"
  fi
}

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Where the server's files live: DIR itself, or (when the server's user
# cannot reach DIR, e.g. a checkout under /root) a private directory under
# /tmp recorded in DIR/base.
base() {
  if [ -f "$DIR/base" ]; then cat "$DIR/base"; else echo "$DIR"; fi
}

running() {
  [ -f "$(base)/data/postmaster.pid" ] &&
    as_pg "$PGBIN/pg_ctl" status -D "$(base)/data" >/dev/null 2>&1
}

stop_server() {
  mode=$1
  if running; then
    as_pg "$PGBIN/pg_ctl" stop -D "$(base)/data" -m "$mode" -w -t 60 >/dev/null ||
      as_pg "$PGBIN/pg_ctl" stop -D "$(base)/data" -m immediate -w -t 30 >/dev/null ||
      true
  fi
}

start_server() {
  port=$(cat "$DIR/port")
  # The server may take a moment after a crash (recovery); -w waits.
  b=$(base)
  as_pg "$PGBIN/pg_ctl" start -D "$b/data" -w -t 120 \
    -l "$b/log/server.log" -o "-p $port" >/dev/null ||
    { tail -n 20 "$b/log/server.log" >&2 || true; die "server did not start (log: $b/log/server.log)"; }
}

case "$cmd" in
start)
  need_bin
  ensure_user
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  stop_server fast
  if [ -f "$DIR/base" ] && [ "$(base)" != "$DIR" ]; then rm -rf "$(base)"; fi
  rm -rf "$DIR/data" "$DIR/sock" "$DIR/log" "$DIR/url" "$DIR/port" "$DIR/base"
  B=$DIR
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PGUSER_OS" "$DIR"
    if ! as_pg test -w "$DIR"; then
      # A parent directory is closed to the server's user: keep the
      # server's files in a private directory of its own instead.
      B=$(mktemp -d /tmp/prpg.XXXXXX)
      chown "$PGUSER_OS" "$B"
      chmod 700 "$B"
      echo "$B" >"$DIR/base"
      echo "pg.sh: $DIR is not reachable by $PGUSER_OS; server files in $B"
    fi
  fi
  mkdir -p "$B/data" "$B/sock" "$B/log"
  [ "$(id -u)" -ne 0 ] || chown -R "$PGUSER_OS" "$B/data" "$B/sock" "$B/log"
  as_pg "$PGBIN/initdb" -D "$B/data" -U "$PGUSER_OS" --auth=trust -E UTF8 \
    --locale=C >"$B/log/initdb.log" 2>&1 ||
    { cat "$B/log/initdb.log" >&2; die "initdb failed"; }
  cat >>"$B/data/postgresql.conf" <<EOF
# Patientröst test server (tests/pg/pg.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$B/sock'
max_connections = 200
fsync = ${PR_PG_FSYNC:-off}
shared_buffers = ${PR_PG_SHARED_BUFFERS:-128MB}
log_min_messages = warning
log_connections = off
EOF
  # Loopback only, password-less for the harness's own user.
  cat >"$B/data/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  free_port >"$DIR/port"
  start_server
  port=$(cat "$DIR/port")
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U "$PGUSER_OS" "$DBNAME" ||
    die "createdb failed"
  echo "postgresql://$PGUSER_OS@127.0.0.1:$port/$DBNAME" >"$DIR/url"
  chmod a+r "$DIR/url" "$DIR/port"
  echo "pg.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $(as_pg id -un), data $B/data"
  ;;
stop)
  [ -d "$(base)/data" ] || exit 0
  stop_server fast
  ;;
kill)
  [ -d "$(base)/data" ] || die "no data directory in $(base)"
  as_pg "$PGBIN/pg_ctl" stop -D "$(base)/data" -m immediate -w -t 30 >/dev/null
  ;;
restart)
  [ -f "$DIR/port" ] || die "no server was set up in $DIR (run start first)"
  running || start_server
  ;;
url)
  [ -f "$DIR/url" ] || die "no server URL in $DIR (did 'pg.sh start' run?)"
  cat "$DIR/url"
  ;;
run)
  [ $# -ge 2 ] || die "usage: pg.sh run DIR VAR CMD [ARG...]"
  [ -f "$DIR/url" ] || die "no server URL in $DIR (did the pg_server fixture run?)"
  var=$1
  shift
  url=$(cat "$DIR/url")
  export PR_PG_URL="$url"
  export PR_PG_DIR="$DIR"
  export "$var=$url"
  exec "$@"
  ;;
rundb)
  [ $# -ge 3 ] || die "usage: pg.sh rundb DIR DB VAR CMD [ARG...]"
  [ -f "$DIR/url" ] || die "no server URL in $DIR (did the pg_server fixture run?)"
  db=$1
  var=$2
  shift 2
  port=$(cat "$DIR/port")
  PGOPTIONS="-c client_min_messages=warning" "$PGBIN/dropdb" -h 127.0.0.1 -p "$port" -U "$PGUSER_OS" --if-exists "$db" ||
    die "dropdb $db failed"
  "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U "$PGUSER_OS" "$db" ||
    die "createdb $db failed"
  url="postgresql://$PGUSER_OS@127.0.0.1:$port/$db"
  export PR_PG_URL="$url"
  export PR_PG_DIR="$DIR"
  export "$var=$url"
  exec "$@"
  ;;
*)
  die "unknown command '$cmd' (start|stop|kill|restart|url|run|rundb)"
  ;;
esac
