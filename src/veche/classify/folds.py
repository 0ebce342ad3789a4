"""Cross-validation folds that survive classes with one or two examples.

Stratified k-fold needs every class in every fold; real label sets (Kursk: 161 topics over 2,000
rows) have many classes with fewer members than folds. Rows of such classes are kept in the
training part of every fold and never scored, so each scored row's class was seen in training.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold


def rare_mask(labels: Sequence[str], k: int) -> np.ndarray:
    """True for rows whose class has fewer than ``k`` members."""
    _, inverse, counts = np.unique(
        np.asarray(labels, dtype=str), return_inverse=True, return_counts=True
    )
    return counts[inverse] < k


def safe_folds(
    labels: Sequence[str], k: int, seed: int = 0, *, score_rare: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` (train, test) index pairs: stratified over classes with at least ``k`` members;
    rows of rarer classes are in every training part and in no test part, unless ``score_rare``:
    then they are spread over the test parts too, each member of a class in another part (a
    singleton's class is then missing from training, as happens with new data; calibration
    wants that case counted)."""
    # integer codes: sklearn cannot tell the target type of an object array
    _, y = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    rare = rare_mask(y, k)
    common = np.flatnonzero(~rare)
    rare_idx = np.flatnonzero(rare)
    if len(common) < k:
        raise ValueError(
            f"{len(common)} rows in classes with >= {k} members: too few for {k} folds"
        )
    if len(np.unique(y[common])) >= 2:
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            splits = list(splitter.split(common, y[common]))
    else:
        splits = list(KFold(n_splits=k, shuffle=True, random_state=seed).split(common))
    if not score_rare:
        return [(np.sort(np.concatenate([common[tr], rare_idx])), common[te]) for tr, te in splits]
    # as stratified k-fold does: a rare class's members go to different folds (from a random
    # start), so each scored member has its classmates in training whenever it has any
    rng = np.random.default_rng(seed)
    start = rng.integers(0, k, size=len(y))  # one random start per class code
    rare_idx = rare_idx[np.argsort(y[rare_idx], kind="stable")]
    _, first = np.unique(y[rare_idx], return_index=True)
    rank = np.arange(len(rare_idx)) - np.repeat(first, np.diff(np.append(first, len(rare_idx))))
    rare_fold = (start[y[rare_idx]] + rank) % k
    out = []
    for f, (tr, te) in enumerate(splits):
        held = rare_idx[rare_fold == f]
        train = np.concatenate([common[tr], rare_idx[rare_fold != f]])
        out.append((np.sort(train), np.sort(np.concatenate([common[te], held]))))
    return out
