"""The per-question understanding stages, bundled with the models they load once.

:class:`Understanding` opens the encoder, the vector store, the taxonomy tagger, the router, the
region resolver and the urgency detector; ``understand(frame, themes)`` turns a batch of stored
questions into analysis rows. ``theme_rows`` and ``build_shortlists`` publish the themes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.embed import Encoder, make_encoder
from veche.embed.vectors import VectorStore
from veche.geo import RegionResolver
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.corpus import Corpus
from veche.progress import Progress
from veche.routing import Router
from veche.shortlist import ShortlistOptions, bounded_shortlist, text_quality
from veche.store.analysis import AnalysisStore
from veche.taxonomy import (
    BlendedTagger,
    SupervisedTagger,
    TwoEncoderTagger,
    ZeroShotTagger,
    load_taxonomy,
    make_tagger,
    tag_frame,
)
from veche.text.language import detect_languages
from veche.themes import ThemeModel
from veche.urgency import UrgencyDetector

EMBED_BATCH = 2_000
TAGGER_FILE = "tagger.joblib"
ROUTER_FILE = "router.joblib"
# the encoder learns its space from at most this many distinct texts (TF-IDF + SVD fit)
FIT_SAMPLE = 200_000


def _encoder_options(config: VecheConfig, name: str) -> dict[str, Any]:
    e5 = config.embed.e5.model_dump()
    return {
        "e5": e5,
        "hybrid": {"e5": e5},  # [embed.e5] (threads, prefix ...) applies to hybrid's e5 part too
        "sentence-transformers": config.embed.sentence_transformers.model_dump(),
    }.get(name, {})


def foreign_encoder_options(config: VecheConfig) -> dict[str, Any]:
    """Settings of the encoder zero-shot uses for other languages (``[embed.e5]`` for e5)."""
    name = config.taxonomy.foreign_encoder
    return _encoder_options(config, name) if name else {}


def open_encoder(config: VecheConfig, artifacts: Artifacts) -> Encoder:
    """The configured encoder, loaded from ``artifacts`` when `analyze` has fitted it before
    (``needs_fit`` tells whether it still has to see the corpus)."""
    name = config.analysis.encoder
    encoder = make_encoder(name, **_encoder_options(config, name))
    encoder.load(artifacts.encoder(name))
    return encoder


def local_months(frame: pd.DataFrame, timezone: str) -> list[int | None]:
    """The month each question was asked in the event's time zone (stored times are UTC;
    None where unknown, and for a frame without ``created_at``): urgency's seasonal rules."""
    if "created_at" not in frame.columns:
        return [None] * len(frame)
    when = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    months = when.dt.tz_convert(timezone).dt.month
    return [None if pd.isna(m) else int(m) for m in months]


