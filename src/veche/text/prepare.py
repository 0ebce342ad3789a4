"""Texts prepared the way the store holds them, for texts that do not come through ingest
(taxonomy examples, label names, ad-hoc queries)."""

from __future__ import annotations

import pandas as pd

from veche.text.clean import clean_text
from veche.text.language import detect_languages
from veche.text.lemmas import Lemmatizer


def prepare_docs(
    texts: list[str], lemmatizer: Lemmatizer | None = None, *, clean: bool = True
) -> pd.DataFrame:
    """``text`` (cleaned), ``lang`` and ``lemmas`` (space-joined) of ``texts``: the one place
    where text becomes what the stages read (ingest, evaluation, taxonomy descriptions).
    ``clean=False`` for texts already cleaned (ingest masks between cleaning and this)."""
    cleaned = [clean_text(str(t)) for t in texts] if clean else [str(t) for t in texts]
    langs = detect_languages(cleaned)
    lemmatizer = lemmatizer or Lemmatizer()
    lemmas = lemmatizer.lemmas_many(cleaned, langs)
    return pd.DataFrame({"text": cleaned, "lang": langs, "lemmas": [" ".join(ls) for ls in lemmas]})
