"""The corpus is counted in the database and reads texts only for the rows a stage needs: a
rerun with nothing new reads none, a grown store reads only the new distinct texts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.demo import generate, write_event
from veche.pipeline import corpus as corpus_module
from veche.pipeline import group_duplicates, ingest
from veche.pipeline.analyze import analyze
from veche.pipeline.corpus import Corpus
from veche.store import Store


def _load(store: Store, config: VecheConfig, tmp_path: Path, n: int, seed: int) -> None:
    path, _ = write_event(generate(n=n, seed=seed), tmp_path / f"demo-{seed}.parquet")
    ingest([path], config, store)
    group_duplicates(store, config)


def test_corpus_counts_match_the_questions(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    _load(store, config, tmp_path, 700, seed=5)
    q = store.read_questions(["content_hash", "text", "lemmas", "lang"])
    corpus = Corpus.of(store)
    assert "text" not in corpus.rows.columns  # counted, not loaded
    # the same rows, in order of first appearance, as grouping every question
    want = q.groupby("content_hash", sort=False).agg(first_id=("id", "min"), n=("id", "size"))
    want = want.sort_values("first_id").reset_index()
    pd.testing.assert_frame_equal(
        corpus.rows.astype({"first_id": "int64", "n": "int64"}), want, check_dtype=False
    )
    assert corpus.sizes.sum() == store.count() and len(corpus) < store.count()  # demo has dups

    # texts for a subset come back in the order asked, and match the stored question
    some = corpus.rows.iloc[::-7]
    texts = corpus.with_texts(some)
    assert texts["content_hash"].tolist() == some["content_hash"].tolist()
    by_id = q.set_index("id")
    for row in texts.itertuples():
        assert row.text == by_id.at[row.first_id, "text"]
        assert row.lemmas == by_id.at[row.first_id, "lemmas"]
    chunks = list(corpus.iter_texts(corpus.rows, chunk=100))
    assert [len(c) for c in chunks[:-1]] == [100] * (len(chunks) - 1)
    assert pd.concat(chunks)["content_hash"].tolist() == corpus.hashes.tolist()


def test_a_rerun_reads_only_new_texts(
    config: VecheConfig, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(store, config, tmp_path, 600, seed=6)
    analyze(store, config)
    read: list[int] = []
    real = corpus_module.Corpus.with_texts

    def counting(self: Corpus, rows: pd.DataFrame | None = None) -> pd.DataFrame:
        out = real(self, rows)
        read.append(len(out))
        return out

    monkeypatch.setattr(corpus_module.Corpus, "with_texts", counting)
    again = analyze(store, config)
    assert again.n_new == 0 and again.n_embedded == 0
    assert sum(read) == 0, read

    before = len(Corpus.of(store))
    _load(store, config, tmp_path, 150, seed=7)
    grown = analyze(store, config)
    new_distinct = len(Corpus.of(store)) - before
    assert grown.n_new > 0 and not grown.themes_rebuilt
    assert grown.n_embedded == new_distinct > 0
    assert sum(read) == new_distinct  # only the new distinct texts were read
