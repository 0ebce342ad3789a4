"""``tfidf`` encoder: character n-grams of the text plus word n-grams of the lemmas, TF-IDF
weighted, reduced with TruncatedSVD to a dense ``dim`` and L2-normalised.

Character n-grams catch spelling variants, typos and inflections the lemmatiser misses; lemma
n-grams carry the topical words and short phrases. It is fitted on the distinct texts of the
corpus (duplicates would only re-weight the vocabulary towards campaigns) and saved with joblib,
so later runs embed new questions in the same space. No model, thousands of texts/s.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from veche.embed.base import normalize_rows, register_encoder
from veche.progress import NullProgress, Progress

_FILE = "tfidf.joblib"


class TfidfEncoder:
    name: ClassVar[str] = "tfidf"
    multilingual: ClassVar[bool] = False

    def __init__(
        self,
        dim: int = 256,
        char_ngrams: tuple[int, int] = (2, 5),
        word_ngrams: tuple[int, int] = (1, 2),
        char_weight: float = 1.0,
        word_weight: float = 1.0,
        max_features: int = 300_000,
        min_df: int = 2,
        max_df: float = 0.3,
        seed: int = 0,
    ) -> None:
        self._dim = int(dim)
        self.char_ngrams = tuple(char_ngrams)
        self.word_ngrams = tuple(word_ngrams)
        self.char_weight = float(char_weight)
        self.word_weight = float(word_weight)
        self.max_features = int(max_features)
        self.min_df = int(min_df)
        self.max_df = float(max_df)
        self.seed = int(seed)
        self._char = None
        self._word = None
        self._svd = None

    @property
    def dim(self) -> int:
        return self._svd.n_components if self._svd is not None else self._dim

    @property
    def needs_fit(self) -> bool:
        return self._svd is None

    def _sparse(self, docs: pd.DataFrame):
        from scipy.sparse import hstack

        texts = docs["text"].fillna("").astype(str).str.lower().tolist()
        lemmas = docs["lemmas"].fillna("").astype(str).tolist()
        # each block is row-normalised by TF-IDF; the weights set their share of the cosine
        return hstack(
            [
                self._char.transform(texts) * self.char_weight,
                self._word.transform(lemmas) * self.word_weight,
            ]
        ).tocsr()

    def fit(self, docs: pd.DataFrame, progress: Progress | None = None) -> TfidfEncoder:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        progress = progress or NullProgress()
        uniq = docs.drop_duplicates("text")
        small = len(uniq) < 50  # too few texts to drop rare or common terms
        common = {
            "min_df": 1 if small else self.min_df,
            "max_df": 1.0 if small else self.max_df,
            "max_features": self.max_features,
            "sublinear_tf": True,
            "dtype": np.float32,
        }
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, **common)
        from veche.text import load_stopwords

        # lemmas of function words and appeal boilerplate say how a question is written, not
        # what it asks
        stop = load_stopwords("ru") | load_stopwords("en") | load_stopwords("appeals_ru")
        self._word = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            stop_words=sorted(stop),
            ngram_range=self.word_ngrams,
            **common,
        )
        with progress.task("tfidf fit", total=3) as task:
            texts = uniq["text"].fillna("").astype(str).str.lower().tolist()
            self._char.fit(texts)
            task.advance()
            self._word.fit(uniq["lemmas"].fillna("").astype(str).tolist())
            task.advance()
            x = self._sparse(uniq)
            # SVD cannot have more components than features or documents
            k = max(1, min(self._dim, x.shape[1] - 1, x.shape[0] - 1))
            self._svd = TruncatedSVD(n_components=k, algorithm="randomized", random_state=self.seed)
            self._svd.fit(x)
            task.advance()
        return self

    def encode(self, docs: pd.DataFrame, progress: Progress | None = None) -> np.ndarray:
        if self._svd is None:
            raise RuntimeError("tfidf encoder is not fitted: call fit() or load() first")
        progress = progress or NullProgress()
        out = np.zeros((len(docs), self.dim), dtype=np.float32)
        step = 20_000
        with progress.task("tfidf encode", total=len(docs)) as task:
            for i in range(0, len(docs), step):
                part = docs.iloc[i : i + step]
                out[i : i + len(part)] = self._svd.transform(self._sparse(part))
                task.advance(len(part))
        return normalize_rows(out)

    def save(self, directory: Path) -> None:
        import joblib

        if self._svd is None:
            raise RuntimeError("nothing to save: the tfidf encoder is not fitted")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {"char": self._char, "word": self._word, "svd": self._svd, "params": self._params()},
            directory / _FILE,
        )

    def load(self, directory: Path) -> bool:
        import joblib

        path = Path(directory) / _FILE
        if not path.exists():
            return False
        state = joblib.load(path)
        self._char, self._word, self._svd = state["char"], state["word"], state["svd"]
        for key, value in state["params"].items():
            setattr(self, key, value)
        return True

    def _params(self) -> dict[str, object]:
        return {
            "char_ngrams": self.char_ngrams,
            "word_ngrams": self.word_ngrams,
            "char_weight": self.char_weight,
            "word_weight": self.word_weight,
        }


@register_encoder("tfidf")
def make_tfidf(**options: object) -> TfidfEncoder:
    return TfidfEncoder(**options)  # type: ignore[arg-type]
