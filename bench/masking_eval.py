"""Quality and speed of personal-data masking (``veche.privacy``).

    .venv/bin/python bench/masking_eval.py                 # gold sets + demo sample + speed
    .venv/bin/python bench/masking_eval.py --n 2000        # size of the generated demo sample
    .venv/bin/python bench/masking_eval.py --no-ner        # rules only
    .venv/bin/python bench/masking_eval.py --skip-speed --json scores.json

1. Scores on the hand-labelled gold sets in ``tests/privacy/data``: ``masking_gold.jsonl``
   (the set the rules were tuned on) and ``masking_heldout.jsonl`` (written after tuning and
   not used for it). Overlap and exact matching; labelling conventions are in
   :mod:`veche.privacy.evaluate`.
2. A generated sample of ``--n`` questions (``veche.demo``) scored against the generator's
   ground truth (``truth.pii``: values found in the text become gold spans).
3. Throughput (texts/s) of ``Masker.mask_many`` on batches of 10,000 short demo texts, with NER on:
   a cold first batch (empty dictionary caches), a warm batch, and a copy-paste campaign
   batch (many identical texts). Model loading is timed separately.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veche.demo import generate  # noqa: E402
from veche.privacy import Masker  # noqa: E402
from veche.privacy.evaluate import format_report, load_gold, score, spans_from_values  # noqa: E402

DATA = ROOT / "tests" / "privacy" / "data"
GOLD_FILES = {"gold (tuning set)": "masking_gold.jsonl", "held-out": "masking_heldout.jsonl"}


def eval_gold(masker: Masker, results: dict) -> None:
    for title, name in GOLD_FILES.items():
        texts, gold = load_gold(DATA / name)
        pred = [o.spans for o in masker.mask_many(texts)]
        for match in ("overlap", "exact"):
            r = score(gold, pred, match=match)
            results[f"{name}:{match}"] = r
            print()
            print(format_report(r, f"{title}: {len(texts)} texts, {match} match"))


def demo_sample(n: int, seed: int) -> tuple[list[str], list[list]]:
    """(texts, gold spans) of a generated demo event: its ``truth.pii`` values found in the text."""
    ev = generate(n=n, seed=seed)
    merged = ev.questions[["id", "text"]].merge(ev.truth[["id", "pii"]], on="id", how="inner")
    texts = [t if isinstance(t, str) else "" for t in merged["text"]]
    gold = [
        spans_from_values(text, json.loads(pii) if isinstance(pii, str) and pii else list(pii))
        for text, pii in zip(texts, merged["pii"], strict=True)
    ]
    return texts, gold


def eval_demo(masker: Masker, n: int, seed: int, results: dict) -> list[str]:
    texts, gold = demo_sample(n, seed)
    pred = [o.spans for o in masker.mask_many(texts)]
    r = score(gold, pred, match="overlap")
    results["demo:overlap"] = r
    print()
    print(
        format_report(
            r,
            f"generated demo sample: {len(texts)} texts (n={n}, seed={seed}), overlap match "
            "(precision counts masked spans the generator did not plant, e.g. names in templates)",
        )
    )
    return texts


def bench_speed(use_ner: bool, texts: list[str], source: str, seed: int, results: dict) -> None:
    from veche.privacy import names

    batch = 10_000
    print(f"\nspeed: Masker(use_ner={use_ner}).mask_many on batches of {batch:,} ({source})")
    m = Masker(use_ner=use_ner, cache_size=0)
    names.word_info.cache_clear()
    rng = random.Random(seed)
    pool = list(texts)
    rng.shuffle(pool)
    while len(pool) < 2 * batch:
        pool += pool
    first, second = pool[:batch], pool[batch : 2 * batch]
    mean_len = sum(map(len, first)) / len(first)
    campaign = [rng.choice(first[:300]) for _ in range(batch)]
    rows = {}
    for label, data in (
        ("cold batch (empty dictionary caches)", first),
        ("warm batch", second),
        ("campaign batch (300 distinct texts)", campaign),
    ):
        t = time.perf_counter()
        m.mask_many(data)
        dt = time.perf_counter() - t
        rows[label] = len(data) / dt
        print(f"  {label:<40} {len(data) / dt:>8,.0f} texts/s  ({dt:.2f} s)")
    print(f"  mean text length {mean_len:.0f} characters")
    results[f"speed:ner={use_ner}"] = rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="questions in the generated demo sample")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-ner", action="store_true", help="rules only")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--json", type=Path, help="also write all figures to this file")
    args = ap.parse_args()

    use_ner = not args.no_ner
    results: dict = {}
    masker = Masker(use_ner=use_ner)
    print(f"veche.privacy masking evaluation, NER {'on' if use_ner else 'off'}")
    t = time.perf_counter()
    masker.mask("Заявитель Иван Петров")  # loads natasha's NER model and pymorphy3
    print(f"model loading: {time.perf_counter() - t:.2f} s")
    eval_gold(masker, results)
    demo_texts = eval_demo(masker, args.n, args.seed, results)

    if not args.skip_speed:
        texts = [t for t in demo_texts if t]
        bench_speed(use_ner, texts, f"veche.demo texts, n={len(texts)}", args.seed, results)

    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
