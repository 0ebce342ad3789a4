"""Cost of the publish step of `veche analyze` (themes table + shortlists) at millions of questions.

    OMP_NUM_THREADS=1 python bench/publish_scale.py --n 300000 --n 1000000 --dir /work/cache/pub \
        [--before-src /tmp/old/src]

For each N it builds (once, kept under --dir) a SQLite store of N synthetic questions with their
analysis rows, 256-dim float16 vectors of the distinct texts and a 150/25 theme model, written
straight through SQL and the VectorStore (no encoding, no analysis): ~60% distinct texts (demo
generator texts with variations), duplicate groups with a heavy tail, regions, topics, routes.
Then, each in its own process so that peak RSS (getrusage) is per step:

  publish  the publish step alone (themes table + shortlists), after reading the corpus counts
  rerun    a whole `veche analyze` that finds nothing new
  before   the same nothing-new `analyze` run with the veche of ``--before-src`` (a copy of src/
           from an older commit: ``git archive REV src | tar -x -C DIR``), so a change is measured
           side by side with what it replaced; the two runs' shortlists and themes are compared.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("publish", "rerun", "before")
N_FINE, N_BROAD, DIM = 150, 25, 256


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    """VmRSS / VmHWM of this process from /proc (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_hwm() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM), so the next reading is this step's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# -- building a store ---------------------------------------------------------------------------


