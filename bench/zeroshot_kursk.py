"""Zero-shot taxonomy topics on real municipal appeals (Kursk), with the defaults and no training.

    python bench/zeroshot_kursk.py [--taxonomy PATH] [--mapping PATH] [--errors 25]

The Kursk incident centre's 161 topics (`Тематика`) are mapped onto the default taxonomy by
``bench/data/kursk_to_default.yaml`` (written from the topic names; a list names every right
category). The questions are tagged as `veche analyze` tags them: TF-IDF fitted on the file's
texts, zero-shot from the taxonomy, e5's second opinion where TF-IDF is unsure, the configured
threshold (a question whose best topic is below it gets no topic). Prints

* top-1 among the questions that get a topic, and coverage (the share that get one);
* the coverage/precision curve over thresholds, so the trade-off can be read off;
* a sample of errors, and the words that pull questions to a wrong topic: the question's lemmas
  that are keywords or example words of the wrong topic, counted over all errors (where to look
  when editing the taxonomy);
* one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from veche.embed import make_encoder
from veche.eval import load_labelled
from veche.privacy import Masker
from veche.taxonomy import TaxonomyOptions, load_taxonomy, make_tagger, prepare_docs, tag_frame
from veche.text import load_stopwords

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "kursk" / "train.csv"
MAPPING = Path(__file__).resolve().parent / "data" / "kursk_to_default.yaml"
CURVE = (0.0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mapping", type=Path, default=MAPPING)
    ap.add_argument("--taxonomy", default=None, help="taxonomy YAML (default: the packaged one)")
    ap.add_argument("--threshold", type=float, default=None, help="override the default")
    ap.add_argument("--errors", type=int, default=25, help="errors to print")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    mapping = {
        " ".join(k.split()): set(v)
        for k, v in yaml.safe_load(args.mapping.read_text(encoding="utf-8")).items()
    }
    docs = load_labelled(args.data, "Текст Сообщения", "Тематика")
    truth = [mapping.get(" ".join(label.split())) for label in docs["label"]]
    unmapped = sorted({lb for lb, t in zip(docs["label"], truth, strict=True) if t is None})
    if unmapped:
        raise SystemExit(f"{args.mapping}: no mapping for {unmapped[:5]}")
    keep = np.array([bool(t) for t in truth])
    docs = docs[keep].reset_index(drop=True)
    truth = [t for t in truth if t]

    options = TaxonomyOptions(path=args.taxonomy)
    if args.threshold is not None:
        options = options.model_copy(update={"threshold": args.threshold})
    taxonomy = load_taxonomy(options.path)
    unknown = {c for t in truth for c in t} - set(taxonomy.ids)
    if unknown:
        print(f"mapped categories the taxonomy lacks (counted wrong): {sorted(unknown)}")

    encoder = make_encoder("tfidf")
    encoder.fit(docs.drop_duplicates("text"))
    tagger = make_tagger(options, encoder)
    proba = tagger.predict_proba(docs, encoder.encode(docs))
    ids = list(tagger.ids)
    tags = tag_frame(proba, ids, options.threshold, options.max_topics)

    best = np.array([ids[j] for j in proba.argmax(axis=1)])
    top = proba.max(axis=1)
    right = np.array([b in t for b, t in zip(best, truth, strict=True)])
    assigned = tags["topic"].notna().to_numpy()
    n = len(docs)
    result = {
        "n": n,
        "threshold": options.threshold,
        "top1_all": round(float(right.mean()), 4),
        "top1_assigned": round(float(right[assigned].mean()), 4) if assigned.any() else None,
        "coverage": round(float(assigned.mean()), 4),
        "multi_topic_share": round(float((tags["topics"].map(len) > 1).mean()), 4),
    }
    print(f"{n} Kursk questions, {len(ids)} categories, threshold {options.threshold}")
    print(
        f"top-1 among assigned {result['top1_assigned']}  coverage {result['coverage']}  "
        f"(top-1 over all {result['top1_all']}; with 2+ topics {result['multi_topic_share']})"
    )
    print("\nthreshold  coverage  top1_assigned")
    curve = []
    for thr in CURVE:
        on = top >= thr
        prec = float(right[on].mean()) if on.any() else float("nan")
        curve.append({"threshold": thr, "coverage": round(float(on.mean()), 4), "top1": prec})
        print(f"{thr:9.2f}  {on.mean():8.3f}  {prec:13.3f}")
    result["curve"] = curve

    # the words that pull a question to a wrong topic: its lemmas among the wrong topic's
    # keywords and example words (function words left out)
    stop = load_stopwords("ru") | load_stopwords("en")
    cat_words = {}
    ex_docs = prepare_docs([ex for c in taxonomy.categories for ex in c.examples])
    at = 0
    for c in taxonomy.categories:
        words = set(" ".join(ex_docs["lemmas"].iloc[at : at + len(c.examples)]).split())
        at += len(c.examples)
        cat_words[c.id] = (words | set(c.keywords)) - stop
    wrong = assigned & ~right
    pulls: dict[str, Counter] = {}
    for i in np.flatnonzero(wrong):
        words = set(str(docs["lemmas"].iloc[i]).split()) & cat_words[best[i]]
        pulls.setdefault(best[i], Counter()).update(words)
    print("\nwrong topic (errors): words that pulled them there")
    for cid, cnt in sorted(pulls.items(), key=lambda kv: -sum(kv[1].values())):
        n_err = int((best[wrong] == cid).sum())
        print(f"  {cid} ({n_err}): {', '.join(f'{w} {k}' for w, k in cnt.most_common(12))}")
    result["errors_by_topic"] = {cid: int((best[wrong] == cid).sum()) for cid in pulls}

    rng = np.random.default_rng(args.seed)
    sample = rng.permutation(np.flatnonzero(wrong))[: args.errors]
    print(f"\n{len(sample)} of {int(wrong.sum())} errors among assigned questions (masked):")
    masked = Masker().mask_many([str(docs["text"].iloc[i]) for i in sample])
    for i, m in zip(sample, masked, strict=True):
        text = " ".join(m.text.split())[:140]
        print(f"  [{best[i]} {top[i]:.2f}] want {'/'.join(sorted(truth[i]))}: {text}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
