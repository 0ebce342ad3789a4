"""Ingest: files -> validated rows -> prepared (masked, annotated) batches -> the store."""

from __future__ import annotations

import csv
import multiprocessing as mp
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from veche.config import VecheConfig
from veche.intake import (
    ColumnError,
    ColumnMapper,
    InputError,
    Record,
    RowValidator,
    read_records,
)
from veche.intake.readers import estimate_rows
from veche.pipeline.prepare import Prepared, Preparer
from veche.progress import NullProgress, Progress
from veche.store import Store


@dataclass
class FileReport:
    path: str
    n_read: int = 0
    n_stored: int = 0
    n_already: int = 0  # stored by an earlier run (or twice in this file)
    n_rejected: int = 0
    error: str | None = None  # the whole file could not be read


@dataclass
class IngestResult:
    run_id: int
    files: list[FileReport] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejects_path: Path | None = None

    def total(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)

    @property
    def failed_files(self) -> list[FileReport]:
        return [f for f in self.files if f.error]


def ingest(
    paths: Sequence[Path],
    config: VecheConfig,
    store: Store,
    *,
    channel: str | None = None,
    column_map: dict[str, str] | None = None,
    rejects_out: Path | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Store every valid row of ``paths``; name every other row in the rejects."""
    progress = progress or NullProgress()
    run_id = store.begin_run([str(p) for p in paths])
    result = IngestResult(run_id)
    status = "failed"
    try:
        with _PrepareMap(config) as prepare:
            for path in paths:
                report = FileReport(str(path))
                result.files.append(report)
                try:
                    _ingest_file(
                        path,
                        config,
                        store,
                        run_id,
                        report,
                        prepare,
                        channel,
                        column_map or {},
                        progress,
                    )
                except (InputError, ColumnError, OSError) as exc:
                    report.error = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
                    progress.log(f"[red]skipped[/] {report.error}")
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(
            run_id,
            status,
            n_read=result.total("n_read"),
            n_stored=result.total("n_stored"),
            n_already=result.total("n_already"),
            n_rejected=result.total("n_rejected"),
        )
    result.rejects = store.read_rejects(run_id)
    if len(result.rejects):
        result.rejects_path = rejects_out or config.store_dir() / f"rejects-run{run_id}.csv"
        result.rejects_path.parent.mkdir(parents=True, exist_ok=True)
        result.rejects[["source_file", "source_row", "reason", "excerpt"]].to_csv(
            result.rejects_path, index=False, quoting=csv.QUOTE_NONNUMERIC
        )
    return result


def _ingest_file(
    path: Path,
    config: VecheConfig,
    store: Store,
    run_id: int,
    report: FileReport,
    prepare: _PrepareMap,
    channel: str | None,
    column_map: dict[str, str],
    progress: Progress,
) -> None:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    validator = RowValidator(
        source_file=path.name,
        channel=channel or config.intake.default_channel,
        max_text_chars=config.intake.max_text_chars,
        timezone=ZoneInfo(config.intake.timezone),
        mapper=ColumnMapper(aliases=config.intake.aliases, explicit=column_map),
        fixed_header=path.suffix.lower() not in (".jsonl", ".ndjson", ".json"),
    )
    with progress.task(f"ingest {path.name}", estimate_rows(path)) as bar:
        batches = _validated(read_records(path), validator, config.intake.batch_size)
        todo = (_new_rows(b, r, store, report) for b, r in batches)
        for prepared, n_rows in prepare(todo):
            rejects = prepare.mask_excerpts(prepared.rejects)
            n_new = store.write_batch(run_id, prepared.questions, rejects)
            report.n_stored += n_new
            report.n_already += len(prepared.questions) - n_new  # raced in from another batch
            report.n_rejected += len(rejects)
            bar.advance(n_rows)


def _validated(
    records: Iterator[Record], validator: RowValidator, size: int
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    while chunk := list(islice(records, size)):
        yield validator.split(chunk)


def _new_rows(
    batch: pd.DataFrame, rejects: pd.DataFrame, store: Store, report: FileReport
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Drop rows stored before (a rerun skips the costly work) and repeats within the batch."""
    n_rows = len(batch) + len(rejects)
    report.n_read += n_rows
    known = store.existing_keys(batch["key"])
    fresh = batch[~batch["key"].isin(known)].drop_duplicates("key")
    report.n_already += len(batch) - len(fresh)
    return fresh, rejects, n_rows


# -- running Preparer in worker processes ----------------------------------------------------

_WORKER: Preparer | None = None


def _init_worker(config: VecheConfig) -> None:
    global _WORKER
    _WORKER = Preparer(config)


def _prepare_in_worker(batch: pd.DataFrame, rejects: pd.DataFrame) -> Prepared:
    assert _WORKER is not None
    prepared = _WORKER(batch)
    prepared.rejects = pd.concat([rejects, prepared.rejects], ignore_index=True)
    return prepared


class _PrepareMap:
    """Maps batches through Preparer, in order, in this process or a pool of workers."""

    def __init__(self, config: VecheConfig):
        self.config = config
        self.local = Preparer(config)  # also masks reject excerpts in the parent
        self.pool: Executor | None = None
        if config.workers > 1:
            # forkserver, not fork: forking a process that already runs threads (BLAS, faiss,
            # OpenMP, a web server) can hand a worker a lock held forever; the fork server is
            # a clean single-threaded process, and forking from it stays cheap
            methods = mp.get_all_start_methods()
            ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
            self.pool = ProcessPoolExecutor(
                config.workers, mp_context=ctx, initializer=_init_worker, initargs=(config,)
            )

    def __call__(
        self, todo: Iterable[tuple[pd.DataFrame, pd.DataFrame, int]]
    ) -> Iterator[tuple[Prepared, int]]:
        if self.pool is None:
            for batch, rejects, n in todo:
                prepared = self.local(batch)
                prepared.rejects = pd.concat([rejects, prepared.rejects], ignore_index=True)
                yield prepared, n
            return
        # keep a bounded number of batches in flight so memory stays flat
        inflight: list[tuple[Future[Prepared], int]] = []
        for batch, rejects, n in todo:
            inflight.append((self.pool.submit(_prepare_in_worker, batch, rejects), n))
            if len(inflight) > 2 * self.config.workers:
                fut, m = inflight.pop(0)
                yield fut.result(), m
        for fut, m in inflight:
            yield fut.result(), m

    def mask_excerpts(self, rejects: pd.DataFrame) -> pd.DataFrame:
        return self.local.mask_excerpts(rejects)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> _PrepareMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
