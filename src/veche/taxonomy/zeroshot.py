"""Zero-shot multi-label assignment of questions to taxonomy categories.

Each category is represented by the vectors of its description and example questions, embedded
with the same encoder as the corpus. A question is compared with every category by

* ``proto``: cosine with the category prototype (the normalised mean of its vectors),
* ``best``: the mean of the two highest cosines with its individual examples (a single example is
  noisy, the prototype blurs several sub-issues into one),
* ``kw``: lexical evidence, how many of the category's keywords occur among the question's lemmas
  (capped at 3, scaled to [0, 1]),
* ``gap``: how far the combined similarity is above the best *other* category's (ties between
  neighbouring categories should not both look certain).

Cosines are not probabilities, so a logistic map from these features to "this category applies"
is fitted on the taxonomy's own examples by leave-one-out: each example is scored against every
category with itself removed from its own category (prototype and example list), its category
is the positive and all others negatives. The result is a probability per (question, category)
that is comparable across categories and thresholds. As every question raises at least one topic,
a question whose probabilities sum below one has them scaled up to sum to one
(``TaxonomyOptions.at_least_one``): fitted on the clean examples alone, the map tends to be
under-confident on real questions, whose similarities are lower all round. That lowered the
calibration error on each real dataset tried, but no label-free map is calibrated everywhere (SPb
stays under-confident, Kursk turns over-confident: see the README). A supervised model
(``supervised.py``) replaces it as soon as labelled questions exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from veche.embed.base import Encoder, normalize_rows
from veche.taxonomy.model import Taxonomy
from veche.taxonomy.options import TaxonomyOptions
from veche.text import Lemmatizer, prepare_docs
from veche.text.translit import mostly_latin

TOP_EXAMPLES = 2


def _keyword_lang(word: str) -> str:
    """A keyword's lemmatiser language: a single word is too short to detect, its script says."""
    return "en" if mostly_latin(word) else "ru"


def tag_frame(proba: np.ndarray, ids: list[str], threshold: float, max_topics: int) -> pd.DataFrame:
    """The shared output of every tagger: ``topics``, every topic at or above ``threshold`` as
    (id, p), best first, at most ``max_topics``; ``topic``, the first of them, or ``None`` when
    no topic reaches the threshold (unassigned: better unsure than wrong, and ``topics`` is then
    empty); ``topic_score``, the best topic's probability, also when it was too weak."""
    order = np.argsort(-proba, axis=1)[:, :max_topics]
    topics = [
        [(ids[j], float(row[j])) for j in idx if row[j] >= threshold]
        for row, idx in zip(proba, order, strict=True)
    ]
    best = proba[np.arange(len(proba)), order[:, 0]] if len(proba) else np.zeros(0)
    return pd.DataFrame(
        {
            "topics": topics,
            "topic": pd.Series([t[0][0] if t else None for t in topics], dtype=object),
            "topic_score": np.asarray(best, dtype=float),
        }
    )


