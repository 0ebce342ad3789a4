"""The demo event: ``generate(n, seed)`` -> questions as an intake file has them + ground truth.

Random choices that do not depend on text (channel, language, theme, urgency, region, time,
duplicates, campaigns) are drawn with numpy in one go; each message is then assembled in plain
Python by :class:`veche.demo.compose.Composer` with one ``random.Random`` seeded from ``seed``
and ``n``, so the same ``(n, seed)`` always gives the same event.
"""

from __future__ import annotations

import gc
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from veche.demo import languages, people, special
from veche.demo.compose import Composer
from veche.demo.dups import mutate
from veche.demo.regions import Gazetteer
from veche.demo.topics import (
    AGES,
    SUB_INDEX,
    SUBS,
    THEME_WEIGHTS,
    THEMES,
    URGENT,
    sub_probabilities,
    urgent_probabilities,
)

CHANNELS = ["call_centre", "sms", "website", "app", "social", "messenger"]
CHANNEL_P = np.array([0.45, 0.20, 0.13, 0.10, 0.07, 0.05])
# share of rows where the channel fills the `region` column (call centres ask, forms have it)
REGION_FIELD_P = np.array([0.86, 0.40, 0.92, 0.80, 0.28, 0.28])
AGE_FIELD_P = np.array([0.75, 0.0, 0.4, 0.85, 0.0, 0.0])
GENDER_FIELD_P = np.array([0.95, 0.0, 0.5, 0.9, 0.0, 0.0])
SPAM_KINDS = ["ad", "greeting", "test", "mash", "gibberish", "abuse"]
SPAM_P = np.array([0.28, 0.25, 0.09, 0.14, 0.12, 0.12])
LANG_SHARES = {"en": 0.03, "uk": 0.02, "tt": 0.01, "kk": 0.01}
_RU_TESTS = {"тест", "Тест", "проверка", "проверка связи", "Тестовое сообщение"}
# messages per hour of day, Moscow time; the call centre works 7:00-23:00
HOURS = np.array(
    [
        1.2,
        0.7,
        0.4,
        0.3,
        0.3,
        0.5,
        1.2,
        2.5,
        4,
        5.5,
        6.5,
        7,
        7,
        6.8,
        6.6,
        6.5,
        6.5,
        6.6,
        6.8,
        7,
        6.5,
        5.2,
        3.5,
        2.2,
    ]
)
HOURS_CALL = np.where((np.arange(24) >= 7) & (np.arange(24) < 23), HOURS, 0.0)
BROADCAST = (np.arange(24) >= 12) & (np.arange(24) < 17)  # the live event on the last day
QUESTION_COLUMNS = [
    "id",
    "created_at",
    "channel",
    "region",
    "text",
    "name",
    "phone",
    "email",
    "gender",
    "age",
]
TRUTH_COLUMNS = [
    "id", "themes", "subissue", "region_code", "region_in_text", "dup_group", "campaign", "urgent",
    "urgency", "lang", "spam", "abuse", "pii",
]  # fmt: skip


@dataclass
class DemoEvent:
    questions: pd.DataFrame
    truth: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)


