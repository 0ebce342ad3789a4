"""The encoder contract and its registry.

An encoder turns documents into L2-normalised float32 vectors, one row per document. A document
is a row of a DataFrame with at least ``text`` (masked text) and ``lemmas`` (space-joined lemmas):
lexical encoders read lemmas, neural ones read text. Encoders that learn from the corpus (TF-IDF)
are ``fit`` first and saved beside the vectors, so later runs embed new texts in the same space.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from veche.progress import Progress


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
