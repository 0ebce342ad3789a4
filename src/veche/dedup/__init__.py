"""Duplicate grouping and campaign detection: pure functions over arrays and DataFrames.

* :func:`exact_groups` -- equal normalised keys share a label.
* :func:`near_groups` -- MinHash + LSH near-duplicate groups over distinct keys.
* :func:`flag_campaigns` -- one row per group with campaign statistics and a verdict.
* :func:`pair_scores` -- pairwise precision / recall / F1 of a grouping against gold groups.
"""

from veche.dedup.campaigns import CampaignRules, flag_campaigns
from veche.dedup.exact import exact_groups
from veche.dedup.metrics import pair_scores
from veche.dedup.near import lsh_params, minhash_signatures, near_groups

__all__ = [
    "CampaignRules",
    "exact_groups",
    "flag_campaigns",
    "lsh_params",
    "minhash_signatures",
    "near_groups",
    "pair_scores",
]
