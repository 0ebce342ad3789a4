"""One ``veche demo`` run shared by every test that needs a whole pipeline run (the ``demo_run``
fixture in conftest.py). Building it takes minutes, so it is built once per test run: the first
xdist worker to take the file lock builds it into a directory all workers share, and the others
read what it left. Kept out of conftest.py so that tests can import ``DemoRun`` for their types."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# seed 1: the figures the demo's quality floors sit below (tests/demo/test_scenario.py)
DEMO_N, DEMO_SEED, DEMO_WORKERS = 6000, 1, 2


@dataclass(frozen=True)
class DemoRun:
    """The demo's directory (store, intake files, rejects, report, truth), what the CLI printed
    and its exit code. Read it; copy the store before changing it."""

    directory: Path
    output: str
    exit_code: int

    @property
    def store_path(self) -> Path:
        return self.directory / "veche.sqlite"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file closes
        yield


def shared_demo_run(shared: Path) -> DemoRun:
    """The demo in ``shared / "demo-run"``, built there by whichever process gets here first."""
    from typer.testing import CliRunner

    from veche.cli import app

    directory = shared / "demo-run"
    done = shared / "demo-run.json"
    with _locked(shared / "demo-run.lock"):
        if not done.exists():
            res = CliRunner().invoke(
                app,
                ["demo", "--n", str(DEMO_N), "--seed", str(DEMO_SEED), "--dir", str(directory),
                 "--workers", str(DEMO_WORKERS)],
            )  # fmt: skip
            # a failed build is recorded too: the tests show its output instead of rebuilding
            output = res.output + (f"\n{res.exception!r}" if res.exception else "")
            done.write_text(
                json.dumps({"output": output, "exit_code": res.exit_code}), encoding="utf-8"
            )
    record = json.loads(done.read_text(encoding="utf-8"))
    return DemoRun(directory, record["output"], record["exit_code"])
