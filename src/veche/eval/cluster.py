"""Cluster mode of ``veche eval``: discover themes without the labels, then score them against
the labels (NMI, ARI) at the fine level.

Texts are embedded once per distinct question (like ``veche analyze``); duplicates share their
text's theme. ``distinct=True`` scores one row per distinct text, otherwise every row counts.
The number of fine themes defaults to the number of distinct labels, so the score measures how
well themes match, not how many there are.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from veche.embed import Encoder, make_encoder
from veche.eval.data import distinct as distinct_rows
from veche.themes import ThemeOptions, discover_themes


def evaluate_cluster(
    df: pd.DataFrame,
    *,
    distinct: bool = False,
    encoder: str | Encoder = "tfidf",
    k: int | None = None,
    seed: int = 0,
    options: ThemeOptions | dict[str, Any] | None = None,
    encoder_options: dict[str, Any] | None = None,
    coarse_col: str | None = None,
) -> dict[str, Any]:
    """Metrics of theme discovery on ``df`` (from ``load_labelled``: ``text``, ``lemmas``,
    ``label``, ``dedup``). ``coarse_col`` also scores the broad level against that column
    (``nmi_broad``), e.g. SPb ``category``."""
    start = time.perf_counter()
    if len(df) == 0:
        raise ValueError("nothing to evaluate: no labelled rows")
    uniq = distinct_rows(df)
    weights = df["dedup"].value_counts().reindex(uniq["dedup"]).to_numpy(dtype=float)
    enc = make_encoder(encoder, **(encoder_options or {})) if isinstance(encoder, str) else encoder
    if enc.needs_fit:
        enc.fit(uniq)
    vectors = enc.encode(uniq)

    scored = uniq if distinct else df
    n_labels = int(scored["label"].nunique())
    opts = ThemeOptions(**options) if isinstance(options, dict) else (options or ThemeOptions())
    opts = opts.model_copy(update={"n_fine": k or opts.n_fine or n_labels, "seed": seed})
    model, assignment = discover_themes(vectors, uniq, weights, opts)

    # rows -> their distinct text's themes
    pos = pd.Series(np.arange(len(uniq)), index=uniq["dedup"]).reindex(scored["dedup"]).to_numpy()
    fine = assignment.fine_id[pos]
    gold = scored["label"].to_numpy()
    out: dict[str, Any] = {
        "mode": "cluster",
        "encoder": enc.name,
        "distinct": distinct,
        "nmi": float(normalized_mutual_info_score(gold, fine)),
        "ari": float(adjusted_rand_score(gold, fine)),
        "n_docs": len(scored),
        "n_distinct": len(uniq),
        "n_labels": n_labels,
        "n_clusters": int(len(np.unique(fine))),
        "n_broad": int(len(model.broad.ids)),
        "other_share": float(assignment.other[pos].mean()),
    }
    if coarse_col:
        out["nmi_broad"] = float(
            normalized_mutual_info_score(scored[coarse_col].astype(str), assignment.broad_id[pos])
        )
    out["seconds"] = round(time.perf_counter() - start, 2)
    return out
