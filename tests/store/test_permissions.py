"""Personal data stays with its owner: owner-only files and folders (SQLite store, its WAL,
the models folder, raw exports, rejects) and, on PostgreSQL, grants that keep the private
tables from analysts' connections."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from factories import question_batch, reject_rows
from veche.config import VecheConfig
from veche.export import export
from veche.pipeline import ingest
from veche.pipeline.artifacts import Artifacts
from veche.privacy.access import add_operator
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.store.db import ROLES_SQL
from veche.summary import summarize


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _sharing_umask() -> Iterator[None]:
    """The usual umask (files 0644, folders 0755): what veche must not rely on."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_sqlite_store_wal_and_new_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "new" / "v.sqlite"
    store = Store.open(f"sqlite:///{db}")
    run = store.begin_run(["f.csv"])
    store.write_batch(run, question_batch(["a"]), reject_rows([]))  # the pool keeps the WAL
    for path in (db, db.with_name("v.sqlite-wal"), db.with_name("v.sqlite-shm")):
        assert path.exists() and _mode(path) == 0o600, path
    assert _mode(db.parent) == 0o700
    assert all(_mode(p) == 0o600 for p in db.parent.glob("*.lock"))
    store.close()


def test_an_existing_store_is_tightened_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite"
    Store.open(f"sqlite:///{db}").close()
    db.chmod(0o644)
    Store.open(str(db)).close()
    assert _mode(db) == 0o600


def test_models_folder_is_owner_only(tmp_path: Path) -> None:
    config = VecheConfig(workdir=tmp_path)
    root = Artifacts.for_store(config, f"sqlite:///{tmp_path / 'v.sqlite'}").root
    assert root == tmp_path / "v.models" and _mode(root) == 0o700
    root.chmod(0o755)
    Artifacts.for_store(config, f"sqlite:///{tmp_path / 'v.sqlite'}")
    assert _mode(root) == 0o700


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet"])
def test_raw_exports_are_owner_only(tmp_path: Path, suffix: str) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'v.sqlite'}")
    store.write_batch(store.begin_run(["f.csv"]), question_batch(["a", "b"]), reject_rows([]))
    out = tmp_path / "exports" / f"raw{suffix}"
    out.parent.mkdir()
    out.write_text("an older file, readable by all")  # overwritten: tightened too
    out.chmod(0o644)
    key = add_operator(store, "Ольга", "operator", raw_roles=["operator"], by_key=None)
    assert export(store, out, raw=True, operator_key=key, raw_roles=["operator"]) == 2
    assert _mode(out) == 0o600
    store.close()


def test_rejects_file_is_owner_only(tmp_path: Path) -> None:
    config = VecheConfig(workdir=tmp_path / "work", workers=1)
    store = Store.open(f"sqlite:///{tmp_path / 'v.sqlite'}")
    csv = tmp_path / "q.csv"
    csv.write_text('id,text\n1,"Когда починят дорогу?"\n2,""\n', encoding="utf-8")
    res = ingest([csv], config, store)
    assert res.rejects_path is not None and _mode(res.rejects_path) == 0o600
    store.close()


@pytest.mark.postgres
def test_postgres_roles_keep_private_tables_from_analysts(tmp_path: Path, pg_url: str) -> None:
    _reset_schema(pg_url)
    admin = create_engine(pg_url)
    logins = {"operator": "veche_test_operator", "analyst": "veche_test_alice"}
    with admin.begin() as conn:
        for login in logins.values():
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login})
            if exists:  # left by an interrupted run
                conn.execute(text(f"DROP OWNED BY {login}"))
                conn.execute(text(f"DROP ROLE {login}"))
            conn.execute(text(f"CREATE ROLE {login} LOGIN"))
    Store.open(pg_url).close()  # the tables, as the first ingest creates them
    with admin.begin() as conn:
        conn.exec_driver_sql(ROLES_SQL.read_text(encoding="utf-8"))
        conn.exec_driver_sql(ROLES_SQL.read_text(encoding="utf-8"))  # idempotent
        conn.execute(text(f"GRANT veche_private TO {logins['operator']}"))
        conn.execute(text(f"GRANT veche_analyst TO {logins['analyst']}"))
    url = make_url(pg_url)
    as_operator = url.set(username=logins["operator"]).render_as_string(hide_password=False)
    as_analyst = url.set(username=logins["analyst"]).render_as_string(hide_password=False)
    try:
        # the operator (not a superuser) ingests into both halves and reads raw text
        operator = Store.open(as_operator, must_exist=True)
        run = operator.begin_run(["f.csv"])
        assert operator.write_batch(run, question_batch(["a", "b"]), reject_rows([7])) == 2
        ids = operator.read_questions(["key"])["id"].tolist()
        assert len(operator.read_private(ids)) == 2
        operator.log_raw_access(
            actor="Ольга", role="operator", action="export", detail="x", n_rows=2
        )
        operator.close()

        # the analyst reads what is masked, and nothing private
        analyst = Store.open(as_analyst, must_exist=True)
        assert summarize(analyst).n_questions == 2
        assert len(analyst.read_questions(["text"])) == 2
        astore = AnalysisStore(analyst)  # analyze writes its own tables
        astore.finish_run(astore.begin_run("tfidf"), "done")
        for table in ("question_private", "raw_access_log"):
            with analyst.engine.connect() as conn, pytest.raises(ProgrammingError) as denied:
                conn.execute(text(f"SELECT count(*) FROM {table}"))
            assert "permission denied" in str(denied.value)
        with pytest.raises(ProgrammingError):
            analyst.read_private(ids)
        analyst.close()
    finally:
        _reset_schema(pg_url)
        with admin.begin() as conn:
            for login in logins.values():
                conn.execute(text(f"DROP OWNED BY {login}"))
                conn.execute(text(f"DROP ROLE {login}"))
        admin.dispose()


def _reset_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
