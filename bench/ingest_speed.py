"""Ingest throughput on generated questions, beside a bare baseline in the same run.

    python bench/ingest_speed.py --n 1000000 --workers 2

Prints rows/s of `ingest` (read, validate, clean, mask, language, lemmas, hash, store) and of the
duplicate grouping, and of a baseline that only loads the same CSV into SQLite with pandas
(no processing): the ratio says what veche's work costs over a plain load.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import pandas as pd

from veche.config import VecheConfig
from veche.demo import generate
from veche.pipeline import group_duplicates, ingest
from veche.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="veche-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    event = generate(n=args.n, seed=args.seed)
    src = work / "event.csv"
    event.questions.to_csv(src, index=False)
    print(f"generated {args.n:,} rows in {time.perf_counter() - t:.1f} s -> {src}")

    t = time.perf_counter()
    with sqlite3.connect(work / "baseline.sqlite") as conn:
        for chunk in pd.read_csv(src, chunksize=50_000, dtype=str):
            chunk.to_sql("q", conn, if_exists="append", index=False)
    base = time.perf_counter() - t
    print(f"baseline pandas read_csv + to_sql: {base:.1f} s, {args.n / base:,.0f} rows/s")

    db = work / "veche.sqlite"
    db.unlink(missing_ok=True)
    cfg = VecheConfig(workdir=work, workers=args.workers, store={"url": f"sqlite:///{db}"})
    store = Store.open(cfg.store.url)
    t = time.perf_counter()
    res = ingest([src], cfg, store)
    ing = time.perf_counter() - t
    f = res.files[0]
    print(
        f"veche ingest ({args.workers} workers): {ing:.1f} s, {args.n / ing:,.0f} rows/s "
        f"(stored {f.n_stored:,}, rejected {f.n_rejected:,})"
    )
    t = time.perf_counter()
    g = group_duplicates(store, cfg)
    grp = time.perf_counter() - t
    print(
        f"veche group: {grp:.1f} s, {args.n / grp:,.0f} rows/s "
        f"({g.n_dup_groups:,} duplicate groups, {g.n_campaigns} campaigns)"
    )
    print(f"ratio ingest/baseline time: {ing / base:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the main process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
