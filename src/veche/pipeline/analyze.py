"""The understanding recipe: what `veche analyze` does, stage by stage.

corpus     one row per distinct text (content hash) with how many asked it, counted in the
           database; texts are read only for what a stage needs
embed      vectors for distinct texts not embedded yet (fitted encoder kept beside the store)
themes     rediscover the two-level themes when the corpus grew enough (ids stay stable),
           else keep the saved model
understand per new question, batch by batch: theme, topics, routes, region, urgency
           (each batch one transaction: an interrupted run is finished by rerunning it)
reassign   after a rediscovery, old questions follow their themes
retag      on request (after `veche train`), analysed questions get the current models' topics
           and responsible bodies
publish    the themes table and the per-theme shortlists (aggregated in the database)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.corpus import Corpus
from veche.pipeline.understand import Understanding, build_shortlists, theme_rows
from veche.progress import NullProgress, Progress
from veche.shortlist import ShortlistOptions
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import load_taxonomy
from veche.themes import ThemeModel, discover_themes

QUESTION_COLUMNS = [
    "text", "lemmas", "lang", "region", "content_hash", "group_id", "channel", "meta",
    "created_at",
]  # fmt: skip


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
    taxonomy tagger's topics and router's bodies (after `veche train`)."""
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
        u = Understanding.open(config, artifacts)
        n_embedded = u.embed(corpus, progress)
        u.load_models()
        model, rebuilt = themes_for(u, corpus, config, artifacts, rebuild_themes, progress)
        n_before = astore.count_analysed()
        n_new, n_urgent = 0, 0
        todo = store.count() - n_before
        with progress.task("understanding new questions", total=todo) as task:
            for frame in astore.iter_unanalysed(QUESTION_COLUMNS, chunk=config.analysis.batch_size):
                rows = u.understand(frame, model)
                astore.write_analysis(run, rows)
                n_new += len(rows)
                n_urgent += int(rows["urgent"].sum())
                task.advance(len(frame))
        if rebuilt and n_before:
            reassign_themes(astore, u, model, progress)
        n_retagged = retag_analysed(astore, u, config, progress, n_before, run) if retag else 0
        names = {c.id: c.name for c in load_taxonomy(config.taxonomy.path).categories}
        publish(astore, u, model, corpus, names, config.shortlist, run)
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
        n_second_read=u.n_second_read,
        second_encoder=config.taxonomy.foreign_encoder,
    )


def publish(
    astore: AnalysisStore,
    u: Understanding,
    model: ThemeModel,
    corpus: Corpus,
    topic_names: dict[str, str],
    options: ShortlistOptions,
    run: int,
) -> None:
    """Rewrite the themes table and the shortlists from every analysed question: counted in
    the database, texts and vectors read only for shortlist candidates (memory stays bounded)."""
    languages = u.config.taxonomy.taxonomy_languages
    astore.write_themes(
        theme_rows(
            model,
            corpus,
            astore,
            topic_names,
            languages,
            topic_share=u.config.themes.label_topic_share,
        ),
        run,
    )
    astore.write_shortlists(build_shortlists(astore, u, model, options), run)


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
    u: Understanding,
    corpus: Corpus,
    config: VecheConfig,
    artifacts: Artifacts,
    rebuild: bool,
    progress: Progress,
) -> tuple[ThemeModel, bool]:
    """The saved theme model, or a new one when asked, when none exists, or when the corpus
    grew past ``analysis.rediscover_growth`` times what the saved one was built on."""
    where = artifacts.themes(u.encoder_name)
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
        vectors = u.vectors(texts["content_hash"])
        weights = texts["n"].to_numpy(dtype=np.float64)
        # taxonomy topic profiles steer how specific issues merge into broad themes
        topics = np.vstack(
            [
                u.tagger.predict_proba(texts.iloc[i : i + 50_000], vectors[i : i + 50_000])
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
            foreign=u.foreign_rows(texts),
            topic_floor=config.taxonomy.threshold,
        )
        model.save(where)
    return model, True


def reassign_themes(
    astore: AnalysisStore, u: Understanding, model: ThemeModel, progress: Progress
) -> None:
    rows = astore.read_analysis(["content_hash"], ["question_id"])
    with progress.task("moving analysed questions to the new themes", total=len(rows)) as task:
        for i in range(0, len(rows), 100_000):
            part = rows.iloc[i : i + 100_000].reset_index(drop=True)
            assigned = u.assign_themes(u.vectors(part["content_hash"]), model)
            astore.update_themes(pd.concat([part[["question_id"]], assigned], axis=1))
            task.advance(len(part))


def retag_analysed(
    astore: AnalysisStore,
    u: Understanding,
    config: VecheConfig,
    progress: Progress,
    n: int,
    run: int,
) -> int:
    """Give the questions analysed before this run the current topics and bodies (only those:
    this run's new questions already have them). Each chunk is one transaction: an interrupted
    re-tag is finished by running it again (it starts over; the result is the same)."""
    done = 0
    with progress.task("re-tagging analysed questions", total=n) as task:
        for frame in astore.iter_analysed(
            ["text", "lemmas", "lang", "meta", "content_hash"],
            ["region_code", "city", "district"],
            chunk=config.analysis.batch_size,
            before_run=run,
        ):
            found = u.topics_and_routes(frame, u.vectors(frame["content_hash"]))
            astore.update_topics(found.assign(question_id=frame["id"].to_numpy()))
            done += len(frame)
            task.advance(len(frame))
    return done
