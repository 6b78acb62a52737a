#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on $PGHOST:$PGPORT (default 127.0.0.1:5432) with a `test`
# database: uses the one running, else starts the installed cluster, else installs it from Debian's
# packages and starts it. Idempotent; safe to run before every test run.
set -euo pipefail
host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" user="${PGUSER:-postgres}" db="${PGDATABASE:-test}"
ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  ver="$(ls /etc/postgresql | sort -V | tail -n1)"
  conf="/etc/postgresql/$ver/main"
  # Trust auth on loopback, so tests connect without a password (test machines only).
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
ready || { echo "postgres.sh: PostgreSQL did not come up on $host:$port" >&2; exit 1; }
if ! psql -h "$host" -p "$port" -U "$user" -d postgres -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1; then
  psql -h "$host" -p "$port" -U "$user" -d postgres -qc "create database \"$db\""
fi
echo "postgres.sh: PostgreSQL ready on $host:$port, database $db" >&2
