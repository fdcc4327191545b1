#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster that this script starts and removes.
# DATABASE_URL is set for the command. Usage: scripts/with-postgres.sh COMMAND...
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL is not installed: run scripts/bootstrap.sh test" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/oneroof-pg.XXXXXX)
chmod 755 "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root: run the server as the postgres user when we are root.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U oneroof -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Durability is not needed for a throwaway test cluster; these settings make it fast.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c max_connections=200" >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U oneroof oneroof

export DATABASE_URL="postgres://oneroof@127.0.0.1:$port/oneroof"
export PGBIN="$pg_bin"
"$@"