class _Rows:
    """Column lists filled row by row (cheaper than growing a DataFrame)."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {
            k: []
            for k in (
                "t", "key", "channel", "region", "text", "name", "phone", "email", "gender", "age",
                "themes", "subissue", "region_code", "region_in_text", "campaign", "urgent",
                "urgency", "lang", "spam", "abuse", "pii",
            )
        }  # fmt: skip

    def add(self, **kw: Any) -> None:
        for k, v in kw.items():
            self.cols[k].append(v)


def _sample_times(rng, n: int, call: np.ndarray, days: int, growth: float) -> np.ndarray:
    """Seconds from the start: volume grows day by day, peaks in the day, spikes at the event."""
    w = np.exp(np.log(growth) / max(days - 1, 1) * np.arange(days))
    w[-1] *= 1.6
    day = rng.choice(days, size=n, p=w / w.sum())
    last = day == days - 1
    hour = np.empty(n, dtype=np.int64)
    for is_call in (False, True):
        for is_last in (False, True):
            m = (call == is_call) & (last == is_last)
            k = int(m.sum())
            if not k:
                continue
            hw = (HOURS_CALL if is_call else HOURS) * np.where(BROADCAST & is_last, 3.0, 1.0)
            hour[m] = rng.choice(24, size=k, p=hw / hw.sum())
    return day * 86400 + hour * 3600 + rng.integers(0, 3600, size=n)


def _next_call_time(ts: int, R) -> int:
    """The first moment the call centre is open at or after ``ts`` (plus a short wait)."""
    day, sec = divmod(ts, 86400)
    if sec >= 23 * 3600:
        day += 1
    return day * 86400 + 7 * 3600 + R.randrange(2 * 3600)


def _call_hours(ts: np.ndarray) -> np.ndarray:
    """Squeeze a day's 24 hours into the call centre's 7:00-23:00."""
    day, sec = np.divmod(ts, 86400)
    return day * 86400 + 7 * 3600 + sec * 16 // 24


def _campaign_sizes(rng, n: int, every: int) -> np.ndarray:
    k = int(round(n / every)) if every > 0 else 0
    if k == 0 and every > 0 and n >= 500:
        k = 1
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    sizes = np.clip(rng.lognormal(np.log(75), 0.9, size=k), 30, 2000)
    cap = 0.06 * n
    if sizes.sum() > cap:
        sizes *= cap / sizes.sum()
    return np.maximum(sizes.round().astype(np.int64), 5)


def _ages(rng, theme: np.ndarray) -> np.ndarray:
    params = np.array([AGES[t] for t in THEMES] + [(34, 12, 16, 75)], dtype=float)
    p = params[theme]  # theme -1 (spam) takes the last row
    a = rng.normal(p[:, 0], p[:, 1])
    return np.clip(a, p[:, 2], p[:, 3]).astype(np.int64)


def generate(
    n: int = 20000,
    seed: int = 1,
    *,
    start: str = "2025-12-04",
    days: int = 16,
    growth: float = 4.0,
    dup_rate: float = 0.12,
    campaign_every: int = 3000,
    urgent_rate: float = 0.025,
    multi_rate: float = 0.10,
    spam_rate: float = 0.014,
    abuse_rate: float = 0.008,
    lang_shares: dict[str, float] | None = None,
    region_field_rate: float = 0.70,
    typo_rate: float = 1.0,
    pii_rate: float = 1.0,
) -> DemoEvent:
    """Generate ``n`` questions of a ``days``-long intake starting on ``start`` (Moscow time).

    Rates are shares of all rows (approximately); ``typo_rate`` and ``pii_rate`` scale the
    amount of typing noise and of personal data written into the texts.
    """
    opts = {k: v for k, v in locals().items() if k not in ("n", "seed")}
    if n < 1:
        raise ValueError("n must be positive")
    if days < 1:
        raise ValueError("days must be positive")
    gc_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector only costs time
    try:
        return _generate(n, seed, **opts)
    finally:
        if gc_enabled:
            gc.enable()


def _generate(
    n: int,
    seed: int,
    *,
    start: str,
    days: int,
    growth: float,
    dup_rate: float,
    campaign_every: int,
    urgent_rate: float,
    multi_rate: float,
    spam_rate: float,
    abuse_rate: float,
    lang_shares: dict[str, float] | None,
    region_field_rate: float,
    typo_rate: float,
    pii_rate: float,
) -> DemoEvent:
    # the order of the random draws below fixes every demo: keep it when changing a step
    rng = np.random.default_rng([seed, n])
    R = random.Random(f"veche-demo/{seed}/{n}")
    gaz = Gazetteer()
    comp = Composer(R, pii_rate=pii_rate, typo_rate=typo_rate)
    lang_shares = dict(LANG_SHARES if lang_shares is None else lang_shares)
    rows = _Rows()

    camp_sizes = _campaign_sizes(rng, n, campaign_every)
    n_camp = int(camp_sizes.sum())
    n_dup = min(int(round(dup_rate * n)), max((n - n_camp) // 3, 0))
    n_orig = n - n_camp - n_dup

    o = _draw_originals(
        rng, gaz, n_orig, lang_shares=lang_shares, spam_rate=spam_rate, urgent_rate=urgent_rate,
        multi_rate=multi_rate, abuse_rate=abuse_rate, region_field_rate=region_field_rate,
        days=days, growth=growth,
    )  # fmt: skip
    # duplicates: which originals get re-sent, how, when (needed before the text loop)
    pop = rng.pareto(1.6, size=n_orig) + 1.0
    pop[o.spam] *= 0.3
    dup_src = rng.choice(n_orig, size=n_dup, p=pop / pop.sum()) if n_dup else np.zeros(0, np.int64)
    dup_same = rng.random(n_dup) < 0.65
    persons = _write_originals(rows, R, comp, gaz, o, keep_person=set(dup_src.tolist()))

    _campaigns(rows, rng, R, comp, gaz, camp_sizes, n_orig, days, region_field_rate)
    _duplicates(rows, rng, R, gaz, dup_src, dup_same, persons, o.region, days, region_field_rate)
    questions, truth = _frames(rows, start)
    params = dict(
        n=n, seed=seed, start=start, days=days, growth=growth, dup_rate=dup_rate,
        campaign_every=campaign_every, urgent_rate=urgent_rate, multi_rate=multi_rate,
        spam_rate=spam_rate, abuse_rate=abuse_rate, lang_shares=lang_shares,
        region_field_rate=region_field_rate, typo_rate=typo_rate, pii_rate=pii_rate,
        campaigns=len(camp_sizes), campaign_rows=n_camp, duplicate_rows=n_dup,
    )  # fmt: skip
    return DemoEvent(questions, truth, params)


@dataclass
class _Originals:
    """Everything about the original (first-sent) questions that is drawn before any text."""

    channel: np.ndarray  # index into CHANNELS
    spam: np.ndarray
    spam_kind: np.ndarray  # index into SPAM_KINDS
    langs: list[str]  # the foreign languages
    foreign: np.ndarray
    lang_pick: np.ndarray  # index into langs
    ftext: np.ndarray  # index into the language's texts
    urgent: np.ndarray
    sub_i: np.ndarray  # index into SUBS
    urg_i: np.ndarray  # index into URGENT
    multi: np.ndarray  # a second question, sub2_i, about another theme
    sub2_i: np.ndarray
    abuse: np.ndarray
    female: np.ndarray
    age: np.ndarray
    region: np.ndarray  # index into the gazetteer
    has_field: np.ndarray  # the region column is filled
    in_text: np.ndarray  # the text names the place
    t: np.ndarray  # seconds from the start
    age_shown: np.ndarray
    gender_shown: np.ndarray


def _draw_originals(
    rng, gaz: Gazetteer, n_orig: int, *, lang_shares: dict[str, float], spam_rate: float,
    urgent_rate: float, multi_rate: float, abuse_rate: float, region_field_rate: float,
    days: int, growth: float,
) -> _Originals:  # fmt: skip
    """Every choice that does not need text, drawn at once."""
    ch = rng.choice(len(CHANNELS), size=n_orig, p=CHANNEL_P)
    spam = rng.random(n_orig) < spam_rate
    spam_kind = rng.choice(len(SPAM_KINDS), size=n_orig, p=SPAM_P)
    langs = list(lang_shares)
    foreign, lang_pick = _draw_languages(rng, n_orig, lang_shares, (ch != 0) & ~spam)
    ru = ~spam & ~foreign
    urgent, sub_i, urg_i, main_theme, multi, sub2_i, abuse = _draw_subissues(
        rng, ru, urgent_rate, multi_rate, abuse_rate
    )
    ftext, theme = _draw_foreign_texts(
        rng, langs, foreign, lang_pick, np.where(spam, -1, main_theme)
    )
    p_female = np.array([s.female if s.female is not None else 0.58 for s in SUBS])[sub_i]
    p_female = np.where(ru & ~urgent, p_female, 0.58)
    female = rng.random(n_orig) < p_female
    age = _ages(rng, theme)
    region = gaz.sample(rng, n_orig)
    for li, lg in enumerate(langs):  # some languages are written mostly from some regions
        m = foreign & (lang_pick == li)
        if lg in languages.FOCUS and m.any():
            region[m] = rng.choice(
                len(gaz.codes), size=int(m.sum()), p=gaz.weights_for(languages.FOCUS[lg])
            )
    scale = region_field_rate / 0.69
    has_field = rng.random(n_orig) < np.clip(REGION_FIELD_P[ch] * scale, 0, 1)
    in_text = ru & (rng.random(n_orig) < np.where(has_field, 0.18, 0.45))
    t = _sample_times(rng, n_orig, ch == 0, days, growth)
    age_shown = rng.random(n_orig) < AGE_FIELD_P[ch]
    gender_shown = rng.random(n_orig) < GENDER_FIELD_P[ch]
    return _Originals(
        channel=ch, spam=spam, spam_kind=spam_kind, langs=langs, foreign=foreign,
        lang_pick=lang_pick, ftext=ftext, urgent=urgent, sub_i=sub_i, urg_i=urg_i, multi=multi,
        sub2_i=sub2_i, abuse=abuse, female=female, age=age, region=region, has_field=has_field,
        in_text=in_text, t=t, age_shown=age_shown, gender_shown=gender_shown,
    )  # fmt: skip


def _draw_languages(
    rng, n_orig: int, lang_shares: dict[str, float], eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are in another language (never call-centre transcripts or spam), and which."""
    n_langs = len(lang_shares)
    p_foreign = min(sum(lang_shares.values()) * n_orig / max(int(eligible.sum()), 1), 0.9)
    foreign = eligible & (rng.random(n_orig) < p_foreign)
    lang_pick = (
        rng.choice(
            n_langs,
            size=n_orig,
            p=np.array(list(lang_shares.values())) / sum(lang_shares.values()),
        )
        if n_langs
        else np.zeros(n_orig, dtype=int)
    )
    return foreign, lang_pick


