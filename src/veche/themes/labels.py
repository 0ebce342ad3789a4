"""Readable theme labels from class-based TF-IDF (c-TF-IDF, as in BERTopic) over lemma
uni- and bi-grams.

All questions of a theme form one "class document"; a term scores
``tf(term, theme) / len(theme) * log(1 + mean_len / freq(term))``: frequent in the theme, rare
across themes. The label joins the best few terms, preferring a bigram over the unigrams it
contains so "горячий вода" does not also show "вода".
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from veche.text import load_stopwords


def ctfidf_terms(
    lemmas: pd.Series | list[str],
    labels: np.ndarray,
    n_classes: int,
    weights: np.ndarray | None = None,
    top: int = 10,
) -> list[list[str]]:
    """Top ``top`` distinctive terms per class ``0..n_classes-1`` (labels < 0 are ignored)."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    lemmas = pd.Series(lemmas).fillna("").astype(str).tolist()
    labels = np.asarray(labels)
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)
    keep = labels >= 0
    if not keep.any():
        return [[] for _ in range(n_classes)]
    vec = CountVectorizer(
        token_pattern=r"(?u)\b[^\W\d_][\w-]+\b",  # words of 2+ chars that start with a letter
        ngram_range=(1, 2),
        stop_words=sorted(_stopwords()),
        min_df=1,
    )
    try:
        counts = vec.fit_transform([lemmas[i] for i in np.flatnonzero(keep)])
    except ValueError:  # empty vocabulary
        return [[] for _ in range(n_classes)]
    rows = labels[keep]
    member = csr_matrix((w[keep], (rows, np.arange(len(rows)))), shape=(n_classes, len(rows)))
    tf = np.asarray((member @ counts).todense(), dtype=float)
    sizes = tf.sum(axis=1, keepdims=True)
    freq = tf.sum(axis=0)
    avg = sizes.mean()
    score = np.divide(tf, sizes, out=np.zeros_like(tf), where=sizes > 0) * np.log1p(
        avg / np.maximum(freq, 1e-9)
    )
    vocab = vec.get_feature_names_out()
    out: list[list[str]] = []
    for c in range(n_classes):
        order = np.argsort(-score[c])[: top * 3]
        out.append([vocab[j] for j in order if score[c, j] > 0])
    return out


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    # function words and greetings say nothing about a theme (veche's shipped lists)
    # only entries that are single tokens ("don't" would never match a token anyway)
    words = load_stopwords("ru") | load_stopwords("en") | load_stopwords("appeals_ru")
    return frozenset(w for w in words if re.fullmatch(r"\w+", w))


def make_label(terms: list[str], n_terms: int) -> str:
    """Join the best terms; a bigram absorbs the unigrams it contains."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(c.split()) for c in chosen):
            continue  # already said by a bigram chosen before
        # a bigram replaces unigrams of it that were chosen before
        chosen = [c for c in chosen if not (len(c.split()) == 1 and c in words)]
        chosen.append(term)
        if len(chosen) >= n_terms:
            break
    return ", ".join(chosen)
