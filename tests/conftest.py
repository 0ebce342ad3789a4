"""Shared fixtures: a store on SQLite and (when a server is up) on PostgreSQL, and one demo run.

The suite runs in parallel (pytest-xdist, ``-n auto``): every fixture here is safe with several
worker processes. Each worker has its own PostgreSQL database (tests reset the schema, which
would drop another worker's tables), and the demo is built once per test run by whichever
worker asks first, under a file lock, into a directory every worker of the run shares.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from demo_run import DemoRun, shared_demo_run
from veche.config import VecheConfig
from veche.store import Store

PG_URL = os.environ.get("VECHE_TEST_PG_URL")
# "gw0", "gw1", ... under pytest-xdist; absent in a plain run
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _pg_reachable() -> str | None:
    if not PG_URL:
        return "VECHE_TEST_PG_URL is not set (scripts/test.sh starts a server)"
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL at {PG_URL} is not reachable: {exc}"
    return None


def _worker_database(base_url: str) -> str:
    """The URL of this worker's own database on the server of ``base_url`` (created if absent)."""
    if not XDIST_WORKER:
        return base_url
    url = make_url(base_url)
    name = f"{url.database}_{XDIST_WORKER}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not found:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """This worker's PostgreSQL database; skips with the reason when no server is reachable."""
    why = _pg_reachable()
    if why:
        pytest.skip(why)
    assert PG_URL
    return _worker_database(PG_URL)


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
    url = request.getfixturevalue("pg_url")
    _reset_pg(url)
    yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture
def config(tmp_path: Path, store_url: str) -> VecheConfig:
    """Single-process config writing into tmp_path (worker pools are tested separately)."""
    return VecheConfig(workdir=tmp_path, workers=1, store={"url": store_url})


# the tests that read the demo run on one xdist worker, so that no other worker sits waiting for
# the lock while the first builds it (pytest-xdist 3.8's xdist_group marks do nothing under
# pytest 9: they tag test ids through an attribute pytest 9 no longer reads)
DEMO_TESTS = (
    "tests/cli/test_cli.py::test_demo_runs_end_to_end_and_scores_itself",
    "tests/demo/test_scenario.py::test_demo_quality_floors",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``-n N`` (load scheduling), but with the demo's tests as one unit of work."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class DemoTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "demo" if nodeid.startswith(DEMO_TESTS) else nodeid

    return DemoTestsTogether(config, log)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """``veche demo`` run once per test run and shared by every xdist worker (see demo_run.py)."""
    base = tmp_path_factory.getbasetemp()
    # xdist workers each have their own basetemp under one parent that is this run's
    return shared_demo_run(base.parent if XDIST_WORKER else base)
