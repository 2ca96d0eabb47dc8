#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests, or reuses the one a previous call started.
#
#   .ci/start-postgres.sh          start (or reuse); prints QBOSYNC_TEST_PG_URL/_USER/_PASSWORD=... on stdout
#   .ci/start-postgres.sh --stop   stop the server (the data stays for the next start)
#
# Everything else (progress, PostgreSQL's own output) goes to stderr, so callers can parse stdout.
# The server listens on 127.0.0.1 only, on QBOSYNC_PG_PORT (default 55432, or the next free port), keeps
# its cluster in QBOSYNC_PG_DIR (default $TMPDIR/qbosync-pg-<user>) and runs as the `postgres` system user when
# called as root (initdb refuses root). Missing server binaries are installed with apt-get when we are root.
# fsync is off: this cluster holds test data only.
set -euo pipefail

PORT="${QBOSYNC_PG_PORT:-55432}"
# Per calling user: a cluster made for root (owned by postgres) is unusable by others, and vice versa.
BASE="${QBOSYNC_PG_DIR:-${TMPDIR:-/tmp}/qbosync-pg-$(id -un)}"
DB_NAME="${QBOSYNC_PG_DB:-qbosync_test}"
DB_USER="${QBOSYNC_PG_USER:-qbosync}"
DB_PASSWORD="${QBOSYNC_PG_PASSWORD:-qbosync}"
DATA="$BASE/data"
SOCKET_DIR="$BASE/run"

log() { echo "[start-postgres] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Names go into SQL and config files unquoted: keep them boring.
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die "QBOSYNC_PG_DB must be a plain lower-case identifier"
[[ "$DB_USER" =~ ^[a-z_][a-z0-9_]*$ ]] || die "QBOSYNC_PG_USER must be a plain lower-case identifier"
[[ "$DB_PASSWORD" != *"'"* && -n "$DB_PASSWORD" ]] || die "QBOSYNC_PG_PASSWORD must be non-empty and contain no single quote"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "QBOSYNC_PG_PORT must be a number"

find_bindir() {
    local candidate
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        candidate="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
        if [[ -x "$candidate/initdb" && -x "$candidate/postgres" && -x "$candidate/psql" ]]; then
            echo "$candidate"
            return 0
        fi
    fi
    # Debian keeps the server binaries off PATH, one folder per major version; take the newest.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" && -x "$candidate/psql" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

install_postgres() {
    local sudo=()
    if [[ $EUID -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "no PostgreSQL server binaries (initdb, pg_ctl) found and not root: install the 'postgresql' package, or set QBOSYNC_TEST_PG_URL/_USER/_PASSWORD to an existing server"
        fi
    fi
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries found and no apt-get to install them"
    log "installing PostgreSQL with apt-get (no default cluster: this script makes its own)"
    # Without this the package creates and starts a 'main' cluster on 5432 that nobody here uses. The packaged
    # createcluster.conf reads createcluster.d, so a drop-in avoids a conffile conflict.
    "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/qbosync-no-main.conf >/dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >&2
}

# Commands that touch the cluster run as its owner.
if [[ $EUID -eq 0 ]]; then
    RUN_AS=postgres
else
    RUN_AS="$(id -un)"
fi

as_owner() {
    if [[ $EUID -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$RUN_AS" -- "$@"
        else
            su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

port_in_use() {
    # A successful connect means somebody listens there.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local p="$1"
    while port_in_use "$p"; do
        log "port $p is taken, trying $((p + 1))"
        p=$((p + 1))
        [[ $p -lt $(($1 + 100)) ]] || die "no free port in $1..$((p - 1))"
    done
    echo "$p"
}

write_settings() {
    # Our settings live in their own file, included from postgresql.conf, so a port change is one rewrite.
    as_owner tee "$DATA/qbosync.conf" >/dev/null <<EOF
# Written by .ci/start-postgres.sh: a loopback-only test server.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$SOCKET_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
}

configured_port() {
    sed -n "s/^port = \([0-9]*\)$/\1/p" "$DATA/qbosync.conf" 2>/dev/null | head -n 1
}

BIN="$(find_bindir || true)"
if [[ -z "$BIN" ]]; then
    install_postgres
    BIN="$(find_bindir)" || die "PostgreSQL was installed but initdb/pg_ctl are still not found"
fi
log "server binaries: $BIN ($("$BIN/postgres" --version))"

if [[ $EUID -eq 0 ]] && ! id "$RUN_AS" >/dev/null 2>&1; then
    log "creating system user $RUN_AS"
    useradd --system --no-create-home --home-dir "$BASE" --shell /bin/sh "$RUN_AS"
fi

mkdir -p "$BASE"
# Two test JVMs may call this at once; the first one does the work, the other reuses it.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$BASE.lock"
    flock -w 600 9 || die "timed out waiting for another start-postgres.sh"
fi
if [[ $EUID -eq 0 ]]; then
    chown "$RUN_AS" "$BASE"
fi
chmod 700 "$BASE"
as_owner mkdir -p "$SOCKET_DIR"

if [[ "${1:-}" == "--stop" ]]; then
    if [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        log "not running"
    fi
    exit 0
fi

if [[ ! -f "$DATA/PG_VERSION" ]]; then
    log "creating a cluster in $DATA"
    as_owner rm -rf "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    echo "include_if_exists = 'qbosync.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
    write_settings "$(pick_port "$PORT")"
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    PORT="$(configured_port)"
    log "reusing the server already running on 127.0.0.1:$PORT"
else
    PORT="$(configured_port)"
    [[ -n "$PORT" ]] || die "$DATA/qbosync.conf has no port; remove $BASE and try again"
    if port_in_use "$PORT"; then
        PORT="$(pick_port "$PORT")"
        write_settings "$PORT"
    fi
    log "starting PostgreSQL on 127.0.0.1:$PORT (log: $BASE/postgres.log)"
    # setsid: the server must outlive the test JVM or CI step that started it.
    # 9>&-: the server must not inherit (and so keep holding) our lock.
    as_owner setsid -w "$BIN/pg_ctl" -D "$DATA" -l "$BASE/postgres.log" -w -t 120 start >&2 9>&- \
        || { tail -n 30 "$BASE/postgres.log" >&2 || true; die "PostgreSQL did not start"; }
fi

psql_admin() {
    as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres "$@"
}

if [[ -z "$(psql_admin -tAc "select 1 from pg_roles where rolname = '$DB_USER'")" ]]; then
    log "creating role $DB_USER"
    psql_admin -c "create role $DB_USER login password '$DB_PASSWORD'" >&2
else
    psql_admin -c "alter role $DB_USER login password '$DB_PASSWORD'" >&2
fi
if [[ -z "$(psql_admin -tAc "select 1 from pg_database where datname = '$DB_NAME'")" ]]; then
    log "creating database $DB_NAME"
    psql_admin -c "create database $DB_NAME owner $DB_USER encoding 'UTF8'" >&2
fi

log "ready"
echo "QBOSYNC_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PORT/$DB_NAME"
echo "QBOSYNC_TEST_PG_USER=$DB_USER"
echo "QBOSYNC_TEST_PG_PASSWORD=$DB_PASSWORD"
