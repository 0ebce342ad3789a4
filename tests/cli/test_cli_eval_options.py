"""``veche eval --mode classify`` with ``--context`` (metadata columns) and ``--label-names``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from veche.cli import app

runner = CliRunner()


def _file(tmp_path: Path) -> Path:
    """The same complaints filed on a house or on a yard; the class follows the object type."""
    texts = ["мусор у парадной", "грязно, никто не убирает", "сломано, прошу починить"]
    fillers = ["давно", "опять", "снова", "срочно", "уже неделю"]  # independent of the object
    rows = []
    for i in range(120):
        obj = "Дом" if i % 2 else "Двор"
        rows.append(
            {
                "text": f"{texts[i % 3]} {fillers[(i // 2) % 5]}",
                "object": obj,
                "label": "Содержание дома" if obj == "Дом" else "Благоустройство двора",
            }
        )
    path = tmp_path / "objects.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _eval(path: Path, *extra: str) -> dict:
    args = ["eval", "--data", str(path), "--text", "text", "--label", "label", "--folds", "3"]
    res = runner.invoke(app, [*args, *extra, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output.strip().splitlines()[-1])


def test_context_column_is_used_beside_the_text(tmp_path: Path) -> None:
    path = _file(tmp_path)
    text_only = _eval(path)
    with_object = _eval(path, "--context", "object")
    assert with_object["context"] == ["object"] and text_only["context"] == []
    assert text_only["accuracy"] < 0.75, text_only  # the text cannot tell the two apart
    assert with_object["accuracy"] >= 0.95, with_object


def test_label_names_flag_and_bad_context(tmp_path: Path) -> None:
    path = _file(tmp_path)
    named = _eval(path, "--label-names")
    assert named["label_names"] is True and named["n_classes"] == 2
    args = ["eval", "--data", str(path), "--text", "text", "--label", "label"]
    res = runner.invoke(app, [*args, "--context", "district"])
    assert res.exit_code == 2 and "context column 'district'" in " ".join(res.output.split())


def test_context_with_a_label_fraction(tmp_path: Path) -> None:
    """--train-frac gives the unlabelled rows (with their context, without labels) to the
    classifier; the context column must travel with them."""
    path = _file(tmp_path)
    r = _eval(path, "--context", "object", "--train-frac", "0.5")
    assert r["n_labelled"] < r["n_train"] and r["accuracy"] >= 0.95, r


def test_dense_vectors_and_balanced_classes(tmp_path: Path) -> None:
    """--dense ENCODER puts that encoder's vectors beside the n-grams (tfidf here: fast);
    --balanced weights classes; an unknown encoder is a clear error."""
    path = _file(tmp_path)
    r = _eval(path, "--dense", "tfidf", "--balanced", "--context", "object", "--label-names")
    assert r["dense"] == "tfidf" and r["class_weight"] == "balanced"
    assert r["accuracy"] >= 0.95, r
    r = _eval(path, "--class-weight", "sqrt", "--context", "object")
    assert r["class_weight"] == "sqrt" and r["accuracy"] >= 0.95, r
    args = ["eval", "--data", str(path), "--text", "text", "--label", "label"]
    res = runner.invoke(app, [*args, "--dense", "nosuch"])
    assert res.exit_code == 2 and "nosuch" in res.output


def test_defaults_are_the_best_measured_settings(tmp_path: Path) -> None:
    """With no flags, eval scores with label names and sqrt class weights (they won on SPb and
    Kursk: docs/benchmarks.md); flags turn each off."""
    path = _file(tmp_path)
    r = _eval(path)
    assert r["label_names"] is True and r["class_weight"] == "sqrt", r
    r = _eval(path, "--no-label-names", "--class-weight", "none")
    assert r["label_names"] is False and r["class_weight"] == "none", r


def test_eval_reads_the_config_and_flags_win(tmp_path: Path) -> None:
    path = _file(tmp_path)
    cfg = tmp_path / "veche.toml"
    cfg.write_text(
        '[eval]\nlabel_names = false\n[eval.classifier]\nclass_weight = "balanced"\n'
        'context_columns = ["object"]\n',
        encoding="utf-8",
    )
    r = _eval(path, "--config", str(cfg))
    assert r["label_names"] is False and r["class_weight"] == "balanced", r
    assert r["context"] == ["object"] and r["accuracy"] >= 0.95, r  # the config's context used
    r = _eval(path, "--config", str(cfg), "--label-names", "--class-weight", "sqrt")
    assert r["label_names"] is True and r["class_weight"] == "sqrt", r


def test_zero_shot_takes_the_taxonomy_settings_from_the_config(tmp_path: Path) -> None:
    path = _file(tmp_path)
    cfg = tmp_path / "veche.toml"
    cfg.write_text("[taxonomy]\nsecond_opinion_below = 0.0\n", encoding="utf-8")
    args = ["--mode", "zero-shot", "--config", str(cfg)]
    res = runner.invoke(
        app, ["eval", "--data", str(path), "--text", "text", "--label", "label", *args, "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.strip().splitlines()[-1])["second_opinion_below"] == 0.0
