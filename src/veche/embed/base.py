"""The encoder contract and its registry.

An encoder turns documents into L2-normalised float32 vectors, one row per document. A document
is a row of a DataFrame with at least ``text`` (masked text) and ``lemmas`` (space-joined lemmas):
lexical encoders read lemmas, neural ones read text. Encoders that learn from the corpus (TF-IDF)
are ``fit`` first and saved beside the vectors, so later runs embed new texts in the same space.
Pretrained encoders (e5, sentence-transformers) share ``PretrainedEncoder``: they differ only in
how the model is loaded and called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np
import pandas as pd

from veche.progress import NullProgress, Progress


@runtime_checkable
class Encoder(Protocol):
    name: ClassVar[str]

    @property
    def dim(self) -> int: ...

    @property
    def needs_fit(self) -> bool:
        """True while the encoder must see the corpus before it can encode."""
        ...

    def fit(self, docs: pd.DataFrame, progress: Progress | None = None) -> Encoder: ...

    def encode(self, docs: pd.DataFrame, progress: Progress | None = None) -> np.ndarray:
        """(n, dim) float32, each row of unit length (zero rows for empty documents)."""
        ...

    def save(self, directory: Path) -> None:
        """Write whatever the encoder learnt (nothing for pretrained models)."""
        ...

    def load(self, directory: Path) -> bool:
        """Read what ``save`` wrote; False when there is nothing there yet."""
        ...


EncoderFactory = Callable[..., Encoder]
_REGISTRY: dict[str, EncoderFactory] = {}


def register_encoder(name: str) -> Callable[[EncoderFactory], EncoderFactory]:
    def deco(factory: EncoderFactory) -> EncoderFactory:
        _REGISTRY[name] = factory
        return factory

    return deco


def available_encoders() -> list[str]:
    return sorted(_REGISTRY)


def make_encoder(name: str, **options: Any) -> Encoder:
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown encoder {name!r}; available: {', '.join(available_encoders())}"
        ) from None
    return factory(**options)


def normalize_rows(x: np.ndarray) -> np.ndarray:
    """Unit-length rows in float32; all-zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, norms, out=x, where=norms > 0)
    return x


class _TextOptions(Protocol):
    batch_size: int
    max_chars: int | None


class PretrainedEncoder:
    """The shared part of encoders whose model is ready-made, not fitted on the corpus.

    Reads ``docs["text"]``, cuts texts at ``options.max_chars``, skips empty ones (zero rows;
    the model is not called for them), batches, reports progress as ``embed <name>`` and
    returns unit rows. Nothing is learnt, so nothing is saved. A subclass
    sets ``name``, ``options``, ``dim`` and ``_encode_batch`` (which adds any prefix).
    """

    name: ClassVar[str]
    options: _TextOptions
    dim: int  # a property of the subclass
    # texts per ``_encode_batch`` call, in units of ``options.batch_size``
    batches_per_call: ClassVar[int] = 1

    @property
    def needs_fit(self) -> bool:
        return False

    def fit(self, docs: pd.DataFrame, progress: Progress | None = None) -> Self:
        return self

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) vectors of non-empty texts, in order."""
        raise NotImplementedError

    def encode_texts(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        """Encode plain strings; empty strings give zero rows."""
        progress = progress or NullProgress()
        cut = self.options.max_chars
        texts = [(t or "").strip() for t in texts]
        if cut:
            texts = [t[:cut] for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = np.flatnonzero([bool(t) for t in texts])
        step = self.options.batch_size * self.batches_per_call
        with progress.task(f"embed {self.name}", total=len(texts)) as task:
            task.advance(len(texts) - len(todo))
            for start in range(0, len(todo), step):
                rows = todo[start : start + step]
                out[rows] = self._encode_batch([texts[i] for i in rows])
                task.advance(len(rows))
        return normalize_rows(out)

    def encode(self, docs: pd.DataFrame, progress: Progress | None = None) -> np.ndarray:
        return self.encode_texts(docs["text"].fillna("").astype(str).tolist(), progress)

    def save(self, directory: Path) -> None:
        """Nothing learnt: the model is the one the package or the operator supplies."""

    def load(self, directory: Path) -> bool:
        return True
