"""A user's mistakes get one line saying what to do and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from veche.cli import app
from veche.store import Store

runner = CliRunner()
READ_COMMANDS = [["stats"], ["export", "--out", "out.csv"], ["report"], ["analyze"], ["dedup"]]


def _said(res) -> str:  # type: ignore[no-untyped-def]
    """The output as one line (rich wraps long messages at the terminal's width)."""
    assert "Traceback" not in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return " ".join(res.output.split())


def _questions(path: Path, n: int = 40, *, dated: bool = True) -> Path:
    texts = [f"Когда отремонтируют дорогу номер {i} в нашем посёлке?" for i in range(n)]
    frame = pd.DataFrame({"id": [str(i) for i in range(n)], "text": texts})
    if dated:
        frame["created_at"] = "2025-12-05T10:00:00+03:00"
    frame.to_csv(path, index=False)
    return path


def test_stats_on_an_empty_store_says_it_is_empty(store_url: str) -> None:
    Store.open(store_url).close()
    res = runner.invoke(app, ["stats", "--db", store_url])
    assert res.exit_code == 0, res.output  # was a KeyError
    said = _said(res)
    assert "0 questions stored" in said and "the store is empty" in said


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_refuse_a_missing_store_and_create_nothing(
    store_url: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, [*command, "--db", store_url])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "veche ingest FILE --db URL" in said
    if store_url.startswith("sqlite"):
        assert f"no store at {tmp_path / 'veche.sqlite'}" in said
        assert not (tmp_path / "veche.sqlite").exists()
    else:
        assert "holds no veche store yet" in said
        engine = create_engine(store_url)
        assert inspect(engine).get_table_names() == []  # not migrated into existence
        engine.dispose()


def test_a_relative_sqlite_url_says_where_it_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["stats", "--db", "sqlite:///tmp/x.sqlite"])
    assert res.exit_code == 2
    said = _said(res)
    assert f"no store at {tmp_path / 'tmp' / 'x.sqlite'}" in said
    assert "sqlite:////tmp/x.sqlite" in said  # what to write for /tmp/x.sqlite
    assert not (tmp_path / "tmp").exists()


def test_a_plain_path_is_a_sqlite_store(tmp_path: Path) -> None:
    db = tmp_path / "data" / "v.sqlite"
    csv = _questions(tmp_path / "q.csv")
    res = runner.invoke(app, ["ingest", str(csv), "--db", str(db), "--workers", "1"])
    assert res.exit_code == 0, res.output  # was a raw SQLAlchemy ArgumentError
    assert f"store:{db}" in "".join(res.output.split()) and db.exists()
    res = runner.invoke(app, ["stats", "--db", str(db)])
    assert res.exit_code == 0 and "40 questions stored" in _said(res)


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "cannot open the store at"),
        ("foo://bar", "veche stores in SQLite or PostgreSQL, not 'foo'"),
        ("sqlite:///", "holds no veche store yet"),  # in memory: nothing to read
    ],
)
def test_stores_that_cannot_be_opened_are_named(db: str, expected: str) -> None:
    res = runner.invoke(app, ["stats", "--db", db])
    assert res.exit_code == 2, res.output
    assert expected in _said(res)


def test_files_that_cannot_be_written_are_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    res = runner.invoke(app, ["ingest", str(_questions(tmp_path / "q.csv")), "--db",
                              str(blocker / "v.sqlite"), "--workers", "1"])  # fmt: skip
    assert res.exit_code == 2 and "cannot create the store" in _said(res)
    db = str(tmp_path / "v.sqlite")
    assert runner.invoke(app, ["ingest", str(tmp_path / "q.csv"), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["export", "--db", db, "--out", str(blocker / "out.csv")])
    assert res.exit_code == 2 and f"cannot use {blocker}" in _said(res)
    res = runner.invoke(app, ["generate", "--n", "10", "--out", str(tmp_path / "e.txt")])
    assert res.exit_code == 2 and "unknown output format '.txt'" in _said(res)


def test_report_on_undated_questions_and_on_a_day_without_questions(tmp_path: Path) -> None:
    db = str(tmp_path / "v.sqlite")
    csv = _questions(tmp_path / "q.csv", dated=False)
    assert runner.invoke(app, ["ingest", str(csv), "--db", db, "--workers", "1"]).exit_code == 0
    assert runner.invoke(app, ["analyze", "--db", db]).exit_code == 0
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--db", db, "--out", str(out)])
    assert res.exit_code == 0, res.output
    said = _said(res)
    assert "on None" not in said and "none dated" in said  # was "40 on None"
    out.unlink()
    res = runner.invoke(app, ["report", "--db", db, "--out", str(out), "--day", "2030-01-01"])
    assert res.exit_code == 2  # was an empty report, silently
    said = _said(res)
    assert "no analysed questions on 2030-01-01" in said and "has a date" in said
    assert not out.exists()
