"""The understanding recipe: what `veche analyze` does, stage by stage.

corpus     one row per distinct text (content hash) with how many asked it, counted in the
           database; texts are read only for what a stage needs
models     the encoder (fitted on first use), a vector per distinct text not embedded yet,
           the taxonomy tagger and the router: built once, complete (pipeline.models)
themes     rediscover the two-level themes when the corpus grew enough (ids stay stable),
           else keep the saved model
annotate   per new question, batch by batch, the stages of ``analysis.stages`` in order
           (pipeline.stages: themes, geo, taxonomy, routing, urgency); each batch one
           transaction, so an interrupted run is finished by rerunning it
reassign   after a rediscovery, old questions follow their themes
retag      on request (after `veche train`), analysed questions get the current models' topics
           and responsible bodies (the taxonomy and routing stages again)
publish    the themes table and the per-theme shortlists (aggregated in the database)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.batch import QUESTION_COLUMNS, Batch, analysis_rows
from veche.pipeline.corpus import Corpus
from veche.pipeline.models import Models
from veche.pipeline.publish import publish
from veche.pipeline.stages import RunContext, Stage, annotate, build_stages, theme_columns
from veche.progress import NullProgress, Progress
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import load_taxonomy
from veche.themes import ThemeModel, discover_themes

TOPIC_STAGES = ("taxonomy", "routing")  # what --retag runs again over analysed questions


@dataclass
class AnalyzeResult:
    run_id: int
    encoder: str
    n_new: int
    n_total: int
    n_distinct: int
    n_embedded: int
    themes_rebuilt: bool
    n_broad: int
    n_fine: int
    other_share: float
    n_urgent: int
    seconds: float
    n_retagged: int = 0
    n_second_read: int = 0  # texts the zero-shot's second encoder read
    second_encoder: str | None = None

    def describe(self) -> str:
        rate = self.n_new / self.seconds if self.seconds else 0.0
        return (
            f"analysed {self.n_new:,} new questions ({self.n_total:,} in all, "
            f"{self.n_distinct:,} distinct texts, {self.n_embedded:,} embedded now with "
            f"{self.encoder}) in {self.seconds:.1f} s ({rate:,.0f}/s); themes: {self.n_broad} broad, "
            f"{self.n_fine} specific{' (rediscovered)' if self.themes_rebuilt else ''}; "
            f"'other': {self.other_share:.1%}; urgent questions (all days): {self.n_urgent:,}"
            + (f"; re-tagged {self.n_retagged:,} analysed questions" if self.n_retagged else "")
            + (
                f"; {self.n_second_read:,} texts also read by {self.second_encoder} for their "
                "topics (other languages, or the first encoder unsure)"
                if self.n_second_read
                else ""
            )
        )


def analyze(
    store: Store,
    config: VecheConfig,
    progress: Progress | None = None,
    *,
    rebuild_themes: bool = False,
    retag: bool = False,
) -> AnalyzeResult:
    """Run the understanding recipe over what is not analysed yet; ``rebuild_themes``
    rediscovers themes over everything, ``retag`` gives every analysed question the current
    taxonomy tagger's topics and router's bodies (after `veche train`).

    Holds the store's ``analyze`` lock: a second analyze on the same store waits for this one,
    then analyses only what is new by then."""
    with store.lock("analyze"):
        return _analyze(store, config, progress, rebuild_themes=rebuild_themes, retag=retag)


def _analyze(
    store: Store,
    config: VecheConfig,
    progress: Progress | None,
    *,
    rebuild_themes: bool,
    retag: bool,
) -> AnalyzeResult:
    progress = progress or NullProgress()
    start = time.perf_counter()
    astore = AnalysisStore(store)
    artifacts = Artifacts.for_store(config, store.engine.url.render_as_string(hide_password=False))
    name = config.analysis.encoder
    _check_encoder_switch(astore, name, rebuild_themes)
    run = astore.begin_run(name)
    try:
        corpus = Corpus.of(store)
        if not len(corpus):
            astore.finish_run(run, "done")
            return AnalyzeResult(run, name, 0, 0, 0, 0, False, 0, 0, 0.0, 0, 0.0)
        models, n_embedded = Models.build(config, artifacts, corpus, progress)
        model, rebuilt = themes_for(models, corpus, config, artifacts, rebuild_themes, progress)
        stages = build_stages(config.analysis.stages, RunContext(config, models, model))
        n_before = astore.count_analysed()
        n_new, n_urgent = 0, 0
        todo = store.count() - n_before
        with progress.task("understanding new questions", total=todo) as task:
            embedded = set(corpus.hashes)
            for frame in astore.iter_unanalysed(QUESTION_COLUMNS, chunk=config.analysis.batch_size):
                task.advance(len(frame))
                # questions an ingest stored after the corpus was read have no vectors yet:
                # they wait for the next run
                frame = frame[frame["content_hash"].isin(embedded)]
                if not len(frame):
                    continue
                rows = analyse_batch(stages, models, frame)
                astore.write_analysis(run, rows)
                n_new += len(rows)
                n_urgent += int(rows["urgent"].sum()) if "urgent" in rows.columns else 0
        if rebuilt and n_before:
            reassign_themes(astore, models, model, progress)
        if retag:
            topic_stages = [s for s in stages if s.name in TOPIC_STAGES]
            n_retagged = retag_analysed(
                astore, topic_stages, models, config, progress, run, n_before
            )
        else:
            n_retagged = 0
        names = {c.id: c.name for c in load_taxonomy(config.taxonomy.path).categories}
        languages = config.taxonomy.taxonomy_languages
        publish(
            astore,
            models.vectors,
            model,
            corpus,
            names,
            config.shortlist,
            run,
            languages,
            topic_share=config.themes.label_topic_share,
        )
        totals = astore.summary()
        other = totals["n_other"] / totals["n"] if totals["n"] else 0.0
        astore.finish_run(run, "done", n_new=n_new, n_total=totals["n"], themes_rebuilt=rebuilt)
    except BaseException:
        astore.finish_run(run, "failed")
        raise
    return AnalyzeResult(
        run_id=run,
        encoder=name,
        n_new=n_new,
        n_total=totals["n"],
        n_distinct=len(corpus),
        n_embedded=n_embedded,
        themes_rebuilt=rebuilt,
        n_broad=len(model.broad.ids),
        n_fine=len(model.fine.ids),
        other_share=other,
        n_urgent=totals["n_urgent"] if totals["n"] else n_urgent,
        seconds=time.perf_counter() - start,
        n_retagged=n_retagged,
        n_second_read=models.n_second_read,
        second_encoder=config.taxonomy.foreign_encoder,
    )


def analyse_batch(stages: list[Stage], models: Models, frame: pd.DataFrame) -> pd.DataFrame:
    """One batch of stored questions through the stages: its rows of the analysis table."""
    frame = frame.reset_index(drop=True)
    batch = Batch(frame, models.vectors_of(frame["content_hash"]))
    return analysis_rows(annotate(stages, batch))


def _check_encoder_switch(astore: AnalysisStore, name: str, rebuild: bool) -> None:
    """Themes from two encoders do not mix: moving to another one re-themes everything."""
    runs = astore.read_runs()  # an interrupted run may have written rows too
    if rebuild or not len(runs) or astore.count_analysed() == 0:
        return
    last = runs["encoder"].iloc[-1]
    if last != name:
        raise ValueError(
            f"this store was analysed with the {last!r} encoder; to move "
            f"to {name!r}, run analyze with --rebuild-themes (every question is re-themed)"
        )


def themes_for(
    models: Models,
    corpus: Corpus,
    config: VecheConfig,
    artifacts: Artifacts,
    rebuild: bool,
    progress: Progress,
) -> tuple[ThemeModel, bool]:
    """The saved theme model, or a new one when asked, when none exists, or when the corpus
    grew past ``analysis.rediscover_growth`` times what the saved one was built on."""
    where = artifacts.themes(models.encoder_name)
    previous = ThemeModel.load(where)
    # sizes at discovery count questions (duplicates included), like corpus["n"]
    grown = (
        previous is not None
        and corpus.sizes.sum() >= config.analysis.rediscover_growth * previous.fine.sizes.sum()
    )
    if previous is not None and not rebuild and not grown:
        return previous, False
    with progress.task(f"discovering themes in {len(corpus):,} distinct texts"):
        texts = corpus.with_texts()  # labels need every text's lemmas and words
        vectors = models.vectors_of(texts["content_hash"])
        weights = texts["n"].to_numpy(dtype=np.float64)
        # taxonomy topic profiles steer how specific issues merge into broad themes (kept:
        # the questions of these texts are tagged from the same probabilities)
        topics = np.vstack(
            [
                models.topics.proba(texts.iloc[i : i + 50_000], vectors[i : i + 50_000])
                for i in range(0, len(texts), 50_000)
            ]
        )
        model, _ = discover_themes(
            vectors,
            texts,
            weights,
            config.themes,
            previous=previous,
            broad_features=topics,
            foreign=models.foreign_rows(texts),
            topic_floor=config.taxonomy.threshold,
        )
        model.save(where)
    return model, True


def reassign_themes(
    astore: AnalysisStore, models: Models, model: ThemeModel, progress: Progress
) -> None:
    rows = astore.read_analysis(["content_hash"], ["question_id"])
    with progress.task("moving analysed questions to the new themes", total=len(rows)) as task:
        for i in range(0, len(rows), 100_000):
            part = rows.iloc[i : i + 100_000].reset_index(drop=True)
            assigned = theme_columns(model, models.vectors_of(part["content_hash"]))
            astore.update_themes(part[["question_id"]].assign(**assigned))
            task.advance(len(part))


def retag_analysed(
    astore: AnalysisStore,
    stages: list[Stage],
    models: Models,
    config: VecheConfig,
    progress: Progress,
    run: int,
    total: int,
) -> int:
    """Give the ``total`` questions analysed before this run the current topics and bodies (only those:
    this run's new questions already have them) by running the topic ``stages`` again. Each
    chunk is one transaction: an interrupted re-tag is finished by running it again (it starts
    over; the result is the same)."""
    done = 0
    with progress.task("re-tagging analysed questions", total=total) as task:
        for frame in astore.iter_analysed(
            ["text", "lemmas", "lang", "meta", "content_hash"],
            ["region_code", "city", "district"],
            chunk=config.analysis.batch_size,
            before_run=run,
        ):
            frame = frame.reset_index(drop=True)
            found = annotate(stages, Batch(frame, models.vectors_of(frame["content_hash"])))
            astore.update_topics(analysis_rows(found))
            done += len(frame)
            task.advance(len(frame))
    return done
