import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from veche.dedup import CampaignRules, flag_campaigns

START = pd.Timestamp("2025-12-01", tz="UTC")


def rows(group, hours, senders, *, similarity=1.0, region="Тверь", channel="website"):
    n = len(hours)
    return pd.DataFrame(
        {
            "group": group,
            "created_at": START + pd.to_timedelta(np.asarray(hours, dtype=float), unit="h"),
            "sender": senders,
            "region": region,
            "channel": channel,
            "similarity": similarity if np.ndim(similarity) else [similarity] * n,
        }
    )


def event():
    rng = np.random.default_rng(1)
    background = rows(
        np.arange(100, 2100),  # 2,000 ordinary questions over 16 days
        rng.uniform(0, 16 * 24, 2000),
        [f"b{i}" for i in range(2000)],
    )
    # group 1: 300 senders paste one text within ~36 h on day 5
    burst = rows(1, 96 + rng.uniform(0, 36, 300), [f"c{i}" for i in range(300)], similarity=0.95)
    burst["region"] = rng.choice(["Тверь", "Омск", "Тула"], size=300)
    # group 2: a popular question, 300 senders, steadily over 16 days
    popular = rows(2, rng.uniform(0, 16 * 24, 300), [f"p{i}" for i in range(300)], similarity=0.9)
    # group 3: one person re-sends the same text 5 times in an hour
    repeat = rows(3, [10, 10.2, 10.4, 10.6, 11], ["r1"] * 5)
    # group 4: one person floods 60 copies within a day
    flood = rows(4, rng.uniform(200, 220, 60), ["f1"] * 60)
    return pd.concat([background, burst, popular, repeat, flood], ignore_index=True)


def by_group(out):
    return out.set_index("group")


def test_burst_is_a_campaign_steady_popular_and_repeats_are_not():
    out = flag_campaigns(event())
    g = by_group(out)
    assert g.loc[1, "is_campaign"]
    assert g.loc[1, "size"] == 300 and g.loc[1, "n_senders"] == 300
    assert g.loc[1, "n_regions"] == 3
    assert g.loc[1, "peak_share"] == 1.0
    assert g.loc[1, "reason"] == (
        "300 почти одинаковых сообщений от 300 отправителей, 100\u00a0% из них за 48 ч"
    )
    assert not g.loc[2, "is_campaign"]
    assert g.loc[2, "peak_share"] < 0.3
    assert "не кампания: растянуты на 16 дней" in g.loc[2, "reason"]
    assert not g.loc[3, "is_campaign"]
    assert "всего 5 сообщений (нужно от 20)" in g.loc[3, "reason"]
    assert not g.loc[4, "is_campaign"]
    assert "всего 1 отправитель (нужно от 10)" in g.loc[4, "reason"]
    assert out["is_campaign"].sum() == 1
    assert g.loc[100, "reason"] == "одно сообщение"


def test_output_shape_types_and_score_consistency():
    out = flag_campaigns(event())
    for col in [
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
    ]:
        assert col in out.columns
    assert len(out) == 2000 + 4
    assert out["group"].is_monotonic_increasing
    assert str(out["first_seen"].dt.tz) == "UTC"
    assert out["is_campaign"].dtype == bool
    assert out["campaign_score"].between(0, 1).all()
    assert ((out["campaign_score"] >= 0.5) == out["is_campaign"]).all()
    g = by_group(out)
    assert g.loc[1, "campaign_score"] > g.loc[2, "campaign_score"]
    assert g.loc[1, "mean_similarity"] == pytest.approx(0.95)


def test_peak_share_hand_computed():
    df = rows(7, [0, 1, 50, 51, 52], ["a", "b", "c", "d", "e"])
    g = by_group(flag_campaigns(df))
    assert g.loc[7, "peak_share"] == pytest.approx(3 / 5)  # [50 h, 98 h) holds 3 of 5
    assert g.loc[7, "first_seen"] == START
    assert g.loc[7, "last_seen"] == START + pd.Timedelta(hours=52)
    g = by_group(flag_campaigns(df, CampaignRules(window_hours=1.5)))
    assert g.loc[7, "peak_share"] == pytest.approx(2 / 5)


def test_burst_during_general_rush_is_not_a_campaign():
    rng = np.random.default_rng(2)
    # all traffic arrives in the same 36 h: the group is no faster than everything else
    background = rows(
        np.arange(100, 1100), rng.uniform(0, 36, 1000), [f"b{i}" for i in range(1000)]
    )
    group = rows(1, rng.uniform(0, 36, 100), [f"c{i}" for i in range(100)])
    g = by_group(flag_campaigns(pd.concat([background, group], ignore_index=True)))
    assert not g.loc[1, "is_campaign"]
    assert "не быстрее остального потока" in g.loc[1, "reason"]
    # with the lift rule off it is one
    g = by_group(
        flag_campaigns(pd.concat([background, group], ignore_index=True), CampaignRules(min_lift=0))
    )
    assert g.loc[1, "is_campaign"]


def test_missing_senders_timestamps_and_columns():
    df = rows(1, np.linspace(0, 10, 30), [None] * 30)
    g = by_group(flag_campaigns(df))
    assert g.loc[1, "n_senders"] == 0
    assert g.loc[1, "n_unknown_senders"] == 30
    assert g.loc[1, "is_campaign"]  # anonymous senders count as distinct by default
    assert "от 30 анонимных отправителей" in g.loc[1, "reason"]
    g = by_group(flag_campaigns(df, CampaignRules(count_unknown_senders=False)))
    assert not g.loc[1, "is_campaign"]
    bare = pd.DataFrame({"group": [5, 5, 6], "created_at": [pd.NaT, START, pd.NaT]})
    g = by_group(flag_campaigns(bare))
    assert g.loc[5, "size"] == 2 and g.loc[5, "mean_similarity"] == 1.0
    assert g.loc[5, "peak_share"] == 0.5
    assert pd.isna(g.loc[6, "first_seen"]) and g.loc[6, "peak_share"] == 0.0
    assert flag_campaigns(bare.iloc[:0]).empty


def test_rules_are_frozen_and_checked():
    rules = CampaignRules()
    with pytest.raises(ValidationError):
        rules.min_size = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        CampaignRules(min_peak_share=1.5)
    with pytest.raises(ValueError):
        CampaignRules(window_hours=0)
    with pytest.raises(ValidationError):  # a misspelt rule is refused, not ignored
        CampaignRules(min_sise=5)  # type: ignore[call-arg]


def test_every_rule_is_set_from_the_config(tmp_path):
    """The [campaigns] section is CampaignRules itself: each of its fields can be set."""
    from veche.config import load_config

    cfg = tmp_path / "veche.toml"
    cfg.write_text(
        "[campaigns]\nmin_sender_share = 0.5\nmin_lift = 0\ncount_unknown_senders = false\n",
        encoding="utf-8",
    )
    rules = load_config(cfg).campaigns
    assert isinstance(rules, CampaignRules)
    assert (rules.min_sender_share, rules.min_lift, rules.count_unknown_senders) == (0.5, 0, False)