def _draw_subissues(
    rng, ru: np.ndarray, urgent_rate: float, multi_rate: float, abuse_rate: float
) -> tuple[np.ndarray, ...]:
    """Russian rows: urgent or not, the subissue (or urgent wording), a second question about
    another theme, abuse. Returns ``urgent, sub_i, urg_i, main_theme, multi, sub2_i, abuse``."""
    n_orig = ru.size
    n_ru = max(int(ru.sum()), 1)
    urgent = ru & (rng.random(n_orig) < urgent_rate * n_orig / n_ru)
    sub_i = rng.choice(len(SUBS), size=n_orig, p=sub_probabilities())
    urg_i = rng.choice(len(URGENT), size=n_orig, p=urgent_probabilities())
    sub_theme = np.array([THEMES.index(s.theme) for s in SUBS])
    multi = (
        ru
        & (rng.random(n_orig) < multi_rate * n_orig / n_ru / 0.93)
        & (~urgent | (rng.random(n_orig) < 0.05))
    )
    sub2_i = rng.choice(len(SUBS), size=n_orig, p=sub_probabilities())
    main_theme = np.where(
        urgent, np.array([THEMES.index(s.theme) for s in URGENT])[urg_i], sub_theme[sub_i]
    )
    for _ in range(4):  # a second question about another theme
        clash = multi & (sub_theme[sub2_i] == main_theme)
        if not clash.any():
            break
        sub2_i[clash] = rng.choice(len(SUBS), size=int(clash.sum()), p=sub_probabilities())
    multi &= sub_theme[sub2_i] != main_theme
    abuse = ru & (rng.random(n_orig) < abuse_rate * n_orig / n_ru)
    return urgent, sub_i, urg_i, main_theme, multi, sub2_i, abuse


