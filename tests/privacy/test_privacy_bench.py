"""bench/masking_eval.py: the demo-sample path, on the real generator."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "masking_eval.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("masking_eval", BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_demo_sample_scores_generated_truth(bench, masker, capsys) -> None:
    texts, gold = bench.demo_sample(200, 0)
    assert len(texts) == len(gold) == 200
    assert sum(map(len, gold)) > 20  # the generator plants personal data
    for text, spans in zip(texts, gold, strict=True):
        assert all(0 <= s.start < s.end <= len(text) for s in spans)
    results: dict = {}
    assert bench.eval_demo(masker, 200, 0, results) == texts
    assert results["demo:overlap"]["micro"]["recall"] > 0.9
    assert "generated demo sample: 200 texts" in capsys.readouterr().out
