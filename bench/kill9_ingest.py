"""kill -9 an ingest with worker processes mid-run; count what it leaves alive (issue 16).

    PYTHONPATH=src python bench/kill9_ingest.py [--kills 3] [--rows 20000]

Prints, for each kill, the processes the killed ingest had started that are still alive 10 s
later, and the status the next ingest gives the killed run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--early", action="store_true", help="kill while the workers start up")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="veche-kill9-"))
    data = tmp / "q.csv"
    pd.DataFrame(
        {
            "id": range(args.rows),
            "text": [f"Когда починят дорогу номер {i}?" for i in range(args.rows)],
        }
    ).to_csv(data, index=False)
    db = f"sqlite:///{tmp / 'veche.sqlite'}"
    veche = [str(Path(sys.executable).with_name("veche"))]
    total_left = 0
    for k in range(args.kills):
        proc = subprocess.Popen(
            [*veche, "ingest", str(data), "--db", db, "--workers", "2", "--no-group"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started: set[int] = set()
        deadline = time.time() + 120
        while time.time() < deadline and len(started) < 3:  # forkserver + two workers at least
            started |= descendants(proc.pid)
            time.sleep(0.2)
        # kill once workers are busy: some rows are stored
        import sqlite3

        while time.time() < deadline and not args.early:
            started |= descendants(proc.pid)
            try:
                with sqlite3.connect(tmp / "veche.sqlite") as conn:
                    if conn.execute("select count(*) from questions").fetchone()[0]:
                        break
            except sqlite3.Error:
                pass
            time.sleep(0.2)
        started |= descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(10)
        left = [p for p in started if alive(p)]
        total_left += len(left)
        print(
            f"kill {k + 1}: started {len(started)} processes, alive 10 s after kill -9: {len(left)}"
        )
        for p in left:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:150].decode()
            print(f"    left: {p} {cmd}")
        for p in left:  # clean up what the old code leaves, so the next kill starts clean
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
    from veche.store import Store

    store = Store.open(db)
    store.begin_run(["probe"])
    runs = store.read_runs()
    print("statuses after the next start:", runs["status"].tolist())
    print(f"total left alive: {total_left} after {args.kills} kills")


if __name__ == "__main__":
    main()