def _draw_foreign_texts(
    rng, langs: list[str], foreign: np.ndarray, lang_pick: np.ndarray, theme: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A text per foreign-language row, weighted by its theme's share; ``theme`` with those
    rows set to their text's theme."""
    ftext = np.zeros(foreign.size, dtype=np.int64)
    for li, lg in enumerate(langs):
        m = foreign & (lang_pick == li)
        items = languages.C_TEXTS[lg]
        th = [sid.split(".")[0] for sid, _ in items]
        w = np.array([THEME_WEIGHTS[t] / th.count(t) for t in th])
        ftext[m] = rng.choice(len(items), size=int(m.sum()), p=w / w.sum())
    theme = theme.copy()
    for li, lg in enumerate(langs):
        m = foreign & (lang_pick == li)
        items = languages.C_TEXTS[lg]
        theme[m] = np.array([THEMES.index(sid.split(".")[0]) for sid, _ in items])[ftext[m]]
    return ftext, theme


def _write_originals(
    rows: _Rows, R, comp: Composer, gaz: Gazetteer, o: _Originals, keep_person: set[int]
) -> dict[int, people.Person]:
    """Compose each original's text and fields; return the senders of ``keep_person`` rows."""
    persons: dict[int, people.Person] = {}
    theme_str = [s.theme for s in SUBS]
    for i in range(o.channel.size):
        c = CHANNELS[o.channel[i]]
        person = people.make_person(R, bool(o.female[i]))
        reg = int(o.region[i])
        comp.start(person, int(o.age[i]), gaz.phrases(reg) if o.in_text[i] else None)
        themes = subissue = urgency = ""
        if o.spam[i]:
            kind = SPAM_KINDS[o.spam_kind[i]]
            segs = comp.spam(kind)
            lang = "ru" if kind in ("ad", "greeting", "abuse") else "und"
            if kind == "test" and segs[0][0] in _RU_TESTS:
                lang = "ru"
            is_abuse = kind == "abuse"
        elif o.foreign[i]:
            lang = o.langs[o.lang_pick[i]]
            sid, tpl = languages.C_TEXTS[lang][o.ftext[i]]
            segs = comp.foreign(lang, tpl, c)
            themes, subissue, is_abuse = sid.split(".")[0], sid, False
        else:
            lang = "ru"
            sub = URGENT[o.urg_i[i]] if o.urgent[i] else SUBS[o.sub_i[i]]
            sub2 = SUBS[o.sub2_i[i]] if o.multi[i] else None
            segs = comp.russian(c, sub, sub2, bool(o.in_text[i]), bool(o.abuse[i]))
            themes = sub.theme if sub2 is None else f"{sub.theme};{theme_str[o.sub2_i[i]]}"
            subissue, urgency, is_abuse = sub.id, sub.urgency, bool(o.abuse[i])
        placed = bool(o.in_text[i]) and comp.slots.placed
        text, pii = comp.finish(segs, c, lang)
        if i in keep_person:
            persons[i] = person
        rf = gaz.reported_name(R, reg, c) if o.has_field[i] else ""
        rows.add(
            t=int(o.t[i]), key=i, channel=c, region=rf, text=text,
            name=people.name_field(R, person, c), phone=people.phone_field(R, person, c),
            email=people.email_field(R, person, c),
            gender=("f" if o.female[i] else "m") if o.gender_shown[i] else "",
            age=int(o.age[i]) if o.age_shown[i] else None,
            themes=themes, subissue=subissue,
            region_code=gaz.codes[reg] if (o.has_field[i] or placed) else "",
            region_in_text=placed, campaign="", urgent=bool(urgency), urgency=urgency,
            lang=lang, spam=bool(o.spam[i]), abuse=is_abuse, pii=pii,
        )  # fmt: skip
    return persons


def _campaigns(rows, rng, R, comp, gaz, sizes, key0, days, region_field_rate) -> None:
    """Coordinated copy-paste: one template, many senders, a burst of one to three days."""
    order = rng.permutation(len(special.CAMPAIGNS))
    camp_ch = np.array([0.03, 0.05, 0.22, 0.10, 0.35, 0.25])
    for k, size in enumerate(sizes):
        size = int(size)
        first_round = k < len(order)
        sid, wordings = special.CAMPAIGNS[order[k] if first_round else R.randrange(len(order))]
        tmpl = R.choice(wordings)
        if not first_round or R.random() < 0.3:  # the same cause again: reworded, reframed
            if R.random() < 0.5:
                tmpl = R.choice(special.CAMPAIGN_OPENERS) + tmpl
            if R.random() < 0.6:
                tmpl += R.choice(special.CAMPAIGN_CLOSERS)
        sub = SUBS[SUB_INDEX[sid]]
        reg = int(gaz.sample(rng, 1)[0])
        r = gaz.regions[reg]
        local = "{" in tmpl and any(
            s in tmpl for s in ("{city", "{region", "{village", "{district", "{street")
        )
        names_region = any(s in tmpl for s in ("{city", "{region"))
        comp.start(people.make_person(R, False), 40, None)
        comp.slots.update(
            city_gen=r.capital_gen,
            city_prep=gaz.city_prep[reg],
            region_prep=gaz.prep[reg][0],
            district_gen=R.choice(special.DISTRICTS),
        )
        base = tmpl.format_map(comp.slots)
        dur = int(rng.integers(1, 4))
        t0 = int(rng.integers(0, max(days - dur, 0) * 86400 + 1))
        ts = t0 + (rng.beta(1.3, 3.0, size=size) * dur * 86400).astype(np.int64)
        chs = rng.choice(len(CHANNELS), size=size, p=camp_ch)
        ts = np.where(chs == 0, _call_hours(ts), ts)
        regs = np.full(size, reg) if local else gaz.sample(rng, size)
        has_field = rng.random(size) < np.clip(REGION_FIELD_P[chs] * region_field_rate / 0.69, 0, 1)
        for j in range(size):
            c = CHANNELS[chs[j]]
            person = people.make_person(R, bool(R.random() < 0.6))
            comp.start(person, R.randint(20, 80), None)
            segs = []
            if R.random() < 0.3 and not base.startswith(("Уважаемый", "Здравствуйте")):
                segs.append((R.choice(special.CAMPAIGN_HEADS), None))
            segs.append((base, None))
            if R.random() < 0.25:
                segs.append((" " + R.choice(special.CAMPAIGN_TAILS), None))
            if names_region and R.random() < 0.1:
                segs.append((f" Жители {r.capital_gen}.", None))
            if R.random() < 0.12 * comp.pii_rate:
                segs.append((" ", None))
                segs.extend(comp.render(special.C_CAMPAIGN_SIGN))
            if c == "social" and R.random() < 0.5:
                segs.append((" #прямаялиния", None))
            text, pii = comp.finish(segs, c, "ru", light=True)
            rg = int(regs[j])
            rows.add(
                t=int(ts[j]), key=key0 + k, channel=c,
                region=gaz.reported_name(R, rg, c) if has_field[j] else "", text=text,
                name=people.name_field(R, person, c), phone=people.phone_field(R, person, c),
                email=people.email_field(R, person, c), gender="", age=None,
                themes=sub.theme, subissue=sub.id,
                region_code=gaz.codes[rg] if (has_field[j] or names_region) else "",
                region_in_text=names_region, campaign=f"camp{k + 1:04d}", urgent=False,
                urgency="", lang="ru", spam=False, abuse=False, pii=pii,
            )  # fmt: skip


def _duplicates(rows, rng, R, gaz, src, same, persons, region, days, region_field_rate) -> None:
    """Re-sent messages: the same sender again (another day or channel) or copy-paste by others."""
    cols = rows.cols
    end = days * 86400 - 1
    delay = (rng.exponential(1.5 * 86400, size=len(src)) + 300).astype(np.int64)
    other_ch = np.array([0.0, 0.10, 0.20, 0.10, 0.35, 0.25])
    resend_ch = np.array([0.0, 0.25, 0.30, 0.20, 0.10, 0.15])
    ch_other = rng.choice(len(CHANNELS), size=len(src), p=other_ch)
    ch_resend = rng.choice(len(CHANNELS), size=len(src), p=resend_ch)
    for j, s in enumerate(src.tolist()):
        s_ch = cols["channel"][s]
        same_sender = (
            bool(same[j])
            or s_ch == "call_centre"  # an operator's transcript is not something others copy
            or cols["pii"][s] != "[]"
            or cols["region_in_text"][s]
            or cols["spam"][s]
        )
        if same_sender:
            keep = s_ch == "call_centre" or R.random() < 0.5
            c = s_ch if keep else CHANNELS[ch_resend[j]]
            person = persons[s]
            reg = int(region[s])
        else:
            c = CHANNELS[ch_other[j]]
            person = people.make_person(R, R.random() < 0.58)
            reg = int(gaz.sample(rng, 1)[0])
        ts = cols["t"][s] + int(delay[j])
        if ts > end:
            ts = cols["t"][s] + int(R.random() * max(end - cols["t"][s], 1))
        if c == "call_centre" and not 7 <= ts % 86400 // 3600 < 23:
            moved = _next_call_time(ts, R)  # the call centre answers 7:00-23:00
            if moved <= end:
                ts = moved
            else:
                c = "app"
        text, pii = mutate(
            cols["text"][s], cols["pii"][s], R, same_sender, c, cols["spam"][s], person.female
        )
        field_p = REGION_FIELD_P[CHANNELS.index(c)] * region_field_rate / 0.69
        has_field = R.random() < field_p
        in_text = cols["region_in_text"][s] if same_sender else False
        rows.add(
            t=ts, key=cols["key"][s], channel=c,
            region=gaz.reported_name(R, reg, c) if has_field else "", text=text,
            name=people.name_field(R, person, c), phone=people.phone_field(R, person, c),
            email=people.email_field(R, person, c),
            gender=(cols["gender"][s] if c == s_ch else "") if same_sender else "",
            age=(cols["age"][s] if c == s_ch else None) if same_sender else None,
            themes=cols["themes"][s], subissue=cols["subissue"][s],
            region_code=gaz.codes[reg] if (has_field or in_text) else "",
            region_in_text=in_text, campaign="", urgent=cols["urgent"][s],
            urgency=cols["urgency"][s], lang=cols["lang"][s], spam=cols["spam"][s],
            abuse=cols["abuse"][s], pii=pii,
        )  # fmt: skip


def _frames(rows: _Rows, start: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sort by time, number the rows, build both frames; lists are freed column by column."""
    c = rows.cols
    t = np.asarray(c.pop("t"), dtype=np.int64)
    order = np.argsort(t, kind="stable")
    key = np.asarray(c.pop("key"), dtype=np.int64)[order]
    data: dict[str, Any] = {}
    for name in list(c):
        values = c.pop(name)
        if name in ("region_in_text", "urgent", "spam", "abuse"):
            data[name] = np.asarray(values, dtype=bool)[order]
        elif name == "age":
            ages = np.asarray([-1 if a is None else a for a in values], dtype=np.int64)[order]
            data[name] = pd.array(np.where(ages < 0, 0, ages), dtype="Int64")
            data[name][ages < 0] = pd.NA
        else:
            data[name] = pd.array(values, dtype="str").take(order)
        del values
    stamps = np.datetime64(f"{start}T00:00:00", "s") + t[order].astype("timedelta64[s]")
    data["created_at"] = pd.array(
        np.char.add(np.datetime_as_string(stamps, unit="s"), "+03:00"), dtype="str"
    )
    data["id"] = pd.array(
        np.char.add("q", np.char.zfill(np.arange(1, len(t) + 1).astype(str), 7)), dtype="str"
    )
    data["dup_group"] = pd.factorize(key)[0].astype(np.int64) + 1
    questions = pd.DataFrame({k: data[k] for k in QUESTION_COLUMNS})
    truth = pd.DataFrame({k: data[k] for k in TRUTH_COLUMNS})
    return questions, truth


def write_event(event: DemoEvent, path: Path | str) -> tuple[Path, Path]:
    """Write the questions in the format the extension names (.csv, .jsonl, .parquet, .xlsx)
    and the ground truth beside them as ``<stem>.truth.parquet``; return both paths."""
    path = Path(path)
    q = event.questions
    ext = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == ".csv":
        q.to_csv(path, index=False, encoding="utf-8")
    elif ext == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for rec in q.to_dict("records"):
                rec["age"] = None if pd.isna(rec["age"]) else int(rec["age"])
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif ext == ".parquet":
        q.to_parquet(path, index=False)
    elif ext == ".xlsx":
        if len(q) > 1_048_575:
            raise ValueError(f"{len(q):,} rows do not fit in one Excel sheet; use .csv or .parquet")
        q.to_excel(path, index=False, engine="openpyxl")
    else:
        raise ValueError(
            f"unknown output format {path.suffix!r}: use .csv, .jsonl, .parquet or .xlsx"
        )
    truth_path = path.with_name(path.name[: -len(path.suffix)] + ".truth.parquet")
    event.truth.to_parquet(truth_path, index=False)
    return path, truth_path
