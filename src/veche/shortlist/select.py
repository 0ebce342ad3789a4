"""Pick about a hundred questions that represent a theme: central, diverse, covering its
sub-issues and regions, readable, each with how many people asked the same.

Greedy maximal marginal relevance (Carbonell & Goldstein, 1998) over the embeddings, with bonuses
for the first question of a sub-issue or a region not yet on the list. Given candidates'
languages (``lang``), a sub-issue is opened by a question in the theme's main language while it
has one: a Kazakh question does not top a Russian list when Russian ones ask the same.
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


# besides the best pool * size overall: the best few of every sub-issue and region
POOL_PER_GROUP = (("sub_id", 5), ("region_code", 2))
# language codes read as Russian ("und": too short to tell, mostly Russian here)
_RU_CODES = frozenset({"ru", "und", ""})

CANDIDATE_COLUMNS = [
    "question_id",
    "asked",
    "sub_id",
    "region_code",
    "quality",
    "abusive",
    "centrality",
]


def relevance(cands: pd.DataFrame, max_asked: float | None = None) -> np.ndarray:
    """Central, readable and asked by many: each in [0, 1], combined multiplicatively where a
    weak factor should pull the whole down (an unreadable text is no use however central).
    Popularity is relative to ``max_asked`` (the theme's most asked; default: of ``cands``)."""
    asked = cands["asked"].to_numpy(dtype=float)
    top = asked.max() if max_asked is None else max_asked
    popularity = np.log1p(asked) / max(np.log1p(top), 1e-9)
    central = np.clip(cands["centrality"].to_numpy(dtype=float), 0, 1)
    quality = cands["quality"].to_numpy(dtype=float)
    return (0.6 * central + 0.4 * popularity) * (0.3 + 0.7 * quality)


def usable_relevance(
    cands: pd.DataFrame,
    options: ShortlistOptions,
    *,
    max_asked: float | None = None,
    n_total: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(relevance, may be listed) per candidate: abusive and unreadable texts are skipped unless
    the theme (``n_total`` candidates, default ``len(cands)``) has too few clean ones."""
    rel = relevance(cands, max_asked)
    quality = cands["quality"].to_numpy(dtype=float)
    abusive = cands["abusive"].to_numpy(dtype=bool)
    usable = ~abusive & (quality > 0)
    if usable.sum() < min(options.size, len(cands) if n_total is None else n_total):
        # too few clean texts: fill with the rest rather than return a short list, abusive last
        usable = quality > 0
        rel = np.where(abusive, rel * 0.1, rel)
    return rel, usable


def select_shortlist(
    cands: pd.DataFrame,
    vectors: np.ndarray,
    options: ShortlistOptions | None = None,
    *,
    max_asked: float | None = None,
    sub_asked: pd.Series | None = None,
    n_total: int | None = None,
) -> pd.DataFrame:
    """Rank ``cands`` (one row per distinct question, CANDIDATE_COLUMNS) and return the chosen
    rows in order with ``rank`` (1-based) and ``score``. ``vectors`` are the candidates' unit
    vectors, row-aligned with ``cands``. When ``cands`` is only part of a theme (see
    ``bounded_shortlist``), ``max_asked``, ``sub_asked`` (people per sub-issue) and ``n_total``
    describe the whole theme."""
    opt = options or ShortlistOptions()
    if not len(cands):
        return cands.assign(rank=pd.Series(dtype=int), score=pd.Series(dtype=float))
    cands = cands.reset_index(drop=True)
    rel, usable = usable_relevance(cands, opt, max_asked=max_asked, n_total=n_total)
    idx = np.flatnonzero(usable)
    if not len(idx):
        return cands.iloc[:0].assign(rank=pd.Series(dtype=int), score=pd.Series(dtype=float))
    foreign_all = _foreign(cands)
    pool = _pool(cands, rel, idx, opt, foreign_all)
    foreign = foreign_all[pool]
    v = np.asarray(vectors, dtype=np.float32)[pool]
    r = rel[pool]
    # each sub-issue's share of the people who asked in this theme
    weight = cands.groupby("sub_id", sort=False)["asked"].sum() if sub_asked is None else sub_asked
    share = (weight / weight.sum()).reindex(cands["sub_id"].to_numpy()[pool]).to_numpy(float)
    # integer codes (-1: no region) so each step's bonuses are array lookups, not Python loops
    subs, sub_names = pd.factorize(cands["sub_id"].to_numpy()[pool], use_na_sentinel=False)
    regions, _ = pd.factorize(cands["region_code"].to_numpy()[pool])
    n_regions = int(regions.max()) + 1 if len(regions) else 0

    chosen: list[int] = []
    scores: list[float] = []
    max_sim = np.zeros(len(pool), dtype=np.float32)
    seen_sub = np.zeros(len(sub_names), dtype=bool)
    seen_region = np.zeros(n_regions + 1, dtype=bool)  # last slot: "no region", never new
    seen_region[-1] = True
    listed = np.zeros(len(sub_names), dtype=float)
    available = np.ones(len(pool), dtype=bool)
    lam = 1.0 - opt.diversity
    for k in range(min(opt.size, len(pool))):
        # recomputed each step: the bonuses depend on what is already listed
        new_sub = (~seen_sub[subs]).astype(float)
        deficit = np.clip(share * (k + 1) - listed[subs], 0, 1)
        new_region = (~seen_region[regions]).astype(float)
        gain = (
            lam * r
            - opt.diversity * np.maximum(max_sim, 0)
            + opt.sub_issue_bonus * new_sub
            + opt.share_bonus * deficit
            + opt.region_bonus * new_region
        )
        open_ = available & (max_sim < opt.max_similarity)
        gain[~open_] = -np.inf
        if foreign.any():
            # a sub-issue not listed yet waits for a question in the main language, if any is open
            main_open = np.bincount(subs[open_ & ~foreign], minlength=len(sub_names)) > 0
            gain[foreign & ~seen_sub[subs] & main_open[subs]] = -np.inf
        if not np.isfinite(gain).any():
            break
        best = int(np.argmax(gain))
        chosen.append(best)
        scores.append(float(gain[best]))
        available[best] = False
        seen_sub[subs[best]] = True
        listed[subs[best]] += 1
        seen_region[regions[best]] = True
        np.maximum(max_sim, v @ v[best], out=max_sim)
    out = cands.iloc[pool[chosen]].copy()
    out["rank"] = np.arange(1, len(chosen) + 1)
    out["score"] = np.round(scores, 4)
    return out.reset_index(drop=True)


def _foreign(cands: pd.DataFrame) -> np.ndarray:
    """Whether each candidate is in another language than most of the theme's distinct
    questions (all False without a ``lang`` column); a popular foreign one does not make the
    list foreign."""
    if "lang" not in cands.columns:
        return np.zeros(len(cands), dtype=bool)
    codes = cands["lang"].astype(object).where(cands["lang"].notna(), "").astype(str)
    group = codes.where(~codes.isin(_RU_CODES), "ru")
    main = group.value_counts().idxmax()
    return (group != main).to_numpy()


def _pool(
    cands: pd.DataFrame,
    rel: np.ndarray,
    idx: np.ndarray,
    opt: ShortlistOptions,
    foreign: np.ndarray,
) -> np.ndarray:
    """The best candidates overall, plus the best few of every sub-issue and region (and of
    every sub-issue in the main language), so a rare sub-issue can still be covered without
    scoring the whole theme at every step."""
    order = idx[np.argsort(-rel[idx], kind="stable")]
    parts = [order[: opt.pool * opt.size]]
    ranked = cands.iloc[order]
    for col, per in POOL_PER_GROUP:
        parts.append(order[ranked.groupby(col, sort=False).cumcount().to_numpy() < per])
    main = order[~foreign[order]]
    first_subs = cands.iloc[main].groupby("sub_id", sort=False).cumcount().to_numpy()
    parts.append(main[first_subs < POOL_PER_GROUP[0][1]])
    return np.unique(np.concatenate(parts))
