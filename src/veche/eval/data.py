"""Read a labelled file for evaluation and prepare its texts the way ingest does.

The file is any table pandas reads (CSV with any delimiter, optionally gzipped; JSONL; Parquet;
XLSX). Texts are cleaned and lemmatised with veche's own text stage, so what is scored is what
``veche analyze`` would see. (Masking is skipped: evaluation files are public, already masked
data; it does not change themes.)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from veche.text import Lemmatizer, clean_text, dedup_key, prepare_docs


class EvalDataError(ValueError):
    pass


def read_table(path: Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise EvalDataError(f"{path}: no such file")
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return pd.read_parquet(path)
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return pd.read_json(path, lines=True, dtype=False)
    if name.endswith(".xlsx"):
        return pd.read_excel(path, dtype=str)
    # CSV: let the python engine sniff the delimiter
    return pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False)


def load_labelled(
    path: Path,
    text_col: str,
    label_col: str,
    *,
    lemmatizer: Lemmatizer | None = None,
) -> pd.DataFrame:
    """Rows with a non-empty text and label, plus ``text`` (cleaned), ``lemmas``, ``lang``,
    ``label`` and ``dedup`` (the duplicate key: equal keys are the same question).

    Every original column is kept, so protocols can split on e.g. ``created``.
    """
    df = read_table(path)
    for col in (text_col, label_col):
        if col not in df.columns:
            raise EvalDataError(
                f"{path}: no column {col!r}; columns are: {', '.join(map(str, df.columns))}"
            )
    df = df.rename(columns={text_col: "text_original", label_col: "label_original"})
    # an empty XLSX cell is NaN, which pandas 3 keeps missing through astype(str)
    df["label"] = df["label_original"].fillna("").astype(str).str.strip()
    df["text"] = [clean_text(str(t)) for t in df["text_original"].fillna("")]
    keep = (df["text"].str.strip() != "") & (df["label"] != "") & (df["label"] != "nan")
    df = df[keep].reset_index(drop=True)
    docs = prepare_docs(df["text"].tolist(), lemmatizer, clean=False)
    df["lang"] = docs["lang"].to_numpy()
    df["lemmas"] = docs["lemmas"].to_numpy()
    df["dedup"] = [dedup_key(t) for t in df["text"]]
    return df


def label_names(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """Each distinct ``label`` of the frames described by its own name (``label``, ``text``,
    ``lemmas``): a labelled file's label set is its taxonomy, known before any question is."""
    names = sorted({str(v) for f in frames if f is not None for v in f["label"]})
    return prepare_docs(names).assign(label=names)


def distinct(df: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct question (first occurrence), for scoring on distinct texts."""
    return df.drop_duplicates("dedup").reset_index(drop=True)
