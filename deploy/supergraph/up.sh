#!/usr/bin/env bash
# One command for the whole supergraph on this machine: the embedded database (seeded),
# edugraph on :8000, Jiangxi's subgraph on :8010, and Hive Gateway on :4000.
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
DB_PORT=${DB_PORT:-27018}
export MONGODB_URI="mongodb://127.0.0.1:${DB_PORT}/?directConnection=true"
trap 'kill 0' EXIT INT TERM

"$BIN/edugraph" db --seed --port "$DB_PORT" --data "${EDUGRAPH_DATA_DIR:-.edugraph-data}" &
until "$BIN/python" -c "import pymongo, os; pymongo.MongoClient(os.environ['MONGODB_URI'], serverSelectionTimeoutMS=500).admin.command('ping')" 2>/dev/null; do
  sleep 1
done
"$BIN/python" examples/partner-jiangxi/partner_jiangxi.py seed
"$BIN/edugraph" serve --port 8000 &
"$BIN/python" examples/partner-jiangxi/partner_jiangxi.py serve --port 8010 &
sleep 3
echo "supergraph: http://127.0.0.1:4000/graphql"
deploy/supergraph/node_modules/.bin/hive-gateway supergraph deploy/supergraph/supergraph.graphql --host 127.0.0.1 --port 4000
