"""Zero-shot mode of ``veche eval``: how well a taxonomy sorts a labelled file with no training.

The taxonomy is either the operator's YAML (``taxonomy=``; each label must be a category's id or
name) or made from the file itself (:func:`label_taxonomy`): one category per label, described
by its name, with the distinct values of a finer label column as its examples when one is given
(e.g. SPb's 124 ``reason`` names under its 15 ``category`` labels). No label of any row is used to
fit anything: the encoder learns from the texts, the tagger from the taxonomy.

Scored like ``veche analyze`` assigns topics: each distinct text is embedded once, its top topic
is the prediction. Reports accuracy, macro-F1, top-3 accuracy and the calibration of the top
score (ECE, mean top score against accuracy).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from veche.classify import expected_calibration_error
from veche.embed import Encoder, make_encoder
from veche.eval.data import EvalDataError
from veche.eval.data import distinct as distinct_rows
from veche.taxonomy import Category, Taxonomy, TaxonomyOptions


def label_taxonomy(df: pd.DataFrame, examples_col: str | None = None) -> Taxonomy:
    """One category per distinct ``label`` of ``df``: name and description are the label; the
    examples are the distinct non-empty values of ``examples_col`` among its rows (else the
    label itself)."""
    if examples_col is not None and examples_col not in df.columns:
        raise EvalDataError(f"no column {examples_col!r} to take examples from")
    cats = []
    for i, (label, rows) in enumerate(df.groupby("label", sort=True)):
        examples: list[str] = []
        if examples_col is not None:
            values = rows[examples_col].dropna().astype(str).map(lambda v: " ".join(v.split()))
            examples = sorted({v for v in values if v})
        name = " ".join(str(label).split())
        cats.append(
            Category(
                id=f"label_{i}", name=name, description=name, examples=tuple(examples or [name])
            )
        )
    return Taxonomy(tuple(cats), source="<labels of the evaluated file>")


def _label_to_category(df: pd.DataFrame, taxonomy: Taxonomy) -> np.ndarray:
    """Each row's label as a category id: labels name a category by its id or its name."""
    mapped = df["label"].map(taxonomy.find)
    unknown = sorted(df.loc[mapped.isna(), "label"].astype(str).unique())
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise EvalDataError(
            f"{len(unknown)} label(s) name no category of {taxonomy.source} (by id or name): {shown}"
        )
    return mapped.to_numpy(dtype=object)


def evaluate_zero_shot(
    df: pd.DataFrame,
    *,
    taxonomy: Taxonomy | None = None,
    examples_col: str | None = None,
    encoder: str | Encoder = "tfidf",
    distinct: bool = False,
    options: TaxonomyOptions | None = None,
) -> dict[str, Any]:
    """Metrics of zero-shot topic assignment on ``df`` (from ``load_labelled``)."""
    from veche.taxonomy import zero_shot_tagger

    start = time.perf_counter()
    if len(df) == 0:
        raise ValueError("nothing to evaluate: no labelled rows")
    taxonomy = taxonomy or label_taxonomy(df, examples_col)
    truth_all = _label_to_category(df, taxonomy)
    uniq = distinct_rows(df)
    enc = make_encoder(encoder) if isinstance(encoder, str) else encoder
    if enc.needs_fit:
        enc.fit(uniq)
    tagger = zero_shot_tagger(taxonomy, enc, options)
    proba = tagger.predict_proba(uniq, enc.encode(uniq))

    scored = uniq if distinct else df
    truth = _label_to_category(scored, taxonomy) if distinct else truth_all
    pos = pd.Series(np.arange(len(uniq)), index=uniq["dedup"]).reindex(scored["dedup"]).to_numpy()
    proba = proba[pos]
    ids = np.asarray(tagger.ids, dtype=object)
    order = np.argsort(-proba, axis=1, kind="stable")
    pred = ids[order[:, 0]]
    top = proba[np.arange(len(proba)), order[:, 0]]
    hit = pred == truth
    return {
        "mode": "zero-shot",
        "encoder": enc.name,
        "distinct": distinct,
        "accuracy": float(accuracy_score(truth, pred)),
        "macro_f1": float(f1_score(truth, pred, average="macro", zero_division=0)),
        "top3_accuracy": float(
            np.mean([t in ids[o[:3]] for t, o in zip(truth, order, strict=True)])
        ),
        "ece": expected_calibration_error(top, hit),
        "mean_top_score": float(top.mean()),
        "n_docs": len(scored),
        "n_distinct": len(uniq),
        "n_categories": len(taxonomy),
        "n_examples": sum(len(c.examples) for c in taxonomy.categories),
        "seconds": round(time.perf_counter() - start, 2),
    }
