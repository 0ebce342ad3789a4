"""veche's pipeline: the recipe (``veche.pipeline.recipe``) and the stages it runs in order.

take_in     ingest files (veche.pipeline.ingest) and group duplicates (veche.pipeline.group)
understand  analyze what is new (veche.pipeline.analyze; its per-question stages in
            veche.pipeline.stages, their batch schema in veche.pipeline.batch)
summarize   what the store now holds (veche.summary)
"""

from __future__ import annotations

from veche.pipeline.analyze import AnalyzeResult, analyze
from veche.pipeline.group import GroupResult, group_duplicates
from veche.pipeline.ingest import FileReport, IngestResult, ingest
from veche.pipeline.recipe import Intake, RunResult, regroup, run, take_in, understand

__all__ = [
    "AnalyzeResult",
    "FileReport",
    "GroupResult",
    "IngestResult",
    "Intake",
    "RunResult",
    "analyze",
    "group_duplicates",
    "ingest",
    "regroup",
    "run",
    "take_in",
    "understand",
]
