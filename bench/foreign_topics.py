"""Zero-shot topics per language: the corpus encoder (TF-IDF) against e5, on the demo.

    python bench/foreign_topics.py [--n 20000] [--seed 2]

Generates an event, prepares its distinct texts as `analyze` does (clean, language, lemmas),
fits the TF-IDF encoder on them and scores, per language, how often the top zero-shot topic is
one of the question's true themes: by the TF-IDF tagger, and by the e5 one that
``taxonomy.foreign_encoder`` sends the languages outside ``taxonomy.taxonomy_languages`` to.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from veche.demo import generate
from veche.demo.scenario import TOPIC_TO_DEMO_THEME
from veche.embed import make_encoder
from veche.taxonomy import TaxonomyOptions, ZeroShotTagger, load_taxonomy, prepare_docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=2)
    args = ap.parse_args()
    ev = generate(args.n, args.seed)
    q = ev.questions.assign(themes=ev.truth["themes"].fillna(""))
    q = q[q["themes"] != ""].drop_duplicates("text")
    docs = prepare_docs(q["text"].tolist()).assign(themes=q["themes"].to_numpy())
    encoder = make_encoder("tfidf").fit(docs)
    taxonomy, options = load_taxonomy(), TaxonomyOptions()
    by_tfidf = ZeroShotTagger(taxonomy, encoder, options).fit()
    by_e5 = ZeroShotTagger(taxonomy, make_encoder("e5"), options).fit()
    print(f"{'language':<10}{'texts':>7}{'tfidf':>8}{'e5':>8}{'e5 s':>7}")
    for lang, part in docs.groupby("lang"):
        if len(part) < 20:
            continue
        if len(part) > 600:  # e5 embeds ~50 texts/s here: a sample of the big ones
            part = part.sample(600, random_state=0)
        truth = [set(t.split(";")) for t in part["themes"]]

        def right(
            tagger: ZeroShotTagger, vectors: np.ndarray | None, truth=truth, part=part
        ) -> float:
            topics = tagger.tag(part, vectors)["topic"]
            return float(
                np.mean(
                    [TOPIC_TO_DEMO_THEME.get(t) in s for t, s in zip(topics, truth, strict=True)]
                )
            )

        tfidf = right(by_tfidf, encoder.encode(part))
        start = time.perf_counter()
        e5 = right(by_e5, None)
        print(f"{lang:<10}{len(part):>7}{tfidf:>8.3f}{e5:>8.3f}{time.perf_counter() - start:>7.1f}")


if __name__ == "__main__":
    main()
