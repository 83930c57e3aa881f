#!/usr/bin/env bash
# Runs a test program against the test server that scripts/pg-server started (ctest's fixture
# "pg"): PM_TEST_SERVER_URL set to its database and, with --as-ledger, PM_LEDGER_URL too, so
# every project the tests create keeps its ledger there. Without a server: a SKIPPED line and
# exit 77, which ctest shows as skipped (never a silent pass).
#   tests/server/with_server.sh URL_FILE [--as-ledger] PROGRAM [ARGS...]
set -euo pipefail
url_file=$1
shift
if [[ ! -s $url_file ]]; then
  echo "SKIPPED: no PostgreSQL test server ($url_file is missing: scripts/pg-server start said why); the server tests did not run"
  exit 77
fi
url=$(cat "$url_file")
export PM_TEST_SERVER_URL=$url
if [[ ${1:-} == --as-ledger ]]; then
  export PM_LEDGER_URL=$url
  shift
fi
exec "$@"
