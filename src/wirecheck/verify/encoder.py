"""Sentence vectors for the verify stage: all-MiniLM-L6-v2 (:mod:`wirecheck.minilm`), with the
tokenizer that ships next to the stance weights (``data/stance/minilm_tokenizer.json``).

The analyze stage's event-type and check-worthiness models run the same model the same way, so
both stages see the same vectors. Load once with :meth:`SentenceEncoder.load` and pass the object
around. Nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path

from wirecheck.minilm import DIM, MINILM_SHA256, MiniLM

__all__ = ["DIM", "MINILM_SHA256", "TOKENIZER_FILE", "SentenceEncoder"]

TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_FILE = Path(__file__).parent / "data" / "stance" / "minilm_tokenizer.json"


class SentenceEncoder(MiniLM):
    """Maps texts to L2-normalised 384-d MiniLM vectors (:meth:`MiniLM.encode`)."""

    @classmethod
    def load(  # type: ignore[override]
        cls, model_file: Path | None = None, tokenizer_file: Path | None = None, threads: int = 2
    ) -> SentenceEncoder:
        """Build the encoder from the packaged files (or the given ones, for tests of failures)."""
        loaded = MiniLM.load(
            TOKENIZER_FILE if tokenizer_file is None else tokenizer_file,
            tokenizer_sha256=TOKENIZER_SHA256 if tokenizer_file is None else None,
            model_file=model_file,
            threads=threads,
        )
        return cls(loaded.session, loaded.tokenizer)
