"""The per-question stages of `analyze`: components with one interface, registered by name.

Each stage takes a :class:`~veche.pipeline.batch.Batch` and returns it with its own columns
added (``annotate``); the fitted models it needs come from the run's
:class:`~veche.pipeline.models.Models` and theme model when it is built. The config lists the
stages in order (``analysis.stages``), so a deployment can drop one, reorder them or put its
own in place of one (``"package.module:factory"``: a callable taking a :class:`RunContext` and
returning an object with ``name`` and ``annotate``), without touching the others.

    themes    the nearest specific issue and its broad theme     (veche.themes)
    geo       region, city and district from the text or channel (veche.geo)
    taxonomy  calibrated topics (multi-label)                    (veche.taxonomy)
    routing   the responsible body, from the topics              (veche.routing)
    urgency   urgent or not, why, with seasons by region         (veche.urgency)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.geo import RegionResolver
from veche.pipeline.batch import ADDS, Batch, check
from veche.pipeline.models import Models, with_meta_columns
from veche.taxonomy import tag_frame
from veche.themes import ThemeModel
from veche.urgency import UrgencyDetector


@runtime_checkable
class Stage(Protocol):
    name: str

    def annotate(self, batch: Batch) -> Batch: ...


@dataclass(frozen=True)
class RunContext:
    """What a stage may be built from: the config, the run's models and its theme model."""

    config: VecheConfig
    models: Models
    themes: ThemeModel


Factory = Callable[[RunContext], Stage]
STAGES: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    def add(factory: Factory) -> Factory:
        STAGES[name] = factory
        return factory

    return add


def build_stages(names: Sequence[str], context: RunContext) -> list[Stage]:
    """The stages ``names`` lists, in that order, each built once for the run."""
    stages = []
    for name in names:
        factory = STAGES.get(name) or _import_factory(name)
        stage = factory(context)
        if not isinstance(stage, Stage):
            raise TypeError(f"stage {name!r} has no name or annotate(batch) -> batch")
        stages.append(stage)
    return stages


def _import_factory(name: str) -> Factory:
    module, sep, attr = name.partition(":")
    if not sep:
        known = ", ".join(STAGES)
        raise ValueError(f"unknown stage {name!r}: one of {known}, or 'package.module:factory'")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"stage {name!r} cannot be loaded: {exc}") from exc


def annotate(stages: Sequence[Stage], batch: Batch) -> Batch:
    """Run ``stages`` over ``batch`` in order, checking each registered stage's output."""
    for stage in stages:
        batch = stage.annotate(batch)
        if stage.name in ADDS:
            check(batch, stage.name)
    return batch


def local_months(frame: pd.DataFrame, timezone: str) -> list[int | None]:
    """The month each question was asked in the event's time zone (stored times are UTC;
    None where unknown, and for a frame without ``created_at``): urgency's seasonal rules."""
    if "created_at" not in frame.columns:
        return [None] * len(frame)
    when = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    months = when.dt.tz_convert(timezone).dt.month
    return [None if pd.isna(m) else int(m) for m in months]


# -- the packaged stages -------------------------------------------------------------------------


@dataclass
class ThemeStage:
    model: ThemeModel
    name: str = "themes"

    def annotate(self, batch: Batch) -> Batch:
        return batch.with_columns(**theme_columns(self.model, batch.vectors))


def theme_columns(model: ThemeModel, vectors: np.ndarray) -> dict[str, np.ndarray]:
    """``ADDS['themes']`` for questions with these vectors (also used to re-point analysed
    questions after themes were rediscovered)."""
    a = model.assignment(vectors)
    return {
        "theme_id": np.asarray(a.fine_id),
        "broad_id": np.asarray(a.broad_id),
        "theme_distance": np.round(a.distance, 4),
        "is_other": np.asarray(a.other, dtype=bool),
    }


@dataclass
class GeoStage:
    resolver: RegionResolver
    name: str = "geo"

    def annotate(self, batch: Batch) -> Batch:
        q = batch.questions
        regions = q["region"].tolist() if "region" in q.columns else None
        places = self.resolver.resolve(q["text"].tolist(), regions)
        return batch.with_columns(
            region_code=places["region_code"].to_numpy(),
            region_source=places["region_source"].to_numpy(),
            city=places["city"].replace("", None).to_numpy(),
            district=places["district"].replace("", None).to_numpy(),
        )


@dataclass
class TaxonomyStage:
    models: Models
    threshold: float
    max_topics: int
    name: str = "taxonomy"

    def annotate(self, batch: Batch) -> Batch:
        proba = self.models.topics.proba(batch.questions, batch.vectors)
        ids = self.models.topics.ids
        topics = tag_frame(proba, ids, self.threshold, self.max_topics)
        out = batch.with_columns(
            topic=topics["topic"].to_numpy(),
            topic_score=topics["topic_score"].round(4).to_numpy(),
            topics=topics["topics"].to_numpy(),
        )
        return Batch(out.questions, out.vectors, proba, tuple(ids))


@dataclass
class RoutingStage:
    models: Models
    threshold: float  # the taxonomy's: a topic below it names no body
    name: str = "routing"

    def annotate(self, batch: Batch) -> Batch:
        router = self.models.router
        # learnt models may use where a question comes from (the district, or an intake column
        # kept in meta such as a portal's object type): the saved models' own columns
        columns = [*self.models.tagger.context_columns, *router.options.context_columns]
        context = with_meta_columns(batch.questions, columns)
        ids = list(batch.topic_ids) if batch.topic_proba is not None else None
        # routed only where the topic is confident (a learnt router ignores this)
        routes = router.route(context, batch.topic_proba, ids, self.threshold)
        return batch.with_columns(
            route=routes["route"].to_numpy(),
            route_score=routes["route_score"].round(4).to_numpy(),
            routes=routes["routes"].to_numpy(),
        )


@dataclass
class UrgencyStage:
    detector: UrgencyDetector
    timezone: str
    name: str = "urgency"

    def annotate(self, batch: Batch) -> Batch:
        q = batch.questions
        regions = q["region_code"].tolist() if "region_code" in q.columns else None
        found = self.detector.detect(
            q["text"].tolist(),
            q["lemmas"].tolist(),
            local_months(q, self.timezone),
            regions,  # the heating season differs by region
        )
        return batch.with_columns(
            urgent=found["urgent"].to_numpy(dtype=bool),
            urgency_kinds=found["kinds"].to_numpy(),
            urgency_score=found["urgency_score"].round(4).to_numpy(),
            urgency_evidence=found["evidence"].to_numpy(),
        )


register("themes")(lambda c: ThemeStage(c.themes))
register("geo")(lambda c: GeoStage(RegionResolver(c.config.geo)))
register("taxonomy")(
    lambda c: TaxonomyStage(c.models, c.config.taxonomy.threshold, c.config.taxonomy.max_topics)
)
register("routing")(lambda c: RoutingStage(c.models, c.config.taxonomy.threshold))
register("urgency")(
    lambda c: UrgencyStage(UrgencyDetector(c.config.urgency), c.config.intake.timezone)
)
