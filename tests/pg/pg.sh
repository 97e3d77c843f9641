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

running() {
  [ -f "$DIR/data/postmaster.pid" ] &&
    as_pg "$PGBIN/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

stop_server() {
  mode=$1
  if running; then
    as_pg "$PGBIN/pg_ctl" stop -D "$DIR/data" -m "$mode" -w -t 60 >/dev/null ||
      as_pg "$PGBIN/pg_ctl" stop -D "$DIR/data" -m immediate -w -t 30 >/dev/null ||
      true
  fi
}

start_server() {
  port=$(cat "$DIR/port")
  # The server may take a moment after a crash (recovery); -w waits.
  as_pg "$PGBIN/pg_ctl" start -D "$DIR/data" -w -t 120 \
    -l "$DIR/log/server.log" -o "-p $port" >/dev/null ||
    { tail -n 20 "$DIR/log/server.log" >&2 || true; die "server did not start (log: $DIR/log/server.log)"; }
}

case "$cmd" in
start)
  need_bin
  ensure_user
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  stop_server fast
  rm -rf "$DIR/data" "$DIR/sock" "$DIR/log" "$DIR/url" "$DIR/port"
  mkdir -p "$DIR/data" "$DIR/sock" "$DIR/log"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R "$PGUSER_OS" "$DIR"
    as_pg test -w "$DIR/data" ||
      die "user $PGUSER_OS cannot reach $DIR (a parent directory is not traversable)"
  fi
  as_pg "$PGBIN/initdb" -D "$DIR/data" -U "$PGUSER_OS" --auth=trust -E UTF8 \
    --locale=C >"$DIR/log/initdb.log" 2>&1 ||
    { cat "$DIR/log/initdb.log" >&2; die "initdb failed"; }
  cat >>"$DIR/data/postgresql.conf" <<EOF
# Patientröst test server (tests/pg/pg.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/sock'
max_connections = 200
fsync = ${PR_PG_FSYNC:-off}
shared_buffers = ${PR_PG_SHARED_BUFFERS:-128MB}
log_min_messages = warning
log_connections = off
EOF
  # Loopback only, password-less for the harness's own user.
  cat >"$DIR/data/pg_hba.conf" <<EOF
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
  echo "pg.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $(as_pg id -un), data $DIR/data"
  ;;
stop)
  [ -d "$DIR/data" ] || exit 0
  stop_server fast
  ;;
kill)
  [ -d "$DIR/data" ] || die "no data directory in $DIR"
  as_pg "$PGBIN/pg_ctl" stop -D "$DIR/data" -m immediate -w -t 30 >/dev/null
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
