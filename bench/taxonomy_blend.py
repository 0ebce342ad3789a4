"""A learnt taxonomy tagger mixed with zero-shot while labels are few (what `veche train` does).

    python bench/taxonomy_blend.py demo  [--labels 30 60 120 250 500]
    python bench/taxonomy_blend.py spb   [--labels 50 200 1000 2640]
    python bench/taxonomy_blend.py kursk [--labels 100 400 1200]

For each number of labelled questions: top-1 accuracy of the top topic on held-out questions for
the learnt tagger alone, zero-shot, each fixed mix, and the mix ``choose_weight`` picks by
cross-validation on the labelled questions (as `veche train` does); and for the three, the mean
top score against that accuracy (ECE of the top score, 15 bins).

demo: 20,000 generated questions; an analyst's label is the default taxonomy's category of the
question's first true theme that zero-shot likes best; labels drawn from 5,000, scored on the
rest (a hit: the top topic's demo theme is among the true ones). spb: the taxonomy is the file's
15 ``category`` names with their ``reason`` names as examples; labels drawn from rows before
2021-01-01, scored on the rows after. kursk: the 161 topic names; labels drawn from 1,200 rows,
scored on the other 800. One JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from veche.classify import ClassifierOptions, expected_calibration_error
from veche.embed import make_encoder
from veche.eval import load_labelled
from veche.eval.classify import _split_mask
from veche.eval.zeroshot import label_taxonomy
from veche.taxonomy import (
    BlendedTagger,
    Taxonomy,
    TaxonomyOptions,
    choose_weight,
    load_taxonomy,
    prepare_docs,
    taxonomy_descriptions,
    train_taxonomy_classifier,
    zero_shot_tagger,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXED = (0.25, 0.5, 0.75)


def _demo() -> tuple[pd.DataFrame, Taxonomy, np.ndarray, np.ndarray, list[set[str]], object]:
    from veche.demo import generate
    from veche.demo.scenario import TOPIC_TO_DEMO_THEME

    ev = generate(20_000, 1)
    q = ev.questions.merge(ev.truth[["id", "themes"]], on="id")
    docs = prepare_docs(q["text"].tolist())
    docs["themes"] = q["themes"].to_numpy()
    docs = docs[docs["themes"] != ""].reset_index(drop=True)
    tax = load_taxonomy()
    perm = np.random.default_rng(0).permutation(len(docs))
    # a hit: the top topic's demo theme is one of the question's themes
    truth = [set(t.split(";")) for t in docs["themes"]]
    return docs, tax, perm[:5000], perm[5000:], truth, TOPIC_TO_DEMO_THEME


def _labelled(kind: str) -> tuple[pd.DataFrame, Taxonomy, np.ndarray, np.ndarray]:
    if kind == "spb":
        df = load_labelled(DATA / "spb" / "appeals_2020-10_2021-02.csv.gz", "text", "category")
        tax = label_taxonomy(df, "reason")
        before = _split_mask(df["created"], "2021-01-01")
        pool, test = np.flatnonzero(before), np.flatnonzero(~before)
    else:
        df = load_labelled(DATA / "kursk" / "train.csv", "Текст Сообщения", "Тематика")
        tax = label_taxonomy(df)
        perm = np.random.default_rng(0).permutation(len(df))
        pool, test = perm[:1200], perm[1200:]
    by_name = {c.name: c.id for c in tax.categories}
    df["label"] = [by_name[" ".join(str(v).split())] for v in df["label"]]
    return df, tax, pool, test


def main() -> None:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", choices=["demo", "spb", "kursk"])
    ap.add_argument("--labels", type=int, nargs="+")
    ap.add_argument(
        "--class-weight",
        choices=["none", "sqrt", "balanced"],
        default="none",
        help="the learnt tagger's class weights (default: none, as `veche train`)",
    )
    args = ap.parse_args()
    defaults = {"demo": [30, 60, 120, 250, 500], "spb": [50, 200, 1000], "kursk": [100, 400, 1200]}
    sizes = args.labels or defaults[args.data]

    if args.data == "demo":
        docs, tax, pool, test, sets, mapping = _demo()
    else:
        docs, tax, pool, test = _labelled(args.data)
        sets = [{v} for v in docs["label"]]
        mapping = None
    encoder = make_encoder("tfidf")
    encoder.fit(docs.drop_duplicates("text"))
    # as `veche train` builds it: e5 for other languages and a second opinion where unsure
    zero_shot = zero_shot_tagger(tax, encoder, TaxonomyOptions())
    ids = np.asarray(zero_shot.ids, dtype=object)
    proba = zero_shot.predict_proba(docs, encoder.encode(docs))
    if mapping is not None:  # the demo analyst's label: their theme's best-fitting category
        labels = []
        for i, themes in enumerate(docs["themes"]):
            cands = [j for j, c in enumerate(ids) if mapping.get(c) == themes.split(";")[0]]
            labels.append(ids[max(cands, key=lambda j: proba[i, j])])
        docs["label"] = labels

    def hits(p: np.ndarray) -> np.ndarray:
        top = ids[p.argmax(axis=1)]
        named = [mapping.get(t) for t in top] if mapping is not None else list(top)
        return np.array([t in sets[i] for t, i in zip(named, test, strict=True)])

    def hit_rate(p: np.ndarray) -> float:
        return round(float(hits(p).mean()), 4)

    def calibration(p: np.ndarray) -> dict[str, float]:
        """The top score against how often the top topic is right."""
        top = p.max(axis=1)
        return {
            "mean_top_score": round(float(top.mean()), 4),
            "ece": round(expected_calibration_error(top, hits(p)), 4),
        }

    descriptions = taxonomy_descriptions(tax)
    weight = None if args.class_weight == "none" else args.class_weight
    classifier = ClassifierOptions(class_weight=weight)

    def fit(rows: pd.DataFrame, labels: list[str]):  # noqa: ANN202 - as `veche train` fits
        return train_taxonomy_classifier(
            rows,
            labels,
            TaxonomyOptions(),
            known_ids=tax.ids,
            classifier=classifier,
            descriptions=descriptions,
        )

    rng = np.random.default_rng(1)
    zero = hit_rate(proba[test])
    for n in sizes:
        start = time.perf_counter()
        rows = np.sort(rng.choice(pool, n, replace=False))
        labelled = docs.iloc[rows]
        choice = choose_weight(labelled, labelled["label"].tolist(), proba[rows], ids, fit)
        learnt = fit(labelled, labelled["label"].tolist())
        p_learnt = learnt.predict_proba(docs.iloc[test])
        # as `veche train` saves it: a learnt tagger used alone keeps its own calibration
        platt = choice.platt if choice.weight < 1.0 else None
        mixed = BlendedTagger(learnt, zero_shot, choice.weight, platt)
        raw = BlendedTagger(learnt, zero_shot, choice.weight, None).predict_proba(docs.iloc[test])
        out = {
            "data": args.data,
            "labels": n,
            "learnt_alone": hit_rate(p_learnt),
            "zero_shot": zero,
            **{f"mix_{w}": hit_rate(w * p_learnt + (1 - w) * proba[test]) for w in FIXED},
            "chosen_weight": choice.weight,
            # through the class `veche analyze` uses
            "chosen_mix": hit_rate(p_mixed := mixed.predict_proba(docs.iloc[test])),
            "calibration": {
                "learnt_alone": calibration(p_learnt),
                "zero_shot": calibration(proba[test]),
                "chosen_mix_before_recalibration": calibration(raw),
                "chosen_mix": calibration(p_mixed),
            },
            "cv_accuracy": {str(k): round(v, 4) for k, v in choice.accuracy.items()},
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
