#!/usr/bin/env bash
# A PostgreSQL primary and a synchronous streaming replica managed by Patroni (etcd as its
# store), HAProxy routing to the current primary, PgBouncer (transaction mode) in front of
# HAProxy; everything on loopback, in one folder. Prints the variables Kelid needs.
#
#   sudo deploy/patroni/up.sh            # installs missing Debian packages when run as root
#   eval "$(sudo deploy/patroni/up.sh | grep '^export ')"
#   sudo deploy/patroni/down.sh "$KELID_HA_DIR"
#
# Ports and the folder can be chosen: KELID_HA_DIR (default: a new mktemp folder under /tmp),
# ETCD_PORT, PG_PORT1, PG_PORT2, API_PORT1, API_PORT2, HAPROXY_PORT, HAPROXY_STATS_PORT,
# PGBOUNCER_PORT. Patroni, PostgreSQL, etcd, HAProxy and PgBouncer all run as the `postgres`
# user of Debian's postgresql-common, never as root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Below 32768: Linux hands out 32768–60999 as the local ports of outgoing connections, and one
# of those (a health check's, a benchmark's) on a port the recipe wants makes its bind fail.
ETCD_PORT="${ETCD_PORT:-22379}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-22380}"
PG_PORT1="${PG_PORT1:-25432}"
PG_PORT2="${PG_PORT2:-25433}"
API_PORT1="${API_PORT1:-28008}"
API_PORT2="${API_PORT2:-28009}"
HAPROXY_PORT="${HAPROXY_PORT:-25000}"
HAPROXY_STATS_PORT="${HAPROXY_STATS_PORT:-25080}"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-26432}"
RUN_AS=postgres

say() { echo "[up] $*" >&2; }
die() { echo "[up] error: $*" >&2; exit 1; }

# --- packages -----------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
command -v patroni >/dev/null || missing+=(patroni)
command -v etcd >/dev/null || missing+=(etcd-server)
command -v etcdctl >/dev/null || missing+=(etcd-client)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
command -v ss >/dev/null || missing+=(iproute2)
[ -n "$(pg_bin)" ] || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root to install them with apt-get)"
  say "installing ${missing[*]}"
  # Debian starts a package's service on install; these run from here instead. policy-rc.d
  # says no to those starts, only for the time of the install, and only if none is in place.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
PG_BIN="$(pg_bin)"
id "$RUN_AS" >/dev/null 2>&1 || die "no user $RUN_AS (it comes with Debian's postgresql-common)"

# --- ports ------------------------------------------------------------------------------------
for port in "$ETCD_PORT" "$ETCD_PEER_PORT" "$PG_PORT1" "$PG_PORT2" "$API_PORT1" "$API_PORT2" "$HAPROXY_PORT" "$HAPROXY_STATS_PORT" "$PGBOUNCER_PORT"; do
  # TIME-WAIT left by an earlier run does not count: the daemons bind with SO_REUSEADDR.
  held="$(ss -Htanp exclude time-wait "sport = :$port" 2>/dev/null | head -n 3)"
  [ -z "$held" ] || die "port $port is in use (choose others with the variables above):
$held"
done

# --- folder and configuration ------------------------------------------------------------------
DIR="${KELID_HA_DIR:-$(mktemp -d /tmp/kelid-ha.XXXXXX)}"
mkdir -p "$DIR"
[ -z "$(ls -A "$DIR")" ] || die "$DIR is not empty"
touch "$DIR/.kelid-ha"
echo "$DIR" > /tmp/kelid-ha.last
mkdir -p "$DIR/etcd" "$DIR/node1/log" "$DIR/node2/log" "$DIR/pgbouncer" "$DIR/pids"

secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
SUPERUSER_PASSWORD="$(secret)"
REPLICATION_PASSWORD="$(secret)"
KELID_PASSWORD="$(secret)"
PGBOUNCER_ADMIN_PASSWORD="$(secret)"

render() {
  sed -e "s|@DIR@|$DIR|g" -e "s|@PG_BIN@|$PG_BIN|g" -e "s|@ETCD_PORT@|$ETCD_PORT|g" \
    -e "s|@SUPERUSER_PASSWORD@|$SUPERUSER_PASSWORD|g" -e "s|@REPLICATION_PASSWORD@|$REPLICATION_PASSWORD|g" \
    -e "s|@KELID_PASSWORD@|$KELID_PASSWORD|g" -e "s|@PGBOUNCER_ADMIN_PASSWORD@|$PGBOUNCER_ADMIN_PASSWORD|g" \
    -e "s|@HAPROXY_PORT@|$HAPROXY_PORT|g" -e "s|@HAPROXY_STATS_PORT@|$HAPROXY_STATS_PORT|g" \
    -e "s|@PGBOUNCER_PORT@|$PGBOUNCER_PORT|g" \
    -e "s|@NODE1@|node1|g" -e "s|@NODE2@|node2|g" -e "s|@PG_PORT1@|$PG_PORT1|g" -e "s|@PG_PORT2@|$PG_PORT2|g" \
    -e "s|@API_PORT1@|$API_PORT1|g" -e "s|@API_PORT2@|$API_PORT2|g" "$@"
}
render -e "s|@NAME@|node1|g" -e "s|@PG_PORT@|$PG_PORT1|g" -e "s|@API_PORT@|$API_PORT1|g" "$here/patroni-node.yml.in" > "$DIR/node1/patroni.yml"
render -e "s|@NAME@|node2|g" -e "s|@PG_PORT@|$PG_PORT2|g" -e "s|@API_PORT@|$API_PORT2|g" "$here/patroni-node.yml.in" > "$DIR/node2/patroni.yml"
render "$here/haproxy.cfg.in" > "$DIR/haproxy.cfg"
render "$here/pgbouncer.ini.in" > "$DIR/pgbouncer/pgbouncer.ini"
render "$here/userlist.txt.in" > "$DIR/pgbouncer/userlist.txt"
chown -R "$RUN_AS:$RUN_AS" "$DIR"
chmod 700 "$DIR" "$DIR/node1" "$DIR/node2"
chmod 600 "$DIR"/node*/patroni.yml "$DIR/pgbouncer/userlist.txt"

