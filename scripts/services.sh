#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis are up on 127.0.0.1 (starting them if installed but down)
# and that the test database role can connect.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  fi
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# A fresh Debian cluster wants a password over TCP: give the postgres role the one the test
# settings use (with trust authentication it is simply ignored).
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
  su postgres -c "psql -Atc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi
PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 'postgres ok'"
redis-cli -h 127.0.0.1 -p 6379 ping
