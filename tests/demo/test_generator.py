"""The demo generator: shapes, shares, ground truth consistency, formats."""

from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from veche.demo import DemoEvent, generate, write_event
from veche.demo.generator import QUESTION_COLUMNS, TRUTH_COLUMNS
from veche.demo.people import inn_check, luhn_digit, snils_check
from veche.demo.regions import load_regions
from veche.demo.topics import SUBS, THEMES

CHANNELS = {"call_centre", "sms", "website", "app", "social", "messenger"}
PII_TYPES = {"PER", "PHONE", "EMAIL", "ADDRESS", "PASSPORT", "SNILS", "INN", "CARD"}
N = 20000


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character 3-grams, case-insensitive."""
    ga = {a.lower()[i : i + 3] for i in range(len(a) - 2)}
    gb = {b.lower()[i : i + 3] for i in range(len(b) - 2)}
    return len(ga & gb) / max(len(ga | gb), 1)


def containment(a: str, b: str) -> float:
    """Share of the shorter text's character 3-grams found in the other, case-insensitive."""
    ga = {a.lower()[i : i + 3] for i in range(len(a) - 2)}
    gb = {b.lower()[i : i + 3] for i in range(len(b) - 2)}
    return len(ga & gb) / max(min(len(ga), len(gb)), 1)


@pytest.fixture(scope="module")
def ev() -> DemoEvent:
    return generate(n=N, seed=1)


@pytest.fixture(scope="module")
def df(ev: DemoEvent) -> pd.DataFrame:
    return ev.questions.merge(ev.truth, on="id", validate="one_to_one")


@pytest.fixture(scope="module")
def pii(ev: DemoEvent) -> pd.Series:
    return ev.truth["pii"].map(json.loads)


def test_deterministic_by_seed() -> None:
    a, b, c = generate(n=1500, seed=7), generate(n=1500, seed=7), generate(n=1500, seed=8)
    pd.testing.assert_frame_equal(a.questions, b.questions)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert not a.questions["text"].equals(c.questions["text"])


@pytest.mark.parametrize("n", [1, 7, 120])
def test_tiny_events(n: int) -> None:
    e = generate(n=n, seed=3)
    assert len(e.questions) == len(e.truth) == n
    assert e.questions["id"].is_unique


def test_columns_and_types(ev: DemoEvent) -> None:
    q, t = ev.questions, ev.truth
    assert list(q.columns) == QUESTION_COLUMNS
    assert list(t.columns) == TRUTH_COLUMNS
    assert len(q) == len(t) == N
    assert (q["id"] == t["id"]).all() and q["id"].is_unique
    assert q["id"].str.fullmatch(r"q\d{7}").all()
    assert q["created_at"].str.fullmatch(r"2025-12-(0[4-9]|1\d)T\d\d:\d\d:\d\d\+03:00").all()
    assert q["created_at"].is_monotonic_increasing
    assert set(q["channel"]) == CHANNELS
    assert set(q["gender"]) <= {"m", "f", ""}
    assert str(q["age"].dtype) == "Int64"
    ages = q["age"].dropna()
    assert ages.between(14, 95).all() and 0.2 < len(ages) / N < 0.7
    for col in ("text", "region", "name", "phone", "email"):
        assert q[col].map(type).eq(str).all(), col
    assert (q["text"].str.strip() != "").all()
    for col in ("region_in_text", "urgent", "spam", "abuse"):
        assert t[col].dtype == bool, col
    assert np.issubdtype(t["dup_group"].dtype, np.integer)
    assert set(t["lang"]) <= {"ru", "en", "uk", "tt", "kk", "und"}


def test_personal_columns_follow_the_channel(df: pd.DataFrame) -> None:
    by = df.groupby("channel")
    filled = lambda col: by[col].apply(lambda s: (s != "").mean())  # noqa: E731
    name, phone, email = filled("name"), filled("phone"), filled("email")
    assert name["call_centre"] > 0.85 and phone["call_centre"] > 0.85
    assert phone["sms"] == 1.0 and name["sms"] == 0.0 and email["sms"] == 0.0
    assert name["website"] == 1.0 and email["website"] == 1.0
    assert min(name["app"], phone["app"], email["app"]) > 0.85
    for ch in ("social", "messenger"):
        assert phone[ch] == 0.0 and email[ch] == 0.0 and 0.3 < name[ch] < 0.95
    assert (
        df.loc[df["phone"] != "", "phone"].str.replace(r"\D", "", regex=True).str.len().eq(11).all()
    )
    assert df.loc[df["email"] != "", "email"].str.fullmatch(r"[a-z0-9._]+@[a-z.]+").all()