# --- processes --------------------------------------------------------------------------------
# setpriv execs the program as the user (no intermediate process), so $! is the daemon's pid
# and down.sh can stop exactly it.
as_user() { setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups env HOME="$DIR" USER="$RUN_AS" LOGNAME="$RUN_AS" "$@"; }
start() { # name logfile command…
  local name="$1" log="$2"; shift 2
  ( cd "$DIR" && exec setsid "$@" </dev/null >>"$log" 2>&1 ) &
  echo $! > "$DIR/pids/$name.pid"
}
wait_for() { # seconds description test-command…
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what (logs in $DIR)"
    sleep 0.5
  done
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }
psql_super() { # port sql
  as_user "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR/$(node_of_port "$1")" -p "$1" -U postgres -d postgres -At -c "$2"
}
node_of_port() { [ "$1" = "$PG_PORT1" ] && echo node1 || echo node2; }

say "folder $DIR, PostgreSQL binaries $PG_BIN"
start etcd "$DIR/etcd/etcd.log" setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
  etcd --name kelid-etcd --data-dir "$DIR/etcd/data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "kelid-etcd=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new
wait_for 30 etcd etcdctl --endpoints="127.0.0.1:$ETCD_PORT" endpoint health

# node1 first, so that it is the one that bootstraps the cluster; node2 then clones it.
start patroni1 "$DIR/node1/log/patroni.out" setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
  env HOME="$DIR" USER="$RUN_AS" /usr/bin/patroni "$DIR/node1/patroni.yml"
wait_for 90 "node1 to be primary" http_ok "http://127.0.0.1:$API_PORT1/primary"

# Kelid's role and database, created once on the primary (Patroni replicates them).
psql_super "$PG_PORT1" "create role kelid login password '$KELID_PASSWORD'"
psql_super "$PG_PORT1" "create database kelid owner kelid"

start patroni2 "$DIR/node2/log/patroni.out" setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
  env HOME="$DIR" USER="$RUN_AS" /usr/bin/patroni "$DIR/node2/patroni.yml"
# Synchronous for PostgreSQL (the primary waits for its flush) and for Patroni (named in the
# DCS as the synchronous standby, the only node it may promote: /sync answers 200).
sync_streaming() {
  [ "$(psql_super "$PG_PORT1" "select count(*) from pg_stat_replication where state = 'streaming' and sync_state = 'sync'")" = 1 ] \
    && http_ok "http://127.0.0.1:$API_PORT2/sync"
}
wait_for 180 "node2 to stream as the synchronous standby" sync_streaming

start haproxy "$DIR/haproxy.log" setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
  haproxy -db -f "$DIR/haproxy.cfg"
start pgbouncer "$DIR/pgbouncer/pgbouncer.out" setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups \
  pgbouncer "$DIR/pgbouncer/pgbouncer.ini"

DATABASE_URL="postgres://kelid:$KELID_PASSWORD@127.0.0.1:$PGBOUNCER_PORT/kelid"
LISTEN_URL="postgres://kelid:$KELID_PASSWORD@127.0.0.1:$HAPROXY_PORT/kelid"
through() { PGCONNECT_TIMEOUT=2 psql -X -At "$1" -c 'select 1'; }
wait_for 30 "HAProxy to reach the primary" through "$LISTEN_URL"
wait_for 30 "PgBouncer to reach the primary" through "$DATABASE_URL"

cat > "$DIR/env" <<EOF
export KELID_HA_DIR='$DIR'
export DATABASE_URL='$DATABASE_URL'
export KELID_DATABASE_LISTEN_URL='$LISTEN_URL'
export KELID_HA_SUPERUSER_URL='postgres://postgres:$SUPERUSER_PASSWORD@127.0.0.1:$HAPROXY_PORT/kelid'
export KELID_HA_PATRONICTL='patronictl -c $DIR/node1/patroni.yml'
export KELID_HA_NODES='node1:$PG_PORT1:$API_PORT1 node2:$PG_PORT2:$API_PORT2'
EOF
chmod 600 "$DIR/env"

say "ready: $(as_user patronictl -c "$DIR/node1/patroni.yml" list 2>/dev/null | sed -n '4,5p' | tr -s ' ' | tr '\n' ';')"
say "stop with: $here/down.sh $DIR"
cat "$DIR/env"
