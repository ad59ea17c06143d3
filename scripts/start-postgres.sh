#!/usr/bin/env bash
# Start the local PostgreSQL cluster and make a test database (name: $1, default
# nhsgraph_test); prints its URL last.
set -euo pipefail
db=${1:-nhsgraph_test}
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""; as_pg() { runuser -u postgres -- "$@"; }
else
  SUDO="sudo"; as_pg() { sudo -u postgres "$@"; }
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q . || $SUDO pg_createcluster "$ver" main >/dev/null
if ! pg_lsclusters -h | grep -q online; then
  cluster=$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')
  $SUDO pg_ctlcluster $cluster start
fi
ok=0
for _ in $(seq 1 30); do
  if as_pg psql -qAtc "select 1" >/dev/null 2>&1; then ok=1; break; fi
  sleep 1
done
[ "$ok" = 1 ] || { echo "PostgreSQL did not start" >&2; exit 1; }
as_pg psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
as_pg psql -qAtc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || as_pg createdb "$db"
port=$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')
echo "postgresql://postgres:postgres@localhost:${port}/$db"
