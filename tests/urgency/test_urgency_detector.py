"""Urgency flags: urgent and tricky non-urgent sentences, negation, the lexicon, demo floors."""

from __future__ import annotations

import pytest

from veche.urgency import COLUMNS, UrgencyDetector, UrgencyOptions


@pytest.fixture(scope="module")
def det() -> UrgencyDetector:
    return UrgencyDetector()


URGENT = [
    (
        "В доме нет отопления уже третьи сутки, на улице -30, у нас маленький ребёнок",
        "utilities_outage",
    ),
    ("Отопление не работает с воскресенья, в квартире +10, мороз", "utilities_outage"),
    ("Весь посёлок без света четвёртый день, котлы встали, дома холодно", "utilities_outage"),
    ("Воды нет третий день во всём микрорайоне, в доме лежачая мама", "utilities_outage"),
    ("Скорая не приехала, отец без сознания", "life_health"),
    ("Врач сказал, что без операции он не выживет", "life_health"),
    ("Сосед угрожает убить меня и поджечь дом", "violence"),
    ("Муж избивает меня, вчера душил", "violence"),
    ("Отчим бьёт дочку, у неё синяки", "child_risk"),
    ("Дети третий день одни дома, голодные, мать в запое", "child_risk"),
    ("Подруга написала, что не хочет жить", "suicide_risk"),
    ("Река вышла из берегов, дома затоплены, людей не эвакуируют", "emergency"),
    ("В подъезде сильно пахнет газом, газовики не приезжают", "emergency"),
    ("Лес горит рядом с посёлком, огонь подходит к домам", "emergency"),
    ("В нашем доме обрушилось перекрытие, люди на улице", "emergency"),
    ("No heating for three days, it is freezing and we have a baby", "utilities_outage"),
    ("My neighbour threatens to kill me", "violence"),
]

NOT_URGENT = [
    "Нет угрозы жизни, но прошу убрать снег на дороге",
    "Снег на дороге не убирают уже неделю, машины буксуют",
    "Плановое отключение горячей воды на две недели летом — это слишком долго",
    "Не горит фонарь у дома, прошу починить",
    "Табло «Пожар» над входом сломано",
    "В случае пожара эвакуационный выход закрыт на замок",
    "Отопление работает нормально, спасибо управляющей компании",
    "Умер муж, как оформить пенсию по потере кормильца?",
    "Мы не хотим жить на свалке, остановите строительство полигона",
    "На эту пенсию не прожить, прошу проиндексировать",
    "Пожара не было, просто задымление от соседского мангала",
    "Когда построят новую школу в нашем микрорайоне?",
    "Прошу покрасить фасад, отваливается штукатурка",
    "How do I apply for a pension?",
]


@pytest.mark.parametrize(("text", "kind"), URGENT)
def test_urgent_sentences(det: UrgencyDetector, text: str, kind: str) -> None:
    out = det.detect([text])
    assert list(out.columns) == COLUMNS
    row = out.iloc[0]
    assert bool(row["urgent"]), (text, row.to_dict())
    assert kind in row["kinds"].split(",")
    assert row["evidence"]
    assert 0.5 <= row["urgency_score"] <= 1.0


@pytest.mark.parametrize("text", NOT_URGENT)
def test_not_urgent_sentences(det: UrgencyDetector, text: str) -> None:
    row = det.detect([text]).iloc[0]
    assert not bool(row["urgent"]), (text, row.to_dict())
    assert row["kinds"] == "" and row["evidence"] == ""


def test_negation_turns_a_threat_off_but_not_an_outage(det: UrgencyDetector) -> None:
    out = det.detect(["угроза жизни детям, срочно", "нет угрозы жизни детям, срочно"])
    assert out["urgency_score"][0] > out["urgency_score"][1]
    out = det.detect(["отопление не работает, мороз", "отопление работает, мороз"])
    assert out["urgent"].tolist() == [True, False]


def test_given_lemmas_are_used(det: UrgencyDetector) -> None:
    out = det.detect(["текст не важен", "текст не важен"], ["нет отопление мороз", "хороший день"])
    assert out["urgent"].tolist() == [True, False]
    with pytest.raises(ValueError):
        det.detect(["a"], ["a", "b"])


def test_operator_lexicon_extension(tmp_path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        'kinds:\n  epidemic:\n    - {p: "вспышка ~2 холера|сибирский", w: 0.8}\n', encoding="utf-8"
    )
    text = ["В селе вспышка холеры"]
    assert not UrgencyDetector().detect(text)["urgent"][0]
    out = UrgencyDetector(UrgencyOptions(extra_lexicon_paths=[extra])).detect(text)
    assert out.loc[0, ["urgent", "kinds"]].tolist() == [True, "epidemic"]


