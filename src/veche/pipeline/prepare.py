"""Per-batch text work between intake and the store: clean -> mask -> language -> lemmas -> hash.

The extra columns kept in ``meta`` are masked too (:func:`veche.privacy.meta.mask_meta`); their
raw values go to the private table as ``meta_raw``.

Runs in worker processes, so it holds its heavy resources (NER model, morphology) in a
:class:`Preparer` built once per process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.intake import REJECT_COLUMNS
from veche.privacy import Masker
from veche.privacy.meta import mask_meta
from veche.text import Lemmatizer, clean_text, dedup_key, prepare_docs


@dataclass
class Prepared:
    questions: pd.DataFrame  # the intake batch plus text, pii_types, lang, lemmas, content_hash
    rejects: pd.DataFrame


class Preparer:
    def __init__(self, config: VecheConfig):
        p = config.privacy
        self.masker = (
            Masker(types=set(p.types) if p.types else None, use_ner=p.use_ner)
            if p.enabled
            else None
        )
        self.lemmatizer = Lemmatizer()

    def __call__(self, batch: pd.DataFrame) -> Prepared:
        cleaned = [clean_text(t) for t in batch["text_raw"]]
        empty = np.array([not t.strip() for t in cleaned], dtype=bool)
        rejects = _empty_after_cleaning(batch[empty])
        batch = batch[~empty].copy()
        cleaned = [t for t, e in zip(cleaned, empty, strict=True) if not e]

        if self.masker is not None:
            masked = self.masker.mask_many(cleaned)
            texts = [m.text for m in masked]
            pii = [",".join(sorted({s.type for s in m.spans})) for m in masked]
        else:
            texts, pii = cleaned, [""] * len(cleaned)
        docs = prepare_docs(texts, self.lemmatizer, clean=False)  # cleaned before masking
        batch["text"] = texts
        if self.masker is not None:
            batch["meta_raw"] = batch["meta"]
            batch["meta"] = mask_meta(list(batch["meta"]), self.masker)
        batch["pii_types"] = pii
        batch["lang"] = docs["lang"].to_numpy()
        batch["lemmas"] = docs["lemmas"].to_numpy()
        batch["content_hash"] = [content_hash(t) for t in texts]
        batch["ingested_at"] = datetime.now(UTC)
        batch["group_id"] = None  # set by the group stage
        batch["group_similarity"] = None
        return Prepared(batch, rejects)

    def mask_excerpts(self, rejects: pd.DataFrame) -> pd.DataFrame:
        """Rejected rows carry an excerpt for the operator: mask it like any text."""
        if self.masker is None or rejects.empty:
            return rejects
        out = rejects.copy()
        out["excerpt"] = [m.text for m in self.masker.mask_many(list(out["excerpt"]))]
        return out


def content_hash(text: str) -> str:
    """Hash of the dedup form of a (masked) text: equal hashes are exact duplicates."""
    return hashlib.md5(dedup_key(text).encode("utf-8")).hexdigest()


def _empty_after_cleaning(rows: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "key": rows["key"],
            "source_file": rows["source_file"],
            "source_row": rows["source_row"],
            "reason": "empty text after removing markup and boilerplate",
            "excerpt": rows["text_raw"].str.slice(0, 200),
        }
    )
    return out[REJECT_COLUMNS]
