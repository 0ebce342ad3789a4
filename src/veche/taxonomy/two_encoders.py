"""Zero-shot over two encoders: the corpus encoder for most questions, a multilingual one for
the questions it cannot read or is unsure of.

The taxonomy is written in Russian (with English keywords); the default corpus encoder, TF-IDF,
compares letters and words, so a question in Kazakh or Tatar shares almost nothing with any
category and gets a near-random topic. Those questions are scored by a second zero-shot tagger
over a multilingual encoder (``TaxonomyOptions.foreign_encoder``, e5 by default), which reads
them against the same descriptions and examples. Top topic among the true themes on the demo
(20,000 questions, seed 2, distinct texts), TF-IDF -> e5: Kazakh 0.08 -> 0.52, Tatar 0.18 ->
0.42, Ukrainian 0.59 -> 0.92, English 0.78 -> 0.87 (so only Russian, and texts too short to tell,
stay with the corpus encoder).

e5 reads Russian better too (demo 0.80 -> 0.84) but at ~60 texts/s it cannot read millions, so
it gives a second opinion only where TF-IDF is unsure: a Russian question whose top probability
is below ``TaxonomyOptions.second_opinion_below`` takes e5's answer instead. Words TF-IDF has
never seen with any category leave it flat, where e5 still matches meaning. At 0.2 that is 8% of
the demo's distinct Russian texts (top topic 0.801 -> 0.822; all through e5: 0.838) and 26% of
SPb's (category from its reason names, 0.631 -> 0.673, above all through e5: 0.664).

The second tagger is built on the first question that needs it, so a corpus in the taxonomy's
languages that TF-IDF reads confidently never loads the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from veche.embed import make_encoder
from veche.embed.base import Encoder
from veche.taxonomy.model import Taxonomy
from veche.taxonomy.options import TaxonomyOptions
from veche.taxonomy.zeroshot import ZeroShotTagger, tag_frame

_SEEN_MAX = 500_000  # texts whose foreign probabilities are kept (under 2 MB per 10,000)


class TwoEncoderTagger:
    """``main`` (over the corpus encoder) for questions whose ``lang`` is one of ``languages``
    (or unknown), a zero-shot tagger over ``foreign_encoder`` for the others and for those whose
    top probability from ``main`` is below ``unsure_below``. Same interface as
    :class:`ZeroShotTagger`; ``n_foreign`` and ``n_second`` count the questions the second
    tagger scored for either reason, ``n_read`` the distinct texts it embedded (its cost)."""

    def __init__(
        self,
        main: ZeroShotTagger,
        languages: Sequence[str],
        foreign_encoder: str | Encoder,
        encoder_options: Mapping[str, Any] | None = None,
        unsure_below: float = 0.0,
    ) -> None:
        self.main = main
        self.unsure_below = unsure_below
        self.ids = main.ids
        self.options = main.options
        self.languages = frozenset(languages)
        self._foreign_encoder = foreign_encoder
        self._encoder_options = dict(encoder_options or {})
        self._foreign: ZeroShotTagger | None = None
        self._seen: dict[str, np.ndarray] = {}
        self.n_foreign = 0
        self.n_second = 0
        self.n_read = 0

    @property
    def context_columns(self) -> list[str]:
        return []

    @property
    def foreign(self) -> ZeroShotTagger:
        if self._foreign is None:
            enc = self._foreign_encoder
            if isinstance(enc, str):
                self._foreign = _fitted_by_name(
                    self.main.taxonomy, enc, self.options, self._encoder_options
                )
            else:
                self._foreign = ZeroShotTagger(self.main.taxonomy, enc, self.options).fit()
        return self._foreign

    def foreign_rows(self, docs: pd.DataFrame) -> np.ndarray:
        """Which rows are in a language outside ``languages`` (rows without a code are not)."""
        if "lang" not in docs.columns:
            return np.zeros(len(docs), dtype=bool)
        lang = docs["lang"].astype(object)
        known = lang.notna() & (lang.astype(str) != "")
        return (known & ~lang.astype(str).isin(self.languages)).to_numpy()

    def predict_proba(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> np.ndarray:
        rows = self.foreign_rows(docs)
        keep = ~rows
        proba = np.zeros((len(docs), len(self.ids)))
        if keep.any():
            main = self.main.predict_proba(
                docs[keep], None if vectors is None else np.asarray(vectors)[keep]
            )
            unsure = main.max(axis=1) < self.unsure_below
            if unsure.any():
                main[unsure] = self._foreign_proba(docs[keep][unsure])
                self.n_second += int(unsure.sum())
            proba[keep] = main
        if rows.any():
            proba[rows] = self._foreign_proba(docs[rows])
            self.n_foreign += int(rows.sum())
        return proba

    def _foreign_proba(self, docs: pd.DataFrame) -> np.ndarray:
        """The foreign tagger's probabilities, each distinct text embedded once per tagger:
        `analyze` scores a text when it finds themes and again when it stores its topics."""
        texts = docs["text"].astype(str)
        todo = (~texts.duplicated() & ~texts.isin(self._seen.keys())).to_numpy()
        if todo.any():
            if len(self._seen) + int(todo.sum()) > _SEEN_MAX:
                self._seen.clear()
            fresh = self.foreign.predict_proba(docs[todo])
            self.n_read += int(todo.sum())
            self._seen.update(zip(texts[todo], fresh, strict=True))
        return np.vstack([self._seen[t] for t in texts])

    def tag(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        proba = self.predict_proba(docs, vectors)
        out = tag_frame(proba, self.ids, self.options.threshold, self.options.max_topics)
        out.index = docs.index
        return out


_FITTED: dict[str, ZeroShotTagger] = {}
_ROUTING_FIELDS = {"taxonomy_languages", "foreign_encoder", "second_opinion_below"}


def _fitted_by_name(
    taxonomy: Taxonomy, encoder: str, options: TaxonomyOptions, encoder_options: dict[str, Any]
) -> ZeroShotTagger:
    """One fitted tagger per taxonomy, encoder and options in a process: fitting embeds every
    example with e5 (~10 s), and `analyze` builds its taggers on each run. The settings of
    which questions go to it do not change the tagger, so they are not part of the key."""
    parts = (
        repr(taxonomy),
        encoder,
        options.model_dump_json(exclude=_ROUTING_FIELDS),
        repr(sorted(encoder_options.items())),
    )
    key = hashlib.sha1("\n".join(parts).encode()).hexdigest()
    if key not in _FITTED:
        if len(_FITTED) >= 4:
            _FITTED.pop(next(iter(_FITTED)))
        made = make_encoder(encoder, **encoder_options)
        _FITTED[key] = ZeroShotTagger(taxonomy, made, options).fit()
    return _FITTED[key]


def zero_shot_tagger(
    taxonomy: Taxonomy,
    encoder: Encoder,
    options: TaxonomyOptions | None = None,
    foreign_options: Mapping[str, Any] | None = None,
) -> ZeroShotTagger | TwoEncoderTagger:
    """The zero-shot tagger for ``encoder``'s vectors, fitted: with a second encoder for other
    languages and unsure questions when ``encoder`` is not multilingual and
    ``options.foreign_encoder`` is set (``foreign_options``: that encoder's settings, e.g. the
    config's ``[embed.e5]``)."""
    options = options or TaxonomyOptions()
    main = ZeroShotTagger(taxonomy, encoder, options).fit()
    if options.foreign_encoder is None or getattr(encoder, "multilingual", False):
        return main
    return TwoEncoderTagger(
        main,
        options.taxonomy_languages,
        options.foreign_encoder,
        foreign_options,
        unsure_below=options.second_opinion_below,
    )
