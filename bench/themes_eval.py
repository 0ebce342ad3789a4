"""Theme discovery on SPb appeals (distinct texts) against the portal's labels.

Scores NMI/ARI against ``reason`` (124 fine labels) for: TF-IDF-SVD + k-means and e5 + k-means
baselines (k=124), veche's themes on tfidf, e5 and hybrid vectors, and BERTopic (UMAP + HDBSCAN +
c-TF-IDF) on the same texts and vectors; the broad level is scored against ``category``.

e5 runs ~3-50 texts/s on this machine, so e5 vectors are read from a cache of chunks
(``--e5-cache``: ``e5_order.npy`` + ``e5chunks/NNNN.npy`` over a random permutation of the
distinct texts); methods that need e5 are scored on the texts that have a vector (a random
sample), and the tfidf methods are scored on that sample too, for a like-for-like comparison.

BERTopic needs umap-learn and hdbscan, which are not project dependencies: give
``--bertopic-python`` a Python that has ``bertopic`` (installed with ``--no-deps`` plus
umap-learn, hdbscan, pyyaml: embeddings are precomputed, so no sentence-transformers).

    OMP_NUM_THREADS=1 .venv/bin/python bench/themes_eval.py --cache /work/cache/themes \\
        --e5-cache /work/cache/themes --bertopic-python /work/scratch/themes/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SPB = Path(__file__).resolve().parents[2] / "shared/data/spb/appeals_2020-10_2021-02.csv.gz"


def bertopic_worker(npz: Path, out: Path) -> None:
    """Run in the BERTopic venv: fit BERTopic on precomputed vectors, write the topics."""
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    data = np.load(npz, allow_pickle=True)
    docs, x = data["lemmas"].tolist(), data["vectors"]
    result = {}
    for name, kw in (("default", {}), ("nr_topics", {"nr_topics": int(data["k"]) + 1})):
        start = time.perf_counter()
        model = BERTopic(
            embedding_model=None,
            vectorizer_model=CountVectorizer(ngram_range=(1, 2)),
            calculate_probabilities=False,
            **kw,
        )
        topics, _ = model.fit_transform(docs, embeddings=x)
        result[name] = {"topics": [int(t) for t in topics], "seconds": time.perf_counter() - start}
    out.write_text(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SPB)
    ap.add_argument("--cache", type=Path, default=None, help="cache prepared data/tfidf here")
    ap.add_argument("--e5-cache", type=Path, default=None)
    ap.add_argument("--bertopic-python", default=None)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from veche.embed.base import normalize_rows
    from veche.embed.hybrid import combine
    from veche.embed.tfidf import TfidfEncoder
    from veche.eval import distinct, load_labelled
    from veche.themes import ThemeOptions, discover_themes

    cache = args.cache
    if cache and (cache / "spb.pkl").exists():
        df = pd.read_pickle(cache / "spb.pkl")
    else:
        df = load_labelled(args.data, "text", "reason")
        if cache:
            cache.mkdir(parents=True, exist_ok=True)
            df.to_pickle(cache / "spb.pkl")
    docs = distinct(df)
    weights = df["dedup"].value_counts().reindex(docs["dedup"]).to_numpy(dtype=float)
    k = docs["label"].nunique()
    print(f"{len(df)} rows, {len(docs)} distinct texts, {k} reasons", flush=True)

    start = time.perf_counter()
    enc = TfidfEncoder().fit(docs)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    tfidf = enc.encode(docs)
    enc_s = time.perf_counter() - start
    print(f"tfidf: fit {fit_s:.1f}s, encode {len(docs) / enc_s:.0f} texts/s", flush=True)

    sample = np.arange(len(docs))
    e5 = None
    if args.e5_cache:
        order = np.load(args.e5_cache / "e5_order.npy")
        chunks = sorted((args.e5_cache / "e5chunks").glob("*.npy"))
        e5 = normalize_rows(np.vstack([np.load(c) for c in chunks]))
        sample = order[: len(e5)]
        print(f"e5 vectors for a random sample of {len(sample)} distinct texts", flush=True)
    sub = docs.iloc[sample].reset_index(drop=True)
    w_sub = weights[sample]
    reason, category = sub["label"].to_numpy(), sub["category"].to_numpy()
    spaces = {"tfidf": tfidf[sample]}
    if e5 is not None:
        spaces["e5"] = e5
        spaces["hybrid"] = combine(tfidf[sample], e5, 0.5)

    rows = []

    def score(method: str, space: str, fine, broad=None, other=None, seconds=0.0) -> None:
        row = {
            "method": method,
            "vectors": space,
            "n": len(fine),
            "nmi": round(float(normalized_mutual_info_score(reason, fine)), 4),
            "ari": round(float(adjusted_rand_score(reason, fine)), 4),
            "clusters": int(len(np.unique(fine))),
            "nmi_broad_category": None
            if broad is None
            else round(float(normalized_mutual_info_score(category, broad)), 4),
            "other": None if other is None else round(float(other), 4),
            "seconds": round(seconds, 1),
        }
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)

    import faiss

    for space, x in spaces.items():
        for seed in range(args.seeds):
            t = time.perf_counter()
            km = faiss.Kmeans(x.shape[1], k, niter=25, seed=seed, spherical=True)
            km.train(x)
            lab = km.index.search(x, 1)[1][:, 0]
            score(f"k-means k={k} seed={seed}", space, lab, seconds=time.perf_counter() - t)
        for seed in range(args.seeds):
            t = time.perf_counter()
            opts = ThemeOptions(n_fine=k, seed=seed)
            _, a = discover_themes(x, sub, w_sub, opts)
            score(
                f"veche themes seed={seed}",
                space,
                a.fine_id,
                a.broad_id,
                a.other.mean(),
                time.perf_counter() - t,
            )
        t = time.perf_counter()
        _, a = discover_themes(x, sub, w_sub, ThemeOptions(seed=0))
        score(
            "veche themes auto k",
            space,
            a.fine_id,
            a.broad_id,
            a.other.mean(),
            time.perf_counter() - t,
        )
        if args.bertopic_python:
            with tempfile.TemporaryDirectory() as tmp:
                npz, out = Path(tmp) / "in.npz", Path(tmp) / "out.json"
                np.savez(npz, vectors=x, lemmas=np.array(sub["lemmas"].tolist(), dtype=object), k=k)
                subprocess.run(
                    [args.bertopic_python, __file__, "--bertopic-worker", str(npz), str(out)],
                    check=True,
                )
                for name, res in json.loads(out.read_text()).items():
                    topics = np.asarray(res["topics"])
                    score(
                        f"BERTopic {name}",
                        space,
                        topics,
                        other=(topics < 0).mean(),
                        seconds=res["seconds"],
                    )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bertopic-worker":
        bertopic_worker(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
