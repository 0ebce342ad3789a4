"""Issue 16: one bad value, a failing batch, a dying worker or a kill -9 never costs the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.pipeline import ingest
from veche.pipeline.prepare import Preparer
from veche.store import Store


def _file(tmp_path: Path, n: int, bad: dict[int, str] | None = None) -> Path:
    dates = ["2025-12-05T10:00:00+03:00"] * n
    for i, value in (bad or {}).items():
        dates[i] = value
    p = tmp_path / "q.csv"
    pd.DataFrame(
        {"id": range(n), "created_at": dates, "text": [f"Вопрос {i} про дороги" for i in range(n)]}
    ).to_csv(p, index=False)
    return p


def test_hostile_dates_deep_in_a_file_cost_only_their_dates(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    # 0 of 20,005 rows were stored when row 12,001 held such a date; a rerun hit the same wall
    bad = {
        12_000: "9999-12-31T23:00-05:00",
        12_001: "0001-01-01",
        15_000: "1e15",
        19_000: "Infinity",
    }
    path = _file(tmp_path, 20_005, bad)
    other = tmp_path / "later.jsonl"
    other.write_text('{"text": "вопрос из второго файла", "age": 1e400}\n', encoding="utf-8")
    cfg = config.with_overrides(**{"intake.batch_size": 2_000})
    res = ingest([path, other], cfg, store)
    f = res.files[0]
    assert (f.n_read, f.n_stored, f.n_rejected, f.n_undated, f.error) == (
        20_005,
        20_005,
        0,
        4,
        None,
    )
    assert res.files[1].n_stored == 1
    assert store.read_runs()["status"].tolist() == ["done"]


def test_a_batch_that_fails_in_processing_costs_only_its_bad_row(
    config: VecheConfig, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path, 30)
    real = Preparer.__call__

    def fragile(self: Preparer, batch: pd.DataFrame):  # a bug the hostile set may find
        if batch["text_raw"].str.contains("Вопрос 17 ").any():
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, batch)

    monkeypatch.setattr(Preparer, "__call__", fragile)
    res = ingest([path], config.with_overrides(**{"intake.batch_size": 10}), store)
    f = res.files[0]
    assert (f.n_stored, f.n_rejected, f.error) == (29, 1, None)
    rejects = store.read_rejects(res.run_id)
    assert rejects["source_row"].tolist() == [19]
    assert rejects["reason"].iloc[0] == (
        "could not be processed: RecursionError: maximum recursion depth exceeded"
    )
    assert any("rows 12-21 failed in processing as a batch" in n for n in f.notes)
    monkeypatch.setattr(Preparer, "__call__", real)
    again = ingest([path], config, store)  # a rerun gets past it
    assert (again.files[0].n_stored, store.count()) == (1, 30)


@pytest.mark.slow
def test_a_worker_killed_mid_run_costs_nothing(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    from veche.store.store import Store as _Store

    path = _file(tmp_path, 3_000)
    cfg = config.with_overrides(**{"intake.batch_size": 100, "workers": 2})
    real_write = _Store.write_batch
    killed: list[int] = []

    def write_and_kill_a_worker(self, *a, **kw):
        if not killed:  # first batch back: kill one worker, batches in flight break with it
            me = os.getpid()
            workers = [
                int(d.name)
                for d in Path("/proc").iterdir()
                if d.name.isdigit()
                and _parent_of(int(d.name)) not in (None, me, 1)
                and _ancestor(int(d.name), me)
            ]
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
        return real_write(self, *a, **kw)

    _Store.write_batch = write_and_kill_a_worker  # type: ignore[method-assign]
    try:
        res = ingest([path], cfg, store)
    finally:
        _Store.write_batch = real_write  # type: ignore[method-assign]
    assert killed
    assert (res.files[0].n_stored, res.files[0].n_rejected, store.count()) == (3_000, 0, 3_000)


def _parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _ancestor(pid: int, ancestor: int) -> bool:
    while pid and pid != 1:
        parent = _parent_of(pid)
        if parent == ancestor:
            return True
        pid = parent or 0
    return False


def test_a_run_whose_process_was_killed_is_marked_interrupted(
    store_url: str, tmp_path: Path
) -> None:
    # a real process begins a run, then is killed with SIGKILL: no finally block runs
    script = textwrap.dedent(
        f"""
        import os, signal
        from veche.store import Store
        s = Store.open({store_url!r})
        s.begin_run(["x.csv"])
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], env={**os.environ}, check=False)
    assert proc.returncode == -signal.SIGKILL
    store = Store.open(store_url)
    live = store.begin_run(["y.csv"])  # a run in progress in this process is left alone
    assert store.mark_interrupted_runs() == []
    assert store.read_runs().set_index("id")["status"].to_dict() == {
        1: "interrupted",
        live: "running",
    }
    store.finish_run(live, "done")
    store.close()


def test_a_run_alive_in_another_process_is_not_marked_interrupted(store_url: str) -> None:
    ready = threading.Event()
    script = textwrap.dedent(
        f"""
        import sys, time
        from veche.store import Store
        s = Store.open({store_url!r})
        s.begin_run(["x.csv"])
        print("begun", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "begun"
        ready.set()
        store = Store.open(store_url)
        assert store.mark_interrupted_runs() == []
        assert store.read_runs()["status"].tolist() == ["running"]
    finally:
        proc.kill()
        proc.wait()
    time.sleep(0.1)
    assert store.mark_interrupted_runs() == [1]
    store.close()


@pytest.mark.slow
def test_kill_9_of_an_ingest_leaves_no_process_behind(tmp_path: Path) -> None:
    bench = Path(__file__).parents[2] / "bench" / "kill9_ingest.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--kills", "1", "--early", "--rows", "5000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert "total left alive: 0 after 1 kills" in out
    assert "statuses after the next start: ['interrupted', 'running']" in out


def test_rows_the_database_refuses_cost_only_themselves(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    # PostgreSQL refuses a NUL byte and a 300-character id that SQLite takes: on either store,
    # the batch's other rows are stored and a refused row is a reject naming the reason
    p = tmp_path / "q.csv"
    p.write_text(
        "id,text\n1,первый\n" + "x" * 300 + ",длинный id\n3,NUL\x00внутри\n4,последний\n",
        encoding="utf-8",
    )
    res = ingest([p], config, store)
    f = res.files[0]
    assert f.error is None and (f.n_read, f.n_stored + f.n_rejected) == (4, 4)
    texts = set(store.read_questions(["text"])["text"])
    assert {"первый", "последний"} <= texts
    reasons = store.read_rejects(res.run_id)["reason"].tolist()
    assert all(r.startswith("the store refused the row: ") for r in reasons)
    assert not any("x" * 50 in r for r in reasons)  # never the row's values
