"""Nearest-neighbour search over unit vectors with faiss (cosine = inner product).

Small collections get an exact ``IndexFlatIP``; from ``exact_below`` vectors on, an inverted file
(``IndexIVFScalarQuantizer`` with float16 codes, so the index is as big as the float16 store,
~0.77 KB a vector at 384 dims) trained on a sample. A flat index that grows past the threshold
through ``add`` is rebuilt as IVF once. Positions are insertion order, which matches the rows of
:class:`veche.embed.vectors.VectorStore` when both are filled in the same order.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import faiss
import numpy as np

from veche.embed.base import normalize_rows
from veche.embed.options import IndexOptions

TRAIN_PER_CELL = 40  # faiss wants 39..256 training points per centroid
TRAIN_ITERATIONS = 10  # k-means rounds: cell quality barely moves after ~10, time is linear


def _prep(x: np.ndarray, dim: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != dim:
        raise ValueError(f"expected (n, {dim}) vectors, got {x.shape}")
    return np.ascontiguousarray(normalize_rows(x.copy()))


class VectorIndex:
    """Exact or IVF inner-product index; ``search`` returns (scores, positions), -1 = none."""

    def __init__(self, dim: int, options: IndexOptions | None = None, **overrides: object) -> None:
        self.dim = int(dim)
        base = options or IndexOptions()
        self.options = base.model_copy(update=overrides) if overrides else base
        self._index: faiss.Index = faiss.IndexFlatIP(self.dim)
        if self.options.threads:
            faiss.omp_set_num_threads(self.options.threads)

    # -- building ------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return "ivf" if isinstance(self._index, faiss.IndexIVF) else "flat"

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def _nlist(self, n: int) -> int:
        if self.options.nlist:
            return self.options.nlist
        return int(min(65_536, max(16, round(4 * math.sqrt(n)))))

    def _make_ivf(self, x: np.ndarray, seed: int = 0) -> faiss.Index:
        n = len(x)
        nlist = min(self._nlist(n), max(1, n // 39))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, self.dim, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        )
        index.cp.seed = seed
        index.cp.niter = TRAIN_ITERATIONS
        sample = x
        if n > TRAIN_PER_CELL * nlist:
            pick = np.random.default_rng(seed).choice(n, TRAIN_PER_CELL * nlist, replace=False)
            sample = x[np.sort(pick)]
        index.train(sample)
        index.nprobe = min(self.options.nprobe, nlist)
        return index

    def build(self, vectors: np.ndarray) -> VectorIndex:
        """Replace the contents with ``vectors`` (any float dtype; rows are normalised)."""
        x = _prep(vectors, self.dim)
        if len(x) >= self.options.exact_below:
            self._index = self._make_ivf(x)
        else:
            self._index = faiss.IndexFlatIP(self.dim)
        self._index.add(x)
        return self

    def add(self, vectors: np.ndarray) -> None:
        """Append rows (positions continue from ``len(self)``)."""
        x = _prep(vectors, self.dim)
        if self.kind == "flat" and len(self) + len(x) >= self.options.exact_below:
            old = self._index.reconstruct_n(0, len(self)) if len(self) else x[:0]
            self.build(np.vstack([old, x]))
            return
        self._index.add(x)

    # -- querying ------------------------------------------------------------------------------

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores float32 (m, k), positions int64 (m, k)); missing neighbours are -1."""
        q = _prep(queries, self.dim)
        if len(q) == 0 or k <= 0:
            return np.empty((len(q), max(k, 0)), np.float32), np.empty(
                (len(q), max(k, 0)), np.int64
            )
        scores, pos = self._index.search(q, k)
        return scores, pos.astype(np.int64, copy=False)

    # -- persistence ---------------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write atomically: a killed save leaves the previous file intact."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        faiss.write_index(self._index, str(tmp))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path | str, options: IndexOptions | None = None) -> VectorIndex:
        index = faiss.read_index(str(path))
        self = cls(index.d, options)
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = min(self.options.nprobe, index.nlist)
        self._index = index
        return self
