#!/usr/bin/env bash
# Set up, then run the whole check: lint, types, the import-layer contract and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
echo "== mypy --strict src"
.venv/bin/mypy --strict src
echo "== import-linter (stages flow one way)"
.venv/bin/lint-imports
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
