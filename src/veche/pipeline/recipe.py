"""The recipe: veche's stages in order. Every shell (the CLI, the demo, the web app and its
worker) calls these functions; none wires stages itself.

    take_in     files -> store: read, validate, clean, mask personal data, detect language,
                lemmatise, hash, store (veche.pipeline.ingest), then group
    group       exact + near duplicates across the store, campaign flags (veche.pipeline.group)
    understand  what is not analysed yet -> analysis (veche.pipeline.analyze): corpus, models,
                themes, then per question the stages of ``analysis.stages`` (themes, geo,
                taxonomy, routing, urgency; veche.pipeline.stages), then the themes table and
                the shortlists (veche.pipeline.publish)
    summarize   what the store now holds (veche.summary)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from veche.config import VecheConfig
from veche.pipeline.analyze import AnalyzeResult, analyze
from veche.pipeline.group import GroupResult, group_duplicates
from veche.pipeline.ingest import IngestResult, ingest
from veche.progress import NullProgress, Progress
from veche.store import Store
from veche.summary import Summary, summarize


@dataclass
class Intake:
    ingested: IngestResult
    grouped: GroupResult | None  # None when grouping was left for later


@dataclass
class RunResult:
    ingested: IngestResult
    grouped: GroupResult
    analysed: AnalyzeResult | None
    summary: Summary


def take_in(
    paths: Sequence[Path],
    config: VecheConfig,
    store: Store,
    *,
    channel: str | None = None,
    column_map: dict[str, str] | None = None,
    rejects_out: Path | None = None,
    progress: Progress | None = None,
    group: bool = True,
) -> Intake:
    """Files into the store, then duplicates grouped over everything stored."""
    progress = progress or NullProgress()
    ingested = ingest(
        paths,
        config,
        store,
        channel=channel,
        column_map=column_map,
        rejects_out=rejects_out,
        progress=progress,
    )
    grouped = group_duplicates(store, config, progress) if group else None
    return Intake(ingested, grouped)


# the recipe's other two steps are the stages themselves, under the recipe's names
regroup = group_duplicates  # duplicates and campaigns again over the whole store
understand = analyze  # what is not analysed yet -> analysis (its own stages: pipeline.analyze)


def run(
    paths: Sequence[Path],
    config: VecheConfig,
    *,
    store: Store | None = None,
    channel: str | None = None,
    column_map: dict[str, str] | None = None,
    rejects_out: Path | None = None,
    progress: Progress | None = None,
    analyse: bool = True,
) -> RunResult:
    """The whole recipe: take files in, group, understand, summarize."""
    progress = progress or NullProgress()
    store = store or Store.open(config.store.url)
    intake = take_in(
        paths,
        config,
        store,
        channel=channel,
        column_map=column_map,
        rejects_out=rejects_out,
        progress=progress,
    )
    assert intake.grouped is not None  # take_in groups unless told not to
    analysed = understand(store, config, progress) if analyse else None
    return RunResult(intake.ingested, intake.grouped, analysed, summarize(store))
