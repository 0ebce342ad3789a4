"""Classifier figures on the shared data, each next to a plain TF-IDF linear SVM scored the same
way in the same run.

    OMP_NUM_THREADS=1 .venv/bin/python bench/classify_eval.py [--data ../shared/data] [--quick]

veche is scored with ``veche eval``'s defaults (``EvalOptions``: label names as class
descriptions, sqrt class weights). Figures: SPb ``category`` with 10% of the pre-2021 labels (seeds 0, 1, 2; the rest and the test
texts given as unlabelled), SPb ``reason`` with all pre-2021 labels (test: rows from 2021-01-01,
duplicates included), Kursk ``Тематика`` 5-fold CV, and routing: SPb ``executor`` and Kursk
``Ответственное лицо`` (accuracy and top-3 accuracy). ``--quick`` runs seed 0 and skips routing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC

from veche.eval import load_labelled
from veche.eval.classify import evaluate_classify
from veche.eval.data import label_names
from veche.eval.options import EvalOptions


class Baseline:
    """TF-IDF of char 2-5 + word 1-2 n-grams of the text, LinearSVC; ignores unlabelled rows."""

    def fit(self, docs: pd.DataFrame, labels: Any, unlabeled: Any = None) -> Baseline:
        features = make_union(
            TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        self.pipe = make_pipeline(features, LinearSVC()).fit(docs["text"], list(labels))
        return self

    def predict(self, docs: pd.DataFrame) -> Any:
        return self.pipe.predict(docs["text"])


def _line(name: str, ours: dict[str, Any], base: dict[str, Any]) -> None:
    def fmt(r: dict[str, Any]) -> str:
        ece = f" ece {r['ece']:.3f}" if "ece" in r else ""
        top3 = f" top3 {r['top3_accuracy']:.3f}" if "top3_accuracy" in r else ""
        return f"acc {r['accuracy']:.3f} macroF1 {r['macro_f1']:.3f}{top3}{ece} {r['seconds']:.0f}s"

    print(f"{name:<34} veche: {fmt(ours)} | baseline: {fmt(base)}", flush=True)
    print("  " + json.dumps({"figure": name, "veche": ours, "baseline": base}), flush=True)


def _veche(df: pd.DataFrame, **kw: Any) -> dict[str, Any]:
    """veche's classifier as ``veche eval`` runs it with no flags."""
    opts = EvalOptions()
    names = label_names(df) if opts.label_names else None
    return evaluate_classify(df, options=opts.classifier, descriptions=names, **kw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    spb_path = args.data / "spb" / "appeals_2020-10_2021-02.csv.gz"
    kursk_path = args.data / "kursk" / "train.csv"
    split = {"split_col": "created", "split_at": "2021-01-01"}

    spb = load_labelled(spb_path, "text", "category")
    for seed in [0] if args.quick else [0, 1, 2]:
        kw = {**split, "train_frac": 0.1, "seed": seed}
        _line(
            f"spb category 10% labels seed {seed}",
            _veche(spb, **kw),
            evaluate_classify(spb, **kw, make_model=Baseline),
        )
    spb["label"] = spb["reason"].astype(str).str.strip()
    reason = spb[~spb["label"].isin(["", "nan"])]
    _line(
        "spb reason all labels",
        _veche(reason, **split),
        evaluate_classify(reason, **split, make_model=Baseline),
    )
    if not args.quick:
        spb["label"] = spb["executor"].astype(str).str.strip()
        routed = spb[~spb["label"].isin(["", "nan"])]
        _line(
            "spb executor (routing)",
            _veche(routed, **split),
            evaluate_classify(routed, **split, make_model=Baseline),
        )

    kursk = load_labelled(kursk_path, "Текст Сообщения", "Тематика")
    _line(
        "kursk Тематика 5-fold",
        _veche(kursk, folds=5),
        evaluate_classify(kursk, folds=5, make_model=Baseline),
    )
    if not args.quick:
        kursk["label"] = kursk["Ответственное лицо"].astype(str).str.strip()
        routed = kursk[~kursk["label"].isin(["", "nan"])]
        _line(
            "kursk Ответственное лицо 5-fold",
            _veche(routed, folds=5),
            evaluate_classify(routed, folds=5, make_model=Baseline),
        )


if __name__ == "__main__":
    main()
