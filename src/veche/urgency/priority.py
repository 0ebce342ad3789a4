"""One priority per question (0..100) from urgency, duplicates, spread and growth.

    priority = 100 * (w_u * u + w_s * s + w_r * r + w_g * g) / (w_u + w_s + w_r + w_g)

with every term in 0..1 and non-decreasing in its input:

* ``u = urgency_score`` (clipped to 0..1), from :class:`veche.urgency.UrgencyDetector`;
* ``s = log(size) / log(size_cap)`` clipped: how many people asked the same (duplicate group
  size; 1 -> 0, ``size_cap`` or more -> 1);
* ``r = log(n_regions) / log(regions_cap)`` clipped: how many regions the group comes from;
* ``g = (growth - 1) / (growth_cap - 1)`` clipped: ``growth`` = today's count of the theme
  over the mean daily count of the previous days (1 = steady, below 1 = shrinking -> 0).

Urgency weighs most: an urgent question alone (u = 1) outranks a huge non-urgent campaign
(s = r = g = 1) with the default weights (0.55 > 0.45).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field


class PriorityWeights(BaseModel):
    urgency: float = Field(default=0.55, ge=0)
    size: float = Field(default=0.2, ge=0)
    regions: float = Field(default=0.1, ge=0)
    growth: float = Field(default=0.15, ge=0)
    size_cap: float = Field(default=1000.0, gt=1, description="group size scoring 1")
    regions_cap: float = Field(default=30.0, gt=1, description="n_regions scoring 1")
    growth_cap: float = Field(default=5.0, gt=1, description="growth ratio scoring 1")


def _col(df: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in df:
        return np.full(len(df), default, dtype=float)
    return pd.to_numeric(df[name], errors="coerce").fillna(default).to_numpy(dtype=float)


def priority_scores(df: pd.DataFrame, weights: PriorityWeights | None = None) -> pd.Series:
    """Priority 0..100 for each row of ``df`` (columns ``urgency_score``, ``group_size``,
    ``n_regions``, ``growth``; a missing column counts as its neutral value)."""
    w = weights or PriorityWeights()
    u = np.clip(_col(df, "urgency_score", 0.0), 0.0, 1.0)
    size = np.maximum(_col(df, "group_size", 1.0), 1.0)
    regions = np.maximum(_col(df, "n_regions", 1.0), 1.0)
    growth = np.maximum(_col(df, "growth", 1.0), 0.0)
    s = np.clip(np.log(size) / np.log(w.size_cap), 0.0, 1.0)
    r = np.clip(np.log(regions) / np.log(w.regions_cap), 0.0, 1.0)
    g = np.clip((growth - 1.0) / (w.growth_cap - 1.0), 0.0, 1.0)
    total = w.urgency + w.size + w.regions + w.growth
    if total <= 0:
        raise ValueError("priority weights sum to zero")
    p = 100.0 * (w.urgency * u + w.size * s + w.regions * r + w.growth * g) / total
    return pd.Series(p, index=df.index, name="priority")
