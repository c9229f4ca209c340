#!/bin/sh
# The image's entry point: Kelid in a container runs on PostgreSQL only. Without DATABASE_URL
# Kelid would create its embedded database inside the container, lost with it and never shared
# with a second replica; refuse instead, naming the variable. Then run the command (Kelid, or
# an operator's `node src/cli.ts …`) in this process's place, so that it receives the signals.
set -eu
if [ -z "$(printf '%s' "${DATABASE_URL:-}" | tr -d '[:space:]')" ]; then
  echo 'Configuration: DATABASE_URL is required in the container image (postgres://user:password@host:5432/kelid); the embedded database is for one machine without containers (npm start).' >&2
  exit 1
fi
exec "$@"
