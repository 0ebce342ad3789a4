"""Pick about a hundred questions that represent a theme: central, diverse, covering its
sub-issues and regions, readable, each with how many people asked the same.

Greedy maximal marginal relevance (Carbonell & Goldstein, 1998) over the embeddings, with bonuses
for the first question of a sub-issue or a region not yet on the list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field


class ShortlistOptions(BaseModel):
    size: int = Field(100, gt=0, description="questions per theme")
    diversity: float = Field(0.35, ge=0, le=1, description="weight of novelty against relevance")
    sub_issue_bonus: float = Field(0.5, ge=0, description="for a sub-issue not yet listed")
    share_bonus: float = Field(
        0.2, ge=0, description="for a sub-issue listed less often than its share of the theme"
    )
    region_bonus: float = Field(0.08, ge=0, description="for a region not yet listed")
    pool: int = Field(20, gt=0, description="candidates considered per shortlist slot")
    max_similarity: float = Field(
        0.92, gt=0, le=1, description="never list two questions more alike than this (cosine)"
    )


CANDIDATE_COLUMNS = [
    "question_id",
    "asked",
    "sub_id",
    "region_code",
    "quality",
    "abusive",
    "centrality",
]


def relevance(cands: pd.DataFrame) -> np.ndarray:
    """Central, readable and asked by many: each in [0, 1], combined multiplicatively where a
    weak factor should pull the whole down (an unreadable text is no use however central)."""
    asked = cands["asked"].to_numpy(dtype=float)
    popularity = np.log1p(asked) / max(np.log1p(asked.max()), 1e-9)
    central = np.clip(cands["centrality"].to_numpy(dtype=float), 0, 1)
    quality = cands["quality"].to_numpy(dtype=float)
    return (0.6 * central + 0.4 * popularity) * (0.3 + 0.7 * quality)


def select_shortlist(
    cands: pd.DataFrame, vectors: np.ndarray, options: ShortlistOptions | None = None
) -> pd.DataFrame:
    """Rank ``cands`` (one row per distinct question, CANDIDATE_COLUMNS) and return the chosen
    rows in order with ``rank`` (1-based) and ``score``. ``vectors`` are the candidates' unit
    vectors, row-aligned with ``cands``."""
    opt = options or ShortlistOptions()
    if not len(cands):
        return cands.assign(rank=pd.Series(dtype=int), score=pd.Series(dtype=float))
    cands = cands.reset_index(drop=True)
    rel = relevance(cands)
    usable = ~cands["abusive"].to_numpy(dtype=bool) & (cands["quality"].to_numpy() > 0)
    if usable.sum() < min(opt.size, len(cands)):
        # too few clean texts: fill with the rest rather than return a short list, abusive last
        usable = cands["quality"].to_numpy() > 0
        rel = np.where(cands["abusive"].to_numpy(dtype=bool), rel * 0.1, rel)
    idx = np.flatnonzero(usable)
    if not len(idx):
        return cands.iloc[:0].assign(rank=pd.Series(dtype=int), score=pd.Series(dtype=float))
    pool = _pool(cands, rel, idx, opt)
    v = np.asarray(vectors, dtype=np.float32)[pool]
    r = rel[pool]
    subs = cands["sub_id"].to_numpy()[pool]
    # each sub-issue's share of the people who asked in this theme
    weight = cands.groupby("sub_id", sort=False)["asked"].sum()
    share = (weight / weight.sum()).reindex(subs).to_numpy(dtype=float)
    regions = cands["region_code"].to_numpy()[pool]

    chosen: list[int] = []
    scores: list[float] = []
    max_sim = np.zeros(len(pool), dtype=np.float32)
    seen_subs: set = set()
    seen_regions: set = set()
    available = np.ones(len(pool), dtype=bool)
    lam = 1.0 - opt.diversity
    listed: dict = {}
    for k in range(min(opt.size, len(pool))):
        # recomputed each step: the bonuses depend on what is already listed
        new_sub = np.array([s not in seen_subs for s in subs], dtype=float)
        deficit = np.clip(share * (k + 1) - np.array([listed.get(s, 0) for s in subs]), 0, 1)
        new_region = np.array(
            [g is not None and g == g and g not in seen_regions for g in regions], dtype=float
        )
        gain = (
            lam * r
            - opt.diversity * np.maximum(max_sim, 0)
            + opt.sub_issue_bonus * new_sub
            + opt.share_bonus * deficit
            + opt.region_bonus * new_region
        )
        gain[~available | (max_sim >= opt.max_similarity)] = -np.inf
        if not np.isfinite(gain).any():
            break
        best = int(np.argmax(gain))
        chosen.append(best)
        scores.append(float(gain[best]))
        available[best] = False
        seen_subs.add(subs[best])
        listed[subs[best]] = listed.get(subs[best], 0) + 1
        if regions[best] is not None and regions[best] == regions[best]:
            seen_regions.add(regions[best])
        np.maximum(max_sim, v @ v[best], out=max_sim)
    out = cands.iloc[pool[chosen]].copy()
    out["rank"] = np.arange(1, len(chosen) + 1)
    out["score"] = np.round(scores, 4)
    return out.reset_index(drop=True)


def _pool(
    cands: pd.DataFrame, rel: np.ndarray, idx: np.ndarray, opt: ShortlistOptions
) -> np.ndarray:
    """The best candidates overall, plus the best few of every sub-issue and region, so a rare
    sub-issue can still be covered without scoring the whole theme at every step."""
    order = idx[np.argsort(-rel[idx], kind="stable")]
    parts = [order[: opt.pool * opt.size]]
    ranked = cands.iloc[order]
    for col, per in (("sub_id", 5), ("region_code", 2)):
        parts.append(order[ranked.groupby(col, sort=False).cumcount().to_numpy() < per])
    return np.unique(np.concatenate(parts))
