"""The recipe: files in, a sorted, masked, de-duplicated store out.

ingest   read files, validate rows, clean, mask personal data, detect language,
         lemmatise, hash, store (veche.pipeline.ingest)
group    exact + near duplicates across the store, campaign flags (veche.pipeline.group)
summary  what the store now holds (veche.summary)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from veche.config import VecheConfig
from veche.pipeline.group import GroupResult, group_duplicates
from veche.pipeline.ingest import FileReport, IngestResult, ingest
from veche.progress import NullProgress, Progress
from veche.store import Store
from veche.summary import Summary, summarize


@dataclass
class RunResult:
    ingested: IngestResult
    grouped: GroupResult
    summary: Summary


def run(
    paths: Sequence[Path],
    config: VecheConfig,
    *,
    store: Store | None = None,
    channel: str | None = None,
    column_map: dict[str, str] | None = None,
    rejects_out: Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    progress = progress or NullProgress()
    store = store or Store.open(config.store.url)
    ingested = ingest(
        paths,
        config,
        store,
        channel=channel,
        column_map=column_map,
        rejects_out=rejects_out,
        progress=progress,
    )
    grouped = group_duplicates(store, config, progress)
    return RunResult(ingested, grouped, summarize(store))


__all__ = [
    "FileReport",
    "GroupResult",
    "IngestResult",
    "RunResult",
    "group_duplicates",
    "ingest",
    "run",
]
