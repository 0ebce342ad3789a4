"""VectorStore: append-only float16 vectors by key, reopenable, safe against killed writes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from veche.embed.base import normalize_rows
from veche.embed.vectors import KEYS, MANIFEST, VECTORS, VectorStore, embed_missing


def _vecs(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return normalize_rows(np.random.default_rng(seed).normal(size=(n, dim)))


def test_add_get_has_and_reopen(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "e5", 8)
    keys = [f"h{i:03d}" for i in range(50)]
    v = _vecs(50)
    assert store.add(keys[:30], v[:30]) == 30
    assert store.add(keys[20:], v[20:]) == 20  # 20..29 already there: only 30..49 are new
    assert len(store) == 50
    assert store.has(["h000", "zzz", "h049"]).tolist() == [True, False, True]
    got = store.get(["h049", "h003"])
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, v[[49, 3]], atol=2e-3)  # float16 round trip

    again = VectorStore(tmp_path, "e5", 8)
    assert again.keys() == keys
    k, m = again.all()
    assert k == keys and m.shape == (50, 8)
    np.testing.assert_allclose(m, v, atol=2e-3)
    assert (tmp_path / VECTORS).stat().st_size == 50 * 8 * 2  # float16 on disk


def test_first_vector_wins_and_duplicates_in_batch(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "e5", 8)
    v = _vecs(3)
    assert store.add(["a", "a", "b"], v) == 2
    np.testing.assert_allclose(store.get(["a"])[0], v[0], atol=2e-3)
    assert store.add(["a"], v[2:3]) == 0
    np.testing.assert_allclose(store.get(["a"])[0], v[0], atol=2e-3)
    with pytest.raises(KeyError):
        store.get(["a", "nope"])


def test_refuses_other_encoder_or_dim_and_bad_input(tmp_path: Path) -> None:
    VectorStore(tmp_path, "e5", 8).add(["a"], _vecs(1))
    with pytest.raises(ValueError, match="e5"):
        VectorStore(tmp_path, "tfidf", 8)
    with pytest.raises(ValueError):
        VectorStore(tmp_path, "e5", 16)
    store = VectorStore(tmp_path, "e5", 8)
    with pytest.raises(ValueError):
        store.add(["b"], _vecs(1, dim=4))
    with pytest.raises(ValueError):
        store.add(["x" * 41], _vecs(1))


def test_killed_write_leaves_committed_state(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "e5", 8)
    v = _vecs(20)
    store.add([f"k{i}" for i in range(10)], v[:10])
    # a write killed after the data but before the manifest: torn bytes past the end + a tmp file
    with open(tmp_path / VECTORS, "ab") as fh:
        fh.write(b"\xff" * 8 * 2 * 3 + b"\x01")
    with open(tmp_path / KEYS, "ab") as fh:
        fh.write(b"garbage")
    (tmp_path / f".{MANIFEST}.tmp").write_text("{half")

    reopened = VectorStore(tmp_path, "e5", 8)
    assert len(reopened) == 10 and not reopened.has(["garbage"]).any()
    assert reopened.add([f"k{i}" for i in range(10, 20)], v[10:]) == 10
    final = VectorStore(tmp_path, "e5", 8)
    np.testing.assert_allclose(final.all()[1], v, atol=2e-3)
    assert json.loads((tmp_path / MANIFEST).read_text())["count"] == 20


def test_two_handles_do_not_overwrite_each_other(tmp_path: Path) -> None:
    a = VectorStore(tmp_path, "e5", 8)
    b = VectorStore(tmp_path, "e5", 8)
    v = _vecs(4)
    a.add(["a", "b"], v[:2])
    b.add(["c", "a"], v[2:])  # b refreshes before writing: "a" is not stored twice
    final = VectorStore(tmp_path, "e5", 8)
    assert final.keys() == ["a", "b", "c"]
    np.testing.assert_allclose(final.get(["c"])[0], v[2], atol=2e-3)


def test_iter_batches_covers_everything(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "e5", 8)
    v = _vecs(25)
    store.add([str(i) for i in range(25)], v)
    blocks = list(store.iter_batches(size=10))
    assert [s for s, _ in blocks] == [0, 10, 20]
    np.testing.assert_allclose(np.vstack([b for _, b in blocks]), v, atol=2e-3)


class _CountingEncoder:
    """A stand-in encoder that records what it was asked to encode."""

    name = "fake"
    dim = 8
    needs_fit = False

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, docs: pd.DataFrame, progress: object = None) -> np.ndarray:
        self.seen += docs["text"].tolist()
        return normalize_rows(np.array([[len(t)] + [1.0] * 7 for t in docs["text"]]))


def test_embed_missing_encodes_each_distinct_key_once(tmp_path: Path) -> None:
    store = VectorStore(tmp_path, "fake", 8)
    docs = pd.DataFrame(
        {"text": ["aa", "aa", "bbb", "c", "dddd"], "content_hash": ["h1", "h1", "h2", "h3", "h4"]}
    )
    enc = _CountingEncoder()
    assert embed_missing(store, enc, docs.iloc[:3], chunk=1) == 2
    assert enc.seen == ["aa", "bbb"]
    assert embed_missing(store, enc, docs, chunk=2) == 2  # a rerun only encodes the new keys
    assert enc.seen == ["aa", "bbb", "c", "dddd"]
    np.testing.assert_allclose(store.get(["h4"]), enc.encode(docs.iloc[[4]]), atol=2e-3)
