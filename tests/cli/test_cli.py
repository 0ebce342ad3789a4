"""The CLI as a user runs it: real files, a real SQLite store, two worker processes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from demo_run import DEMO_N, DemoRun
from veche.cli import app
from veche.store import Store

runner = CliRunner()


def test_demo_runs_end_to_end_and_scores_itself(demo_run: DemoRun, tmp_path: Path) -> None:
    """`veche demo` as the session's demo_run fixture ran it (6,000 questions, 2 workers)."""
    d = demo_run.directory
    assert demo_run.exit_code == 0, demo_run.output
    for needle in (
        "By channel",
        "Rejected rows: 4",  # the demo's fifth broken row, dated "в обед", is kept undated
        "1 rows kept without a date",
        "Duplicate groups",
        "Probable campaigns",
        "duplicate pairs: precision",
        "personal data left visible",
        "analysed",
        "urgent: precision",
        "the picture of the day",
    ):
        assert needle in demo_run.output
    store = Store.open(f"sqlite:///{demo_run.store_path}")
    # the demo's questions and its undated junk row (kept, with no date)
    assert DEMO_N - 100 < store.count() <= DEMO_N + 1
    store.close()
    rejects = pd.read_csv(d / "rejects-run1.csv")
    assert len(rejects) == 4 and set(rejects["source_file"]) == {"call_centre.csv", "portal.jsonl"}
    assert (d / "report.html").stat().st_size > 100_000

    # the understanding commands on a copy of the same store (other tests read the original)
    copy = tmp_path / "veche.sqlite"
    # SQLite's backup, not a file copy: the demo's last writes may still sit in its WAL file
    with sqlite3.connect(demo_run.store_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    shutil.copytree(d / "veche.models", tmp_path / "veche.models")
    db = f"sqlite:///{copy}"
    res = runner.invoke(app, ["analyze", "--db", db])
    assert res.exit_code == 0 and "analysed 0 new questions" in res.output, res.output
    for fmt in ("json", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        res = runner.invoke(app, ["report", "--db", db, "--format", fmt, "--out", str(out)])
        assert res.exit_code == 0 and out.exists(), res.output
    res = runner.invoke(app, ["report", "--db", db, "--day", "yesterday"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_eval_and_train_from_a_labelled_file(tmp_path: Path) -> None:
    from veche.demo import generate

    truth = generate(n=600, seed=2).truth
    q = generate(n=600, seed=2).questions
    data = q[["text"]].assign(
        topic=truth["themes"].fillna("").str.split(";").str[0], issue=truth["subissue"]
    )
    data = data[data["topic"] != ""]
    path = tmp_path / "labelled.csv"
    data.to_csv(path, index=False)
    res = runner.invoke(
        app,
        [
            "eval",
            "--data",
            str(path),
            "--text",
            "text",
            "--label",
            "topic",
            "--folds",
            "3",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    metrics = __import__("json").loads(res.output.strip().splitlines()[-1])
    assert metrics["mode"] == "classify" and metrics["accuracy"] > 0.6, metrics
    res = runner.invoke(
        app,
        ["eval", "--data", str(path), "--text", "text", "--label", "issue", "--mode", "cluster",
         "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    metrics = __import__("json").loads(res.output.strip().splitlines()[-1])
    assert metrics["nmi"] > 0.45, metrics  # specific issues: ~0.6 measured on demo data
    res = runner.invoke(app, ["eval", "--data", str(path), "--text", "вопрос", "--label", "topic"])
    assert res.exit_code == 2 and "column 'вопрос'" in " ".join(res.output.split())

    # train the taxonomy from labels in the taxonomy's own ids, then analyze uses it
    mapped = data.assign(topic=data["topic"].replace({"education": "school_education",
                                                      "culture_sport": "culture"}))  # fmt: skip
    mapped.to_csv(path, index=False)
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    res = runner.invoke(app, ["train", "--labels", str(path), "--db", db])
    assert res.exit_code == 0 and "taxonomy: learnt" in res.output, res.output
    assert (tmp_path / "v.models" / "taxonomy" / "tagger.joblib").exists()


def test_generate_ingest_export_cycle(tmp_path: Path) -> None:
    event = tmp_path / "event.csv"
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    assert runner.invoke(app, ["generate", "--n", "400", "--out", str(event)]).exit_code == 0
    assert (tmp_path / "event.truth.parquet").exists()
    res = runner.invoke(app, ["ingest", str(event), "--db", db, "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "duplicate groups" in res.output
    again = runner.invoke(app, ["ingest", str(event), "--db", db, "--workers", "1"])
    assert again.exit_code == 0 and Store.open(db).count() == 400
    out = tmp_path / "out.parquet"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(out)]).exit_code == 0
    exported = pd.read_parquet(out)
    assert len(exported) == 400 and "text_raw" not in exported
    denied = runner.invoke(app, ["export", "--db", db, "--out", str(out), "--raw"])
    assert denied.exit_code == 3
    res = runner.invoke(app, ["stats", "--db", db])
    assert res.exit_code == 0 and "400 questions stored" in res.output


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(bad), "--db", db, "--workers", "1"])
    assert res.exit_code == 1 and "no text column" in res.output
    res = runner.invoke(app, ["ingest", str(bad), "--db", db, "--map", "oops"])
    assert res.exit_code == 2


def test_analyze_refuses_a_bad_encoder_setup_clearly(tmp_path: Path) -> None:
    event = tmp_path / "event.csv"
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    assert runner.invoke(app, ["generate", "--n", "300", "--out", str(event)]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(event), "--db", db, "--workers", "1"]).exit_code == 0
    res = runner.invoke(app, ["analyze", "--db", db, "--encoder", "sentence-transformers"])
    assert res.exit_code == 2 and "model_path" in res.output, res.output
    res = runner.invoke(app, ["analyze", "--db", db, "--encoder", "word2vec"])
    assert res.exit_code == 2 and "unknown encoder 'word2vec'" in res.output, res.output
    assert runner.invoke(app, ["analyze", "--db", db]).exit_code == 0
    # another encoder on an analysed store: only with --rebuild-themes
    res = runner.invoke(app, ["analyze", "--db", db, "--encoder", "hybrid"])
    assert res.exit_code == 2 and "--rebuild-themes" in res.output, res.output
