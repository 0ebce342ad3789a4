"""Slot values for ``{slot}`` holes: numbers with agreeing nouns, villages, doctors, places.

None of these are personal data; several are deliberate hard negatives for the masker (money
sums, years, dates, street names that are also surnames, counts of flats).
"""

from __future__ import annotations

from collections.abc import Callable

from veche.demo.templates import money, years
from veche.text.plural import plural

VILLAGES = [
    ("Берёзовка", "Берёзовки", "Берёзовке"),
    ("Ивановка", "Ивановки", "Ивановке"),
    ("Николаевка", "Николаевки", "Николаевке"),
    ("Александровка", "Александровки", "Александровке"),
    ("Михайловка", "Михайловки", "Михайловке"),
    ("Сосновка", "Сосновки", "Сосновке"),
    ("Покровское", "Покровского", "Покровском"),
    ("Никольское", "Никольского", "Никольском"),
    ("Красное", "Красного", "Красном"),
    ("Заречье", "Заречья", "Заречье"),
    ("Первомайское", "Первомайского", "Первомайском"),
    ("Ольховка", "Ольховки", "Ольховке"),
    ("Липовка", "Липовки", "Липовке"),
    ("Каменка", "Каменки", "Каменке"),
    ("Дубровка", "Дубровки", "Дубровке"),
    ("Знаменка", "Знаменки", "Знаменке"),
    ("Васильевка", "Васильевки", "Васильевке"),
    ("Троицкое", "Троицкого", "Троицком"),
    ("Садовое", "Садового", "Садовом"),
    ("Новосёловка", "Новосёловки", "Новосёловке"),
    ("Речное", "Речного", "Речном"),
    ("Горки", "Горок", "Горках"),
    ("Луговое", "Лугового", "Луговом"),
    ("Вознесенка", "Вознесенки", "Вознесенке"),
]
STREETS_NAMED = [  # genitive, as in "улица Гагарина" -- a surname that is not a person here
    "Ленина",
    "Гагарина",
    "Пушкина",
    "Кирова",
    "Мира",
    "Чкалова",
    "Лермонтова",
    "Горького",
    "Чапаева",
    "Калинина",
    "Фрунзе",
    "Куйбышева",
    "Островского",
    "Победы",
    "Строителей",
    "Маяковского",
    "Суворова",
    "Жукова",
    "Королёва",
    "Титова",
]
DOCTORS = [
    ("кардиолог", "кардиолога", "кардиологу"),
    ("эндокринолог", "эндокринолога", "эндокринологу"),
    ("невролог", "невролога", "неврологу"),
    ("онколог", "онколога", "онкологу"),
    ("окулист", "окулиста", "окулисту"),
    ("лор", "лора", "лору"),
    ("хирург", "хирурга", "хирургу"),
    ("педиатр", "педиатра", "педиатру"),
    ("уролог", "уролога", "урологу"),
    ("ревматолог", "ревматолога", "ревматологу"),
    ("гинеколог", "гинеколога", "гинекологу"),
    ("травматолог", "травматолога", "травматологу"),
    ("терапевт", "терапевта", "терапевту"),
]
DRUGS = [
    "инсулин",
    "Ксарелто",
    "Эликвис",
    "Креон",
    "Кеппра",
    "Летрозол",
    "Тамоксифен",
    "Сальбутамол",
    "Метформин",
    "Вальпроат",
    "Бисопролол",
    "Фемара",
]
RELATIVES_M = [
    ("сын", "сына", "сыну"),
    ("муж", "мужа", "мужу"),
    ("брат", "брата", "брату"),
    ("внук", "внука", "внуку"),
    ("зять", "зятя", "зятю"),
    ("племянник", "племянника", "племяннику"),
]
COMPANIES = [
    "«УК Комфорт»",
    "«Жилсервис»",
    "«Наш дом»",
    "«ЖЭУ-5»",
    "«Управдом»",
    "«Уютный дом»",
    "«Жилкомфорт»",
    "«ГорУК»",
    "«ДомСервис»",
    "«Сфера ЖКХ»",
]
MONTHS_PREP = [
    "в январе",
    "в феврале",
    "в марте",
    "в апреле",
    "в мае",
    "в июне",
    "в июле",
    "в августе",
    "в сентябре",
    "в октябре",
    "в ноябре",
]
MONTHS_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
FOODS = [
    "масло, яйца, сыр",
    "гречка и сахар",
    "овощи и фрукты",
    "мясо и молочка",
    "картошка, капуста, морковь",
    "хлеб и молоко",
    "крупы и макароны",
    "сливочное масло и курица",
]
KIDS = [
    ("трое детей", "троих детей"),
    ("четверо детей", "четверых детей"),
    ("пятеро детей", "пятерых детей"),
    ("шестеро детей", "шестерых детей"),
    ("трое детей", "троих детей"),
    ("двое детей", "двоих детей"),
]
GENERIC_LOC = [
    "у нас",
    "в нашем городе",
    "в нашем посёлке",
    "в нашем районе",
    "у нас в селе",
    "у нас в деревне",
    "в нашем городке",
    "у нас в районе",
    "в нашем микрорайоне",
]
GENERIC_CITY = ["в нашем городе", "у нас в городе", "в райцентре", "у нас в городке"]


def _ri(s, a: int, b: int) -> int:
    return s.R.randint(a, b)


def _village(s) -> dict[str, str]:
    v = s.R.choice(VILLAGES)
    return {"village": v[0], "village_gen": v[1], "village_prep": v[2]}


def _doctor(s) -> dict[str, str]:
    d = s.R.choice(DOCTORS)
    return {"doctor": d[0], "doctor_acc": d[1], "doctor_dat": d[2]}


