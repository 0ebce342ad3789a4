"""Stable theme ids across reruns.

When the data grows and discovery runs again, each new theme is matched one-to-one (Hungarian
assignment, ``scipy.optimize.linear_sum_assignment``) to an old theme by centroid cosine plus
member overlap; matched themes keep the old id, the rest get fresh ids that were never used.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment


def overlap_matrix(
    old_labels: np.ndarray,
    new_labels: np.ndarray,
    n_old: int,
    n_new: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Jaccard overlap (n_old, n_new) of members: documents labelled by both the old model (its
    assignment of today's documents) and the new clustering."""
    w = np.ones(len(new_labels)) if weights is None else np.asarray(weights, dtype=float)
    ok = (old_labels >= 0) & (new_labels >= 0)
    inter = np.zeros((n_old, n_new))
    np.add.at(inter, (old_labels[ok], new_labels[ok]), w[ok])
    old_size = np.bincount(old_labels[ok], weights=w[ok], minlength=n_old)
    new_size = np.bincount(new_labels[ok], weights=w[ok], minlength=n_new)
    union = old_size[:, None] + new_size[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def match_ids(
    old_centroids: np.ndarray,
    old_ids: np.ndarray,
    new_centroids: np.ndarray,
    next_id: int,
    *,
    overlap: np.ndarray | None = None,
    min_cosine: float = 0.75,
    min_overlap: float = 0.3,
) -> tuple[np.ndarray, int]:
    """Ids for the new themes and the next unused id.

    A pair is admissible when cosine >= ``min_cosine`` or overlap >= ``min_overlap``; among
    admissible pairs the assignment maximises cosine + overlap.
    """
    n_new = len(new_centroids)
    ids = np.full(n_new, -1, dtype=np.int64)
    if len(old_centroids) and n_new and old_centroids.shape[1] == new_centroids.shape[1]:
        cos = old_centroids @ new_centroids.T
        ov = np.zeros_like(cos) if overlap is None else overlap
        ok = (cos >= min_cosine) | (ov >= min_overlap)
        gain = np.where(ok, cos + ov, -1e6)
        rows, cols = linear_sum_assignment(-gain)
        for r, c in zip(rows, cols, strict=True):
            if ok[r, c]:
                ids[c] = old_ids[r]
    fresh = np.flatnonzero(ids < 0)
    ids[fresh] = np.arange(next_id, next_id + len(fresh))
    return ids, int(max(next_id, ids.max(initial=-1) + 1))