def test_shares(df: pd.DataFrame) -> None:
    ch = df["channel"].value_counts(normalize=True)
    assert 0.38 < ch["call_centre"] < 0.50 and 0.15 < ch["sms"] < 0.25
    assert 0.60 < (df["region"] != "").mean() < 0.80
    lang = df["lang"].value_counts(normalize=True)
    assert 0.90 < lang["ru"] < 0.96
    assert 0.02 < lang["en"] < 0.04 and 0.01 < lang["uk"] < 0.03
    assert 0.005 < lang["tt"] < 0.02 and 0.005 < lang["kk"] < 0.02
    assert 0.015 < df["urgent"].mean() < 0.035
    assert (df["urgency"] != "").eq(df["urgent"]).all()
    assert set(df["urgency"]) - {""} == {
        "life_threat", "child_risk", "no_heating", "no_water", "no_power", "violence", "emergency",
    }  # fmt: skip
    assert 0.01 < (df["spam"] | df["abuse"]).mean() < 0.03
    themed = df[df["themes"] != ""]
    multi = themed["themes"].str.contains(";")
    assert 0.07 < multi.sum() / N < 0.13
    assert (
        themed["subissue"].str.split(".").str[0] == themed["themes"].str.split(";").str[0]
    ).all()
    assert (df["themes"] == "").eq(df["spam"]).all()
    main = themed["themes"].str.split(";").str[0].value_counts(normalize=True)
    assert set(main.index) == set(THEMES)
    for big in ("pensions", "housing_utilities", "healthcare", "prices_economy"):
        assert main[big] > 0.08
        assert main[big] > 3 * max(main["culture_sport"], main["foreign_policy"])


def test_subissues_per_theme() -> None:
    per = Counter(s.theme for s in SUBS)
    assert set(per) == set(THEMES) and all(6 <= k <= 12 for k in per.values())
    assert all(len(s.cores) >= 6 for s in SUBS)
    assert all(s.reports and s.asks and s.topics for s in SUBS)


def test_pii_values_are_exact_substrings(df: pd.DataFrame, pii: pd.Series) -> None:
    types: Counter = Counter()
    for text, items in zip(df["text"], pii, strict=True):
        for it in items:
            assert it["type"] in PII_TYPES
            assert it["value"] and it["value"] in text, (it, text)
            types[it["type"]] += 1
    assert set(types) == PII_TYPES
    assert 0.15 < (pii.str.len() > 0).mean() < 0.4


