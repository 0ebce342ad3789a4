"""The ``tfidf`` encoder (fit, unit rows, save/load) and the ``hybrid`` combination."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from veche.embed import list_encoders, make_encoder
from veche.embed.hybrid import HybridEncoder, combine
from veche.embed.tfidf import TfidfEncoder

TEXTS = [
    ("В доме нет отопления, батареи холодные", "в дом нет отопление батарея холодный"),
    ("Батареи холодные, отопление не работает", "батарея холодный отопление не работать"),
    ("Отопление отключили, в квартире холодно", "отопление отключить в квартира холодно"),
    ("Яма на дороге у школы", "яма на дорога у школа"),
    ("На дороге огромные ямы, машины ломаются", "на дорога огромный яма машина ломаться"),
    ("Дорогу не ремонтируют, сплошные ямы", "дорога не ремонтировать сплошной яма"),
    ("Маленькая пенсия, не хватает на лекарства", "маленький пенсия не хватать на лекарство"),
    ("Когда проиндексируют пенсию работающим", "когда проиндексировать пенсия работать"),
    ("", ""),
] * 3


@pytest.fixture
def docs() -> pd.DataFrame:
    return pd.DataFrame(TEXTS, columns=["text", "lemmas"])


def test_fit_encode_unit_rows_and_topical_neighbours(docs):
    enc = make_encoder("tfidf", dim=6)
    assert "tfidf" in list_encoders() and "hybrid" in list_encoders()
    assert enc.needs_fit
    with pytest.raises(RuntimeError):
        enc.encode(docs)
    x = enc.fit(docs).encode(docs)
    assert not enc.needs_fit and x.shape == (len(docs), enc.dim) and x.dtype == np.float32
    norms = np.linalg.norm(x, axis=1)
    empty = (docs["text"] == "").to_numpy()
    np.testing.assert_allclose(norms[~empty], 1.0, atol=1e-5)
    np.testing.assert_allclose(norms[empty], 0.0, atol=1e-6)
    sim = x[:8] @ x[:8].T
    # heating questions are nearer each other than to road or pension questions
    assert sim[0, 1] > sim[0, 3] and sim[0, 2] > sim[0, 6] and sim[3, 4] > sim[3, 7]


def test_save_load_round_trip(tmp_path, docs):
    enc = TfidfEncoder(dim=5, word_weight=2.0).fit(docs)
    enc.save(tmp_path / "enc")
    again = TfidfEncoder()
    assert not TfidfEncoder().load(tmp_path / "missing")
    assert again.load(tmp_path / "enc") and not again.needs_fit
    assert again.dim == enc.dim and again.word_weight == 2.0
    np.testing.assert_allclose(again.encode(docs), enc.encode(docs), atol=1e-6)


class _Fixed:
    """A stand-in neural part: fixed vectors, no model."""

    name = "fixed"
    dim = 2
    needs_fit = False

    def fit(self, docs, progress=None):
        return self

    def encode(self, docs, progress=None):
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(docs), 1))

    def save(self, directory):
        pass

    def load(self, directory):
        return True


def test_hybrid_cosine_is_the_weighted_mean_of_its_parts(tmp_path, docs):
    hyb = HybridEncoder(tfidf_weight=0.7, tfidf={"dim": 6}, neural=_Fixed()).fit(docs)
    x = hyb.encode(docs[:8])
    assert x.shape == (8, hyb.dim) and hyb.dim == hyb.lexical.dim + 2
    lex = hyb.lexical.encode(docs[:8])
    np.testing.assert_allclose(x @ x.T, 0.7 * (lex @ lex.T) + 0.3, atol=1e-5)
    hyb.save(tmp_path / "h")
    again = HybridEncoder(tfidf_weight=0.7, neural=_Fixed())
    assert again.load(tmp_path / "h")
    np.testing.assert_allclose(again.encode(docs[:8]), x, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(combine(lex, lex, 0.5), axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError):
        HybridEncoder(tfidf_weight=1.5, neural=_Fixed())
