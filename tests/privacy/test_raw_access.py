"""Raw access from the command line (issue 16 item 11): an operator key, not a self-declared
role or $LOGNAME; the log entry before the file; an append-only log on both stores."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from factories import question_batch, reject_rows
from veche.cli import app
from veche.export import RawAccessDenied, export
from veche.privacy.access import KEY_ENV, add_operator, read_key
from veche.store import Store

ROLES = ["privacy_officer"]
runner = CliRunner()


@pytest.fixture
def filled(store: Store) -> Store:
    run = store.begin_run(["f.csv"])
    store.write_batch(run, question_batch(["a", "b"]), reject_rows([]))
    return store


def test_the_log_names_the_keys_operator_not_logname(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = add_operator(filled, "olga", "privacy_officer", raw_roles=ROLES, by_key=None)
    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USER", "mallory")
    export(filled, tmp_path / "raw.csv", raw=True, operator_key=key, raw_roles=ROLES)
    log = filled.read_raw_access()
    assert log["actor"].iloc[-1] == "olga" and "mallory" not in set(log["actor"])
    with pytest.raises(RawAccessDenied, match="unknown operator key"):
        export(filled, tmp_path / "x.csv", raw=True, operator_key="guessed", raw_roles=ROLES)


def test_later_keys_need_an_existing_operators_key(filled: Store) -> None:
    first = add_operator(filled, "olga", "privacy_officer", raw_roles=ROLES, by_key=None)
    with pytest.raises(RawAccessDenied, match="existing operator"):
        add_operator(filled, "eve", "privacy_officer", raw_roles=ROLES, by_key=None)
    add_operator(filled, "petr", "privacy_officer", raw_roles=ROLES, by_key=first)
    with pytest.raises(ValueError, match="already has a key"):
        add_operator(filled, "petr", "privacy_officer", raw_roles=ROLES, by_key=first)


def test_the_log_entry_is_written_before_the_file(filled: Store, tmp_path: Path) -> None:
    key = add_operator(filled, "olga", "privacy_officer", raw_roles=ROLES, by_key=None)
    blocked = tmp_path / "blocked.csv"
    blocked.mkdir()  # the export cannot write its file
    with pytest.raises(OSError):
        export(filled, blocked, raw=True, operator_key=key, raw_roles=ROLES)
    log = filled.read_raw_access()
    assert log["action"].tolist()[-1] == "export"
    assert log["detail"].iloc[-1] == str(blocked.resolve()) and log["n_rows"].iloc[-1] == 2


@pytest.mark.parametrize(
    "sql", ["UPDATE raw_access_log SET actor = 'nobody'", "DELETE FROM raw_access_log"]
)
def test_the_log_is_append_only(filled: Store, sql: str) -> None:
    filled.log_raw_access(
        actor="olga", role="privacy_officer", action="export", detail="x", n_rows=1
    )
    with pytest.raises(DBAPIError, match="append-only"), filled.engine.begin() as conn:
        conn.execute(text(sql))
    assert filled.read_raw_access()["actor"].tolist() == ["olga"]


def test_truncate_is_refused_on_postgresql(filled: Store) -> None:
    if filled.dialect != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    filled.log_raw_access(
        actor="olga", role="privacy_officer", action="export", detail="x", n_rows=1
    )
    with pytest.raises(DBAPIError, match="append-only"), filled.engine.begin() as conn:
        conn.execute(text("TRUNCATE raw_access_log"))


def test_key_file_must_be_owner_only(tmp_path: Path) -> None:
    f = tmp_path / "key"
    f.write_text("secret-key\n", encoding="utf-8")
    f.chmod(0o644)
    with pytest.raises(RawAccessDenied, match="chmod 600"):
        read_key(f)
    f.chmod(0o600)
    assert read_key(f) == "secret-key"
    assert read_key(None, {KEY_ENV: " k2 "}) == "k2"
    with pytest.raises(RawAccessDenied, match=KEY_ENV):
        read_key(None, {})


def test_cli_raw_export_with_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    store = Store.open(db)
    store.write_batch(store.begin_run(["f.csv"]), question_batch(["a"]), reject_rows([]))
    monkeypatch.delenv(KEY_ENV, raising=False)
    out = tmp_path / "raw.csv"
    res = runner.invoke(app, ["export", "--db", db, "--out", str(out), "--raw"])
    assert res.exit_code == 3 and KEY_ENV in res.output and not out.exists()

    key_file = tmp_path / "olga.key"
    res = runner.invoke(
        app,
        ["operator-key", "olga", "--role", "privacy_officer", "--db", db, "--out", str(key_file)],
    )
    assert res.exit_code == 0, res.output
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    res = runner.invoke(app, ["operator-key", "eve", "--role", "privacy_officer", "--db", db])
    assert res.exit_code == 3  # a second key needs the first one's

    res = runner.invoke(
        app, ["export", "--db", db, "--out", str(out), "--raw", "--key-file", str(key_file)]
    )
    assert res.exit_code == 0, res.output
    assert pd.read_csv(out, dtype=str)["phone"].tolist() == ["89123456789"]
    monkeypatch.setenv(KEY_ENV, key_file.read_text().strip())
    res = runner.invoke(app, ["export", "--db", db, "--out", str(out), "--raw"])
    assert res.exit_code == 0, res.output
    log = Store.open(db).read_raw_access()
    assert log["actor"].tolist() == ["first operator of this store", "olga", "olga"]
