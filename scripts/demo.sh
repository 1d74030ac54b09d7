#!/usr/bin/env bash
# Set up, then run the main job on the bundled (fictional) demo corpus with the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
status=0
.venv/bin/wirecheck --db out/demo.duckdb analyze examples/corpus --report out/report.html || status=$?
echo
echo "Open out/report.html in a browser (it works offline), or try:"
echo "  .venv/bin/wirecheck --db out/demo.duckdb stories"
echo "  .venv/bin/wirecheck --db out/demo.duckdb claims"
echo "  .venv/bin/wirecheck --db out/demo.duckdb explain ID"
echo "  .venv/bin/wirecheck --db out/demo.duckdb serve      # dashboard on http://127.0.0.1:8000/"
exit "$status"
