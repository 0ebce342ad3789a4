"""Campaign detection: which duplicate groups look like an organised copy-paste campaign.

A *campaign* is a group of (near-)identical messages that

* is large (``min_size`` messages or more),
* comes from many different people (``min_senders`` distinct senders, and at least
  ``min_sender_share`` of the messages from distinct senders, so one person's flood of copies
  does not count),
* arrived in a burst: at least ``min_peak_share`` of the group within some ``window_hours``
  window, and that window holds the group ``min_lift`` times more densely than it holds the rest
  of the traffic (so the general rush before a deadline is not mistaken for a campaign),
* and is worded (nearly) identically: mean similarity to the group's representative
  ``>= min_similarity``. Independent people asking the same thing word it differently.

A popular question asked steadily over two weeks fails the burst rules; one person re-sending
the same text fails the size and sender rules.

``campaign_score`` ranks groups: every rule maps its measure to ``[0, 1]`` so that exactly the
rule's threshold gives 0.5 (counts on a log scale: the square of the threshold gives 1.0; shares
linearly: 1.0 gives 1.0), and the score is the *weakest* of these. Hence
``is_campaign == (campaign_score >= 0.5)``, and the score says how far the least convincing
criterion is past (or short of) its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from veche.text.plural import plural

__all__ = ["CampaignRules", "flag_campaigns"]

OUTPUT_COLUMNS = [
    "group",
    "size",
    "n_senders",
    "n_regions",
    "n_channels",
    "first_seen",
    "last_seen",
    "peak_share",
    "mean_similarity",
    "campaign_score",
    "is_campaign",
    "reason",
    # extras, for the report
    "n_unknown_senders",
    "peak_start",
    "peak_lift",
]


class CampaignRules(BaseModel):
    """Thresholds of :func:`flag_campaigns`; the defaults suit a 2-4 week national Q&A intake.

    min_size: at least this many messages in the group. 20: smaller groups are better read
        by a person than labelled; organised campaigns run to hundreds or thousands.
    min_senders: at least this many distinct senders. 10 rules out a person or a family
        re-sending their question.
    min_sender_share: distinct senders / messages at least this. 0.25: campaigns reuse a
        template across people; a few people sending dozens of copies each are spam, not a
        campaign.
    window_hours: width of the burst window. 48 h: campaigns are pushed through chats and
        social networks and peak within a day or two.
    min_peak_share: at least this share of the group's messages fall in one window. 0.6: a
        question asked steadily over 16 days has ~1/8 of its messages in any 48 h.
    min_similarity: mean similarity of the messages to the group's representative at least
        this. 0.8: copy-paste campaigns are near-identical (typically > 0.9); groups joined by
        chains of looser near-duplicates are not.
    min_lift: the peak window holds the group's messages at least this many times more
        densely than it holds all other messages (share of the group / share of the rest). 1.5:
        a burst must stand out from the general traffic, e.g. the rush in the last days of the
        intake. Skipped (counts as met) when there are no other timed messages. Set to 0 to
        disable.
    count_unknown_senders: messages without a sender key count as distinct senders. True:
        anonymous channels (web forms without login) would otherwise hide a campaign; the
        size rule keeps a single anonymous re-sender out anyway.
    """

    # the ``[campaigns]`` section of veche.toml; a misspelt key is an error, not ignored
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_size: int = Field(20, ge=1)
    min_senders: int = Field(10, ge=1)
    min_sender_share: float = Field(0.25, ge=0.0, le=1.0)
    window_hours: float = Field(48.0, gt=0.0)
    min_peak_share: float = Field(0.6, ge=0.0, le=1.0)
    min_similarity: float = Field(0.8, ge=0.0, le=1.0)
    min_lift: float = Field(1.5, ge=0.0)
    count_unknown_senders: bool = True


# ---------------------------------------------------------------------------------------------
# score ramps: 0.5 exactly at the threshold


def _count_ramp(x: np.ndarray, t: float) -> np.ndarray:
    if t <= 0:
        return np.ones_like(x, dtype=float)
    return np.clip(0.5 * np.log1p(x) / np.log1p(t), 0.0, 1.0)


def _share_ramp(x: np.ndarray, t: float) -> np.ndarray:
    x = np.nan_to_num(np.asarray(x, dtype=float), nan=0.0)
    if t <= 0:
        return np.ones_like(x)
    if t >= 1:
        return np.where(x >= 1, 1.0, 0.5 * x)
    low = 0.5 * x / t
    high = 0.5 + 0.5 * (x - t) / (1.0 - t)
    return np.clip(np.where(x < t, low, high), 0.0, 1.0)


def _lift_ramp(x: np.ndarray, t: float) -> np.ndarray:
    if t <= 1:
        return np.where(x >= t, 1.0, 0.0) if t > 0 else np.ones_like(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = 0.5 * np.log(np.maximum(x, 1e-12)) / np.log(t)
    return np.clip(np.where(np.isinf(x), 1.0, v), 0.0, 1.0)


# ---------------------------------------------------------------------------------------------


def _distinct_per_group(gi: np.ndarray, values: pd.Series, n_groups: int) -> np.ndarray:
    ok = values.notna().to_numpy()
    if not ok.any():
        return np.zeros(n_groups, dtype=np.int64)
    v = pd.factorize(values[ok], sort=False)[0].astype(np.int64)
    pairs = pd.unique(gi[ok] * np.int64(v.max() + 1) + v)
    return np.bincount(pairs // (v.max() + 1), minlength=n_groups).astype(np.int64)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        col = df[name].astype(object)
        return col.where(col.notna() & (col.astype(str).str.len() > 0), None)
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def _peaks(
    gi: np.ndarray, secs: np.ndarray, timed: np.ndarray, n_groups: int, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: most messages in any ``[t, t + window)``, that window's start, messages in it
    from other groups."""
    peak = np.zeros(n_groups, dtype=np.int64)
    start = np.full(n_groups, np.iinfo(np.int64).min, dtype=np.int64)
    others = np.zeros(n_groups, dtype=np.int64)
    if not timed.any():
        return peak, start, others
    g = gi[timed]
    t = secs[timed]
    t0 = t.min()
    span = np.int64(t.max() - t0 + window + 1)
    key = g * span + (t - t0)
    order = np.argsort(key, kind="stable")
    key = key[order]
    idx = np.arange(key.size)
    inside = np.searchsorted(key, key + window, side="left") - idx  # rows in [t, t + window)
    g_sorted = g[order]
    t_sorted = t[order]
    # the first row reaching the group's maximum
    best = pd.Series(inside).groupby(g_sorted).idxmax()
    peak[best.index.to_numpy()] = inside[best.to_numpy()]
    start[best.index.to_numpy()] = t_sorted[best.to_numpy()]
    # all timed traffic in each group's peak window
    all_t = np.sort(t)
    has = start != np.iinfo(np.int64).min
    s = start[has]
    total = np.searchsorted(all_t, s + window, side="left") - np.searchsorted(all_t, s, "left")
    others[has] = total - peak[has]
    return peak, start, others


