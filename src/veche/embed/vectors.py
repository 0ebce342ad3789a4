"""An append-only, on-disk store of one vector per distinct text key (the content hash).

Layout of ``directory``::

    manifest.json   {"encoder", "dim", "key_width", "count"}: the committed state
    vectors.f16     count x dim float16, row-major, raw (memory-mapped for reading)
    keys.bin        count fixed-width ASCII keys (numpy "S{key_width}"), same order

Appending writes the new rows past the committed end of both files, fsyncs them, then replaces
the manifest atomically (write a temporary file, ``os.replace``). A write killed at any point
leaves the old manifest, so readers see exactly what was committed before; the bytes past it are
overwritten by the next append. One writing process at a time (an ``flock`` guards ``add``);
other processes see new rows after they reopen the store.

Lookups use a sorted copy of the keys (``searchsorted``) instead of a dict of Python strings:
3 million keys cost ~120 MB instead of ~400 MB, and the 2.3 GB of vectors stay on disk.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from veche.embed.base import Encoder
from veche.progress import NullProgress, Progress

MANIFEST = "manifest.json"
VECTORS = "vectors.f16"
KEYS = "keys.bin"
FORMAT_VERSION = 1


def _fsync_write(path: Path, offset: int, data: bytes) -> None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if data:
            os.pwrite(fd, data, offset)
        os.fsync(fd)
    finally:
        os.close(fd)


class VectorStore:
    """One float16 vector per distinct key, appended in batches; see the module docstring."""

    def __init__(
        self, directory: Path | str, encoder_name: str, dim: int, *, key_width: int = 40
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.encoder_name = encoder_name
        self.dim = int(dim)
        manifest = self._read_manifest()
        if manifest is None:
            self.key_width = int(key_width)
            self._count = 0
            self._write_manifest()
        else:
            if manifest["encoder"] != encoder_name or manifest["dim"] != self.dim:
                raise ValueError(
                    f"{self.directory} holds {manifest['encoder']!r} vectors of "
                    f"{manifest['dim']} dims, not {encoder_name!r} of {self.dim}"
                )
            self.key_width = int(manifest["key_width"])
            self._count = int(manifest["count"])
        self._load_index()

    # -- on-disk state -------------------------------------------------------------------------

    def _read_manifest(self) -> dict | None:
        path = self.directory / MANIFEST
        if not path.exists():
            return None
        return json.loads(path.read_text())

    def _write_manifest(self) -> None:
        body = {
            "version": FORMAT_VERSION,
            "encoder": self.encoder_name,
            "dim": self.dim,
            "key_width": self.key_width,
            "count": self._count,
        }
        tmp = self.directory / f".{MANIFEST}.tmp"
        with open(tmp, "w") as fh:
            json.dump(body, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.directory / MANIFEST)
        dir_fd = os.open(self.directory, os.O_RDONLY)  # make the rename itself durable
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.directory / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _keys_map(self) -> np.ndarray:
        if self._count == 0:
            return np.empty(0, dtype=f"S{self.key_width}")
        return np.memmap(
            self.directory / KEYS, dtype=f"S{self.key_width}", mode="r", shape=(self._count,)
        )

    def vectors16(self) -> np.ndarray:
        """All committed vectors as a read-only float16 memmap (count, dim): no copy, no RAM."""
        if self._count == 0:
            return np.empty((0, self.dim), dtype=np.float16)
        return np.memmap(
            self.directory / VECTORS, dtype=np.float16, mode="r", shape=(self._count, self.dim)
        )

    def _load_index(self) -> None:
        keys = np.array(self._keys_map())
        self._order = np.argsort(keys, kind="stable")
        self._sorted = keys[self._order]

    # -- lookups -------------------------------------------------------------------------------

    def _encode_keys(self, keys: Iterable[str]) -> np.ndarray:
        raw = [k.encode("ascii") for k in keys]
        if any(len(k) > self.key_width or not k for k in raw):
            raise ValueError(f"keys must be 1..{self.key_width} ASCII characters")
        return np.array(raw, dtype=f"S{self.key_width}")

    def positions(self, keys: Sequence[str]) -> np.ndarray:
        """Row of each key in insertion order, -1 where absent."""
        enc = self._encode_keys(keys)
        if len(self._sorted) == 0 or len(enc) == 0:
            return np.full(len(enc), -1, dtype=np.int64)
        at = np.searchsorted(self._sorted, enc)
        at_c = np.minimum(at, len(self._sorted) - 1)
        found = self._sorted[at_c] == enc
        return np.where(found, self._order[at_c], -1).astype(np.int64)

    def has(self, keys: Sequence[str]) -> np.ndarray:
        return self.positions(keys) >= 0

    def get(self, keys: Sequence[str]) -> np.ndarray:
        """float32 (len(keys), dim); KeyError if any key is absent."""
        pos = self.positions(keys)
        if (pos < 0).any():
            missing = [k for k, p in zip(keys, pos, strict=True) if p < 0][:3]
            raise KeyError(f"{int((pos < 0).sum())} keys not in the store, e.g. {missing}")
        return self.vectors16()[pos].astype(np.float32)

    def keys(self) -> list[str]:
        """Every key in insertion order (row i of ``all()``)."""
        return [k.decode("ascii") for k in self._keys_map()]

    def all(self) -> tuple[list[str], np.ndarray]:
        """(keys, float32 matrix): materialises count*dim*4 bytes; see ``iter_batches``."""
        return self.keys(), np.asarray(self.vectors16(), dtype=np.float32)

    def iter_batches(self, size: int = 65_536) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, float32 block) over the store in bounded memory."""
        vecs = self.vectors16()
        for start in range(0, self._count, size):
            yield start, np.asarray(vecs[start : start + size], dtype=np.float32)

    def __len__(self) -> int:
        return self._count

    # -- writes --------------------------------------------------------------------------------

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> int:
        """Append vectors of keys not stored yet (first one wins); returns how many were new."""
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape != (len(keys), self.dim):
            raise ValueError(f"expected ({len(keys)}, {self.dim}) vectors, got {vectors.shape}")
        with self._lock():
            self._refresh()  # another process may have appended since we opened
            enc = self._encode_keys(keys)
            _, first = np.unique(enc, return_index=True)
            first.sort()
            new = first[~self.has([keys[i] for i in first])] if len(first) else first
            if len(new) == 0:
                return 0
            rows = np.ascontiguousarray(vectors[new], dtype=np.float16)
            if not np.isfinite(rows).all():
                raise ValueError("vectors hold NaN or values beyond float16 range")
            n0 = self._count
            _fsync_write(self.directory / VECTORS, n0 * self.dim * 2, rows.tobytes())
            _fsync_write(self.directory / KEYS, n0 * self.key_width, enc[new].tobytes())
            self._count = n0 + len(new)
            self._write_manifest()
            self._insert_sorted(enc[new], np.arange(n0, self._count))
        return len(new)

    def _insert_sorted(self, enc: np.ndarray, pos: np.ndarray) -> None:
        order = np.argsort(enc, kind="stable")
        enc, pos = enc[order], pos[order]
        at = np.searchsorted(self._sorted, enc)
        self._sorted = np.insert(self._sorted, at, enc)
        self._order = np.insert(self._order, at, pos)

    def _refresh(self) -> None:
        manifest = self._read_manifest()
        if manifest is not None and int(manifest["count"]) != self._count:
            self._count = int(manifest["count"])
            self._load_index()


def embed_missing(
    store: VectorStore,
    encoder: Encoder,
    docs: pd.DataFrame,
    *,
    key_col: str = "content_hash",
    chunk: int = 2_048,
    progress: Progress | None = None,
) -> int:
    """Encode each distinct key of ``docs`` not yet in ``store`` once, committing chunk by chunk.

    Duplicates (equal ``key_col``) share one vector; an interrupted run keeps every finished
    chunk and a rerun encodes only the rest. Returns how many vectors were added.
    """
    progress = progress or NullProgress()
    todo = docs.drop_duplicates(key_col)
    todo = todo[~store.has(todo[key_col].astype(str).tolist())]
    added = 0
    with progress.task(f"vectors {store.encoder_name}", total=len(todo)) as task:
        for start in range(0, len(todo), chunk):
            part = todo.iloc[start : start + chunk]
            added += store.add(part[key_col].astype(str).tolist(), encoder.encode(part))
            task.advance(len(part))
    return added
