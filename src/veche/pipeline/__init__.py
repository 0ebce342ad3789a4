"""The recipe: files in, a sorted, masked, de-duplicated store out.

ingest   read files, validate rows, clean, mask personal data, detect language,
         lemmatise, hash, store (veche.pipeline.ingest)
group    exact + near duplicates across the store, campaign flags (veche.pipeline.group)
analyze  vectors, themes, topics, routes, regions, urgency, shortlists for the questions not
         analysed yet (veche.pipeline.analyze; its own stages are listed there)
summary  what the store now holds (veche.summary)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from veche.config import VecheConfig
from veche.pipeline.analyze import AnalyzeResult, analyze
from veche.pipeline.group import GroupResult, group_duplicates
from veche.pipeline.ingest import FileReport, IngestResult, ingest
from veche.progress import NullProgress, Progress
from veche.store import Store
from veche.summary import Summary, summarize


@dataclass
class RunResult:
    ingested: IngestResult
    grouped: GroupResult
    analysed: AnalyzeResult | None
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
    understand: bool = True,
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
    analysed = analyze(store, config, progress) if understand else None
    return RunResult(ingested, grouped, analysed, summarize(store))


__all__ = [
    "AnalyzeResult",
    "FileReport",
    "GroupResult",
    "IngestResult",
    "RunResult",
    "analyze",
    "group_duplicates",
    "ingest",
    "run",
]
