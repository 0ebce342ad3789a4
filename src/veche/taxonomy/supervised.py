"""Supervised taxonomy assignment, once analysts' corrections or a labelled file exist.

Features: TF-IDF of character n-grams of the text (spelling variants, typos, inflections) and of
word n-grams of the lemmas (topical words and phrases). One linear SVM per category (one-vs-rest,
so a question may carry several), each wrapped in ``CalibratedClassifierCV`` (Platt scaling fitted
on held-out folds) so its output is a probability comparable with the zero-shot tagger's. Labels
seen fewer than ``min_label_count`` times are not learnt. Saved and loaded with joblib.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from veche.taxonomy.options import TaxonomyOptions
from veche.taxonomy.zeroshot import tag_frame

CV_FOLDS = 3


class TextFeatures:
    """char_wb 2-5 n-grams of the lower-cased text + word 1-2 n-grams of the lemmas."""

    def __init__(self, min_df: int = 2, max_features: int = 300_000) -> None:
        self.min_df = min_df
        self.max_features = max_features

    def fit_transform(self, docs: pd.DataFrame) -> csr_matrix:
        min_df = self.min_df if len(docs) >= 50 else 1
        self.char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.word = TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=min_df,
            token_pattern=r"\S+",
            sublinear_tf=True,
            dtype=np.float32,
        )
        return hstack(
            [self.char.fit_transform(_texts(docs)), self.word.fit_transform(_lemmas(docs))]
        ).tocsr()

    def transform(self, docs: pd.DataFrame) -> csr_matrix:
        return hstack(
            [self.char.transform(_texts(docs)), self.word.transform(_lemmas(docs))]
        ).tocsr()


def _texts(docs: pd.DataFrame) -> list[str]:
    return docs["text"].fillna("").astype(str).str.lower().tolist()


def _lemmas(docs: pd.DataFrame) -> list[str]:
    return docs["lemmas"].fillna("").astype(str).tolist()


def calibrated_binary(x: csr_matrix, y: np.ndarray, c: float = 0.5):
    """A probability model of one yes/no label: calibrated SVM when each side has enough rows
    for the folds, else a logistic regression (its own probabilities)."""
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    if min(n_pos, n_neg) >= CV_FOLDS:
        return CalibratedClassifierCV(
            LinearSVC(C=c, class_weight="balanced"), method="sigmoid", cv=CV_FOLDS
        ).fit(x, y)
    return LogisticRegression(C=10.0, max_iter=1000).fit(x, y)


def split_labels(labels: Sequence[str]) -> list[list[str]]:
    """``"a;b"`` -> ``["a", "b"]`` (blank parts dropped)."""
    return [[p.strip() for p in str(s).split(";") if p.strip()] for s in labels]


class SupervisedTagger:
    def __init__(
        self,
        features: TextFeatures,
        ids: list[str],
        models: list,
        options: TaxonomyOptions | None = None,
    ) -> None:
        self.features = features
        self.ids = ids
        self.models = models
        self.options = options or TaxonomyOptions()

    def predict_proba(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> np.ndarray:
        """(n, k) probabilities, columns in ``self.ids`` (``vectors`` is ignored: same call as
        the zero-shot tagger)."""
        x = self.features.transform(docs)
        return np.column_stack([m.predict_proba(x)[:, 1] for m in self.models])

    def tag(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        out = tag_frame(
            self.predict_proba(docs), self.ids, self.options.threshold, self.options.max_topics
        )
        out.index = docs.index
        return out

    def save(self, path: str | Path) -> None:
        joblib.dump({"features": self.features, "ids": self.ids, "models": self.models}, Path(path))

    @classmethod
    def load(cls, path: str | Path, options: TaxonomyOptions | None = None) -> SupervisedTagger:
        state = joblib.load(Path(path))
        return cls(state["features"], state["ids"], state["models"], options)


def train_taxonomy_classifier(
    docs: pd.DataFrame,
    labels: Sequence[str],
    options: TaxonomyOptions | None = None,
    known_ids: Sequence[str] | None = None,
) -> SupervisedTagger:
    """Learn one calibrated model per label from ``docs`` (``text``, ``lemmas``) and ``labels``
    (one string per row, several ids joined by ``;``). ``known_ids`` (the taxonomy's) rejects
    labels that are not in it, naming them."""
    options = options or TaxonomyOptions()
    parts = split_labels(labels)
    if len(parts) != len(docs):
        raise ValueError(f"{len(docs)} documents but {len(parts)} labels")
    keep = np.array([bool(p) for p in parts])
    docs = docs[keep]
    parts = [p for p in parts if p]
    counts = pd.Series([x for p in parts for x in p]).value_counts()
    if known_ids is not None:
        unknown = sorted(set(counts.index) - set(known_ids))
        if unknown:
            raise ValueError(f"labels not in the taxonomy: {', '.join(unknown[:10])}")
    ids = [i for i in counts.index if counts[i] >= options.min_label_count]
    if known_ids is not None:  # keep the taxonomy's order
        ids = [i for i in known_ids if i in set(ids)]
    if len(ids) < 1 or len(docs) < 2:
        raise ValueError("not enough labelled questions to train on")
    features = TextFeatures()
    x = features.fit_transform(docs)
    models = []
    for cid in ids:
        y = np.array([cid in p for p in parts], dtype=int)
        models.append(calibrated_binary(x, y))
    return SupervisedTagger(features, ids, models, options)
