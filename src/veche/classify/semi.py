"""Self-training: use unlabelled questions when only a fraction carries labels.

Each round fits the calibrated classifier on the labelled rows plus the pseudo-labels so far,
scores the unlabelled rows, and takes those whose calibrated top probability reaches
``self_train_threshold`` as pseudo-labelled rows with weight ``self_train_weight``. Pseudo-labels
are recomputed from scratch each round (a row may drop out again), so early mistakes do not pile up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from veche.classify.model import TextClassifier


def self_train(
    clf: TextClassifier,
    X: sp.spmatrix,
    y: np.ndarray,
    X_un: sp.spmatrix,
    n_labelled: int | None = None,
) -> tuple[sp.spmatrix, np.ndarray, np.ndarray]:
    """Labelled rows (the first ``n_labelled`` of ``X``; any rows after them, such as class
    descriptions, are trained on but not calibrated on) followed by confident pseudo-labelled
    rows: (X, y, sample weights)."""
    n_labelled = len(y) if n_labelled is None else n_labelled
    o = clf.options
    X_all, y_all, w_all = X, y, np.ones(len(y))
    clf.n_pseudo_ = 0
    for _ in range(o.self_train_rounds):
        clf._fit_multiclass(X_all, y_all, w_all, n_labelled=n_labelled)
        proba = clf._proba_X(X_un)
        keep = np.flatnonzero(proba.max(axis=1) >= o.self_train_threshold)
        if not len(keep):
            break
        X_all = sp.vstack([X, X_un[keep]]).tocsr()
        y_all = np.concatenate([y, proba[keep].argmax(axis=1)])
        w_all = np.concatenate([np.ones(len(y)), np.full(len(keep), o.self_train_weight)])
        clf.n_pseudo_ = len(keep)
    return X_all, y_all, w_all
