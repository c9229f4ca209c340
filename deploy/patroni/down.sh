#!/usr/bin/env bash
# Stops what up.sh started (PgBouncer, HAProxy, both Patroni nodes and their PostgreSQL, etcd)
# and removes its folder. Only processes whose command line names that folder are signalled.
#
#   deploy/patroni/down.sh [FOLDER]     # default: $KELID_HA_DIR, else the last folder up.sh made
set -uo pipefail

DIR="${1:-${KELID_HA_DIR:-$(cat /tmp/kelid-ha.last 2>/dev/null)}}"
[ -n "$DIR" ] && [ -f "$DIR/.kelid-ha" ] || { echo "[down] not a folder made by up.sh: '${DIR}'" >&2; exit 1; }

ours() { [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF "$DIR"; }
stop() { # pid: TERM, up to 30 s, then KILL
  local pid="$1"
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 60); do ours "$pid" || return 0; sleep 0.5; done
  echo "[down] $pid did not stop in 30 s: KILL" >&2
  kill -KILL "$pid" 2>/dev/null
}
pid_of() { cat "$DIR/pids/$1.pid" 2>/dev/null; }

stop "$(pid_of pgbouncer)"
stop "$(pid_of haproxy)"
# Replica first: a primary stopping while its synchronous standby still runs would wait for it.
stop "$(pid_of patroni2)"
stop "$(pid_of patroni1)"
# A node restarted by hand (the failover test restarts a killed one) records its pid as well.
for file in "$DIR"/pids/patroni*.pid; do stop "$(cat "$file" 2>/dev/null)"; done
# A postmaster whose Patroni was killed outlives it: stop it by its own pid file.
for node in node1 node2; do
  pid="$(head -n 1 "$DIR/$node/data/postmaster.pid" 2>/dev/null)"
  ours "$pid" && { kill -QUIT "$pid" 2>/dev/null; sleep 1; ours "$pid" && kill -KILL "$pid" 2>/dev/null; }
done
stop "$(pid_of etcd)"
rm -rf "$DIR"
[ "$(cat /tmp/kelid-ha.last 2>/dev/null)" = "$DIR" ] && rm -f /tmp/kelid-ha.last
echo "[down] stopped and removed $DIR" >&2