def build(d: Path, n: int, seed: int) -> None:
    """A store of ``n`` questions with analysis rows, vectors, encoder and theme model."""
    import numpy as np
    import pandas as pd

    from veche.demo import generate
    from veche.embed import make_encoder
    from veche.embed.vectors import VectorStore
    from veche.pipeline.artifacts import Artifacts
    from veche.store import Store
    from veche.store.analysis import AnalysisStore
    from veche.taxonomy import load_taxonomy
    from veche.themes import ThemeModel
    from veche.themes.model import Level

    if (d / "built.json").exists():
        return
    d.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    cfg = _config(d)
    store = Store.open(cfg.store.url)
    art = Artifacts.for_store(cfg, cfg.store.url)
    base = generate(n=30_000, seed=seed).questions
    base = base[base["text"].str.len() > 20].drop_duplicates("text").reset_index(drop=True)
    texts_base = base["text"].tolist()
    regions_base = base["region"].replace("", None).tolist()
    channels_base = base["channel"].tolist()
    nb = len(texts_base)

    # encoder (for the optional rerun): tfidf fitted on a sample, 256 dims
    enc = make_encoder("tfidf")
    sample = base.iloc[:6000].assign(lemmas=lambda f: f["text"].str.lower())
    enc.fit(sample)
    enc.save(art.encoder("tfidf"))
    assert enc.dim == DIM, enc.dim

    # theme model: 25 broad directions, 150 fine themes around them
    broad_dir = _unit(rng.normal(size=(N_BROAD, DIM)))
    parent_idx = np.arange(N_FINE) % N_BROAD
    fine_c = _unit(broad_dir[parent_idx] * 1.2 + rng.normal(size=(N_FINE, DIM)) / 16**0.5 * 1.0)
    fine_ids = np.arange(1, N_FINE + 1, dtype=np.int64)
    broad_ids = np.arange(1, N_BROAD + 1, dtype=np.int64)
    broad_c = np.vstack([_unit(fine_c[parent_idx == b].mean(0)) for b in range(N_BROAD)])

    # distinct texts, their fine theme (skewed sizes) and vectors
    n_distinct = int(0.6 * n)
    p_fine = rng.dirichlet(np.full(N_FINE, 0.8))
    text_fine = rng.choice(N_FINE, size=n_distinct, p=p_fine)
    # each fine theme has a few sub-directions so MMR has something to diversify
    sub_dirs = rng.normal(size=(N_FINE, 6, DIM)) / DIM**0.5
    text_sub = rng.integers(0, 6, size=n_distinct)
    texts = [
        texts_base[i % nb] if i < nb else f"{texts_base[i % nb]} Дом {i // nb}, кв. {i % 97}."
        for i in range(n_distinct)
    ]
    hashes = [hashlib.md5(t.encode()).hexdigest() for t in texts]
    vs = VectorStore(art.vectors("tfidf"), "tfidf", DIM)
    fine_of_text = np.empty(n_distinct, dtype=np.int64)
    dist_of_text = np.empty(n_distinct, dtype=np.float32)
    step = 200_000
    for i in range(0, n_distinct, step):
        j = slice(i, min(i + step, n_distinct))
        noise = rng.normal(size=(j.stop - i, DIM)) * (0.9 / DIM**0.5)
        v = _unit(fine_c[text_fine[j]] + 1.5 * sub_dirs[text_fine[j], text_sub[j]] + noise)
        v16 = v.astype(np.float16)
        vs.add(hashes[j], v16)
        sim = _unit(v16.astype(np.float32)) @ fine_c.T  # what model.assign would find
        fine_of_text[j] = sim.argmax(1)
        dist_of_text[j] = 1.0 - sim.max(1)

    # questions: each distinct text once, the rest repeats with a heavy tail (campaigns)
    reps = rng.zipf(1.6, size=n - n_distinct) % n_distinct
    text_of_q = np.concatenate([np.arange(n_distinct), reps])
    rng.shuffle(text_of_q)
    ids = np.arange(1, n + 1)
    # duplicate groups: exact copies, and 10% of texts join their base text's near-duplicates
    gkey = np.where(rng.random(n_distinct) < 0.1, np.arange(n_distinct) % nb, np.arange(n_distinct))
    gq = gkey[text_of_q]
    group_id = pd.Series(ids).groupby(gq).transform("min").to_numpy()
    topic_ids = [c.id for c in load_taxonomy(cfg.taxonomy.path).categories]
    main_topic = rng.integers(0, len(topic_ids), size=N_BROAD)
    region_codes = [f"RU-{chr(65 + i // 26)}{chr(65 + i % 26)}X" for i in range(85)]
    threshold = float(np.quantile(dist_of_text, 0.95))

    store.engine.dispose()  # bulk rows go in through sqlite3 directly: far faster than the ORM
    con = sqlite3.connect(d / "veche.sqlite")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "INSERT INTO ingest_runs (id, started_at, status, files, n_read, n_stored, n_already,"
        " n_rejected) VALUES (1, '2026-01-01 00:00:00.000000', 'done', '[]', ?, ?, 0, 0)",
        (n, n),
    )
    con.execute(
        "INSERT INTO analysis_runs (id, started_at, finished_at, status, encoder, n_new, n_total,"
        " themes_rebuilt) VALUES (1, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000',"
        " 'done', 'tfidf', ?, ?, 1)",
        (n, n),
    )
    qsql = (
        "INSERT INTO questions (id, key, run_id, source_file, source_row, external_id, created_at,"
        " ingested_at, channel, region, gender, age, lang, text, pii_types, lemmas, content_hash,"
        " meta, group_id, group_similarity) VALUES"
        " (?, ?, 1, 'bench.parquet', ?, ?, ?, ?, ?, ?, NULL, NULL, 'ru', ?, '', ?, ?, '{}', ?, 1.0)"
    )
    asql = (
        "INSERT INTO analysis (question_id, run_id, theme_id, broad_id, theme_distance, is_other,"
        " topic, topic_score, topics, route, route_score, routes, region_code, region_source,"
        " city, district, urgent, urgency_kinds, urgency_score, urgency_evidence) VALUES"
        " (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, '')"
    )
    for i in range(0, n, 100_000):
        qrows, arows = [], []
        for k in range(i, min(i + 100_000, n)):
            t = int(text_of_q[k])
            qid = k + 1
            b = t % nb
            f = int(fine_of_text[t])
            broad = int(parent_idx[f])
            day = f"2026-01-{1 + qid % 14:02d} {qid % 24:02d}:00:00.000000"
            qrows.append(
                (
                    qid,
                    f"k{qid}",
                    k,
                    str(qid),
                    day,
                    day,
                    channels_base[b],
                    regions_base[b],
                    texts[t],
                    texts[t].lower(),
                    hashes[t],
                    int(group_id[k]),
                )
            )
            topic = topic_ids[main_topic[broad]] if (qid * 7) % 10 < 7 else topic_ids[qid % 23]
            second = topic_ids[(qid + 5) % 23]
            has_region = (qid * 13) % 10 < 7
            urgent = qid % 50 == 0
            arows.append(
                (
                    qid,
                    int(fine_ids[f]),
                    int(broad_ids[broad]),
                    round(float(dist_of_text[t]), 4),
                    bool(dist_of_text[t] > threshold),
                    topic,
                    0.71,
                    json.dumps([[topic, 0.71], [second, 0.22]]),
                    f"Ведомство {topic}",
                    0.64,
                    json.dumps(
                        [
                            [f"Ведомство {topic}", 0.64],
                            [f"Ведомство {second}", 0.2],
                            ["Правительство", 0.1],
                        ],
                        ensure_ascii=False,
                    ),
                    region_codes[(qid * 31) % 85] if has_region else None,
                    "meta" if has_region else "",
                    urgent,
                    "health" if urgent else "",
                    0.8 if urgent else 0.0,
                )
            )
        con.executemany(qsql, qrows)
        con.executemany(asql, arows)
        con.commit()
    con.close()

    sizes = np.bincount(fine_of_text[text_of_q], minlength=N_FINE).astype(np.int64)
    central = np.array([int(np.flatnonzero(text_fine == j)[:1].sum()) for j in range(N_FINE)])
    fine = Level(
        fine_c.astype(np.float32),
        fine_ids,
        sizes,
        central,
        [f"fine {j}" for j in fine_ids],
        [["слово", f"f{j}"] for j in fine_ids],
        ["" for _ in fine_ids],
    )
    bsizes = np.bincount(parent_idx, weights=sizes, minlength=N_BROAD).astype(np.int64)
    bcentral = np.array([central[parent_idx == b][0] for b in range(N_BROAD)])
    broad = Level(
        broad_c.astype(np.float32),
        broad_ids,
        bsizes,
        bcentral,
        [f"broad {j}" for j in broad_ids],
        [["тема", f"b{j}"] for j in broad_ids],
        ["" for _ in broad_ids],
    )
    model = ThemeModel(fine, broad, broad_ids[parent_idx], threshold, N_FINE + 1, N_BROAD + 1)
    model.save(art.themes("tfidf"))
    assert AnalysisStore(store).count_analysed() == n
    info = {"n": n, "distinct": n_distinct, "build_s": round(time.perf_counter() - t0, 1)}
    info["groups"] = int(len(np.unique(group_id)))
    info["db_mb"] = round((d / "veche.sqlite").stat().st_size / 2**20)
    (d / "built.json").write_text(json.dumps(info))


