"""Several real processes on one store, on SQLite and PostgreSQL (see veche.store.db)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from veche.store import Store

# each worker: import, say it is ready, wait for the go, then do its part
WORKER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
ready, go = Path({ready!r}), Path({go!r})
from factories import question_batch, reject_rows
from veche.store import Store
ready.touch()
while not go.exists():
    time.sleep(0.005)
{body}
"""

OPEN_AND_WRITE = """
store = Store.open({url!r})
run = store.begin_run(["f.csv"])
keys = [f"k{{i}}" for i in range(600)]
if {me} % 2:
    keys.reverse()  # the two writers meet in the middle
new = sum(store.write_batch(run, question_batch(keys[i:i + 50]), reject_rows([]))
          for i in range(0, len(keys), 50))
store.finish_run(run, "done", n_stored=new)
print(new)
"""

HOLD_LOCK = """
store = Store.open({url!r})
with store.lock("groups"):
    print(f"{{time.time():.4f}}", flush=True)
    time.sleep(0.5)
    print(f"{{time.time():.4f}}", flush=True)
"""


def _run_together(body: str, n: int, tmp_path: Path, **fmt: object) -> list[str]:
    """Start ``n`` processes running ``body``, release them at once, return their stdout."""
    tests = str(Path(__file__).parents[1])
    procs, ready = [], []
    for me in range(n):
        r = tmp_path / f"ready{me}"
        code = WORKER.format(
            tests=tests, ready=str(r), go=str(tmp_path / "go"), body=body.format(me=me, **fmt)
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", code],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        ready.append(r)
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outs = []
    for p in procs:
        out, errs = p.communicate(timeout=120)
        assert p.returncode == 0, errs
        outs.append(out)
    return outs


def test_processes_opening_a_new_store_at_once_migrate_it_once_and_all_write(
    store_url: str, tmp_path: Path
) -> None:
    # today's code: "table alembic_version already exists" (SQLite), a duplicate pg_type (PG)
    outs = _run_together(OPEN_AND_WRITE, 4, tmp_path, url=store_url)
    store = Store.open(store_url)
    try:
        assert store.count() == 600  # every key once
        assert sum(int(o) for o in outs) == 600  # each stored by exactly one writer
        runs = store.read_runs()
        assert list(runs["status"]) == ["done"] * 4
    finally:
        store.close()


def test_store_lock_excludes_other_processes(store_url: str, tmp_path: Path) -> None:
    Store.open(store_url).close()
    outs = _run_together(HOLD_LOCK, 2, tmp_path, url=store_url)
    spans = sorted(tuple(float(x) for x in o.split()) for o in outs)
    assert spans[1][0] >= spans[0][1]  # the second got the lock after the first let it go


@pytest.mark.slow
def test_two_ingests_at_once_store_every_row_once(store_url: str, tmp_path: Path) -> None:
    from veche.demo import generate, write_event

    whole = tmp_path / "whole.csv"
    write_event(generate(n=600, seed=3), whole)
    rows = pd.read_csv(whole, dtype=str)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    rows.iloc[:300].to_csv(first, index=False)
    rows.iloc[300:].to_csv(second, index=False)
    cli = "from veche.cli import main; main()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", cli, "ingest", *files, "--db", store_url, "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for files in ([str(first), str(second)], [str(second)])
    ]
    for p in procs:
        out, errs = p.communicate(timeout=300)
        assert p.returncode == 0, out + errs
    store = Store.open(store_url)
    try:
        assert store.count() == 600  # second.csv read by both, stored once
        groups = store.read_groups()
        assert groups["size"].sum() == 600  # the last grouping saw both ingests
    finally:
        store.close()


@pytest.mark.slow
def test_analyze_beside_another_analyze_and_an_ingest(store_url: str, tmp_path: Path) -> None:
    """Two analyzes and an ingest at once: all finish; the second analyze waits for the first
    (store lock) and the rows the ingest adds meanwhile are analysed by the next run."""
    from veche.config import VecheConfig
    from veche.demo import generate, write_event
    from veche.pipeline import group_duplicates, ingest
    from veche.pipeline.analyze import analyze
    from veche.store.analysis import AnalysisStore

    whole = tmp_path / "whole.csv"
    write_event(generate(n=400, seed=5), whole)
    rows = pd.read_csv(whole, dtype=str)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    rows.iloc[:200].to_csv(first, index=False)
    rows.iloc[200:].to_csv(second, index=False)
    config = VecheConfig(workdir=tmp_path, workers=1, store={"url": store_url})
    store = Store.open(store_url)
    ingest([first], config, store)
    group_duplicates(store, config)

    cli = "from veche.cli import main; main()"
    commands = [
        ["analyze", "--db", store_url],
        ["ingest", str(second), "--db", store_url, "--workers", "1"],
        ["analyze", "--db", store_url],
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", cli, *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=tmp_path,
        )
        for c in commands
    ]  # fmt: skip
    for p in procs:
        out, errs = p.communicate(timeout=600)
        assert p.returncode == 0, out + errs
    astore = AnalysisStore(store)
    assert store.count() == 400
    assert 200 <= astore.count_analysed() <= 400  # the ingest may have finished before either
    analyze(store, config)  # the next run picks up the rest
    assert astore.count_analysed() == 400
    assert list(astore.read_runs()["status"]) == ["done"] * 3
    store.close()
