"""Ingest: files -> validated rows -> prepared (masked, annotated) batches -> the store."""

from __future__ import annotations

import csv
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError

from veche.cells import neutralise_frame
from veche.config import VecheConfig
from veche.intake import (
    ColumnError,
    ColumnMapper,
    InputError,
    Record,
    RowValidator,
    read_records,
)
from veche.intake.readers import ReadLimits, estimate_rows
from veche.lifeline import worker_initializer
from veche.owner_only import owner_only_file
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
    n_undated: int = 0  # stored without a date: the date could not be read (kept in meta)
    n_skipped: int = 0  # rows of workbook sheets without a text column (named in the notes)
    error: str | None = None  # the whole file could not be read
    # what was done to the file's shape or its rows in bulk (title line skipped, column renamed,
    # sheet skipped, rows kept undated, a batch that failed in processing)
    notes: list[str] = field(default_factory=list)


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
                except (OperationalError, InterfaceError):
                    raise  # the store is gone: no later file can be stored either
                except Exception as exc:  # noqa: BLE001 - one file's surprise must not stop the run
                    report.error = f"{path}: stopped after {report.n_read:,} rows: {_why(exc)}"
                    progress.log(f"[red]stopped[/] {report.error}")
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
        owner_only_file(result.rejects_path)  # rows as received: for the operator only
        neutralise_frame(result.rejects[["source_file", "source_row", "reason", "excerpt"]]).to_csv(
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
        limits = ReadLimits(
            max_bytes=config.intake.max_bytes,
            max_rows=config.intake.max_rows,
            max_columns=config.intake.max_columns,
        )
        records = read_records(path, limits=limits, notes=report.notes)
        batches = _validated(records, validator, config.intake.batch_size)
        todo = (_new_rows(b, r, store, report) for b, r in batches)
        for prepared, n_rows in prepare(todo, report):
            rejects = prepare.mask_excerpts(prepared.rejects)
            n_new, n_refused = _write(store, run_id, prepared.questions, rejects)
            report.n_stored += n_new
            # raced in from another batch
            report.n_already += len(prepared.questions) - n_new - n_refused
            report.n_rejected += len(rejects) + n_refused
            bar.advance(n_rows)
    report.n_undated = validator.n_undated
    report.n_skipped = sum(n for _, n in validator.skipped_parts.values())
    report.notes.extend(validator.finish())
    for note in report.notes:
        progress.log(f"[yellow]note[/] {path.name}: {note}")


def _write(
    store: Store, run_id: int, questions: pd.DataFrame, rejects: pd.DataFrame
) -> tuple[int, int]:
    """One transaction per batch; a batch the database refuses is written row by row, and each
    row it still refuses becomes a reject naming the database's reason (never the row's values).
    Returns (new questions stored, questions refused)."""
    try:
        return store.write_batch(run_id, questions, rejects), 0
    except StatementError as exc:
        if not _refused_data(exc):
            raise
    n_new = 0
    refused = []
    for i in range(len(questions)):
        row = questions.iloc[[i]]
        try:
            n_new += store.write_batch(run_id, row, rejects.iloc[:0])
        except StatementError as exc:
            if not _refused_data(exc):
                raise
            refused.append(
                _reject_row(row.iloc[0], f"the store refused the row: {_db_reason(exc)}")
            )
    extra = pd.DataFrame(refused, columns=rejects.columns) if refused else rejects.iloc[:0]
    store.write_batch(run_id, questions.iloc[:0], pd.concat([rejects, extra], ignore_index=True))
    return n_new, len(refused)


def _refused_data(exc: StatementError) -> bool:
    """A value the database will not take (too long, NUL byte...), not a lost connection."""
    if not isinstance(exc, DBAPIError):
        return True  # raised before the database saw it: a value the driver cannot send
    return exc.__class__.__name__ in ("DataError", "IntegrityError")


def _db_reason(exc: StatementError) -> str:
    # the driver's own message, first line only: SQLAlchemy's adds the row's parameters
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]


