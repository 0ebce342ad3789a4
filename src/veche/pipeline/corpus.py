"""The corpus: one row per distinct text of the store, with how many questions share it.

The rows (``content_hash``, ``first_id``, ``n``) are counted in the database; the texts, lemmas
and languages are read only for the rows a stage asks for: the texts still to embed on a daily
rerun, everything only when themes are rediscovered. Loading every text on every run took a
nothing-new rerun at three million questions to a 5.6 GB peak (1.0 GB now).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from veche.store import Store

TEXT_COLUMNS = ["text", "lemmas", "lang"]


@dataclass
class Corpus:
    store: Store
    rows: pd.DataFrame  # content_hash, first_id, n: in order of first appearance

    @classmethod
    def of(cls, store: Store) -> Corpus:
        return cls(store, store.distinct_texts())

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def hashes(self) -> pd.Series:
        return self.rows["content_hash"]

    @property
    def sizes(self) -> pd.Series:
        return self.rows["n"]

    def with_texts(self, rows: pd.DataFrame | None = None) -> pd.DataFrame:
        """``rows`` (all of the corpus by default) with text, lemmas and lang, same order."""
        rows = self.rows if rows is None else rows
        texts = self.store.read_questions_by_id(rows["first_id"].tolist(), TEXT_COLUMNS)
        return pd.concat(
            [rows.reset_index(drop=True), texts[TEXT_COLUMNS].reset_index(drop=True)], axis=1
        )

    def iter_texts(self, rows: pd.DataFrame, chunk: int) -> Iterator[pd.DataFrame]:
        """``with_texts`` ``chunk`` rows at a time: memory stays bounded however many there are."""
        for i in range(0, len(rows), chunk):
            yield self.with_texts(rows.iloc[i : i + chunk])