def _unit(x):  # noqa: ANN001, ANN202
    import numpy as np

    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _config(d: Path):  # noqa: ANN202
    from veche.config import VecheConfig

    return VecheConfig(workdir=d, store={"url": f"sqlite:///{d / 'veche.sqlite'}"})


# -- one measured step per process -------------------------------------------------------------


def step(d: Path, which: str) -> dict:
    from veche.embed.vectors import VectorStore
    from veche.pipeline.artifacts import Artifacts
    from veche.pipeline.publish import publish
    from veche.store import Store
    from veche.store.analysis import AnalysisStore
    from veche.taxonomy import load_taxonomy
    from veche.themes import ThemeModel

    pipeline = importlib.import_module("veche.pipeline.analyze")  # the package re-exports analyze()
    cfg = _config(d)
    store = Store.open(cfg.store.url)
    astore = AnalysisStore(store)
    if which in ("rerun", "before"):
        t = time.perf_counter()
        res = pipeline.analyze(store, cfg)
        out = {"seconds": round(time.perf_counter() - t, 1), "n_new": res.n_new}
        _save_results(astore, d, which)
        return out | {"peak_mb": round(_peak_mb())}
    from veche.pipeline.corpus import Corpus

    art = Artifacts.for_store(cfg, cfg.store.url)
    model = ThemeModel.load(art.themes("tfidf"))
    vs = VectorStore(art.vectors("tfidf"), "tfidf", DIM)
    t = time.perf_counter()
    corpus = Corpus.of(store)  # analyze has it already: timed apart
    corpus_s = time.perf_counter() - t
    base_mb = _peak_mb()
    rss_mb = _status_mb("VmRSS")
    reset = _reset_hwm()
    run = astore.begin_run("tfidf")
    names = {c.id: c.name for c in load_taxonomy(cfg.taxonomy.path).categories}
    t = time.perf_counter()
    publish(astore, vs, model, corpus, names, cfg.shortlist, run)
    seconds = time.perf_counter() - t
    hwm_mb = _status_mb("VmHWM") if reset else float("nan")
    astore.finish_run(run, "done")
    _save_results(astore, d, which)
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(_peak_mb()),
        "peak_before_publish_mb": round(base_mb),
        # the publish's own peak: RSS high-water mark since just before it, minus RSS then
        "publish_extra_mb": round(hwm_mb - rss_mb),
        "corpus_s": round(corpus_s, 1),
    }


