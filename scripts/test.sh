#!/usr/bin/env bash
# Set up, then run the whole check: lint, types, the import-layer contract and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# System packages the tests start for real: PostgreSQL 15 (throwaway servers for the store tests)
# and Debian's chromium (the dashboard and report are tested in a real browser; never a browser
# download). Installed with apt only where missing.
missing=()
command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]} with apt"
  SUDO=(); [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
echo "== mypy --strict src"
.venv/bin/mypy --strict src
echo "== import-linter (stages flow one way)"
.venv/bin/lint-imports
echo "== pytest"
# The system packages above are installed, so tests that need them must run, not skip.
export WIRECHECK_REQUIRE_SYSTEM=1
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
