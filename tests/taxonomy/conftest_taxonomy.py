"""Shared pieces of the taxonomy tests: a stand-in encoder, a small prepared demo and a zero-shot
tagger over it, each built once per test process (preparing texts is the slow part). Kept out of
``conftest.py`` so that ``from shared_data import SHARED_DATA`` elsewhere still finds the root one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

from veche.demo.scenario import TOPIC_TO_DEMO_THEME
from veche.embed import normalize_rows
from veche.taxonomy import ZeroShotTagger, load_taxonomy, prepare_docs

# default_ru.yaml category -> demo generator theme (the demo owns the mapping)
DEMO_THEMES = TOPIC_TO_DEMO_THEME


class StandInEncoder:
    """A tiny corpus-fitted encoder (char TF-IDF + SVD) that keeps the Encoder contract, so
    these tests do not depend on the production encoders."""

    name: ClassVar[str] = "stand-in"

    def __init__(self, dim: int = 128) -> None:
        self._pipe = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
            TruncatedSVD(dim, random_state=0),
        )
        self._fitted = False
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def needs_fit(self) -> bool:
        return not self._fitted

    def fit(self, docs: pd.DataFrame, progress: object = None) -> StandInEncoder:
        self._pipe.fit(docs["text"].str.lower())
        self._fitted = True
        return self

    def encode(self, docs: pd.DataFrame, progress: object = None) -> np.ndarray:
        return normalize_rows(self._pipe.transform(docs["text"].str.lower()))

    def save(self, directory: Path) -> None:  # pragma: no cover - not needed here
        pass

    def load(self, directory: Path) -> bool:  # pragma: no cover
        return False


@lru_cache(maxsize=4)
def demo_docs(n: int = 1000, seed: int = 7) -> pd.DataFrame:
    """``n`` generated questions prepared like the store holds them, spam (no theme) dropped."""
    from veche.demo import generate

    ev = generate(n, seed)
    q = ev.questions.merge(ev.truth[["id", "themes"]], on="id")
    docs = prepare_docs(q["text"].tolist())
    docs["themes"] = q["themes"].to_numpy()
    return docs[docs["themes"] != ""].reset_index(drop=True)


@lru_cache(maxsize=1)
def zero_shot_tagger() -> ZeroShotTagger:
    """The default taxonomy over a stand-in encoder fitted on ``demo_docs()``."""
    return ZeroShotTagger(load_taxonomy(), StandInEncoder().fit(demo_docs())).fit()
