"""What the store holds, in numbers a person reads first: channels, languages, rejects,
duplicate groups, campaigns and the most-asked (masked) questions."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, select

from veche.store import Store
from veche.store.schema import Question, Reject


@dataclass
class Summary:
    n_questions: int
    by_channel: pd.Series
    by_lang: pd.Series
    n_rejects: int
    rejects_by_reason: pd.Series
    n_dup_groups: int
    n_in_dup_groups: int
    campaigns: pd.DataFrame  # id, size, n_senders, reason, sample
    top_groups: pd.DataFrame  # id, size, n_senders, n_regions, sample
    pii_share: float  # share of questions where something was masked
    extras: dict[str, object] = field(default_factory=dict)


def summarize(store: Store, *, top: int = 10) -> Summary:
    with store.engine.connect() as conn:
        by_channel = _counts(conn, Question.channel)
        by_lang = _counts(conn, Question.lang)
        masked = conn.scalar(select(func.count()).where(Question.pii_types != "")) or 0
        reasons = conn.execute(select(Reject.reason, func.count()).group_by(Reject.reason)).all()
    n = int(by_channel.sum())
    # reasons carry specifics ("text too long: 25,001 characters"): count by their head
    heads: dict[str, int] = {}
    for reason, count in reasons:
        head = str(reason).split(":")[0]
        heads[head] = heads.get(head, 0) + int(count)
    rej = pd.Series(heads, dtype=int).sort_values(ascending=False)
    groups = store.read_groups()
    dup = groups[groups["size"] >= 2]
    # astype(bool): an empty store's column is of object dtype, which pandas would take as
    # a list of column names
    camp = groups[groups["is_campaign"].astype(bool)]
    samples = _samples(store, pd.concat([dup.head(top), camp])["id"].tolist())
    top_groups = dup.head(top)[["id", "size", "n_senders", "n_regions"]].assign(
        sample=lambda f: f["id"].map(samples)
    )
    campaigns = camp[["id", "size", "n_senders", "reason"]].assign(
        sample=lambda f: f["id"].map(samples)
    )
    return Summary(
        n_questions=n,
        by_channel=by_channel,
        by_lang=by_lang,
        n_rejects=int(rej.sum()),
        rejects_by_reason=rej,
        n_dup_groups=len(dup),
        n_in_dup_groups=int(dup["size"].sum()),
        campaigns=campaigns.reset_index(drop=True),
        top_groups=top_groups.reset_index(drop=True),
        pii_share=masked / n if n else 0.0,
    )


def _counts(conn, column) -> pd.Series:  # type: ignore[no-untyped-def]
    rows = conn.execute(select(column, func.count()).group_by(column)).all()
    return pd.Series({k: c for k, c in rows}, dtype=int).sort_values(ascending=False)


def _samples(store: Store, group_ids: list[int]) -> dict[int, str]:
    """The masked text of each group's first question (the group id is that question's id)."""
    if not group_ids:
        return {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Question.id, Question.text).where(Question.id.in_(group_ids))
        ).all()
    return {i: t for i, t in rows}
