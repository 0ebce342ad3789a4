"""A realistic :class:`DayPicture` built from the demo generator, for the report tests.

The analysis stages are not used: themes are the generator's true themes (broad) and subissues
(fine), labelled c-TF-IDF style from their texts, so the picture looks like the real thing
without running ``veche analyze``. Texts are masked (regex masker) before they enter the picture.

>>> p = sample_picture(n=600, seed=1)
>>> int(p.themes["level"].eq("broad").sum()) > 5
True
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from veche.demo import generate
from veche.geo import region_names
from veche.privacy import Masker
from veche.report.picture import DayPicture, conform, one_per_group
from veche.text import load_stopwords

# taxonomy categories for the demo themes: Russian name and the responsible body
TOPICS: dict[str, tuple[str, str]] = {
    "social_support": ("Социальная поддержка", "Минтруд России"),
    "pensions": ("Пенсии", "Социальный фонд России"),
    "housing_utilities": ("ЖКХ", "Минстрой России"),
    "healthcare": ("Здравоохранение", "Минздрав России"),
    "roads_transport": ("Дороги и транспорт", "Минтранс России"),
    "prices_economy": ("Цены и экономика", "Минэкономразвития России"),
    "education": ("Образование", "Минпросвещения России"),
    "military_families": ("Участники СВО и их семьи", "Минобороны России"),
    "ecology": ("Экология", "Минприроды России"),
    "culture_sport": ("Культура и спорт", "Минкультуры России"),
    "state_society": ("Государство и общество", "Администрация Президента"),
    "foreign_policy": ("Внешняя политика", "МИД России"),
}
URGENCY_SCORE = {
    "life_threat": 0.97,
    "child_risk": 0.93,
    "violence": 0.9,
    "emergency": 0.88,
    "no_heating": 0.85,
    "no_water": 0.8,
    "no_power": 0.78,
}
_PLACEHOLDER = re.compile(r"\[[A-ZА-ЯЁ_]+\]")


def _stopwords() -> list[str]:
    return sorted(w for w in load_stopwords("ru") if w.isalpha())


class _Masked:
    """Masks texts on first use: only the few texts that enter the picture pay for it."""

    def __init__(self, texts: pd.Series) -> None:
        self.texts = texts
        self.masker = Masker(use_ner=False)
        self.cache: dict[int, str] = {}

    def __call__(self, idx: int) -> str:
        if idx not in self.cache:
            self.cache[idx] = self.masker.mask(str(self.texts.iloc[idx])).text
        return self.cache[idx]


def _labels(X, groups: np.ndarray, names: list[str], terms: np.ndarray, k: int = 4):
    """c-TF-IDF (BERTopic's form): a term's share in the group x log(1 + A / its frequency)."""
    rows = []
    for g in names:
        m = groups == g
        rows.append(np.asarray(X[m].sum(axis=0)).ravel())
    C = np.vstack(rows) if rows else np.zeros((0, X.shape[1]))
    tf = C / np.maximum(C.sum(axis=1, keepdims=True), 1)
    avg = C.sum() / max(len(names), 1)
    C = tf * np.log1p(avg / np.maximum(C.sum(axis=0), 1))
    out = {}
    for i, g in enumerate(names):
        top = np.argsort(-C[i])[:k]
        out[g] = [str(terms[j]) for j in top if C[i, j] > 0]
    return out


def sample_picture(
    n: int = 3000,
    seed: int = 1,
    *,
    day: date | None | str = "last",
    max_fine: int = 38,
    shortlist_size: int = 100,
    shortlist_fine: bool = True,
    top_regions: int = 5,
    plant: str | None = None,
) -> DayPicture:
    """A picture of a generated event of ``n`` questions.

    ``day``: 'last' (the event's last day), a date, or None (everything so far). Themes are
    the 12 broad demo themes plus up to ``max_fine`` subissues (most asked first); every theme
    gets a shortlist of up to ``shortlist_size`` (broad ones only unless ``shortlist_fine``).
    ``plant`` replaces the text of the most urgent question (to test escaping).
    """
    ev = generate(n, seed)
    q = ev.questions.merge(ev.truth, on="id")
    q = q[~q["spam"]].reset_index(drop=True)
    q["ts"] = pd.to_datetime(q["created_at"], format="ISO8601")
    q["day"] = q["ts"].map(lambda t: t.date())
    if isinstance(day, str):
        day = max(q["day"]) if len(q) else None
    mask = _Masked(q["text"])
    regions = region_names()
    q["region_name"] = q["region_code"].map(regions).fillna("")
    group_size = q.groupby("dup_group")["id"].transform("size")
    q["asked"] = group_size.fillna(1).astype(int)

    vec = TfidfVectorizer(
        lowercase=True,
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        stop_words=_stopwords(),
        min_df=3,
        sublinear_tf=True,
    )
    X = normalize(vec.fit_transform(q["text"].str.replace(_PLACEHOLDER, " ", regex=True)))
    vocab = vec.get_feature_names_out()
    # labels from word counts of Russian texts only (other languages would read as rare terms)
    counts = CountVectorizer(vocabulary=vocab, token_pattern=vec.token_pattern).transform(
        q["text"].where(q["lang"] == "ru", "")
    )

    # one row per (question, broad theme): a question may carry several themes
    broad = q["themes"].str.split(";").explode()
    broad = broad[broad.astype(bool)]
    fine = q["subissue"].where(q["subissue"].astype(bool))
    fine_top = fine.value_counts().head(max_fine).index.tolist()

    n_days_prev = (
        max(len({d for d in q["day"] if d < day}), 1) if day is not None else 1
    )  # mean over the earlier days that had intake
    theme_rows, member = [], {}
    broad_names = broad.value_counts().index.tolist()
    bl = _labels(counts[broad.index.to_numpy()], broad.to_numpy(), broad_names, vocab)
    fine_idx = fine[fine.isin(fine_top)]
    fl = _labels(counts[fine_idx.index.to_numpy()], fine_idx.to_numpy(), fine_top, vocab)
    for level, names, labels, series in (
        ("broad", broad_names, bl, broad),
        ("fine", fine_top, fl, fine_idx),
    ):
        for name in names:
            idx = series.index[series.to_numpy() == name].unique().to_numpy()
            member[name] = idx
            centroid = normalize(np.asarray(X[idx].mean(axis=0)))
            sims = np.asarray(X[idx] @ centroid.T).ravel()
            days = q["day"].to_numpy()[idx]
            count_day = int((days == day).sum()) if day is not None else len(idx)
            count_prev = (days < day).sum() / n_days_prev if day is not None else np.nan
            theme_rows.append(
                {
                    "theme_id": name,
                    "parent_id": name.split(".")[0] if level == "fine" else None,
                    "level": level,
                    "label": " · ".join(labels[name][:3]) or name,
                    "terms": labels[name],
                    "central_text": mask(int(idx[np.argmax(sims)])),
                    "count": len(idx),
                    "count_day": count_day,
                    "count_prev": float(count_prev),
                    "growth": count_day / count_prev if count_prev else np.nan,
                    "share": len(idx) / max(len(q), 1),
                    "urgent_count": int(q["urgent"].to_numpy()[idx].sum()),
                    "_sims": sims,
                }
            )
    themes = pd.DataFrame(theme_rows)
    label_of = dict(zip(themes["theme_id"], themes["label"], strict=True)) if len(themes) else {}

    reg_rows, daily_rows, short_rows = [], [], []
    for t in theme_rows:
        name, idx, sims = t["theme_id"], member[t["theme_id"]], t["_sims"]
        sub = q.iloc[idx]
        if t["level"] == "broad":
            rc = sub[sub["region_code"].astype(bool)].groupby(["region_code", "region_name"])
            for (code, rname), cnt in rc.size().nlargest(top_regions).items():
                reg_rows.append(
                    {"theme_id": name, "region_code": code, "region_name": rname, "count": cnt}
                )
        for d, cnt in sub.groupby("day").size().items():
            daily_rows.append({"day": d, "theme_id": name, "count": int(cnt)})
        if t["level"] == "fine" and not shortlist_fine:
            continue
        # one question per duplicate group, most central first
        order = np.argsort(-sims, kind="stable")
        seen: set = set()
        for j in order:
            row = sub.iloc[j]
            if row["dup_group"] in seen:
                continue
            seen.add(row["dup_group"])
            short_rows.append(
                {
                    "theme_id": name,
                    "rank": len(seen),
                    "question_id": row["id"],
                    "text": mask(int(idx[j])),
                    "asked": int(row["asked"]),
                    "region_name": row["region_name"],
                    "subtheme_label": label_of.get(row["subissue"], ""),
                    "score": round(float(sims[j]), 4),
                }
            )
            if len(seen) >= shortlist_size:
                break

    # urgent queue: urgency x log(people who asked), most urgent first
    urg = q[q["urgent"]].copy()
    urg["urgency_score"] = urg["urgency"].map(URGENCY_SCORE).fillna(0.7)
    urg["priority"] = (urg["urgency_score"] * (1 + np.log(urg["asked"]))).round(3)
    urg = urg.sort_values(["priority", "ts"], ascending=[False, True])
    n_urgent = len(urg)
    # one line per duplicate group, as build_picture does: its most urgent, earliest copy
    urg = one_per_group(urg, urg["dup_group"])
    urgent = pd.DataFrame(
        {
            "question_id": urg["id"],
            "created_at": urg["ts"],
            "text": [mask(int(i)) for i in urg.index],
            "kinds": urg["urgency"].map(lambda k: [k] if k else []),
            "urgency_score": urg["urgency_score"],
            "priority": urg["priority"],
            "region_name": urg["region_name"],
            "theme_label": urg["themes"].str.split(";").str[0].map(label_of).fillna(""),
            "asked": urg["asked"],
        }
    )
    if plant is not None and len(urgent):
        urgent.iloc[0, urgent.columns.get_loc("text")] = plant

    camp_rows = []
    for gid, g in q[q["campaign"].astype(bool)].groupby("campaign"):
        camp_rows.append(
            {
                "group_id": gid,
                "size": len(g),
                "n_senders": int(g["phone"].replace("", np.nan).nunique()) or len(g),
                "n_regions": int(g["region_code"].replace("", np.nan).nunique()),
                "first_seen": g["ts"].min(),
                "last_seen": g["ts"].max(),
                "reason": "один текст от многих отправителей за короткое время",
                "sample_text": mask(int(g.index[0])),
            }
        )

    tc = broad.value_counts()
    topics = pd.DataFrame(
        {
            "topic": tc.index,
            "name": [TOPICS.get(t, (t, ""))[0] for t in tc.index],
            "count": tc.to_numpy(),
            "share": tc.to_numpy() / max(len(q), 1),
            "route": [TOPICS.get(t, ("", "не определён"))[1] for t in tc.index],
        }
    )
    return conform(
        DayPicture(
            day=day,
            generated_at=datetime.now(UTC),
            n_questions=len(q),
            n_day=int((q["day"] == day).sum()) if day is not None else len(q),
            n_urgent=n_urgent,
            themes=themes.drop(columns="_sims") if len(themes) else themes,
            regions=pd.DataFrame(reg_rows),
            daily=pd.DataFrame(daily_rows),
            topics=topics,
            urgent=urgent,
            campaigns=pd.DataFrame(camp_rows),
            shortlists=pd.DataFrame(short_rows),
            notes=[
                "Демонстрационные данные: темы взяты из разметки генератора, а не из анализа.",
            ],
        )
    )