@dataclass
class Understanding:
    config: VecheConfig
    artifacts: Artifacts
    encoder_name: str
    encoder: Encoder
    store: VectorStore
    tagger: ZeroShotTagger | SupervisedTagger | BlendedTagger
    router: Router
    resolver: RegionResolver
    urgency: UrgencyDetector

    @classmethod
    def open(cls, config: VecheConfig, artifacts: Artifacts) -> Understanding:
        return cls(
            config=config,
            artifacts=artifacts,
            encoder_name=config.analysis.encoder,
            encoder=open_encoder(config, artifacts),
            store=None,  # type: ignore[arg-type]  # opened by embed(), once the encoder is fitted
            tagger=None,  # type: ignore[arg-type]  # opened by load_models(), after embed()
            router=None,  # type: ignore[arg-type]
            resolver=RegionResolver(config.geo),
            urgency=UrgencyDetector(config.urgency),
        )

    # -- vectors ---------------------------------------------------------------------------
    def embed(self, corpus: Corpus, progress: Progress) -> int:
        """Fit the encoder if it has never seen the corpus, then embed every distinct text that
        has no vector yet (texts read batch by batch). Returns how many were embedded."""
        if self.encoder.needs_fit:
            sample = corpus.rows
            if len(sample) > FIT_SAMPLE:
                sample = sample.sample(FIT_SAMPLE, random_state=0)
            with progress.task(f"fitting the {self.encoder_name} encoder on {len(sample):,} texts"):
                self.encoder.fit(corpus.with_texts(sample))
                self.encoder.save(self.artifacts.encoder(self.encoder_name))
        self.store = VectorStore(
            self.artifacts.vectors(self.encoder_name), self.encoder_name, self.encoder.dim
        )
        todo = corpus.rows[~self.store.has(corpus.hashes.tolist())]
        with progress.task(f"embedding with {self.encoder_name}", total=len(todo)) as task:
            for part in corpus.iter_texts(todo, EMBED_BATCH):
                self.store.add(part["content_hash"].tolist(), self.encoder.encode(part))
                task.advance(len(part))
        return len(todo)

    def load_models(self) -> None:
        """Open the taxonomy tagger and the router (zero-shot ones need the fitted encoder)."""
        self.tagger, self.router = self._tagger_and_router()

    def _tagger_and_router(
        self,
    ) -> tuple[ZeroShotTagger | SupervisedTagger | BlendedTagger, Router]:
        """Supervised models once `veche train` (or the config) gave some (the tagger mixed with
        zero-shot while its labels are few), else the taxonomy: zero-shot topics, and each
        topic's responsible body."""
        topt, ropt = self.config.taxonomy, self.config.routing
        tagger = make_tagger(
            topt,
            self.encoder,
            self.artifacts.taxonomy / TAGGER_FILE,
            foreign_options=foreign_encoder_options(self.config),
        )
        learnt = self.artifacts.routing / ROUTER_FILE
        if ropt.model or learnt.exists():
            router = Router.load(ropt.model or learnt, ropt)
        else:
            router = Router.from_taxonomy(load_taxonomy(topt.path), ropt)
        return tagger, router

    def _two_encoders(self) -> TwoEncoderTagger | None:
        routed = getattr(self.tagger, "zero_shot", self.tagger)  # inside a BlendedTagger
        return routed if isinstance(routed, TwoEncoderTagger) else None

    def foreign_rows(self, frame: pd.DataFrame) -> np.ndarray | None:
        """Which questions' topics came through the multilingual zero-shot because the corpus
        encoder cannot read their language (None: the tagger routes none)."""
        routed = self._two_encoders()
        return None if routed is None else routed.foreign_rows(frame)

    @property
    def n_second_read(self) -> int:
        """Distinct texts the zero-shot's second encoder (e5) embedded so far: other languages
        and questions the corpus encoder was unsure of."""
        routed = self._two_encoders()
        return 0 if routed is None else routed.n_read

    def vectors(self, hashes: pd.Series | list[str]) -> np.ndarray:
        return self.store.get(list(hashes))

    @staticmethod
    def assign_themes(vectors: np.ndarray, model: ThemeModel) -> pd.DataFrame:
        a = model.assignment(vectors)
        return pd.DataFrame(
            {
                "theme_id": a.fine_id,
                "broad_id": a.broad_id,
                "theme_distance": np.round(a.distance, 4),
                "is_other": a.other,
            }
        )

    # -- one batch of questions -> analysis rows -------------------------------------------
    def understand(self, frame: pd.DataFrame, model: ThemeModel) -> pd.DataFrame:
        frame = frame.reset_index(drop=True)
        vectors = self.vectors(frame["content_hash"])
        themes = self.assign_themes(vectors, model)
        places = self.resolver.resolve(frame["text"].tolist(), frame["region"].tolist())
        where = frame.assign(
            region_code=places["region_code"], city=places["city"], district=places["district"]
        )
        topics = self.topics_and_routes(where, vectors)
        urgency = self.urgency.detect(
            frame["text"].tolist(),
            frame["lemmas"].tolist(),
            local_months(frame, self.config.intake.timezone),
            places["region_code"].tolist(),  # the heating season differs by region
        )
        return pd.DataFrame(
            {
                "question_id": frame["id"],
                **{c: themes[c] for c in themes.columns},
                **{c: topics[c] for c in topics.columns},
                "region_code": places["region_code"],
                "region_source": places["region_source"],
                "city": places["city"].replace("", None),
                "district": places["district"].replace("", None),
                "urgent": urgency["urgent"],
                "urgency_kinds": urgency["kinds"],
                "urgency_score": urgency["urgency_score"].round(4),
                "urgency_evidence": urgency["evidence"],
            }
        )

    def topics_and_routes(self, frame: pd.DataFrame, vectors: np.ndarray) -> pd.DataFrame:
        """Taxonomy topics and responsible bodies of questions (``frame``: text, lemmas, meta,
        region_code, city, district; ``vectors``: theirs): ``TOPIC_COLUMNS``. Learnt models may
        use where a question comes from (the district, or an intake column kept in meta such as
        a portal's object type): the saved models' own columns."""
        context = with_meta_columns(
            frame, [*self.tagger.context_columns, *self.router.options.context_columns]
        )
        proba = self.tagger.predict_proba(context, vectors)
        topt = self.config.taxonomy
        topics = tag_frame(proba, self.tagger.ids, topt.threshold, topt.max_topics)
        # routed only where the topic is confident (a learnt router ignores this)
        routes = self.router.route(context, proba, self.tagger.ids, topt.threshold)
        return pd.DataFrame(
            {
                "topic": topics["topic"].to_numpy(),
                "topic_score": topics["topic_score"].round(4).to_numpy(),
                "topics": topics["topics"].to_numpy(),
                "route": routes["route"].to_numpy(),
                "route_score": routes["route_score"].round(4).to_numpy(),
                "routes": routes["routes"].to_numpy(),
            }
        )