def _save_results(astore, d: Path, which: str) -> None:  # noqa: ANN001
    astore.read_shortlists().to_csv(d / f"shortlist_{which}.csv", index=False)
    astore.read_themes().to_csv(d / f"themes_{which}.csv", index=False)


def compare(d: Path) -> dict:
    """How far the nothing-new rerun's shortlists and themes agree with the 'before' run's."""
    import pandas as pd

    b, a = (pd.read_csv(d / f"shortlist_{w}.csv") for w in ("before", "rerun"))
    key = ["theme_id", "question_id"]
    same = len(b.merge(a, on=key)) / max(len(b), 1)
    exact = len(b.merge(a, on=[*key, "rank", "asked"])) / max(len(b), 1)
    tb, ta = (pd.read_csv(d / f"themes_{w}.csv") for w in ("before", "rerun"))
    cols = ["level", "id", "parent_id", "label", "central_question_id", "size"]
    themes_same = tb[cols].fillna(-1).equals(ta[cols].fillna(-1))
    return {
        "items_before": len(b),
        "items_rerun": len(a),
        "overlap": round(same, 4),
        "same_rank_asked": round(exact, 4),
        "themes_equal": bool(themes_same),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", help="questions (repeatable)")
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--steps", nargs="+", default=["publish", "rerun"], choices=STEPS)
    ap.add_argument(
        "--before-src",
        type=Path,
        help="a copy of src/ from an older commit (git archive REV src | tar -x -C DIR): adds a "
        "'before' step, a nothing-new analyze that imports veche from it",
    )
    ap.add_argument("--_build", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_step", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._build:
        build(args._build, args.n[0], args.seed)
        print(json.dumps(json.loads((args._build / "built.json").read_text())))
        return
    if args._step:
        print(json.dumps(step(Path(args._step[0]), args._step[1])))
        return
    work = args.dir or Path(tempfile.mkdtemp(prefix="veche-publish-bench-"))
    steps = list(args.steps) + (["before"] if args.before_src else [])
    me = [sys.executable, __file__]
    # each step in a fresh process: getrusage's peak is then that step's own
    for n in args.n or [300_000]:
        d = work / f"n{n}"
        built = _child([*me, "--n", str(n), "--seed", str(args.seed), "--_build", str(d)])
        print(f"N={n:,}: store {built}", flush=True)
        if "failed" in built:
            continue
        for s in steps:
            old = args.before_src if s == "before" else None
            print(f"N={n:,} {s}: {_child([*me, '--_step', str(d), s], old)}", flush=True)
        if {"before", "rerun"} <= set(steps):
            print(f"N={n:,} rerun vs before: {compare(d)}", flush=True)
    print(f"stores under {work}")


def _child(cmd: list[str], src: Path | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode:
        return {"failed": res.returncode, "stderr": res.stderr[-2000:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
