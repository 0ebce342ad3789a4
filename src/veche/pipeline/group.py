"""Group: exact and near duplicates across the whole store, then campaign flags per group.

Group ids are the smallest question id in the group, so they stay put while the data only
grows. Counts of "how many people asked this" come from these groups.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from veche.config import VecheConfig
from veche.dedup import flag_campaigns, near_groups
from veche.progress import NullProgress, Progress
from veche.store import Store
from veche.text import dedup_key


@dataclass
class GroupResult:
    n_questions: int = 0
    n_distinct: int = 0  # distinct texts after normalisation
    n_groups: int = 0  # groups of every size, singletons included
    n_dup_groups: int = 0  # groups of two or more questions
    n_in_dup_groups: int = 0
    n_campaigns: int = 0
    n_in_campaigns: int = 0
    n_changed: int = 0  # questions whose group changed in this run


def group_duplicates(
    store: Store, config: VecheConfig, progress: Progress | None = None
) -> GroupResult:
    """Group exact and near duplicates over the whole store and flag campaigns. Holds the
    store's ``groups`` lock: a concurrent ingest's grouping waits, then sees both ingests."""
    with store.lock("groups"):
        return _group_duplicates(store, config, progress)


def _group_duplicates(
    store: Store, config: VecheConfig, progress: Progress | None = None
) -> GroupResult:
    progress = progress or NullProgress()
    q = store.read_questions(
        ["text", "created_at", "channel", "region", "content_hash", "group_id", "group_similarity"]
    )
    if q.empty:
        store.write_groups(q, pd.DataFrame())
        return GroupResult()

    distinct = q.drop_duplicates("content_hash")  # id order: first occurrence
    keys = [dedup_key(t) for t in distinct["text"]]
    with progress.task("group near duplicates", len(keys)) as bar:
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            bar.advance(n - done)
            done = n

        # similarity: MinHash estimate of each text's Jaccard to its group's centre
        labels, similarity = near_groups(
            keys,
            threshold=config.dedup.threshold,
            num_perm=config.dedup.num_perm,
            ngram=config.dedup.ngram,
            progress=tick,
            return_similarity=True,
        )
        bar.advance(len(keys) - done)

    d = pd.DataFrame(
        {
            "content_hash": distinct["content_hash"].to_numpy(),
            "label": labels,
            "similarity": similarity,
        }
    )
    q = q.merge(d[["content_hash", "label", "similarity"]], on="content_hash", how="left")
    q["gid"] = q.groupby("label")["id"].transform("min")

    with progress.task("flag campaigns", None):
        senders = _sender_keys(store)
        rows = pd.DataFrame(
            {
                "group": q["gid"].to_numpy(),
                "created_at": pd.to_datetime(q["created_at"], utc=True),
                "sender": q["id"].map(senders).to_numpy(),
                "region": q["region"].to_numpy(),
                "channel": q["channel"].to_numpy(),
                "similarity": q["similarity"].to_numpy(),
            }
        )
        stats = flag_campaigns(rows, config.campaigns)
    groups = stats.rename(columns={"group": "id"})
    changed = q[
        (q["group_id"] != q["gid"])
        | ~np.isclose(q["group_similarity"].astype(float).fillna(-1), q["similarity"])
    ]
    assignment = changed[["id", "gid", "similarity"]].rename(
        columns={"gid": "group_id", "similarity": "group_similarity"}
    )
    store.write_groups(assignment, groups)

    dup = groups[groups["size"] >= 2]
    camp = groups[groups["is_campaign"]]
    return GroupResult(
        n_questions=len(q),
        n_distinct=len(d),
        n_groups=len(groups),
        n_dup_groups=len(dup),
        n_in_dup_groups=int(dup["size"].sum()),
        n_campaigns=len(camp),
        n_in_campaigns=int(camp["size"].sum()),
        n_changed=len(assignment),
    )


def _sender_keys(store: Store) -> pd.Series:
    """A pseudonymous sender key per question (phone, else e-mail, else name), kept in memory only."""
    p = store.read_private_all(["name", "phone", "email"])
    if p.empty:
        return pd.Series(dtype=object)
    phone = p["phone"].fillna("").astype(str).str.replace(r"\D", "", regex=True).str[-10:]
    email = p["email"].fillna("").astype(str).str.strip().str.lower()
    name = p["name"].fillna("").astype(str).str.strip().str.lower()
    ident = phone.where(phone.str.len() >= 7, email.where(email != "", name))
    keys = [hashlib.sha1(s.encode()).hexdigest()[:16] if s else None for s in ident]
    return pd.Series(keys, index=p["question_id"].to_numpy())
