"""What one `analyze` run shares between its stages, built once and complete before any
question is read: the fitted encoder, every distinct text's vector, the taxonomy tagger (with
each distinct text's topics computed once) and the router.

``Models.build`` fits the encoder if it never saw the corpus, embeds the texts without a
vector, then opens the tagger and the router (zero-shot ones need the fitted encoder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.embed import Encoder, make_encoder
from veche.embed.vectors import VectorStore
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.corpus import Corpus
from veche.progress import Progress
from veche.routing import Router
from veche.taxonomy import (
    BlendedTagger,
    SupervisedTagger,
    TwoEncoderTagger,
    ZeroShotTagger,
    load_taxonomy,
    make_tagger,
)

Tagger = ZeroShotTagger | TwoEncoderTagger | SupervisedTagger | BlendedTagger

EMBED_BATCH = 2_000
TAGGER_FILE = "tagger.joblib"
ROUTER_FILE = "router.joblib"
# the encoder learns its space from at most this many distinct texts (TF-IDF + SVD fit)
FIT_SAMPLE = 200_000
# distinct texts whose topic probabilities a run keeps (about 40 floats each): beyond this
# they are computed again instead of kept, so memory stays bounded on the largest corpora
TOPIC_CACHE_SIZE = 1_000_000


def encoder_options(config: VecheConfig, name: str) -> dict[str, Any]:
    """The settings of encoder ``name`` in the config's ``[embed]`` section."""
    return config.embed.settings_of(name)


def foreign_encoder_options(config: VecheConfig) -> dict[str, Any]:
    """Settings of the encoder zero-shot uses for other languages (``[embed.e5]`` for e5)."""
    name = config.taxonomy.foreign_encoder
    return encoder_options(config, name) if name else {}


def open_encoder(config: VecheConfig, artifacts: Artifacts) -> Encoder:
    """The configured encoder, loaded from ``artifacts`` when `analyze` has fitted it before
    (``needs_fit`` tells whether it still has to see the corpus)."""
    name = config.analysis.encoder
    encoder = make_encoder(name, **encoder_options(config, name))
    encoder.load(artifacts.encoder(name))
    return encoder


def with_meta_columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` plus each of ``columns`` it lacks, read from the questions' ``meta`` (the
    intake columns veche has no slot for, e.g. a portal's object type): what the channel said
    about a question can route it, as it did in the labelled history."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing or "meta" not in frame.columns:
        return frame
    metas = [m if isinstance(m, dict) else {} for m in frame["meta"]]
    return frame.assign(**{c: [m.get(c) for m in metas] for c in missing})


@dataclass
class TopicCache:
    """The tagger's topic probabilities, computed once per distinct text (content hash) in a
    run: theme discovery reads every distinct text's topics and the questions reuse them. A
    learnt tagger that reads context columns (where a question came from) is not cached: two
    questions with one text may differ there."""

    tagger: Tagger
    limit: int = TOPIC_CACHE_SIZE
    _rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    _blocks: list[np.ndarray] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return list(self.tagger.ids)

    def proba(self, frame: pd.DataFrame, vectors: np.ndarray) -> np.ndarray:
        """Topic probabilities of ``frame``'s questions (``text``, ``lemmas``, ``lang``,
        ``content_hash``, ``meta`` for context) whose vectors are ``vectors``."""
        context = list(self.tagger.context_columns)
        if context or "content_hash" not in frame.columns:
            return self.tagger.predict_proba(with_meta_columns(frame, context), vectors)
        hashes = frame["content_hash"].astype(str).to_numpy()
        missing = np.fromiter((h not in self._rows for h in hashes), bool, len(hashes))
        if missing.any():
            at = np.flatnonzero(missing)
            _, first = np.unique(hashes[at], return_index=True)
            new = at[np.sort(first)]
            fresh = self.tagger.predict_proba(frame.iloc[new].reset_index(drop=True), vectors[new])
            if len(self._rows) + len(new) > self.limit:  # full: these are not kept
                return self._gather(hashes, dict(zip(hashes[new], fresh, strict=True)))
            block = len(self._blocks)
            self._blocks.append(fresh)
            self._rows.update({h: (block, i) for i, h in enumerate(hashes[new])})
        return self._gather(hashes)

    def _gather(self, hashes: np.ndarray, fresh: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Each hash's probabilities: from ``fresh`` (computed now, not kept), else the cache."""
        out = np.empty((len(hashes), len(self.tagger.ids)), dtype=np.float64)
        for i, h in enumerate(hashes):
            if fresh is not None and h in fresh:
                out[i] = fresh[h]
            else:
                block, row = self._rows[h]
                out[i] = self._blocks[block][row]
        return out


@dataclass(frozen=True)
class Models:
    """The shared, fitted parts of a run; stages read them, never change them."""

    config: VecheConfig
    artifacts: Artifacts
    encoder_name: str
    encoder: Encoder
    vectors: VectorStore
    topics: TopicCache
    router: Router

    @property
    def tagger(self) -> Tagger:
        return self.topics.tagger

    @classmethod
    def build(
        cls, config: VecheConfig, artifacts: Artifacts, corpus: Corpus, progress: Progress
    ) -> tuple[Models, int]:
        """The run's models, and how many distinct texts were embedded now."""
        name = config.analysis.encoder
        encoder = open_encoder(config, artifacts)
        vectors, n_embedded = embed_corpus(encoder, name, corpus, artifacts, progress)
        tagger = make_tagger(
            config.taxonomy,
            encoder,
            artifacts.taxonomy / TAGGER_FILE,
            foreign_options=foreign_encoder_options(config),
        )
        models = cls(
            config=config,
            artifacts=artifacts,
            encoder_name=name,
            encoder=encoder,
            vectors=vectors,
            topics=TopicCache(tagger),
            router=open_router(config, artifacts),
        )
        return models, n_embedded

    def vectors_of(self, hashes: pd.Series | list[str]) -> np.ndarray:
        return self.vectors.get(list(hashes))

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


def embed_corpus(
    encoder: Encoder, name: str, corpus: Corpus, artifacts: Artifacts, progress: Progress
) -> tuple[VectorStore, int]:
    """Fit the encoder if it has never seen the corpus, then embed every distinct text that
    has no vector yet (texts read batch by batch). Returns the vectors and how many were new."""
    if encoder.needs_fit:
        sample = corpus.rows
        if len(sample) > FIT_SAMPLE:
            sample = sample.sample(FIT_SAMPLE, random_state=0)
        with progress.task(f"fitting the {name} encoder on {len(sample):,} texts"):
            encoder.fit(corpus.with_texts(sample))
            encoder.save(artifacts.encoder(name))
    store = VectorStore(artifacts.vectors(name), name, encoder.dim)
    todo = corpus.rows[~store.has(corpus.hashes.tolist())]
    with progress.task(f"embedding with {name}", total=len(todo)) as task:
        for part in corpus.iter_texts(todo, EMBED_BATCH):
            store.add(part["content_hash"].tolist(), encoder.encode(part))
            task.advance(len(part))
    return store, len(todo)


def open_router(config: VecheConfig, artifacts: Artifacts) -> Router:
    """The router `veche train` (or the config) gave, else each taxonomy topic's body."""
    ropt = config.routing
    learnt = artifacts.routing / ROUTER_FILE
    if ropt.model or learnt.exists():
        return Router.load(ropt.model or learnt, ropt)
    return Router.from_taxonomy(load_taxonomy(config.taxonomy.path), ropt)
