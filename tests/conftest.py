"""Shared fixtures: a store on SQLite and (when a server is up) on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from veche.config import VecheConfig
from veche.store import Store

PG_URL = os.environ.get("VECHE_TEST_PG_URL")


def _pg_reachable() -> str | None:
    if not PG_URL:
        return "VECHE_TEST_PG_URL is not set (scripts/test.sh starts a server)"
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL at {PG_URL} is not reachable: {exc}"
    return None


def _reset_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL on each backend; PostgreSQL is skipped with a reason if absent."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'veche.sqlite'}"
        return
    why = _pg_reachable()
    if why:
        pytest.skip(why)
    assert PG_URL
    _reset_pg(PG_URL)
    yield PG_URL


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture
def config(tmp_path: Path, store_url: str) -> VecheConfig:
    """Single-process config writing into tmp_path (worker pools are tested separately)."""
    return VecheConfig(workdir=tmp_path, workers=1, store={"url": store_url})
