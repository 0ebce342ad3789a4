"""``hybrid`` encoder: weighted concatenation of ``tfidf`` and ``e5``.

Both parts are unit vectors; scaling them by ``sqrt(weight)`` before concatenating makes the
cosine of two hybrid vectors the weighted mean of the two cosines, so the lexical signal (what
the question names) and the neural one (what it means) each get their share. Only the TF-IDF
part is fitted and saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from veche.embed.base import Encoder, normalize_rows, register_encoder
from veche.progress import Progress


class HybridEncoder:
    name: ClassVar[str] = "hybrid"
    # its vectors compare texts across languages (zero-shot needs no second encoder)
    multilingual: ClassVar[bool] = True

    def __init__(
        self,
        tfidf_weight: float = 0.5,
        tfidf: dict[str, Any] | None = None,
        e5: dict[str, Any] | None = None,
        lexical: Encoder | None = None,
        neural: Encoder | None = None,
    ) -> None:
        if not 0.0 <= tfidf_weight <= 1.0:
            raise ValueError("tfidf_weight must be within [0, 1]")
        self.tfidf_weight = float(tfidf_weight)
        # parts may be passed in (tests, benches with cached vectors) or built from the registry
        self.lexical = lexical or _make("tfidf", tfidf or {})
        self.neural = neural or _make("e5", e5 or {})

    @property
    def dim(self) -> int:
        return self.lexical.dim + self.neural.dim

    @property
    def needs_fit(self) -> bool:
        return self.lexical.needs_fit or self.neural.needs_fit

    def fit(self, docs: pd.DataFrame, progress: Progress | None = None) -> HybridEncoder:
        self.lexical.fit(docs, progress)
        self.neural.fit(docs, progress)
        return self

    def encode(self, docs: pd.DataFrame, progress: Progress | None = None) -> np.ndarray:
        return combine(
            self.lexical.encode(docs, progress),
            self.neural.encode(docs, progress),
            self.tfidf_weight,
        )

    def save(self, directory: Path) -> None:
        self.lexical.save(Path(directory) / "tfidf")
        self.neural.save(Path(directory) / "e5")

    def load(self, directory: Path) -> bool:
        ok = self.lexical.load(Path(directory) / "tfidf")
        return self.neural.load(Path(directory) / "e5") and ok


def combine(lexical: np.ndarray, neural: np.ndarray, tfidf_weight: float = 0.5) -> np.ndarray:
    """Hybrid vectors from already computed unit parts (what ``encode`` returns)."""
    a = np.sqrt(tfidf_weight)
    b = np.sqrt(1.0 - tfidf_weight)
    return normalize_rows(
        np.hstack([normalize_rows(lexical) * a, normalize_rows(neural) * b]).astype(np.float32)
    )


def _make(name: str, options: dict[str, Any]) -> Encoder:
    # the package-level factory imports the built-in modules first (they register on import);
    # imported here to avoid an import cycle with the registry
    from veche.embed import make_encoder

    return make_encoder(name, **options)


@register_encoder("hybrid")
def make_hybrid(**options: Any) -> HybridEncoder:
    return HybridEncoder(**options)
