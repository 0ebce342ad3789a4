"""VectorIndex: exact below the threshold, IVF above, same answers after save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from veche.embed.base import normalize_rows
from veche.embed.index import VectorIndex


def _clustered(n: int, dim: int = 32, centres: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim))
    return normalize_rows(c[rng.integers(0, centres, n)] + 0.35 * rng.normal(size=(n, dim)))


def test_flat_is_exact_cosine() -> None:
    x = _clustered(500)
    index = VectorIndex(32).build(x * 3.0)  # rows are normalised: scale does not matter
    assert index.kind == "flat" and len(index) == 500
    scores, pos = index.search(x[:20], 5)
    brute = x[:20] @ x.T
    np.testing.assert_array_equal(pos[:, 0], np.arange(20))
    np.testing.assert_allclose(scores, np.sort(brute, axis=1)[:, ::-1][:, :5], atol=1e-5)
    s, p = index.search(x[:2], 1000)  # more than stored: padded with -1
    assert (p[:, 500:] == -1).all() and (p[:, :500] >= 0).all()


def test_ivf_recall_and_save_load(tmp_path: Path) -> None:
    x = _clustered(20_000, seed=1)
    index = VectorIndex(32, exact_below=5_000, nprobe=16).build(x)
    assert index.kind == "ivf"
    q = x[:300]
    _, pos = index.search(q, 10)
    truth = np.argsort(-(q @ x.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(pos, truth, strict=True)])
    assert recall >= 0.9, recall

    index.save(tmp_path / "vec.faiss")
    loaded = VectorIndex.load(tmp_path / "vec.faiss")
    assert loaded.kind == "ivf" and len(loaded) == 20_000
    np.testing.assert_array_equal(loaded.search(q, 10)[1], pos)


def test_add_continues_positions_and_upgrades_to_ivf() -> None:
    x = _clustered(3_000, seed=2)
    index = VectorIndex(32, exact_below=2_500).build(x[:1_000])
    assert index.kind == "flat"
    index.add(x[1_000:2_000])
    assert index.kind == "flat"
    assert index.search(x[1_500:1_501], 1)[1][0, 0] == 1_500
    index.add(x[2_000:])  # crosses the threshold: rebuilt as IVF with the same positions
    assert index.kind == "ivf" and len(index) == 3_000
    _, pos = index.search(x[[10, 1_500, 2_999]], 1)
    assert pos[:, 0].tolist() == [10, 1_500, 2_999]
