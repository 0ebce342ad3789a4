"""Zero-shot topics per language: the corpus encoder (TF-IDF) against e5, on the demo.

    python bench/foreign_topics.py [--n 20000] [--seed 2]

Runs the demo (ingest, group, analyze) with ``taxonomy.foreign_encoder`` off, so every stored
topic comes from the TF-IDF zero-shot tagger, then scores per language how often the top topic
is one of the question's true themes: as stored, and as the e5 tagger (what the default
``foreign_encoder`` gives the languages outside ``taxonomy.taxonomy_languages``) reads the same
stored, masked texts. Distinct texts; at most 600 per language.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from veche.config import VecheConfig
from veche.demo import generate
from veche.demo.scenario import TOPIC_TO_DEMO_THEME, run_demo
from veche.embed import make_encoder
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import TaxonomyOptions, ZeroShotTagger, load_taxonomy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="veche-foreign-"))
    url = f"sqlite:///{work / 'demo.sqlite'}"
    cfg = VecheConfig(workdir=work, workers=2, store={"url": url})
    off = cfg.taxonomy.model_copy(update={"foreign_encoder": None})
    cfg = cfg.model_copy(update={"taxonomy": off})
    run_demo(cfg, n=args.n, seed=args.seed, directory=work)
    truth = generate(args.n, args.seed).truth
    stored = AnalysisStore(Store.open(url)).read_analysis(["external_id", "text", "lemmas", "lang"])
    j = stored.merge(
        truth.assign(external_id=truth["id"].astype(str)), on="external_id", suffixes=("", "_truth")
    )
    j = j[j["themes"].fillna("") != ""].drop_duplicates("text")
    by_e5 = ZeroShotTagger(load_taxonomy(), make_encoder("e5"), TaxonomyOptions()).fit()
    print(f"{'language':<10}{'texts':>7}{'tfidf':>8}{'e5':>8}{'e5 s':>7}")
    for lang, part in j.groupby("lang"):
        if len(part) < 20:
            continue
        if len(part) > 600:  # e5 embeds ~50-70 texts/s here: a sample of the big ones
            part = part.sample(600, random_state=0)
        truth_sets = [set(t.split(";")) for t in part["themes"]]

        def right(topics: list[str], truth_sets: list[set[str]] = truth_sets) -> float:
            pairs = zip(topics, truth_sets, strict=True)
            return float(np.mean([TOPIC_TO_DEMO_THEME.get(t) in s for t, s in pairs]))

        start = time.perf_counter()
        e5 = right(by_e5.tag(part.reset_index(drop=True))["topic"].tolist())
        seconds = time.perf_counter() - start
        tfidf = right(part["topic"].tolist())
        print(f"{lang:<10}{len(part):>7}{tfidf:>8.3f}{e5:>8.3f}{seconds:>7.1f}")


if __name__ == "__main__":
    main()