def test_document_numbers_pass_checksums(pii: pd.Series) -> None:
    seen = Counter()
    for items in pii:
        for it in items:
            d = re.sub(r"\D", "", it["value"])
            if it["type"] == "SNILS":
                assert len(d) == 11 and snils_check(d[:9]) == int(d[9:]), it
            elif it["type"] == "INN":
                w10, w11, w12 = (2, 4, 10, 3, 5, 9, 4, 6, 8), (7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (
                    3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8,
                )  # fmt: skip
                if len(d) == 10:
                    assert inn_check(d[:9], w10) == int(d[9]), it
                else:
                    assert len(d) == 12, it
                    assert inn_check(d[:10], w11) == int(d[10]) and inn_check(d[:11], w12) == int(
                        d[11]
                    )
            elif it["type"] == "CARD":
                assert len(d) == 16 and luhn_digit(d[:15]) == int(d[15]), it
            elif it["type"] == "PASSPORT":
                assert len(d) == 10, it
            elif it["type"] == "PHONE":
                assert len(d) == 11 and d[0] in "78", it
            seen[it["type"]] += 1
    assert seen["SNILS"] and seen["INN"] and seen["CARD"]


def test_checksum_helpers_reject_wrong_numbers() -> None:
    assert snils_check("112233445") == 95  # the textbook example: 112-233-445 95
    assert luhn_digit("427600000000000") != (luhn_digit("427600000000000") + 1) % 10
    assert inn_check("770708389", (2, 4, 10, 3, 5, 9, 4, 6, 8)) == 3  # 7707083893


def test_duplicate_groups(df: pd.DataFrame) -> None:
    size = df["dup_group"].map(df["dup_group"].value_counts())
    organic = df[(size > 1) & (df["campaign"] == "")]
    copies = len(organic) - organic["dup_group"].nunique()
    assert 0.09 < copies / N < 0.16
    for _, g in list(organic.groupby("dup_group"))[:400]:
        assert g["themes"].nunique() == 1 and g["subissue"].nunique() == 1
        assert g["lang"].nunique() == 1 and g["urgency"].nunique() == 1
        first = g.iloc[0]["text"]
        for other in g["text"].iloc[1:]:
            if len(first) >= 30:
                assert containment(first, other) > 0.7, (first, other)
    # group ids count 1..G in order of first appearance
    firsts = df.drop_duplicates("dup_group")["dup_group"].to_numpy()
    assert (firsts == np.arange(1, len(firsts) + 1)).all()


def test_campaigns(df: pd.DataFrame) -> None:
    camp = df[df["campaign"] != ""]
    assert 4 <= camp["campaign"].nunique() <= 10  # about one per 3,000 questions
    assert 0.01 < len(camp) / N < 0.08
    groups = camp.groupby("campaign")
    assert groups["dup_group"].nunique().eq(1).all()
    assert camp.groupby("dup_group")["campaign"].nunique().eq(1).all()
    assert not df.loc[df["campaign"] == "", "dup_group"].isin(camp["dup_group"]).any()
    t = pd.to_datetime(camp["created_at"])
    span = t.groupby(camp["campaign"]).agg(lambda s: s.max() - s.min())
    assert (span <= pd.Timedelta(days=3)).all()
    sizes = groups.size()
    assert (sizes >= 20).all()
    senders = camp.assign(who=camp["name"] + camp["phone"] + camp["email"]).groupby("campaign")[
        "who"
    ]
    assert (senders.nunique() / sizes > 0.5).all()
    assert camp["channel"].isin(["social", "messenger", "website"]).mean() > 0.7
    for _, g in groups:  # one template with tiny variations
        base = g["text"].iloc[0]
        assert all(similarity(base, x) > 0.5 for x in g["text"].iloc[1:30])


def test_text_variety(df: pd.DataFrame) -> None:
    size = df["dup_group"].map(df["dup_group"].value_counts())
    originals = df[(size == 1) & (df["campaign"] == "")]
    assert originals["text"].nunique() / len(originals) > 0.97
    lengths = df["text"].str.len()
    assert lengths.quantile(0.05) < 80 and lengths.quantile(0.95) > 280
    med = df.groupby("channel")["text"].apply(lambda s: s.str.len().median())
    assert med["sms"] < med["call_centre"] < med["website"]


def test_noise_is_present(df: pd.DataFrame) -> None:
    text = df["text"]
    assert text.str.contains(r"<br|&nbsp;|<p>").mean() > 0.003
    assert text.str.contains("Отправлено с").any()
    assert text.str.contains(r"[!?]{2,}").mean() > 0.01
    assert text.str.contains("#").mean() > 0.02
    sms = df.loc[df["channel"] == "sms", "text"]
    assert (sms == sms.str.lower()).mean() > 0.5
    assert sms.str.contains(r"^[a-z ]{20,}", regex=True).any()  # transliterated
    assert df.loc[df["lang"] == "tt", "text"].str.contains("[әөүҗңһ]").mean() > 0.8
    assert df.loc[df["lang"] == "kk", "text"].str.contains("[әғқңөұүһі]").mean() > 0.8


def test_regions(df: pd.DataFrame) -> None:
    regions = load_regions()
    codes = {r.code for r in regions}
    assert set(df.loc[df["region_code"] != "", "region_code"]) <= codes
    assert (df["region_code"] == "").eq((df["region"] == "") & ~df["region_in_text"]).all()
    assert 0.15 < df["region_in_text"].mean() < 0.35
    forms = {}
    for r in regions:
        words = {r.name, r.name_gen, r.name_prep, r.capital, r.capital_gen, r.capital_prep}
        words |= {r.short, r.short_gen, r.short_prep} - {""}
        forms[r.code] = [w.lower() for w in words]
    mentioned = df[df["region_in_text"]]
    hits = [
        any(f in text.lower() for f in forms[code])
        for text, code in zip(mentioned["text"], mentioned["region_code"], strict=True)
    ]
    assert np.mean(hits) > 0.85  # the rest carry typos or transliteration
    # inflection: "в Курской области", "из Тамбова"
    assert df["text"].str.contains(r"\bв [А-Я][а-я]+ской области\b").any()
    assert df["text"].str.contains(r"\bиз [А-Я][а-я]+ской области\b").any()


def test_gazetteer_file() -> None:
    regions = load_regions()
    assert len(regions) == 83 and len({r.code for r in regions}) == 83
    assert all(re.fullmatch(r"RU-[A-Z]{2,3}", r.code) for r in regions)
    assert 135_000 < sum(r.population_k for r in regions) < 150_000
    for r in regions:
        if r.name.endswith(" область"):
            assert r.name_gen.endswith(" области") and r.name_prep.endswith(" области")
            assert r.name_gen.split()[0].endswith("ой")
        if r.name.endswith(" край"):
            assert r.name_gen.endswith("ого края") and r.name_prep.endswith("ом крае")
    by = {r.code: r for r in regions}
    assert (by["RU-KRS"].name_prep, by["RU-TAM"].capital_gen) == ("Курской области", "Тамбова")


def test_daily_growth_and_rhythm(df: pd.DataFrame) -> None:
    t = pd.to_datetime(df["created_at"].str[:19])
    per_day = t.dt.day.value_counts().sort_index()
    assert len(per_day) == 16
    assert per_day.iloc[-1] > 3 * per_day.iloc[0]
    growth = pd.Series(per_day.to_numpy()).corr(pd.Series(np.arange(16)), method="spearman")
    assert growth > 0.9
    per_hour = t.dt.hour.value_counts()
    assert per_hour.loc[[2, 3, 4]].sum() * 5 < per_hour.loc[[11, 12, 13]].sum()
    calls = t[df["channel"] == "call_centre"].dt.hour
    assert not calls.isin([0, 1, 2, 3, 4, 5, 6]).any()


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_write_event_round_trip(tmp_path, ext: str) -> None:
    e = generate(n=300, seed=5)
    path, truth_path = write_event(e, tmp_path / f"demo{ext}")
    assert path.exists() and truth_path == tmp_path / "demo.truth.parquet"
    if ext == ".csv":
        back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    elif ext == ".jsonl":
        back = pd.read_json(path, lines=True, dtype=False)
    elif ext == ".parquet":
        back = pd.read_parquet(path)
    else:
        back = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == QUESTION_COLUMNS and len(back) == 300
    for col in ("id", "text", "region", "phone", "created_at"):
        got = back[col].fillna("").astype(str).tolist()
        assert got == e.questions[col].astype(str).tolist(), col
    ages = pd.to_numeric(back["age"].replace("", None), errors="coerce")
    assert ages.isna().tolist() == e.questions["age"].isna().tolist()
    truth = pd.read_parquet(truth_path)
    pd.testing.assert_frame_equal(truth, e.truth, check_dtype=False)


def test_write_event_rejects_unknown_format(tmp_path) -> None:
    with pytest.raises(ValueError):
        write_event(generate(n=10, seed=1), tmp_path / "demo.txt")


def test_knobs() -> None:
    plain = generate(n=2000, seed=4, pii_rate=0, dup_rate=0, campaign_every=0, lang_shares={})
    t = plain.truth
    assert (t["pii"] == "[]").all()
    assert t["dup_group"].is_unique and (t["campaign"] == "").all()
    assert set(t["lang"]) <= {"ru", "und"}
    short = generate(n=500, seed=4, days=3, start="2026-01-10")
    assert set(short.questions["created_at"].str[:10]) == {"2026-01-10", "2026-01-11", "2026-01-12"}