def _rel(s) -> dict[str, str]:
    r = s.R.choice(RELATIVES_M)
    return {"rel_m": r[0], "rel_m_gen": r[1], "rel_m_dat": r[2]}


def _kids(s) -> dict[str, str]:
    k = s.R.choice(KIDS)
    return {"kids_nom": k[0], "kids_acc": k[1]}


def _loc(s) -> str:
    if s.region_prep:
        s.placed = True
        return s.R.choice(s.region_prep)
    return s.R.choice(GENERIC_LOC)


def _loc_city(s) -> str:
    if s.region_city:
        s.placed = True
        return s.region_city
    return s.R.choice(GENERIC_CITY)


def _region_phrase(attr: str, fallback: list[str]):
    def fn(s) -> str:
        options = getattr(s, attr)
        if options:
            s.placed = True
            return s.R.choice(options)
        return s.R.choice(fallback)

    return fn


def _unit(n: int, one: str, few: str, many: str) -> str:
    return f"{n} {plural(n, one, few, many)}"


SLOT_FNS: dict[str, Callable] = {
    "age": lambda s: str(s.age),
    "age_y": lambda s: years(s.age),
    "pension": lambda s: money(_ri(s, 1150, 3600) * 10 + _ri(s, 0, 9) * (s.R.random() < 0.3), s.R),
    "rub_small": lambda s: str(_ri(s, 38, 180) * 10 + _ri(s, 0, 9)),
    "salary": lambda s: money(_ri(s, 16, 95) * 1000 + _ri(s, 0, 9) * 100, s.R),
    "big_sum": lambda s: money(_ri(s, 30, 900) * 10000, s.R),
    "price": lambda s: money(_ri(s, 12, 480) * 50, s.R),
    "pct": lambda s: str(_ri(s, 6, 40)),
    "year": lambda s: str(_ri(s, 2014, 2024)),
    "year_old": lambda s: str(_ri(s, 1958, 1998)),
    "house_year": lambda s: str(_ri(s, 1928, 1972)),
    "stazh_y": lambda s: years(_ri(s, 22, 46)),
    "n_years_y": lambda s: years(_ri(s, 2, 14)),
    "months_y": lambda s: _unit(_ri(s, 2, 11), "месяц", "месяца", "месяцев"),
    "days_y": lambda s: _unit(_ri(s, 2, 12), "день", "дня", "дней"),
    "hours_y": lambda s: _unit(_ri(s, 2, 7), "час", "часа", "часов"),
    "weeks_y": lambda s: _unit(_ri(s, 2, 9), "неделю", "недели", "недель"),
    "child_age_y": lambda s: years(_ri(s, 1, 16)),
    "km": lambda s: str(_ri(s, 3, 24) * 5),
    "temp": lambda s: str(-_ri(s, 24, 46)),
    "flats": lambda s: str(_ri(s, 8, 144)),
    "people_n": lambda s: str(_ri(s, 4, 60) * 50),
    "num": lambda s: str(_ri(s, 2, 9)),
    "route": lambda s: str(s.R.choice([_ri(s, 1, 40), _ri(s, 100, 260)])),
    "street": lambda s: s.R.choice(STREETS_NAMED),
    "drug": lambda s: s.R.choice(DRUGS),
    "company": lambda s: s.R.choice(COMPANIES),
    "month": lambda s: s.R.choice(MONTHS_PREP),
    "date": lambda s: f"{_ri(s, 1, 28)} {s.R.choice(MONTHS_GEN)}",
    "foods": lambda s: s.R.choice(FOODS),
    "fuel": lambda s: str(_ri(s, 58, 74)),
    "loc": _loc,
    "loc_city": _loc_city,
    "in_region": _region_phrase("region_prep", ["у нас", "в нашем районе"]),
    "from_region": _region_phrase("region_gen", ["из глубинки", "из небольшого города"]),
    "of_region": _region_phrase("region_of", ["нашего района", "нашего города"]),
    "nom_region": _region_phrase("region_nom", ["наш район"]),
}
GROUP_FNS: dict[str, Callable] = {}
for _keys, _fn in (
    (("village", "village_gen", "village_prep"), _village),
    (("doctor", "doctor_acc", "doctor_dat"), _doctor),
    (("rel_m", "rel_m_gen", "rel_m_dat"), _rel),
    (("kids_nom", "kids_acc"), _kids),
):
    for _k in _keys:
        GROUP_FNS[_k] = _fn


class Slots(dict):
    """Lazily filled slot values for one message; a value is reused within the message."""

    def __init__(self):
        super().__init__()
        self.R = None
        self.female = False
        self.age = 40
        self.region_prep: list[str] = []  # "в Курской области" ... when the region is in text
        self.region_city = ""
        self.region_gen: list[str] = []  # "из Курской области"
        self.region_of: list[str] = []  # "Курской области" (жительница ...)
        self.region_nom: list[str] = []  # "Курская область"
        self.placed = False

    def reset(self, R, female: bool, age: int, region=None) -> None:
        """``region``: (prep, city_prep, gen, of, nom) phrase lists when it goes in the text."""
        self.clear()
        self.R = R
        self.female = female
        self.age = age
        if region is None:
            self.region_prep = self.region_gen = self.region_of = self.region_nom = []
            self.region_city = ""
        else:
            self.region_prep, self.region_city, self.region_gen, self.region_of, self.region_nom = (
                region
            )
        self.placed = False

    def __missing__(self, key: str) -> str:
        fn = SLOT_FNS.get(key)
        if fn is not None:
            v = fn(self)
            self[key] = v
            return v
        gfn = GROUP_FNS.get(key)
        if gfn is not None:
            self.update(gfn(self))
            return dict.__getitem__(self, key)
        if "|" in key:
            m, f = key.split("|", 1)
            return f if self.female else m
        raise KeyError(key)
