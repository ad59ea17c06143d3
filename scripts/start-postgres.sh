#!/usr/bin/env bash
# Start the local PostgreSQL cluster and make a test database; prints its URL.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q online; then
  pg_lsclusters -h | grep -q . || $SUDO pg_createcluster "$ver" main >/dev/null
  $SUDO pg_ctlcluster "$ver" main start
fi
for _ in $(seq 1 30); do
  $SUDO -u postgres psql -qAtc "select 1" >/dev/null 2>&1 && break
  sleep 1
done
$SUDO -u postgres psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
$SUDO -u postgres psql -qAtc "select 1 from pg_database where datname='nhsgraph_test'" | grep -q 1 \
  || $SUDO -u postgres createdb nhsgraph_test
echo "postgresql://postgres:postgres@localhost:$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')/nhsgraph_test"
