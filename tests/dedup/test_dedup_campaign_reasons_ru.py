"""Campaign reasons are Russian (the report's language), with numbers in the right forms;
the machine-readable columns beside them are unchanged."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from veche.dedup import flag_campaigns

START = pd.Timestamp("2025-12-01", tz="UTC")
NBSP = "\u00a0"


def _group(n: int, *, senders: list[str | None] | None = None, hours: float = 10.0,
           similarity: float = 0.95) -> pd.DataFrame:  # fmt: skip
    return pd.DataFrame(
        {
            "group": 1,
            "created_at": START + pd.to_timedelta(np.linspace(0, hours, n), unit="h"),
            "sender": senders if senders is not None else [f"s{i}" for i in range(n)],
            "similarity": similarity,
        }
    )


def _reason(df: pd.DataFrame) -> str:
    return str(flag_campaigns(df)["reason"].iloc[0])


@pytest.mark.parametrize(
    ("n", "messages", "senders"),
    [
        (2, "2 почти одинаковых сообщения", "от 2 отправителей"),
        (5, "5 почти одинаковых сообщений", "от 5 отправителей"),
        (11, "11 почти одинаковых сообщений", "от 11 отправителей"),
        (21, "21 почти одинаковое сообщение", "от 21 отправителя"),
        (22, "22 почти одинаковых сообщения", "от 22 отправителей"),
        (29, "29 почти одинаковых сообщений", "от 29 отправителей"),
        (101, "101 почти одинаковое сообщение", "от 101 отправителя"),
        (112, "112 почти одинаковых сообщений", "от 112 отправителей"),
    ],
)
def test_numbers_agree_with_their_nouns(n: int, messages: str, senders: str) -> None:
    assert _reason(_group(n)).startswith(f"{messages} {senders}, 100{NBSP}% из них за 48 ч")


def test_reasons_have_no_english_words() -> None:
    rng = np.random.default_rng(0)
    frames = [
        _group(29, senders=[f"s{i}" for i in range(21)] + [None] * 8),  # the browser's case
        _group(5, senders=["one"] * 5, similarity=1.0).assign(group=6),  # one person, too few
        _group(40, hours=16 * 24).assign(group=2),  # spread out
        _group(30, similarity=0.5).assign(group=3),  # loosely worded
        _group(60, senders=[f"p{i % 12}" for i in range(60)]).assign(group=4),  # re-senders
        pd.DataFrame({"group": [5], "created_at": [START]}),  # a single message
    ]
    background = pd.DataFrame(
        {"group": np.arange(100, 600), "created_at": START + pd.to_timedelta(
            rng.uniform(0, 16 * 24, 500), unit="h"), "sender": [f"b{i}" for i in range(500)]}
    )  # fmt: skip
    out = flag_campaigns(pd.concat([*frames, background], ignore_index=True))
    reasons = out.set_index("group")["reason"]
    for r in reasons.loc[[1, 2, 3, 4, 5, 6]]:
        assert not re.search(r"[A-Za-z]{2,}", r), r
        assert re.search(r"[а-яё]{4,}", r), r
    assert reasons[1] == (
        f"29 почти одинаковых сообщений от 21 отправителя (и ещё 8 анонимных), "
        f"100{NBSP}% из них за 48 ч"
    )
    assert reasons[2].endswith("не кампания: растянуты на 16 дней")
    assert "среднее сходство 0,50, нужно от 0,8" in reasons[3]
    assert "0,2 отправителя на сообщение (нужно от 0,25)" in reasons[4]
    assert reasons[5] == "одно сообщение"
    assert reasons[6] == (
        f"5 одинаковых сообщений от 1 отправителя, 100{NBSP}% из них за 48 ч; не кампания: "
        "всего 5 сообщений (нужно от 20), всего 1 отправитель (нужно от 10)"
    )
    # the machine-readable fields stay numbers and flags
    g = out.set_index("group")
    assert bool(g.loc[1, "is_campaign"]) and not g.loc[[2, 3, 4, 6], "is_campaign"].any()
    assert g.loc[1, "n_senders"] == 21 and g.loc[1, "n_unknown_senders"] == 8
    assert out["reason"].str.len().max() < 512  # fits dup_groups.reason
