"""The shared part of pretrained encoders: cut, skip empties, batch, progress, unit rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel

from veche.embed import Encoder
from veche.embed.base import PretrainedEncoder


class _Options(BaseModel):
    batch_size: int = 2
    max_chars: int | None = 4


class _Fake(PretrainedEncoder):
    """Vector = (length, 1, 0): easy to check, and not of unit length before the base scales it."""

    name: ClassVar[str] = "fake"
    dim = 3

    def __init__(self, **options: object) -> None:
        self.options = _Options(**options)
        self.calls: list[list[str]] = []

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        self.calls.append(texts)
        return np.array([[len(t), 1.0, 0.0] for t in texts])


class _Steps:
    def __init__(self) -> None:
        self.names: list[tuple[str, int | None]] = []
        self.steps: list[int] = []

    @contextmanager
    def task(self, name: str, total: int | None = None) -> Iterator[_Steps]:
        self.names.append((name, total))
        yield self

    def advance(self, n: int = 1) -> None:
        self.steps.append(n)

    def set_total(self, total: int | None) -> None:
        pass

    def log(self, message: str) -> None:
        pass


def test_cuts_skips_empties_batches_and_normalises() -> None:
    enc = _Fake()
    progress = _Steps()
    docs = pd.DataFrame({"text": ["  abcdefg ", "", None, "ab", "   ", "xyz"], "lemmas": ""})
    v = enc.encode(docs, progress)
    # stripped, cut at max_chars, empties never reach the model, batches of batch_size
    assert enc.calls == [["abcd", "ab"], ["xyz"]]
    assert v.shape == (6, 3) and v.dtype == np.float32
    assert not v[[1, 2, 4]].any()
    expected = np.array([[4, 1, 0], [2, 1, 0], [3, 1, 0]], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(v[[0, 3, 5]], expected, rtol=1e-6)
    assert progress.names == [("embed fake", 6)]
    assert progress.steps == [3, 2, 1]  # the empties first, then each batch


def test_no_cut_and_larger_calls() -> None:
    class _Wide(_Fake):
        batches_per_call = 3

    enc = _Wide(max_chars=None, batch_size=1)
    enc.encode_texts(["abcdefg", "a", "b", "c"])
    assert enc.calls == [["abcdefg", "a", "b"], ["c"]]
    assert _Fake().encode_texts(["", " "]).shape == (2, 3)  # nothing to encode: no call
    assert _Fake().encode_texts([]).shape == (0, 3)


def test_pretrained_contract(tmp_path: Path) -> None:
    enc = _Fake()
    assert isinstance(enc, Encoder)
    assert not enc.needs_fit and enc.fit(pd.DataFrame({"text": ["a"]})) is enc
    enc.save(tmp_path / "model")
    assert not (tmp_path / "model").exists()  # nothing learnt, nothing written
    assert enc.load(tmp_path / "nothing-here")
