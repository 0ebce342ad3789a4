"""Exact duplicate groups: equal normalised keys share a label."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def exact_groups(keys: Sequence[str]) -> np.ndarray:
    """Label equal keys alike.

    ``keys`` are already-normalised texts (see ``veche.text.dedup_key``). Returns an ``int64``
    array with one label per key; labels are ``0..k-1`` in order of first appearance. Missing
    keys (``None``/NaN) are treated as one more value, so they all share a label.
    Hash-based, O(n).
    """
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    arr = np.asarray(keys, dtype=object) if not isinstance(keys, np.ndarray) else keys
    codes, _ = pd.factorize(arr, sort=False, use_na_sentinel=False)
    return codes.astype(np.int64, copy=False)
