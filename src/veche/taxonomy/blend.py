"""Blend the learnt tagger with zero-shot while analysts' labels are still few.

A tagger learnt from 30, 60 or 120 reviewed questions is worse than zero-shot from the taxonomy
(demo: 0.744 / 0.752 / 0.760 against 0.773 top-1), yet the two together beat both (0.800 / 0.806
/ 0.822). So ``veche train`` does not simply replace zero-shot: it scores mixtures

    p = w * p_learnt + (1 - w) * p_zero_shot,   w in WEIGHTS

by cross-validation on the reviewed questions themselves (the learnt part refitted without each
fold, zero-shot untouched) and keeps the best ``w``. The mix inherits zero-shot's rough scores, so
one sigmoid fitted on the same held-out predictions maps its top score to how often the top topic
is right (``BlendChoice.platt``), shrunk towards leaving the scores as they are while labels
are few. As labels accumulate the chosen weight moves
towards the learnt model on its own (demo: 0.25 up to 120 labels, 0.5 at 250 and 500).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.model_selection import KFold

from veche.taxonomy.supervised import SupervisedTagger, split_labels
from veche.taxonomy.zeroshot import ZeroShotTagger, tag_frame

if TYPE_CHECKING:
    from veche.taxonomy.two_encoders import TwoEncoderTagger

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_ROWS = 10  # fewer labelled questions measure nothing
PLATT_PRIOR = 2.0  # pull of the recalibrating sigmoid towards leaving scores as they are


class BlendedTagger:
    """``weight`` x the learnt tagger + (1 - ``weight``) x zero-shot, in the taxonomy's ids."""

    def __init__(
        self,
        learnt: SupervisedTagger,
        zero_shot: ZeroShotTagger | TwoEncoderTagger,
        weight: float,
        platt: tuple[float, float] | None = None,
    ) -> None:
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"blend weight {weight} is not in [0, 1]")
        self.learnt, self.zero_shot, self.weight = learnt, zero_shot, float(weight)
        self.platt = platt  # None: the mix as it is
        self.ids = list(zero_shot.ids)
        self.options = learnt.options

    @property
    def context_columns(self) -> list[str]:
        return self.learnt.context_columns

    def predict_proba(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> np.ndarray:
        mixed = (1.0 - self.weight) * self.zero_shot.predict_proba(docs, vectors)
        if self.weight > 0:  # weight 0: the learnt model is kept aside, not run
            mixed += self.weight * in_ids(self.learnt, docs, self.ids)
        if self.platt is None:
            return mixed
        a, b = self.platt
        return expit(a * _logit(mixed) + b)

    def tag(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        out = tag_frame(
            self.predict_proba(docs, vectors),
            self.ids,
            self.options.threshold,
            self.options.max_topics,
        )
        out.index = docs.index
        return out


def in_ids(learnt: SupervisedTagger, docs: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The learnt tagger's probabilities with columns in ``ids``; a category it lacks (the
    taxonomy grew since training) gets 0 from it."""
    where = {i: j for j, i in enumerate(learnt.ids)}
    cols = np.array([where.get(i, -1) for i in ids])
    p = learnt.predict_proba(docs)
    return np.where(cols >= 0, p[:, np.maximum(cols, 0)], 0.0)


@dataclass(frozen=True)
class BlendChoice:
    weight: float
    accuracy: dict[float, float]  # cross-validated top-1 accuracy of each weight
    n: int  # reviewed questions it was measured on
    platt: tuple[float, float] | None = None  # the mix's scores -> calibrated (on logits)


def choose_weight(
    docs: pd.DataFrame,
    labels: Sequence[str],
    zero_shot_proba: np.ndarray,
    ids: Sequence[str],
    fit: Callable[[pd.DataFrame, list[str]], SupervisedTagger],
    *,
    folds: int = 5,
    max_rows: int = 3000,
    seed: int = 0,
) -> BlendChoice:
    """The weight of the learnt tagger whose blend with zero-shot is right most often on
    held-out reviewed questions (top topic among the row's labels, ``a;b`` for several).

    ``zero_shot_proba``: zero-shot probabilities of ``docs`` (columns in ``ids``); ``fit`` trains
    the learnt tagger on some rows. At most ``max_rows`` rows are used (a random sample: the
    choice needs hundreds, not tens of thousands). Weights right equally often are told apart
    by how much probability they gave the right topics (held-out log-likelihood), then by
    nearness to 0.5."""
    truth = split_labels(labels)
    rows = np.flatnonzero([bool(t) for t in truth])
    if len(rows) > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(rows, max_rows, replace=False))
    if len(rows) < MIN_ROWS:
        raise ValueError(
            f"{len(rows)} labelled questions: at least {MIN_ROWS} are needed to compare the "
            "learnt tagger with zero-shot"
        )
    ids = list(ids)
    learnt = np.zeros((len(rows), len(ids)))
    kf = KFold(n_splits=min(folds, len(rows)), shuffle=True, random_state=seed)
    for train, held in kf.split(rows):
        tagger = fit(docs.iloc[rows[train]], [labels[i] for i in rows[train]])
        learnt[held] = in_ids(tagger, docs.iloc[rows[held]], ids)
    zero = np.asarray(zero_shot_proba)[rows]
    # each row's right topics as a mask over ids (a label outside the taxonomy counts as missed)
    where = {c: j for j, c in enumerate(ids)}
    right_topic = np.zeros((len(rows), len(ids)), dtype=bool)
    for r, i in enumerate(rows):
        right_topic[r, [where[c] for c in truth[i] if c in where]] = True
    accuracy, likelihood = {}, {}
    for w in WEIGHTS:
        mixed = w * learnt + (1 - w) * zero
        accuracy[w] = float(right_topic[np.arange(len(rows)), mixed.argmax(axis=1)].mean())
        # mean log of the probability given to the row's best-scored right topic
        given = np.where(right_topic, mixed, 0.0).max(axis=1)
        likelihood[w] = float(np.log(np.clip(given, 1e-6, 1.0)).mean())
    # (with a few dozen labels several weights are often right equally often)
    best = max(WEIGHTS, key=lambda w: (accuracy[w], likelihood[w], -abs(w - 0.5)))
    # the mix inherits zero-shot's rough scores: one sigmoid, fitted on the same held-out
    # predictions, maps the top score to how often the top topic is right (every score goes
    # through it, so the order of topics stays)
    mixed = best * learnt + (1 - best) * zero
    right = right_topic[np.arange(len(rows)), mixed.argmax(axis=1)].astype(int)
    platt = _fit_platt(mixed.max(axis=1), right)
    return BlendChoice(weight=best, accuracy=accuracy, n=len(rows), platt=platt)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _fit_platt(
    top: np.ndarray, right: np.ndarray, *, prior: float = PLATT_PRIOR
) -> tuple[float, float] | None:
    """Slope and intercept on the logit scale, pulled towards the identity (1, 0) by a
    Gaussian prior of weight ``prior`` (``prior * ((a - 1)^2 + b^2)`` added to the log-loss):
    with a few dozen labels a freely fitted sigmoid can make the scores worse than they were
    (demo, 30 labels: ECE 0.138 -> 0.168; shrunk: 0.123), while hundreds of labels outweigh the
    prior. None where every top topic was right (or wrong), or where the fit would reverse the
    ranking (it must rescale scores, never reorder)."""
    if right.min() == right.max():
        return None
    x = _logit(top)

    def loss(ab: np.ndarray) -> float:
        z = ab[0] * x + ab[1]
        # log(1 + e^z) - right * z: the log-loss of a sigmoid on logits, stable for any z
        return float(np.sum(np.logaddexp(0.0, z) - right * z)) + prior * (
            (ab[0] - 1.0) ** 2 + ab[1] ** 2
        )

    a, b = (float(v) for v in minimize(loss, np.array([1.0, 0.0]), method="BFGS").x)
    return (a, b) if a > 0 else None
