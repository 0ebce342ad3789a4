"""A theme's shortlist without scoring every question in it (millions of questions).

``select_shortlist`` needs each candidate's text quality and vector: a text scan and a vector
read per duplicate group, ~1.8 million of them at 3 million questions. Yet a candidate's
relevance is bounded before either is known: quality is at most 1, and centrality is within a
rounding of ``1 - theme_distance`` (stored for every question). So candidates are evaluated in
order of that bound, more each round, until every part of the MMR pool (the best ``pool * size``
overall, the best few of each sub-issue and region) provably holds the same candidates as if
all had been evaluated: the k-th best evaluated relevance beats the bound of everything not
evaluated. The shortlist is then the one ``select_shortlist`` gives over the whole theme.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from veche.shortlist.select import (
    POOL_PER_GROUP,
    ShortlistOptions,
    relevance,
    select_shortlist,
    usable_relevance,
)

# stored distances are rounded to 1e-4 and measured on re-normalised float16 vectors
CENTRALITY_SLACK = 0.01
BOUND_COLUMNS = ["question_id", "asked", "sub_id", "region_code", "theme_distance"]

# candidate rows -> (quality, abusive, centrality, vectors), row-aligned
Evaluate = Callable[[pd.DataFrame], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]


def bounded_shortlist(
    cands: pd.DataFrame,
    evaluate: Evaluate,
    options: ShortlistOptions,
    *,
    start: float = 1.5,
    growth: float = 2.0,
) -> tuple[pd.DataFrame, int]:
    """The shortlist of one theme (``cands``: BOUND_COLUMNS, one row per duplicate group, in
    question order) and how many candidates had to be evaluated. ``start`` times each pool
    part's size is evaluated first; a part that cannot be proven yet looks ``growth`` times
    deeper."""
    cands = cands.reset_index(drop=True)
    n = len(cands)
    max_asked = float(cands["asked"].max()) if n else 1.0
    sub_asked = cands.groupby("sub_id", sort=False)["asked"].sum()
    distance = cands["theme_distance"].astype(float).fillna(0.0).to_numpy()
    bound = cands.assign(centrality=1.0 - distance + CENTRALITY_SLACK, quality=1.0)
    upper = relevance(bound, max_asked)  # quality 1 makes its factor 1: nothing can score more
    order = np.argsort(-upper, kind="stable")
    rules = [(np.zeros(n, dtype=np.int64), options.pool * options.size)]
    for col, per in POOL_PER_GROUP:
        codes, _ = pd.factorize(cands[col])  # -1: no value, in no group (as groupby drops it)
        rules.append((codes, per))
    # each row's rank by bound within its group, and how deep each group is evaluated
    ranks = [_rank_within(codes, order) for codes, _ in rules]
    depth = [np.full(max(codes.max() + 1, 1), start * m) for codes, m in rules]

    quality = np.zeros(n, dtype=np.float32)
    abusive = np.zeros(n, dtype=bool)
    centrality = np.zeros(n, dtype=np.float64)
    evaluated = np.zeros(n, dtype=bool)
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    while True:
        want = np.zeros(n, dtype=bool)
        for (codes, _), rank, d in zip(rules, ranks, depth, strict=True):
            want |= (codes >= 0) & (rank < d[np.maximum(codes, 0)])
        new = np.flatnonzero(want & ~evaluated)
        if len(new):
            q, a, c, v = evaluate(cands.iloc[new])
            quality[new], abusive[new], centrality[new] = q, a, c
            blocks.append((new, np.asarray(v, dtype=np.float32)))
            evaluated[new] = True
        done = np.flatnonzero(evaluated)
        part = cands.iloc[done].assign(
            quality=quality[done], abusive=abusive[done], centrality=centrality[done]
        )
        if len(done) == n:
            break
        rel, usable = usable_relevance(part, options, max_asked=max_asked, n_total=n)
        if usable.sum() < min(options.size, n):
            depth = [d * growth for d in depth]  # too few clean texts yet: look deeper everywhere
            continue
        proven = True
        for (codes, m), d in zip(rules, depth, strict=True):
            failing = _unproven(codes, m, done, rel, usable, upper, evaluated)
            if len(failing):
                d[failing] *= growth
                proven = False
        if proven:
            break
    rows = np.concatenate([b[0] for b in blocks]) if blocks else np.empty(0, dtype=np.int64)
    vecs = np.concatenate([b[1] for b in blocks]) if blocks else np.empty((0, 0), np.float32)
    vecs = vecs[np.argsort(rows)]  # row-aligned with ``part`` (question order)
    picked = select_shortlist(
        part, vecs, options, max_asked=max_asked, sub_asked=sub_asked, n_total=n
    )
    return picked, len(done)


def _rank_within(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """0-based rank of each row within its group when rows are taken in ``order``."""
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = pd.Series(codes[order]).groupby(codes[order]).cumcount().to_numpy()
    return rank


def _unproven(
    codes: np.ndarray,
    m: int,
    done: np.ndarray,
    rel: np.ndarray,
    usable: np.ndarray,
    upper: np.ndarray,
    evaluated: np.ndarray,
) -> np.ndarray:
    """Groups whose best ``m`` usable candidates may still include one not evaluated."""
    k = max(codes.max() + 1, 0)
    best_open = np.full(k, -np.inf)  # highest bound among rows not evaluated
    rest = np.flatnonzero(~evaluated & (codes >= 0))
    np.maximum.at(best_open, codes[rest], upper[rest])
    g = codes[done][usable]
    r = rel[usable]
    keep = g >= 0
    g, r = g[keep], r[keep]
    mth = np.full(k, -np.inf)  # the m-th best evaluated relevance (-inf: fewer than m)
    if len(g):
        o = np.lexsort((-r, g))
        g, r = g[o], r[o]
        nth = pd.Series(g).groupby(g).cumcount().to_numpy()
        at = nth == m - 1
        mth[g[at]] = r[at]
    return np.flatnonzero(np.isfinite(best_open) & ~(mth > best_open))