def _num(x: float, fmt: str) -> str:
    """A number as Russians write it: decimal comma."""
    return format(x, fmt).replace(".", ",")


@dataclass
class _Measures:
    """What the rules look at, one value per group (in the order of the sorted group labels)."""

    size: np.ndarray
    n_senders: np.ndarray  # distinct known senders
    n_unknown: np.ndarray  # messages without a sender key
    eff_senders: np.ndarray  # senders as the rules count them
    sender_share: np.ndarray
    n_regions: np.ndarray
    n_channels: np.ndarray
    first_seen: pd.Series
    last_seen: pd.Series
    peak: np.ndarray  # messages in the densest window
    peak_start: np.ndarray  # its start, seconds (int64 min where the group has no time)
    peak_share: np.ndarray
    lift: np.ndarray
    mean_sim: np.ndarray


def flag_campaigns(groups: pd.DataFrame, rules: CampaignRules | None = None) -> pd.DataFrame:
    """Summarise duplicate groups and flag the campaigns among them.

    ``groups`` has one row per question: ``group`` (int), ``created_at`` (datetime, UTC; naive
    values are read as UTC, missing ones are left out of the time statistics), ``sender``
    (pseudonymous sender key or None), ``region`` (or None), ``channel``, ``similarity`` (to
    the group's representative, 1.0 for exact copies). ``sender``, ``region``, ``channel`` and
    ``similarity`` may be absent (unknown; similarity then counts as 1.0).

    Returns one row per group, sorted by ``group``: ``group, size, n_senders`` (distinct known
    senders), ``n_regions, n_channels, first_seen, last_seen, peak_share`` (largest share of the
    group's messages within any ``window_hours``), ``mean_similarity, campaign_score`` (in
    ``[0, 1]``), ``is_campaign, reason`` (one line for a person, in Russian, e.g. "300 почти
    одинаковых сообщений от 300 отправителей, 100 % из них за 48 ч"), plus ``n_unknown_senders``,
    ``peak_start`` (start of the densest window) and ``peak_lift`` (how many times denser the
    group is in that window than the other messages are; inf when there are none).
    See the module docstring and :class:`CampaignRules` for the rules.
    """
    rules = rules or CampaignRules()
    gi, uniques = _group_index(groups)
    m = _measure(groups, gi, len(uniques), rules)
    checks = _checks(m, rules)
    is_campaign = np.logical_and.reduce(list(checks.values()))
    out = pd.DataFrame(
        {
            "group": np.asarray(uniques),
            "size": m.size,
            "n_senders": m.n_senders,
            "n_regions": m.n_regions,
            "n_channels": m.n_channels,
            "first_seen": pd.to_datetime(m.first_seen.to_numpy(), utc=True),
            "last_seen": pd.to_datetime(m.last_seen.to_numpy(), utc=True),
            "peak_share": m.peak_share,
            "mean_similarity": m.mean_sim,
            "campaign_score": _score(m, rules, is_campaign),
            "is_campaign": is_campaign,
            "reason": _reasons(m, checks, is_campaign, rules),
            "n_unknown_senders": m.n_unknown,
            "peak_start": pd.to_datetime(
                np.where(m.peak > 0, m.peak_start, np.iinfo(np.int64).min).astype("datetime64[s]"),
                utc=True,
            ),
            "peak_lift": m.lift,
        }
    )
    return out[OUTPUT_COLUMNS]


