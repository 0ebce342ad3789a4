"""Options of theme discovery (plugged into ``VecheConfig`` by the lead)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ThemeOptions(BaseModel):
    """How many themes, how they are built, and when a question is "other".

    Automatic sizes (``None``), with ``n`` the number of distinct texts:
    ``n_fine = clip(round(sqrt(n)), 4, 1000)`` specific issues,
    ``n_broad = clip(round(sqrt(n_fine)), 2, 40)`` broad themes,
    ``n_micro = clip(micro_per_fine * n_fine, n_fine, min(n, 20000))`` k-means micro-clusters.
    """

    n_fine: int | None = Field(None, ge=1)
    n_broad: int | None = Field(None, ge=1)
    n_micro: int | None = Field(None, ge=1)
    micro_per_fine: int = Field(8, ge=1)
    # cluster each text together with its nearest neighbours: the vector is averaged with the
    # mean of its ``smooth_neighbors`` nearest texts (weight ``smooth_alpha``), which denoises
    # very short questions; 0 turns it off
    smooth_neighbors: int = Field(10, ge=0)
    smooth_alpha: float = Field(1.0, ge=0.0)
    # merge of micro-clusters into fine themes and of fine themes into broad ones
    linkage: Literal["ward", "average", "complete"] = "ward"
    # Lloyd iterations over the documents after merging (sharpens the merged borders)
    refine_iter: int = Field(5, ge=0)
    # duplicates pull centroids with count**weight_power (0 = every distinct text counts once)
    weight_power: float = Field(0.5, ge=0.0, le=1.0)
    kmeans_iter: int = Field(20, ge=1)
    # "other": farther from its theme than this quantile of all (weighted) distances
    other_quantile: float = Field(0.95, gt=0.0, le=1.0)
    # themes with fewer questions are dissolved into their nearest neighbour
    min_theme_size: int = Field(3, ge=1)
    label_terms: int = Field(4, ge=1)
    # stable ids: a new theme keeps an old id when their centroids are at least this similar
    # (cosine) or they share at least this share of members (Jaccard)
    match_min_cosine: float = Field(0.75, ge=-1.0, le=1.0)
    match_min_overlap: float = Field(0.3, ge=0.0, le=1.0)
    # how specific issues form broad themes when the caller passes side features (taxonomy
    # topic probabilities): "features", each joins one topic's theme (``broad_topic_rule``);
    # "merge", ward over the issues' centroids and topic profiles, the profiles weighing
    # ``broad_feature_weight``
    broad_by: Literal["features", "merge"] = "features"
    broad_feature_weight: float = Field(0.7, ge=0.0, lt=1.0)
    # "votes": the topic most of the questions have as their top topic; "lift": the
    # one it is most over-represented in (favours rare topics)
    broad_topic_rule: Literal["votes", "lift"] = "votes"
    # "votes": an issue joins its topic's broad theme only when most of its questions carry a
    # topic and at least this share of those carry that one; the others (off the taxonomy,
    # mixed) form themes of their own
    broad_min_votes: float = Field(0.5, ge=0.0, le=1.0)
    # a broad label names its leading topic only when at least this share of its questions
    # carry it (a label that names a topic its questions do not carry misleads)
    label_topic_share: float = Field(0.85, gt=0.0, le=1.0)
    # a language with at least this many distinct texts gets specific issues of its own (0: one
    # clustering for all languages)
    language_min_texts: int = Field(200, ge=0)
    seed: int = 0
