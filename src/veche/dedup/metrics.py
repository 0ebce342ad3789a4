"""Pairwise quality of a grouping against gold groups, from the contingency table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _codes(labels: Sequence) -> np.ndarray:
    """Dense codes; missing labels (None/NaN) become singletons of their own."""
    codes, uniques = pd.factorize(pd.Series(labels), sort=False)
    codes = codes.astype(np.int64)
    missing = codes < 0
    if missing.any():
        codes[missing] = len(uniques) + np.arange(int(missing.sum()))
    return codes


def _pairs(codes: np.ndarray) -> int:
    counts = np.bincount(codes).astype(np.int64) if codes.size else np.zeros(0, np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pair_scores(pred: Sequence[int], gold: Sequence[int]) -> dict:
    """Pairwise precision, recall and F1 of ``pred`` groups against ``gold`` groups.

    A pair of items is *predicted* when both carry the same ``pred`` label and *gold* when both
    carry the same ``gold`` label; precision = correct predicted pairs / predicted pairs, recall =
    correct predicted pairs / gold pairs. Counted from the contingency table (hash-based, O(n)):
    pairs are never enumerated. Labels may be any hashable values; ``None``/NaN means "in no
    group" (a singleton).

    Empty denominators: with no predicted pairs (e.g. all singletons) precision is defined as
    1.0 -- no wrong pair was claimed; with no gold pairs recall is 1.0 -- nothing was missed.
    F1 is their harmonic mean, 0.0 when both are 0.

    Returns ``precision, recall, f1, n_pred_pairs, n_gold_pairs, n_true_pairs, n``.
    """
    if len(pred) != len(gold):
        raise ValueError(f"pred has {len(pred)} items, gold {len(gold)}")
    p = _codes(pred)
    g = _codes(gold)
    n_pred = _pairs(p)
    n_gold = _pairs(g)
    if p.size:
        # contingency cells: factorise the (pred, gold) code pairs
        cell = pd.factorize(p * np.int64(g.max() + 1) + g, sort=False)[0]
        n_true = _pairs(cell)
    else:
        n_true = 0
    precision = n_true / n_pred if n_pred else 1.0
    recall = n_true / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "n_pred_pairs": n_pred,
        "n_gold_pairs": n_gold,
        "n_true_pairs": n_true,
        "n": int(p.size),
    }