def _group_index(groups: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Each row's group number ``0..k-1`` (in the order of the sorted labels) and the labels."""
    if "group" not in groups.columns:
        raise ValueError("groups needs a 'group' column")
    gi, uniques = pd.factorize(groups["group"], sort=True)
    gi = gi.astype(np.int64)
    if (gi < 0).any():
        raise ValueError("'group' has missing values")
    return gi, uniques


def _seconds(groups: pd.DataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """``created_at`` as UTC times, whether each row has one, and as epoch seconds (0 if not)."""
    if "created_at" in groups.columns:
        ts = pd.to_datetime(groups["created_at"], utc=True)
    else:
        ts = pd.Series(pd.NaT, index=groups.index, dtype="datetime64[ns, UTC]")
    timed = ts.notna().to_numpy()
    secs = np.zeros(len(groups), dtype=np.int64)
    if timed.any():
        secs[timed] = (
            ts[timed]
            .dt.tz_convert("UTC")
            .dt.tz_localize(None)
            .to_numpy(dtype="datetime64[s]")
            .astype(np.int64)
        )
    return ts, timed, secs


def _lift(
    gi: np.ndarray, timed: np.ndarray, peak: np.ndarray, others_in: np.ndarray, n_groups: int
) -> np.ndarray:
    """How many times more densely the peak window holds the group than the other messages."""
    n_timed = np.bincount(gi[timed], minlength=n_groups)
    others_total = int(timed.sum()) - n_timed
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(n_timed > 0, peak / np.maximum(n_timed, 1), 0.0)
        rest = np.where(others_total > 0, others_in / np.maximum(others_total, 1), 0.0)
        lift = np.where(rest > 0, own / rest, np.inf)
    return np.where(n_timed > 0, lift, 0.0)


def _measure(
    groups: pd.DataFrame, gi: np.ndarray, n_groups: int, rules: CampaignRules
) -> _Measures:
    size = np.bincount(gi, minlength=n_groups).astype(np.int64)
    senders = _column(groups, "sender")
    n_senders = _distinct_per_group(gi, senders, n_groups)
    n_unknown = np.bincount(gi[senders.isna().to_numpy()], minlength=n_groups).astype(np.int64)
    eff_senders = n_senders + (n_unknown if rules.count_unknown_senders else 0)

    ts, timed, secs = _seconds(groups)
    by_group = ts.groupby(gi)
    window = max(1, round(rules.window_hours * 3600))
    peak, start, others_in = _peaks(gi, secs, timed, n_groups, window)

    if "similarity" in groups.columns:
        sim = pd.to_numeric(groups["similarity"], errors="coerce").astype(float)
        mean_sim = sim.groupby(gi).mean().reindex(range(n_groups)).fillna(1.0).to_numpy()
    else:
        mean_sim = np.ones(n_groups)

    return _Measures(
        size=size,
        n_senders=n_senders,
        n_unknown=n_unknown,
        eff_senders=eff_senders,
        sender_share=eff_senders / size,
        n_regions=_distinct_per_group(gi, _column(groups, "region"), n_groups),
        n_channels=_distinct_per_group(gi, _column(groups, "channel"), n_groups),
        first_seen=by_group.min().reindex(range(n_groups)),
        last_seen=by_group.max().reindex(range(n_groups)),
        peak=peak,
        peak_start=start,
        peak_share=peak / size,
        lift=_lift(gi, timed, peak, others_in, n_groups),
        mean_sim=mean_sim,
    )


def _checks(m: _Measures, r: CampaignRules) -> dict[str, np.ndarray]:
    """Per rule, which groups meet it."""
    return {
        "size": m.size >= r.min_size,
        "senders": m.eff_senders >= r.min_senders,
        "sender_share": m.sender_share >= r.min_sender_share,
        "peak": m.peak_share >= r.min_peak_share,
        "similarity": m.mean_sim >= r.min_similarity,
        "lift": (m.lift >= r.min_lift) if r.min_lift > 0 else np.ones(m.size.size, dtype=bool),
    }


def _score(m: _Measures, r: CampaignRules, is_campaign: np.ndarray) -> np.ndarray:
    """The weakest rule's ramp (see the module docstring)."""
    score = np.minimum.reduce(
        [
            _count_ramp(m.size, r.min_size),
            _count_ramp(m.eff_senders, r.min_senders),
            _share_ramp(m.sender_share, r.min_sender_share),
            _share_ramp(m.peak_share, r.min_peak_share),
            _share_ramp(m.mean_sim, r.min_similarity),
            _lift_ramp(m.lift, r.min_lift) if r.min_lift > 0 else np.ones(m.size.size),
        ]
    )
    # keep the documented identity exact despite rounding
    score = np.where(is_campaign, np.maximum(score, 0.5), np.minimum(score, np.nextafter(0.5, 0)))
    return np.clip(score, 0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# reasons, in Russian for the people reading the report; the numbers stay in their own columns


def _reasons(
    m: _Measures, checks: dict[str, np.ndarray], is_campaign: np.ndarray, r: CampaignRules
) -> list[str]:
    hours = f"{_num(r.window_hours, 'g')} ч"
    span_days = ((m.last_seen - m.first_seen).dt.total_seconds() / 86400).to_numpy()
    out: list[str] = []
    for i in range(m.size.size):
        s = int(m.size[i])
        if s == 1:
            out.append("одно сообщение")
            continue
        messages = plural(s, "сообщение", "сообщения", "сообщений")
        who = _senders_phrase(int(m.n_senders[i]), int(m.n_unknown[i]))
        share = f"{m.peak_share[i]:.0%}".replace("%", "\u00a0%")
        text = f"{s} {_wording(s, m.mean_sim[i], r)} {messages} от {who}, {share} из них за {hours}"
        if is_campaign[i]:
            out.append(text)
        else:
            why = _why_not(m, i, {k: bool(v[i]) for k, v in checks.items()}, span_days[i], r)
            out.append(text + "; не кампания: " + ", ".join(why))
    return out


def _wording(s: int, sim: float, r: CampaignRules) -> str:
    if sim >= 0.999:
        return plural(s, "одинаковое", "одинаковых", "одинаковых")
    if sim >= r.min_similarity:
        return plural(s, "почти одинаковое", "почти одинаковых", "почти одинаковых")
    return plural(s, "похожее", "похожих", "похожих")


def _senders_phrase(known: int, unknown: int) -> str:
    """Who sent the messages, after "от": a number takes the genitive there (от 1, 21
    отправителя; от 2, 5 отправителей)."""
    if known and unknown:
        anon = plural(unknown, "анонимного", "анонимных", "анонимных")
        who = f"{known} {plural(known, 'отправителя', 'отправителей', 'отправителей')}"
        return who + f" (и ещё {unknown} {anon})"
    if unknown:
        anon = plural(unknown, "анонимного отправителя", "анонимных отправителей",
                       "анонимных отправителей")  # fmt: skip
        return f"{unknown} {anon}"
    return f"{known} {plural(known, 'отправителя', 'отправителей', 'отправителей')}"


def _why_not(
    m: _Measures, i: int, ok: dict[str, bool], span_days: float, r: CampaignRules
) -> list[str]:
    """The rules group ``i`` fails, one phrase each."""
    s = int(m.size[i])
    why = []
    if not ok["size"]:
        why.append(
            f"всего {s} {plural(s, 'сообщение', 'сообщения', 'сообщений')} (нужно от {r.min_size})"
        )
    if not ok["senders"]:
        e = int(m.eff_senders[i])
        senders = plural(e, "отправитель", "отправителя", "отправителей")
        why.append(f"всего {e} {senders} (нужно от {r.min_senders})")
    elif not ok["sender_share"]:
        why.append(
            f"{_num(m.sender_share[i], '.1f')} отправителя на сообщение "
            f"(нужно от {_num(r.min_sender_share, 'g')})"
        )
    if not ok["peak"]:
        if np.isfinite(span_days) and span_days >= 1:
            d = round(span_days)
            why.append(f"растянуты на {d} {plural(d, 'день', 'дня', 'дней')}")
        else:
            why.append("растянуты во времени")
    elif not ok["lift"]:
        why.append(
            f"шли не быстрее остального потока ({_num(m.lift[i], '.1f')}× при нужных "
            f"{_num(r.min_lift, 'g')}×)"
        )
    if not ok["similarity"]:
        why.append(
            f"формулировки различаются (среднее сходство {_num(m.mean_sim[i], '.2f')}, "
            f"нужно от {_num(r.min_similarity, 'g')})"
        )
    return why
