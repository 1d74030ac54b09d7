#!/usr/bin/env bash
# Set up, then run the main job on the bundled (fictional) demo corpus with the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
status=0
.venv/bin/wirecheck --db out/demo.duckdb analyze examples/corpus || status=$?
echo
echo "Try: .venv/bin/wirecheck --db out/demo.duckdb articles"
echo "     .venv/bin/wirecheck --db out/demo.duckdb show ID"
exit "$status"
