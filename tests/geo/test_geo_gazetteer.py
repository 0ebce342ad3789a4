"""The packaged gazetteer: every town resolves to its region, abbreviations only in capitals,
town names of several regions stay unassigned, words and surnames found in real appeals are no
places (issue 14, item 5)."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources

import pytest

from veche.geo import GeoOptions, RegionResolver


def _rows(name: str) -> list[dict[str, str]]:
    with (resources.files("veche") / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _towns() -> dict[str, set[str]]:
    """Town name -> the regions that have a town of that name (capitals and listed towns)."""
    towns: dict[str, set[str]] = defaultdict(set)
    for r in _rows("resources/regions_ru.csv"):
        if r["capital"]:
            towns[r["capital"]].add(r["code"])
    for r in _rows("geo/cities_ru.csv"):
        towns[r["city"]].add(r["region_code"])
    return towns


@pytest.fixture(scope="module")
def resolver() -> RegionResolver:
    return RegionResolver()


def _codes(resolver: RegionResolver, texts: list[str]) -> list[str]:
    return resolver.resolve(texts, [None] * len(texts))["region_code"].tolist()


def test_every_town_of_the_gazetteer_resolves_to_its_region(resolver: RegionResolver) -> None:
    towns = _towns()
    assert len(towns) > 500
    names = sorted(towns)
    got = _codes(resolver, [f"г. {name}, во дворе не убирают снег" for name in names])
    want = [next(iter(towns[n])) if len(towns[n]) == 1 else "" for n in names]
    wrong = [(n, g, w) for n, g, w in zip(names, got, want, strict=True) if g != w]
    assert wrong == []


@pytest.mark.slow  # one gazetteer per region (~1 s each)
def test_a_shared_town_name_resolves_to_the_home_region_only() -> None:
    shared = {n: codes for n, codes in _towns().items() if len(codes) > 1}
    assert {"Железногорск", "Кировск", "Зеленогорск", "Павловск"} <= set(shared)
    for name, codes in shared.items():
        for code in codes:
            res = RegionResolver(GeoOptions(home_regions=[code]))
            assert _codes(res, [f"г. {name}, нет воды"]) == [code], name


@pytest.mark.parametrize(
    "text",
    [
        "Живу в Льгове, нет воды",
        "в Щиграх закрыли баню",
        "г. Щигры, ул. Ленина",
        "администрации города Льгова",
        "в Курчатове в детских садах нет охраны",
        "маршрутка Рыльск-Льгов",
        "клуб базируется в городе Обоянь",
        "в Судже нет света",
        "Фатеж, дорога разбита",
        "Я проживаю в Званном Глушковского района",
        "в Суджанском районе нет газа",
        "маршрутки Курск-Теткино-Курск",
        "Железногорск Курской области, ул. Ленина",
    ],
)
def test_kursk_towns_and_districts(resolver: RegionResolver, text: str) -> None:
    assert _codes(resolver, [text]) == ["RU-KRS"]


def test_shared_names_need_the_home_region() -> None:
    texts = ["Железногорск, ул. Ленина 97", "напротив дома 143 деревни Ноздрачево Курского района"]
    assert _codes(RegionResolver(), texts) == ["", ""]
    home = RegionResolver(GeoOptions(home_regions=["RU-KRS"]))
    assert _codes(home, texts) == ["RU-KRS", "RU-KRS"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("нао починить дорогу", ""),  # "надо" mistyped
        ("нао", ""),
        ("НАДО ЖЕ, НАО ПОЧИНИТЬ ДОРОГУ", ""),  # a text in capitals: "НАО" is no abbreviation
        ("хмао и янао", ""),
        ("Пишу из НАО, нет связи", "RU-NEN"),
        ("живу в ХМАО", "RU-KHM"),
        ("ЯНАО, Новый Уренгой", "RU-YAN"),
        ("к городу Ломоносову", "RU-SPE"),
    ],
)
def test_abbreviations_only_in_capitals(resolver: RegionResolver, text: str, code: str) -> None:
    assert _codes(resolver, [text]) == [code]


@pytest.mark.parametrize(
    "text",
    [  # each gave a region before; found in the Kursk and SPb appeals
        "9 марта подала документы в мфц на Энгельса",
        "Иванова Екатерина Николаевна проспект Дружбы 19в",
        "То инвентарь, то какие-то куски ковров.",
        "на Смоленском мосту не работают три фонаря",
        "Надписи на сооружении в Благовещенском саду на 8ой линии",
        "обеспечить безопасность жильцов дома с помошью кодового замка",
        'ТОВАРИЩЕСТВО СОБСТВЕННИКОВ ЖИЛЬЯ "СМОЛЕНКА" ответило',
        "Дорога по пр. В. Клыкова еще на гарантии",
        "выборы в Госдуму это большой камень",
        "стена находится на видном месте",
        "институт Курчатова",
        "шахты закрыли, работы нет",
    ],
)
def test_words_and_names_are_no_places(resolver: RegionResolver, text: str) -> None:
    assert _codes(resolver, [text]) == [""]


@pytest.mark.parametrize(
    "text",
    [
        "не работает освещение в Мирном проезде",  # a street named like the town of Мирный
        "яма на углу Улицы Озерная и Заречного проезда",
        "магазин Радужный дом",
    ],
)
def test_street_and_shop_names_give_no_town(resolver: RegionResolver, text: str) -> None:
    out = resolver.resolve([text], [None])
    assert out.loc[0, ["region_code", "city"]].tolist() == ["", ""]


def test_a_trip_to_a_town_is_not_home(resolver: RegionResolver) -> None:
    text = "летом ездили к бабушке в город Трубчевск, а у нас в Курске двор не убран"
    assert _codes(resolver, [text]) == ["RU-KRS"]


@pytest.mark.parametrize(
    ("text", "code", "city"),
    [
        ("Колпино, улица Металлургов 5", "RU-SPE", "Колпино"),
        ("Красное Село, улица Восстановления", "RU-SPE", "Красное Село"),
        ("п. Кшенский ул. Пролетарская", "RU-KRS", "Кшенский"),
    ],
)
def test_town_before_its_street(resolver: RegionResolver, text: str, code: str, city: str) -> None:
    out = resolver.resolve([text], [None])
    assert out.loc[0, ["region_code", "city"]].tolist() == [code, city]


def test_a_direction_is_not_a_place(resolver: RegionResolver) -> None:
    text = "развязка дорог при въезде со стороны Воронежа в город Курск"
    assert _codes(resolver, [text]) == ["RU-KRS"]