class ZeroShotTagger:
    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder,
        options: TaxonomyOptions | None = None,
        lemmatizer: Lemmatizer | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.options = options or TaxonomyOptions()
        self.lemmatizer = lemmatizer or Lemmatizer()
        self.ids = taxonomy.ids
        self._fitted = False

    # ---- prototypes -------------------------------------------------------------------------

    @property
    def context_columns(self) -> list[str]:
        """Intake columns the tagger uses beside the text: none (same call as the supervised)."""
        return []

    def fit(self) -> ZeroShotTagger:
        """Embed the categories and fit the calibration (the encoder must be fitted already)."""
        if self.encoder.needs_fit:
            raise RuntimeError("fit the encoder on the corpus before building the zero-shot tagger")
        cats = self.taxonomy.categories
        texts = [ex for c in cats for ex in c.examples]
        owner = np.array([i for i, c in enumerate(cats) for _ in c.examples])
        docs = prepare_docs(texts + [c.description for c in cats], self.lemmatizer)
        vecs = normalize_rows(self.encoder.encode(docs))
        self._ex = vecs[: len(texts)]
        self._ex_owner = owner
        self._desc = vecs[len(texts) :]
        self._ex_lemmas = docs["lemmas"].iloc[: len(texts)].tolist()
        # keywords as the lemmatiser spells them (ё -> е, plural -> singular ...), each in its
        # own language: a taxonomy may list English words beside the Russian ones
        self._keywords = [
            {
                lm
                for k in c.keywords
                for lm in self.lemmatizer.lemmas(k, _keyword_lang(k), stopwords=False)
            }
            for c in cats
        ]
        # prototype sums (examples + description) kept unnormalised for leave-one-out
        k = len(cats)
        self._sums = np.zeros((k, vecs.shape[1]), dtype=np.float64)
        np.add.at(self._sums, owner, self._ex)
        self._sums += self._desc
        self._proto = normalize_rows(self._sums.astype(np.float32))
        self._calibrate()
        self._fitted = True
        return self

    def _similarities(self, vectors: np.ndarray, lemmas: list[str]) -> np.ndarray:
        """(n, k, 4) features for each question and category."""
        proto = vectors @ self._proto.T
        best = self._best_examples(vectors @ self._ex.T)
        return self._features(proto, best, self._keyword_hits(lemmas))

    def _best_examples(self, sims: np.ndarray) -> np.ndarray:
        """Mean of the ``TOP_EXAMPLES`` highest cosines per category; ``-inf`` entries (an example
        left out of its own category) do not count, and a category with no example left is NaN."""
        k = len(self.ids)
        out = np.zeros((sims.shape[0], k), dtype=np.float64)
        for c in range(k):
            block = sims[:, self._ex_owner == c]
            top = np.sort(block, axis=1)[:, -min(TOP_EXAMPLES, block.shape[1]) :]
            finite = np.isfinite(top)
            with np.errstate(invalid="ignore"):
                out[:, c] = np.where(finite, top, 0.0).sum(axis=1) / finite.sum(axis=1)
        return out

    def _keyword_hits(self, lemmas: list[str]) -> np.ndarray:
        out = np.zeros((len(lemmas), len(self.ids)), dtype=np.float64)
        if not self.options.use_keywords:
            return out
        for i, text in enumerate(lemmas):
            words = set(str(text).split())
            for c, kws in enumerate(self._keywords):
                out[i, c] = min(len(words & kws), 3) / 3.0
        return out

    def _features(self, proto: np.ndarray, best: np.ndarray, kw: np.ndarray) -> np.ndarray:
        w = self.options.example_weight
        combined = w * best + (1 - w) * proto
        # best of the other categories: the top value, or the runner-up for the top category
        srt = np.sort(combined, axis=1)
        first, second = srt[:, -1:], srt[:, -2:-1]
        other = np.where(combined >= first, second, first)
        return np.stack([proto, best, kw, combined - other], axis=2)

    def _calibrate(self) -> None:
        """Leave-one-out features of every example against every category -> logistic map."""
        n, k = len(self._ex), len(self.ids)
        sims = self._ex @ self._ex.T
        np.fill_diagonal(sims, -np.inf)  # an example never matches itself
        best = self._best_examples(sims)
        # prototype of its own category without the example: (sum - e) / |sum - e|
        dots = self._ex @ self._sums.T  # (n, k)
        sq = (self._sums**2).sum(axis=1)  # (k,)
        own = self._ex_owner
        loo_dot = dots.copy()
        loo_dot[np.arange(n), own] -= 1.0
        norms = np.tile(np.sqrt(sq), (n, 1))
        norms[np.arange(n), own] = np.sqrt(
            np.maximum(sq[own] - 2 * dots[np.arange(n), own] + 1.0, 1e-12)
        )
        proto = loo_dot / norms
        # an example that was its category's only one is left with the description: its
        # prototype stands in for the missing example similarity
        best = np.where(np.isnan(best), proto, best)
        feats = self._features(proto, best, self._keyword_hits(self._ex_lemmas))
        y = np.zeros((n, k), dtype=int)
        y[np.arange(n), own] = 1
        self._calib = LogisticRegression(C=1.0, max_iter=1000).fit(
            feats.reshape(n * k, -1), y.ravel()
        )

    # ---- assignment -------------------------------------------------------------------------

    def predict_proba(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> np.ndarray:
        """(n, k) calibrated probability that each category applies (columns in ``self.ids``)."""
        if not self._fitted:
            self.fit()
        if vectors is None:
            vectors = self.encoder.encode(docs)
        vectors = normalize_rows(vectors)
        feats = self._similarities(vectors, docs["lemmas"].fillna("").tolist())
        n, k, f = feats.shape
        proba = self._calib.predict_proba(feats.reshape(n * k, f))[:, 1].reshape(n, k)
        if self.options.at_least_one:
            # every question raises at least one topic: where the expected number of topics
            # is below one, scale it up to one (the ranking is unchanged)
            proba /= np.clip(proba.sum(axis=1, keepdims=True), 1e-12, 1.0)
        return proba

    def tag(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        proba = self.predict_proba(docs, vectors)
        out = tag_frame(proba, self.ids, self.options.threshold, self.options.max_topics)
        out.index = docs.index
        return out
