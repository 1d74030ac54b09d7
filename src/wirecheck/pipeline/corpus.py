"""The corpus-level stages, run over the whole store after the per-document stages: stories,
claim matching and stance, independent-source counting and credibility (the verify stage).

They are recomputed from the stored articles at the end of every run, so their answer depends on
the set of articles in the store, never on the order or the batches they arrived in.
"""

from __future__ import annotations

from wirecheck.settings import Settings
from wirecheck.store import Store


def verify_corpus(store: Store, settings: Settings) -> dict[str, int]:
    """Recompute stories, claim links, support counts and credibility for the whole store; return
    counts of what was written. (Wired up as the verify modules land.)"""
    del store, settings
    return {}
