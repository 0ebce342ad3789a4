"""bench/masking_eval.py: the demo-sample path, with a stand-in generator."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "masking_eval.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("masking_eval", BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _fake_demo(questions: pd.DataFrame, truth: pd.DataFrame) -> types.ModuleType:
    mod = types.ModuleType("veche.demo")

    def generate(n: int, seed: int):
        return types.SimpleNamespace(questions=questions.head(n), truth=truth)

    mod.generate = generate  # type: ignore[attr-defined]
    return mod


def test_demo_sample_scores_generated_truth(bench, masker, monkeypatch, capsys) -> None:
    questions = pd.DataFrame(
        {
            "id": [1, 2],
            "text": ["Меня зовут Ольга, тел. 89123456789", "Почему нет газа?"],
            "channel": ["sms", "web"],
        }
    )
    pii = [
        json.dumps([{"type": "PHONE", "value": "89123456789"}, {"type": "PER", "value": "Ольга"}])
    ]
    truth = pd.DataFrame({"id": [1, 2], "pii": pii + ["[]"]})
    monkeypatch.setitem(sys.modules, "veche.demo", _fake_demo(questions, truth))
    results: dict = {}
    texts = bench.eval_demo(masker, 2, 0, results)
    assert texts == list(questions["text"])
    assert results["demo:overlap"]["micro"]["recall"] == 1.0
    assert "generated demo sample: 2 texts" in capsys.readouterr().out


def test_demo_sample_missing_columns_is_skipped(bench, masker, monkeypatch, capsys) -> None:
    questions = pd.DataFrame({"id": [1], "body": ["x"]})
    truth = pd.DataFrame({"id": [1]})
    monkeypatch.setitem(sys.modules, "veche.demo", _fake_demo(questions, truth))
    assert bench.eval_demo(masker, 1, 0, {}) is None
    out = capsys.readouterr().out
    assert "skipped" in out and "text" in out and "truth.pii" in out


def test_demo_sample_without_generator_is_skipped(bench, masker, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "veche.demo", types.ModuleType("veche.demo"))
    assert bench.eval_demo(masker, 1, 0, {}) is None
    assert "skipped" in capsys.readouterr().out