def test_threshold_option(det: UrgencyDetector) -> None:
    text = ["нет горячей воды"]
    score = det.detect(text)["urgency_score"][0]
    assert 0 < score < 0.5
    low = UrgencyDetector(UrgencyOptions(threshold=score / 2)).detect(text)
    assert bool(low["urgent"][0])


def test_demo_floors() -> None:
    from veche.demo import generate

    ev = generate(3000, 5)
    out = UrgencyDetector().detect(ev.questions["text"].tolist())
    y = ev.truth["urgent"].astype(bool).to_numpy()
    p = out["urgent"].to_numpy()
    tp = (y & p).sum()
    precision, recall = tp / max(p.sum(), 1), tp / max(y.sum(), 1)
    # measured precision 0.80, recall 0.87 on this seed (0.85 / 0.89 on 20 000 rows, seed 1)
    assert precision >= 0.65, precision
    assert recall >= 0.75, recall


def test_no_heating_in_summer_is_not_urgent(det: UrgencyDetector) -> None:
    """Heating is off from June to August by design: "нет отопления" then is a complaint. A
    water outage in July stays urgent, and so does no heating where the month is unknown."""
    heating = "В квартире нет отопления третьи сутки, у нас маленький ребёнок"
    water = "Воды нет третий день во всём микрорайоне, в доме лежачая мама"
    both = "Нет отопления и воды нет третий день, в доме лежачая мама"
    texts = [heating, heating, heating, water, both]
    out = det.detect(texts, months=[1, 7, None, 7, 7])
    assert out["urgent"].tolist() == [True, False, True, True, True]
    assert out["urgency_score"][1] < out["urgency_score"][0] / 2
    with pytest.raises(ValueError, match="months"):
        det.detect(texts, months=[1])


def test_the_heating_season_depends_on_the_region(det: UrgencyDetector) -> None:
    """No heating in May is still a danger in Moscow but not in Krasnodar, where heating ends
    in early April; in June it is a complaint in Moscow but a danger in Murmansk, which heats
    into June; an unknown region takes the default months (June to August)."""
    heating = "В квартире нет отопления третьи сутки, у нас маленький ребёнок"
    months = [5, 5, 6, 6, 6, 7, 9]
    regions = ["RU-MOW", "RU-KDA", "RU-MOW", "RU-MUR", None, "RU-CHU", "RU-KDA"]
    out = det.detect([heating] * len(months), months=months, regions=regions)
    assert out["urgent"].tolist() == [True, False, False, True, False, False, False]
    with pytest.raises(ValueError, match="regions"):
        det.detect([heating], months=[6], regions=[])


def test_an_operators_calendar_replaces_a_season(tmp_path) -> None:
    """An extra lexicon's season of the same name replaces the packaged one; a damper naming
    a season the lexicon lacks, or a month outside 1-12, is refused at load with its name."""
    heating = "В квартире нет отопления третьи сутки, у нас маленький ребёнок"
    own = tmp_path / "city.yaml"
    own.write_text("seasons:\n  heating_off:\n    default: [5, 6, 7, 8, 9]\n", encoding="utf-8")
    det = UrgencyDetector(UrgencyOptions(extra_lexicon_paths=[own]))
    out = det.detect([heating] * 2, months=[5, 5], regions=["RU-MOW", "RU-MUR"])
    assert out["urgent"].tolist() == [False, False]  # the city's calendar, wherever asked
    bad = tmp_path / "bad.yaml"
    bad.write_text('dampers:\n  - {p: "котел", w: 0.5, season: winter}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no season 'winter'"):
        UrgencyDetector(UrgencyOptions(extra_lexicon_paths=[bad]))
    bad.write_text("seasons:\n  heating_off:\n    default: [0, 13]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="heating_off.*1-12"):
        UrgencyDetector(UrgencyOptions(extra_lexicon_paths=[bad]))


def test_local_months_use_the_events_time_zone() -> None:
    """Stored times are UTC: 22:30 UTC on 31 May is already June in Moscow."""
    import pandas as pd

    from veche.pipeline.stages import local_months

    frame = pd.DataFrame(
        {"created_at": [pd.Timestamp("2025-05-31 22:30", tz="UTC"), None, "2025-01-10"]}
    )
    assert local_months(frame, "Europe/Moscow") == [6, None, 1]
    assert local_months(frame, "UTC") == [5, None, 1]
    assert local_months(frame.drop(columns="created_at"), "UTC") == [None] * 3
