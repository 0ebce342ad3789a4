"""Throughput of the text stage: clean_text, detect_languages, lemmas_many, dedup_key.

    .venv/bin/python bench/text_speed.py [--n 20000] [--seed 0]

Texts are the demo's (``veche.demo.generate(n, seed).questions["text"]``: mostly Russian, some
Ukrainian/English/Tatar/Kazakh, with greetings, typos, HTML remnants, placeholders, emoji).
Times are single-process wall clock; the first call of each stage (model loading) is
timed separately as "warm-up".
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter


def timed(label: str, fn, n: int):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<34} {n / dt:>10,.0f} texts/s   ({dt:.2f} s)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from veche.demo import generate
    from veche.text import Lemmatizer, clean_text, dedup_key, detect_languages

    texts = [str(t) for t in generate(args.n, args.seed).questions["text"]]
    n = len(texts)
    mean_len = sum(map(len, texts)) / max(n, 1)
    print(f"{n} demo texts, mean length {mean_len:.0f} chars, Python {sys.version.split()[0]}")

    timed(
        "warm-up detect_languages (lingua)", lambda: detect_languages(["газ провести", "hello"]), 2
    )
    lem = Lemmatizer()
    timed(
        "warm-up Lemmatizer (pymorphy3)",
        lambda: lem.lemmas_many(["пенсии", "pensions"], ["ru", "en"]),
        2,
    )

    cleaned = timed("clean_text", lambda: [clean_text(t) for t in texts], n)
    langs = timed("detect_languages", lambda: detect_languages(cleaned), n)
    timed("lemmas_many (cold cache)", lambda: lem.lemmas_many(cleaned, langs), n)
    timed("lemmas_many (warm cache)", lambda: lem.lemmas_many(cleaned, langs), n)
    timed("lemmas_many stopwords=True", lambda: lem.lemmas_many(cleaned, langs, stopwords=True), n)
    timed("dedup_key", lambda: [dedup_key(t) for t in cleaned], n)
    counts = Counter(langs)
    print("languages:", ", ".join(f"{k}={v}" for k, v in counts.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