def with_meta_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` plus each of ``columns`` it lacks, read from the questions' ``meta`` (the
    intake columns veche has no slot for, e.g. a portal's object type): what the channel said
    about a question can route it, as it did in the labelled history."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing or "meta" not in frame.columns:
        return frame
    metas = [m if isinstance(m, dict) else {} for m in frame["meta"]]
    return frame.assign(**{c: [m.get(c) for m in metas] for c in missing})


def theme_rows(
    model: ThemeModel,
    corpus: Corpus,
    astore: AnalysisStore,
    topic_names: dict[str, str] | None = None,
    label_languages: Sequence[str] = ("ru", "und"),
) -> pd.DataFrame:
    """The ``themes`` table: both levels, labels, terms, the central question and the current
    size (questions now in the theme, not at discovery). A broad theme's label starts with the
    name of the taxonomy topic most of its questions carry (30% at least); a specific issue
    whose label is in a language outside ``label_languages`` (its questions are in Kazakh, say)
    ends with that name, so analysts see what it is about. Counted in the database (GROUP BY):
    no analysed row is loaded."""
    names = topic_names or {}
    counts = astore.count_by(["theme_id", "broad_id", "topic"])  # one pass over the table
    # a broad theme is built from the issues whose questions mostly carry one topic (see
    # ``ThemeOptions.broad_topic_rule``), with the rest spread thin: its leading topic names it
    # from 30% up; a specific issue needs half
    dominant = {
        "broad": _dominant_topic(counts, "broad_id", at_least=0.3),
        "fine": _dominant_topic(counts, at_least=0.5),
    }
    # one batch: ambiguous labels go to the statistical detector together
    unread = {
        int(tid)
        for tid, lang in zip(model.fine.ids, detect_languages(list(model.fine.labels)), strict=True)
        if lang not in label_languages
    }
    centrals = {
        lv.central[j]: corpus.hashes.iloc[int(lv.central[j])]
        for lv in (model.broad, model.fine)
        for j in range(len(lv.ids))
        if int(lv.central[j]) < len(corpus)
    }
    first_id = astore.first_analysed(list(dict.fromkeys(centrals.values())))
    rows = []
    for level, lv, col in (("broad", model.broad, "broad_id"), ("fine", model.fine, "theme_id")):
        size = counts.groupby(col)["n"].sum()
        for j, tid in enumerate(lv.ids):
            central_hash = centrals.get(lv.central[j])
            rows.append(
                {
                    "id": int(tid),
                    "level": level,
                    "parent_id": int(model.parent[j]) if level == "fine" else None,
                    "label": _label(
                        lv.labels[j], names.get(dominant[level].get(tid)), level, tid in unread
                    )[:512],
                    "terms": list(lv.terms[j]),
                    "central_question_id": (
                        int(first_id[central_hash]) if central_hash in first_id.index else None
                    ),
                    "size": int(size.get(tid, 0)),
                }
            )
    return pd.DataFrame(rows)


def _dominant_topic(
    counts: pd.DataFrame, col: str = "theme_id", at_least: float = 0.5
) -> pd.Series:
    """Per theme in ``col``: its most frequent topic, when at least ``at_least`` of its
    questions carry it (else missing)."""
    topics = counts.groupby([col, "topic"], as_index=False)["n"].sum()
    topics = topics.sort_values([col, "n", "topic"], ascending=[True, False, True])
    top = topics.groupby(col).agg(topic=("topic", "first"), n=("n", "first"), all=("n", "sum"))
    return top["topic"].where(top["n"] >= at_least * top["all"])


def _label(terms: str, topic: str | None, level: str, unread: bool) -> str:
    """A broad theme's terms after its topic; a specific issue's terms in a language the
    analysts may not read (``unread``) before its topic."""
    if not topic:
        return terms
    if level == "broad":
        return f"{topic}: {terms}"
    return f"{terms} (≈ {topic})" if unread else terms


def build_shortlists(
    astore: AnalysisStore, u: Understanding, model: ThemeModel, options: ShortlistOptions
) -> pd.DataFrame:
    """About ``options.size`` questions per broad theme, one per duplicate group, covering the
    theme's specific issues and regions. Reads one compact row per duplicate group; texts and
    vectors only of the candidates that can make a list (``bounded_shortlist``)."""
    heads = astore.read_group_heads()
    if not len(heads):
        return pd.DataFrame(columns=["theme_id", "rank", "question_id", "score", "asked"])
    heads = heads.rename(columns={"theme_id": "sub_id"})
    centroids = pd.Index(model.fine.ids.tolist())

    def evaluate(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        q = astore.store.read_questions_by_id(
            rows["question_id"].tolist(), ["content_hash", "text"]
        )
        quality, abusive = text_quality(q["text"].tolist())
        vectors = u.vectors(q["content_hash"])
        at = centroids.get_indexer(rows["sub_id"].astype("int64"))
        centrality = np.einsum("ij,ij->i", vectors, model.fine.centroids[at])
        return quality, abusive, centrality, vectors

    out = []
    for broad, idx in heads.groupby("broad_id").indices.items():
        picked, _ = bounded_shortlist(heads.iloc[idx], evaluate, options)
        out.append(picked.assign(theme_id=int(broad)))
    lists = pd.concat(out, ignore_index=True)
    return lists[["theme_id", "rank", "question_id", "score", "asked"]]
