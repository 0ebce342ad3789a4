"""Quality of taxonomy assignment (demo) and routing (SPb executor, Kursk responsible body).

    python bench/taxonomy_eval.py demo [--encoder tfidf|e5] [--n 20000] [--train-frac 0.1]
    python bench/taxonomy_eval.py spb [--context district]
    python bench/taxonomy_eval.py kursk

demo: the default taxonomy's 24 categories are mapped onto the generator's 12 themes
(``DEMO_THEMES``); a theme's probability is the highest of its categories'. Reports top-1 accuracy
(the top theme is among the true ones), micro/macro F1 of the multi-label assignment (themes at or
above the threshold, at least the top one), zero-shot and then supervised on ``train-frac`` of the
labelled rows (scored on the rest, the same rows for both). Spam rows (no theme) are left out.
spb: routing learnt on rows created before 2021-01-01, scored on the rest (all rows with an
executor). kursk: 5-fold cross-validation (shuffled, seed 0). Both report top-1 and top-3
accuracy. Prints one JSON object on the last line. Prepared texts and vectors are cached under
``--cache`` (default /work/cache/taxonomy).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

from veche.demo.scenario import TOPIC_TO_DEMO_THEME
from veche.embed import make_encoder
from veche.eval import load_labelled
from veche.routing import Router, RoutingOptions
from veche.taxonomy import (
    TaxonomyOptions,
    ZeroShotTagger,
    load_taxonomy,
    prepare_docs,
    train_taxonomy_classifier,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# default_ru.yaml category -> demo generator theme (the demo owns the mapping)
DEMO_THEMES = TOPIC_TO_DEMO_THEME


def theme_scores(
    proba: np.ndarray, ids: list[str], mapping: dict[str, str]
) -> tuple[list[str], np.ndarray]:
    """Category probabilities -> demo theme probabilities (max over a theme's categories)."""
    themes = sorted(set(DEMO_THEMES.values()))
    cols = [
        proba[:, [j for j, c in enumerate(ids) if mapping.get(c) == th]].max(axis=1)
        if any(mapping.get(c) == th for c in ids)
        else np.zeros(len(proba))
        for th in themes
    ]
    return themes, np.column_stack(cols)


def multilabel_scores(
    proba: np.ndarray,
    ids: list[str],
    truth: list[str],
    thr: float,
    mapping: dict[str, str] = DEMO_THEMES,
) -> dict:
    themes, tp = theme_scores(proba, ids, mapping)
    sets = [set(s.split(";")) for s in truth]
    y = np.array([[th in s for th in themes] for s in sets])
    pred = tp >= thr
    pred[np.arange(len(pred)), tp.argmax(axis=1)] = True
    top = [themes[j] for j in tp.argmax(axis=1)]
    hit = np.array([t in s for t, s in zip(top, sets, strict=True)])
    return {
        "top1": round(float(hit.mean()), 4),
        # calibration: the mean top score should be close to top1 (it is the predicted top1)
        "mean_top_score": round(float(tp.max(axis=1).mean()), 4),
        "brier_top": round(float(np.mean((tp.max(axis=1) - hit) ** 2)), 4),
        "micro_f1": round(float(f1_score(y, pred, average="micro")), 4),
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
        "n": len(truth),
    }


def demo(args: argparse.Namespace) -> dict:
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    prepared = cache / f"demo{args.n}_seed{args.seed}.parquet"
    if prepared.exists():
        docs = pd.read_parquet(prepared)
    else:
        from veche.demo import generate

        ev = generate(args.n, args.seed)
        q = ev.questions.merge(ev.truth[["id", "themes"]], on="id")
        docs = prepare_docs(q["text"].tolist())
        docs["themes"] = q["themes"].to_numpy()
        docs.to_parquet(prepared)
    docs = docs[docs["themes"] != ""].reset_index(drop=True)

    t0 = time.time()
    encoder = make_encoder(args.encoder)
    if encoder.needs_fit:
        encoder.fit(docs)
    vec_path = cache / f"demo{args.n}_seed{args.seed}_{args.encoder}.npy"
    if vec_path.exists() and not encoder.needs_fit and args.encoder != "tfidf":
        vectors = np.load(vec_path)
    else:
        vectors = encoder.encode(docs)
        np.save(vec_path, vectors)
    t_embed = time.time() - t0

    opts = TaxonomyOptions()
    tax = load_taxonomy()
    t0 = time.time()
    zs = ZeroShotTagger(tax, encoder, opts).fit()
    p_zs = zs.predict_proba(docs, vectors)
    t_zs = time.time() - t0

    rng = np.random.default_rng(0)
    train = rng.random(len(docs)) < args.train_frac
    test = ~train
    out = {
        "encoder": args.encoder,
        "embed_s": round(t_embed, 1),
        "zero_shot_s": round(t_zs, 1),
        "zero_shot_all": multilabel_scores(p_zs, zs.ids, docs["themes"].tolist(), opts.threshold),
        "zero_shot_test": multilabel_scores(
            p_zs[test], zs.ids, docs["themes"][test].tolist(), opts.threshold
        ),
    }
    t0 = time.time()
    sup = train_taxonomy_classifier(docs[train], docs["themes"][train].tolist(), opts)
    p_sup = sup.predict_proba(docs[test])
    # the supervised ids are the demo themes themselves: identity mapping
    out["supervised_test"] = multilabel_scores(
        p_sup, sup.ids, docs["themes"][test].tolist(), opts.threshold, {c: c for c in sup.ids}
    )
    out["supervised_s"] = round(time.time() - t0, 1)
    out["train_rows"] = int(train.sum())
    return out


def topk_accuracy(scores: np.ndarray, bodies: list[str], truth: list[str], k: int) -> float:
    order = np.argsort(-scores, axis=1)[:, :k]
    names = np.asarray(bodies, dtype=object)[order]
    return round(float(np.mean([t in row for t, row in zip(truth, names, strict=True)])), 4)


def _labelled(path: Path, text: str, label: str, cache: Path) -> pd.DataFrame:
    cached = cache / f"{path.parent.name}_{label}.parquet".replace(" ", "_")
    if cached.exists():
        return pd.read_parquet(cached)
    df = load_labelled(path, text, label)
    cache.mkdir(parents=True, exist_ok=True)
    df.to_parquet(cached)
    return df


def spb(args: argparse.Namespace) -> dict:
    df = _labelled(
        DATA / "spb" / "appeals_2020-10_2021-02.csv.gz", "text", "executor", Path(args.cache)
    )
    created = pd.to_datetime(df["created"], utc=True, format="mixed")
    train = (created < pd.Timestamp("2021-01-01", tz="UTC")).to_numpy()
    opts = RoutingOptions(context_columns=args.context or [])
    t0 = time.time()
    router = Router.fit(df[train], df["label"][train].tolist(), opts)
    scores = router.scores(df[~train])
    truth = df["label"][~train].tolist()
    return {
        "task": "spb executor",
        "context": opts.context_columns,
        "train": int(train.sum()),
        "test": int((~train).sum()),
        "bodies": len(router.bodies),
        "top1": topk_accuracy(scores, router.bodies, truth, 1),
        "top3": topk_accuracy(scores, router.bodies, truth, 3),
        "seconds": round(time.time() - t0, 1),
    }


def kursk(args: argparse.Namespace) -> dict:
    df = _labelled(
        DATA / "kursk" / "train.csv", "Текст Сообщения", "Ответственное лицо", Path(args.cache)
    )
    hits1, hits3 = [], []
    t0 = time.time()
    for tr, te in KFold(5, shuffle=True, random_state=0).split(df):
        router = Router.fit(df.iloc[tr], df["label"].iloc[tr].tolist())
        scores = router.scores(df.iloc[te])
        truth = df["label"].iloc[te].tolist()
        hits1.append(topk_accuracy(scores, router.bodies, truth, 1) * len(te))
        hits3.append(topk_accuracy(scores, router.bodies, truth, 3) * len(te))
    return {
        "task": "kursk responsible body, 5-fold",
        "rows": len(df),
        "top1": round(sum(hits1) / len(df), 4),
        "top3": round(sum(hits3) / len(df), 4),
        "seconds": round(time.time() - t0, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("what", choices=["demo", "spb", "kursk"])
    ap.add_argument("--encoder", default="tfidf")
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train-frac", type=float, default=0.1)
    ap.add_argument("--context", nargs="*", help="spb: context columns for the router")
    ap.add_argument("--cache", default="/work/cache/taxonomy")
    args = ap.parse_args()
    result = {"demo": demo, "spb": spb, "kursk": kursk}[args.what](args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
