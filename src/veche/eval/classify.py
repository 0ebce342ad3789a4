"""Classify mode of ``veche eval``: train veche's classifier on labelled rows, score held-out rows.

Protocols (pick one):

* ``test=``: train on all of ``df``, score on ``test``;
* ``split_col=`` / ``split_at=``: rows with ``split_col < split_at`` train, the rest test (dates
  are compared as times when both sides parse as such; SPb: ``created < 2021-01-01``);
* ``folds=k``: k-fold cross-validation, stratified over classes with at least ``k`` members; rows
  of rarer classes are put in the training part of every fold and never scored (a class seen
  only once cannot be both learnt and tested). Metrics are the means over folds; ``n_test`` is
  the number of rows scored over all folds and ``n_unscored`` the rows left out of scoring.

``train_frac < 1`` keeps the labels of only that share of training rows (drawn at random with
``seed``); the other training rows and the test texts are given to the classifier as unlabelled
texts (transductive use of texts, never of their labels).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from veche.classify import ClassifierOptions, TextClassifier, expected_calibration_error, safe_folds
from veche.progress import Progress


class _Model(Protocol):
    def fit(
        self, docs: pd.DataFrame, labels: Any, unlabeled: pd.DataFrame | None = None, **kw: Any
    ) -> Any: ...

    def predict(self, docs: pd.DataFrame) -> np.ndarray: ...


def _split_mask(col: pd.Series, split_at: Any) -> np.ndarray:
    """True for rows before ``split_at``; times compared as times when both parse."""
    if isinstance(split_at, str):
        try:
            times = pd.to_datetime(col, utc=True, errors="raise", format="mixed")
            return (times < pd.Timestamp(split_at, tz="UTC")).to_numpy()
        except (ValueError, TypeError):
            return (col.astype(str) < split_at).to_numpy()
    return (col < split_at).to_numpy()


@dataclass
class _Dense:
    """Vectors of every row (looked up by the ``_dense_row`` column) and of the descriptions."""

    rows: np.ndarray
    descriptions: np.ndarray | None

    def of(self, frame: pd.DataFrame) -> np.ndarray:
        return self.rows[frame["_dense_row"].to_numpy()]


def dense_vectors(
    frames: list[pd.DataFrame], encoder: str, progress: Progress | None = None
) -> list[np.ndarray]:
    """Each frame's vectors from ``encoder`` (each distinct text embedded once; an encoder
    that learns from the corpus, such as tfidf, is fitted on all the texts: no labels)."""
    from veche.embed import make_encoder

    docs = pd.concat([f[["text", "lemmas"]] for f in frames], ignore_index=True)
    distinct = docs.drop_duplicates("text").reset_index(drop=True)
    enc = make_encoder(encoder)
    if enc.needs_fit:
        enc.fit(distinct)
    vectors = enc.encode(distinct, progress)
    where = pd.Series(np.arange(len(distinct)), index=distinct["text"])
    out, start = [], 0
    for f in frames:
        out.append(vectors[where.loc[docs["text"].iloc[start : start + len(f)]].to_numpy()])
        start += len(f)
    return out


def _score_one(
    make_model: Callable[[], _Model],
    train: pd.DataFrame,
    test: pd.DataFrame,
    train_frac: float,
    seed: int,
    descriptions: pd.DataFrame | None = None,
    dense: _Dense | None = None,
) -> dict[str, Any]:
    start = time.perf_counter()
    unlabeled: pd.DataFrame | None = None
    labelled = train
    if train_frac < 1.0:
        rng = np.random.default_rng(seed)
        n_keep = max(1, round(train_frac * len(train)))
        keep = np.zeros(len(train), dtype=bool)
        keep[rng.permutation(len(train))[:n_keep]] = True
        labelled = train[keep]
        # their labels are dropped: the classifier only sees these texts (and context columns)
        unlabeled = pd.concat([train[~keep], test], ignore_index=True).drop(columns="label")
    model = make_model()
    extra: dict[str, Any] = {} if descriptions is None else {"descriptions": descriptions}
    at: dict[str, Any] = {}
    if dense is not None:
        extra.update(vectors=dense.of(labelled), description_vectors=dense.descriptions)
        at = {"vectors": dense.of(test)}
    model.fit(labelled, labelled["label"].tolist(), unlabeled=unlabeled, **extra)
    truth = test["label"].astype(str).to_numpy()
    out: dict[str, Any] = {}
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(test, **at)
        classes = np.asarray(model.classes_, dtype=object)
        order = np.argsort(-proba, axis=1, kind="stable")
        pred = classes[order[:, 0]]
        top3 = classes[order[:, :3]]
        out["top3_accuracy"] = float(
            np.mean([t in row for t, row in zip(truth, top3, strict=True)])
        )
        out["ece"] = expected_calibration_error(proba, pred == truth)
    else:
        pred = np.asarray(model.predict(test), dtype=object)
    out = {
        "accuracy": float(accuracy_score(truth, pred)),
        "macro_f1": float(f1_score(truth, pred, average="macro", zero_division=0)),
        **out,
        "n_train": len(train),
        "n_labelled": len(labelled),
        "n_test": len(test),
        "n_classes": int(labelled["label"].nunique()),
        "seconds": round(time.perf_counter() - start, 2),
    }
    return out


def evaluate_classify(
    df: pd.DataFrame,
    *,
    test: pd.DataFrame | None = None,
    train_frac: float = 1.0,
    split_col: str | None = None,
    split_at: Any = None,
    folds: int | None = None,
    seed: int = 0,
    options: ClassifierOptions | None = None,
    make_model: Callable[[], _Model] | None = None,
    score_rare: bool = True,
    descriptions: pd.DataFrame | None = None,
    encoder: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Accuracy, macro-F1, top-3 accuracy and ECE (top-label expected calibration error) of
    the classifier on ``df`` (from :func:`veche.eval.load_labelled`: ``text``, ``lemmas``,
    ``label``), with ``n_train``, ``n_labelled``, ``n_test``, ``n_classes`` and ``seconds``.

    ``make_model`` builds another classifier (e.g. a baseline) scored the same way; the default
    is :class:`TextClassifier` with ``options``. ``descriptions`` (``label``, ``text``,
    ``lemmas``; e.g. :func:`veche.eval.data.label_names`) describe classes to the classifier.
    ``encoder`` (e.g. ``e5``) adds that encoder's vectors beside the n-gram features.
    """
    if not 0.0 < train_frac <= 1.0:
        raise ValueError("train_frac must be in (0, 1]")
    factory = make_model or (lambda: TextClassifier(options))
    dense = None
    if encoder is not None:
        frames = [df] + ([test] if test is not None else [])
        if descriptions is not None:
            frames.append(descriptions)
        vecs = dense_vectors(frames, encoder, progress)
        rows = np.vstack(vecs[: 2 if test is not None else 1])
        df = df.assign(_dense_row=np.arange(len(df)))
        if test is not None:
            test = test.assign(_dense_row=np.arange(len(df), len(df) + len(test)))
        dense = _Dense(rows, vecs[-1] if descriptions is not None else None)
    if test is not None:
        return {
            "protocol": "test",
            **_score_one(factory, df, test, train_frac, seed, descriptions, dense),
        }
    if split_col is not None:
        if split_at is None:
            raise ValueError("split_col needs split_at")
        if split_col not in df.columns:
            raise ValueError(f"no column {split_col!r} to split on")
        before = _split_mask(df[split_col], split_at)
        train, rest = df[before], df[~before]
        if not len(train) or not len(rest):
            raise ValueError(
                f"split at {split_at!r} leaves {len(train)} train, {len(rest)} test rows"
            )
        return {
            "protocol": "split",
            **_score_one(factory, train, rest, train_frac, seed, descriptions, dense),
        }
    k = folds or 5
    labels = df["label"].astype(str).to_numpy()
    runs, scored = [], 0
    start = time.perf_counter()
    # every row is scored once, as plain k-fold does; rows of classes rarer than k land in a
    # test part whose training part may lack their class (score_rare=False leaves them unscored)
    for tr, te in safe_folds(labels, k, seed=seed, score_rare=score_rare):
        runs.append(
            _score_one(factory, df.iloc[tr], df.iloc[te], train_frac, seed, descriptions, dense)
        )
        scored += len(te)
    out: dict[str, Any] = {"protocol": f"{k}-fold"}
    for key in ("accuracy", "macro_f1", "top3_accuracy", "ece"):
        if key in runs[0]:
            out[key] = float(np.mean([r[key] for r in runs]))
    out.update(
        n_train=int(np.mean([r["n_train"] for r in runs])),
        n_labelled=int(np.mean([r["n_labelled"] for r in runs])),
        n_test=scored,
        n_unscored=len(df) - scored,
        n_classes=int(df["label"].nunique()),
        seconds=round(time.perf_counter() - start, 2),
    )
    return out
