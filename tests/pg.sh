#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `pg.sh start DIR PORT`, `pg.sh stop DIR`, `pg.sh restart DIR`.
# Installs Debian's postgresql if no server binaries are found. Binds 127.0.0.1 only; data lives in DIR and
# goes away with it. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/pg_ctl" && -x "$d/initdb" && -x "$d/postgres" ]]; then echo "$d"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  return 1
}

ensure_installed() {
  if find_bin >/dev/null; then return 0; fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "tests/pg.sh: PostgreSQL server binaries not found; install them with: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "tests/pg.sh: installing PostgreSQL from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null; }; then
    echo "tests/pg.sh: could not install postgresql with apt-get (see the messages above)" >&2
    exit 1
  fi
  # The package starts a cluster on the default port; the tests use their own, so stop it to spare memory.
  if command -v pg_ctlcluster >/dev/null 2>&1; then pg_ctlcluster --force "$(ls /etc/postgresql | head -1)" main stop >/dev/null 2>&1 || true; fi
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: pg.sh start DIR PORT | stop DIR | restart DIR}
dir=${2:?data directory required}
case "$cmd" in
  start)
    port=${3:?port required}
    ensure_installed
    bin=$(find_bin)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
      # Password auth over TCP, so a test can check that refused credentials are reported clearly.
      cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host  all postgres 127.0.0.1/32 trust
host  all all 127.0.0.1/32 scram-sha-256
HBA
    fi
    echo "$bin" >"$dir/bin"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir/data -c max_connections=300 -c shared_buffers=128MB" start >/dev/null
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA -c \
      "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mimicry') THEN CREATE ROLE mimicry LOGIN SUPERUSER PASSWORD 'mimicry'; END IF; END \$\$;" >/dev/null
    ;;
  stop)
    bin=$(cat "$dir/bin")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  restart)
    bin=$(cat "$dir/bin")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null
    ;;
  *)
    echo "tests/pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
