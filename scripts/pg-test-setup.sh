#!/usr/bin/env bash
# Makes the local PostgreSQL ready for the tests' PostgreSQL half, from
# nothing (run as root; .ci/run calls it):
# - installs Debian's postgresql when it is missing, starts its cluster;
# - creates the login role the tests connect as, `repairdesk_test`
#   (password `repairdesk_test`, CREATEDB, and CREATEROLE: tests/stations.rs
#   makes a login per person and drops it), over TCP on 127.0.0.1, where
#   Debian's pg_hba.conf asks for a password (scram-sha-256).
# The tests create one throwaway database each and drop it afterwards.
# They find the server with REPAIRDESK_TEST_PG (default
# postgres://repairdesk_test@127.0.0.1:5432/postgres) and PGPASSWORD
# (default repairdesk_test).
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.2
done
pg_isready -h 127.0.0.1

runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'repairdesk_test') THEN
    CREATE ROLE repairdesk_test LOGIN CREATEDB CREATEROLE PASSWORD 'repairdesk_test';
  END IF;
  ALTER ROLE repairdesk_test CREATEDB CREATEROLE;
END $$;
SQL
echo "PostgreSQL $version ready for the tests (role repairdesk_test)"
