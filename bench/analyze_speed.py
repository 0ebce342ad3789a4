"""Throughput of `veche analyze` with each encoder on generated questions (CPU).

    python bench/analyze_speed.py --runs tfidf:100000 e5:3000 hybrid:3000
    python bench/analyze_speed.py --runs tfidf:100000 tfidf/e5@0:100000 tfidf/none:100000

An encoder written ``tfidf/none`` runs with ``taxonomy.foreign_encoder`` off (by default, with a
one-language encoder, questions in other languages, and those it is unsure of, get their topics
through e5: slower); ``tfidf/e5@0`` keeps e5 for other languages with
``taxonomy.second_opinion_below`` set to 0 (no second opinion on unsure Russian questions).

Each run generates N questions, ingests and groups them into a fresh SQLite store (not timed
as analysis), then times `analyze` from scratch: fitting/embedding, themes, topics, routes,
regions, urgency, shortlists. Prints questions/s of analyze and the share of that time the
encoder took. e5 embeds ~tens of texts/s on two cores, hence the smaller N for it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from veche.config import VecheConfig
from veche.demo import generate, write_event
from veche.pipeline import group_duplicates, ingest
from veche.pipeline.analyze import analyze
from veche.store import Store


def run_one(spec: str, n: int, work: Path, seed: int, workers: int) -> dict[str, float]:
    encoder, _, foreign = spec.partition("/")
    foreign, _, below = foreign.partition("@")
    d = work / f"{encoder}-{foreign or 'e5'}-{below or 'default'}-{n}"
    d.mkdir(parents=True, exist_ok=True)
    cfg = VecheConfig(workdir=d, workers=workers, store={"url": f"sqlite:///{d / 'veche.sqlite'}"})
    cfg = cfg.with_overrides(**{"analysis.encoder": encoder})
    if foreign:  # with_overrides skips None
        tax = cfg.taxonomy.model_copy(
            update={"foreign_encoder": None if foreign == "none" else foreign}
        )
        cfg = cfg.model_copy(update={"taxonomy": tax})
    if below:
        cfg = cfg.with_overrides(**{"taxonomy.second_opinion_below": float(below)})
    store = Store.open(cfg.store.url)
    path, _ = write_event(generate(n=n, seed=seed), d / "event.parquet")
    t = time.perf_counter()
    ingest([path], cfg, store)
    group_duplicates(store, cfg)
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    res = analyze(store, cfg)
    t_analyze = time.perf_counter() - t
    t = time.perf_counter()
    again = analyze(store, cfg)  # nothing new: the incremental path's fixed cost
    t_again = time.perf_counter() - t
    return {
        "encoder": spec,
        "n": res.n_total,
        "distinct": res.n_distinct,
        "ingest_s": round(t_ingest, 1),
        "analyze_s": round(t_analyze, 1),
        "questions_per_s": round(res.n_total / t_analyze, 1),
        "rerun_s": round(t_again, 1),
        "rerun_new": again.n_new,
        "broad": res.n_broad,
        "fine": res.n_fine,
        "other": round(res.other_share, 3),
        "urgent": res.n_urgent,
        "second_read": res.n_second_read,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", nargs="+", default=["tfidf:100000", "e5:2000", "hybrid:2000"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="veche-analyze-bench-"))
    rows = []
    for spec in args.runs:
        encoder, _, n = spec.partition(":")
        row = run_one(encoder, int(n or 100_000), work, args.seed, args.workers)
        rows.append(row)
        print(row, flush=True)
    print(
        f"\n{'encoder':<22}{'questions':>10}{'distinct':>10}{'analyze s':>11}{'q/s':>9}"
        f"{'rerun s':>9}{'e5 read':>9}"
    )
    for r in rows:
        print(
            f"{r['encoder']:<22}{r['n']:>10,}{r['distinct']:>10,}{r['analyze_s']:>11}"
            f"{r['questions_per_s']:>9}{r['rerun_s']:>9}{r['second_read']:>9,}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB; stores under {work}")


if __name__ == "__main__":
    main()