def _reject_row(row: pd.Series, reason: str) -> dict[str, object]:
    return {
        "key": row["key"],
        "source_file": row["source_file"],
        "source_row": row["source_row"],
        "reason": reason,
        "excerpt": "",
    }


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
    """Maps batches through Preparer, in order, in this process or a pool of workers.

    A batch that fails (an exception in the preparer, a worker that dies) is retried row by row,
    so it costs only the rows that fail again, each a reject with the reason; the run goes on.
    """

    def __init__(self, config: VecheConfig):
        self.config = config
        self.local = Preparer(config)  # also masks reject excerpts in the parent
        self.pool: ProcessPoolExecutor | None = None
        if config.workers > 1:
            self.pool = self._start_pool()

    def _start_pool(self) -> ProcessPoolExecutor:
        # forkserver, not fork: forking a process that already runs threads (BLAS, faiss,
        # OpenMP, a web server) can hand a worker a lock held forever; the fork server is
        # a clean single-threaded process, and forking from it stays cheap
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        return ProcessPoolExecutor(
            self.config.workers,
            mp_context=ctx,
            initializer=worker_initializer,
            initargs=(os.getpid(), f"{__name__}:_init_worker", self.config),
        )

    def __call__(
        self,
        todo: Iterable[tuple[pd.DataFrame, pd.DataFrame, int]],
        report: FileReport | None = None,
    ) -> Iterator[tuple[Prepared, int]]:
        if self.pool is None:
            for batch, rejects, n in todo:
                yield self._settle(None, batch, rejects, report), n
            return
        # keep a bounded number of batches in flight so memory stays flat
        inflight: list[tuple[Future[Prepared], pd.DataFrame, pd.DataFrame, int]] = []
        for batch, rejects, n in todo:
            inflight.append((self._submit(batch, rejects), batch, rejects, n))
            if len(inflight) > 2 * self.config.workers:
                fut, b, r, m = inflight.pop(0)
                yield self._settle(fut, b, r, report), m
        for fut, b, r, m in inflight:
            yield self._settle(fut, b, r, report), m

    def _submit(self, batch: pd.DataFrame, rejects: pd.DataFrame) -> Future[Prepared]:
        assert self.pool is not None
        try:
            return self.pool.submit(_prepare_in_worker, batch, rejects)
        except BrokenProcessPool:
            self._restart()
            return self.pool.submit(_prepare_in_worker, batch, rejects)

    def _run(self, batch: pd.DataFrame, rejects: pd.DataFrame) -> Prepared:
        if self.pool is None:
            prepared = self.local(batch)
            prepared.rejects = pd.concat([rejects, prepared.rejects], ignore_index=True)
            return prepared
        return self._submit(batch, rejects).result()

    def _settle(
        self,
        fut: Future[Prepared] | None,
        batch: pd.DataFrame,
        rejects: pd.DataFrame,
        report: FileReport | None,
    ) -> Prepared:
        try:
            return fut.result() if fut is not None else self._run(batch, rejects)
        except BrokenProcessPool as exc:
            self._restart()
            error: Exception = exc
        except Exception as exc:  # noqa: BLE001 - a batch's failure must not stop the run
            error = exc
        if report is not None:
            rows = batch["source_row"]
            report.notes.append(
                f"rows {rows.min()}-{rows.max()} failed in processing as a batch "
                f"({_why(error)}); retried one by one"
            )
        return self._row_by_row(batch, rejects)

    def _row_by_row(self, batch: pd.DataFrame, rejects: pd.DataFrame) -> Prepared:
        done: list[Prepared] = []
        failed: list[dict[str, object]] = []
        for i in range(len(batch)):
            row = batch.iloc[[i]]
            try:
                done.append(self._run(row, rejects.iloc[:0]))
            except BrokenProcessPool as exc:
                self._restart()
                failed.append(_reject_row(row.iloc[0], f"could not be processed: {_why(exc)}"))
            except Exception as exc:  # noqa: BLE001
                failed.append(_reject_row(row.iloc[0], f"could not be processed: {_why(exc)}"))
        questions = [p.questions for p in done]
        all_rejects = [rejects, *(p.rejects for p in done), pd.DataFrame(failed)]
        return Prepared(
            questions=pd.concat(questions, ignore_index=True) if questions else batch.iloc[:0],
            rejects=pd.concat([r for r in all_rejects if len(r)], ignore_index=True)
            if any(len(r) for r in all_rejects)
            else rejects.iloc[:0],
        )

    def _restart(self) -> None:
        # a broken pool's futures all fail: restart once, not once per future
        if self.pool is not None and getattr(self.pool, "_broken", True):
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start_pool()

    def mask_excerpts(self, rejects: pd.DataFrame) -> pd.DataFrame:
        return self.local.mask_excerpts(rejects)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> _PrepareMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, BrokenProcessPool):
        return "a worker process died"
    return f"{type(exc).__name__}: {str(exc).strip()[:150]}"
