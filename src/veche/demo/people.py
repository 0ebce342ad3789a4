"""Senders and the personal data they put into their messages.

Names come with correct Russian inflection (``от Петровой Анны Ивановны``); phones, e-mails,
addresses, passports, SNILS (valid check digits), INN (valid 10/12-digit check digits) and bank
cards (Luhn) in the formats people actually type.
"""

from __future__ import annotations


def _words(s: str) -> list[str]:
    return s.split()


_SURNAMES = _words(
    """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров
Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев
Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров
Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков
Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров
Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв
Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков
Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев
Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов
Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов
Воронцов Лаптев Покровский Вишневский Островский Успенский Залесский Высоцкий Белецкий Хабибуллин
Галиев Сафин Валиев Гарипов Закиров Мухаметов Шарипов Ахметов Нуриев Зарипов Гилязов Хасанов Юсупов
Магомедов Алиев Абдуллаев Гаджиев Рамазанов Исмаилов Умаров Хугаев Шевченко Коваленко Бондаренко
Кравченко Ткаченко Лысенко Черных Седых Белых Долгих"""
)
_MALE = _words(
    """Александр Сергей Андрей Дмитрий Алексей Владимир Николай Иван Михаил Евгений Юрий Виктор Игорь
Олег Павел Василий Анатолий Геннадий Валерий Максим Артём Роман Денис Константин Виталий Владислав
Пётр Григорий Фёдор Леонид Борис Станислав Вячеслав Руслан Тимур Ринат Ильдар Магомед Рустам Егор
Кирилл Никита Илья Степан Семён Антон Вадим Аркадий Валентин"""
)
_FEMALE = _words(
    """Мария Анна Елена Ольга Наталья Татьяна Ирина Светлана Екатерина Галина Людмила Надежда
Валентина Любовь Нина Тамара Зинаида Лариса Марина Юлия Оксана Вера Раиса Лидия Антонина Евгения
Дарья Алёна Ксения Анастасия Виктория Полина Алина Гульнара Эльвира Лилия Софья Кристина Нелли
Инна Жанна Валерия Маргарита Гузель"""
)
_PATR = _words(
    """Иванович Петрович Сергеевич Николаевич Александрович Владимирович Михайлович Васильевич
Викторович Анатольевич Юрьевич Алексеевич Геннадьевич Валерьевич Борисович Григорьевич Фёдорович
Дмитриевич Андреевич Евгеньевич Павлович Степанович Игоревич Олегович Леонидович Константинович
Романович Семёнович Афанасьевич Тимофеевич Рашидович Маратович"""
)

_SOFT_HUSHING = set("гкхжшчщ")


def _surname_forms(m: str) -> tuple[str, str, str, str]:
    """(male nom, male gen, female nom, female gen)."""
    if m.endswith(("ко", "ых", "их")):
        return m, m, m, m
    if m.endswith("ский") or m.endswith("цкий"):
        stem = m[:-2]
        return m, stem + "ого", stem + "ая", stem + "ой"
    return m, m + "а", m + "а", m + "ой"


def _male_gen(n: str) -> str:
    special = {"Павел": "Павла", "Пётр": "Петра", "Лев": "Льва"}
    if n in special:
        return special[n]
    if n.endswith("й"):
        return n[:-1] + "я"
    if n.endswith("а"):
        return n[:-1] + ("и" if n[-2] in _SOFT_HUSHING else "ы")
    if n.endswith("я"):
        return n[:-1] + "и"
    return n + "а"


def _female_gen(n: str) -> str:
    if n.endswith("ия"):
        return n[:-1] + "и"
    if n.endswith("ья"):
        return n[:-1] + "и"
    if n.endswith("ь"):
        return n[:-1] + "и"
    if n.endswith("а"):
        return n[:-1] + ("и" if n[-2] in _SOFT_HUSHING else "ы")
    return n


SURNAMES = [_surname_forms(s) for s in _SURNAMES]
MALE = [(n, _male_gen(n)) for n in _MALE]
FEMALE = [(n, _female_gen(n)) for n in _FEMALE]
PATR = [(p, p + "а", p.replace("ович", "овна").replace("евич", "евна"), "") for p in _PATR]
PATR = [(m, mg, f, f[:-1] + "ы") for m, mg, f, _ in PATR]

_TR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TR_TABLE = str.maketrans({**_TR, **{k.upper(): v.capitalize() for k, v in _TR.items()}})


def translit(s: str) -> str:
    return s.translate(_TR_TABLE)


_MOBILE = [
    903,
    905,
    906,
    909,
    910,
    912,
    913,
    914,
    915,
    916,
    917,
    918,
    919,
    920,
    921,
    922,
    923,
    924,
    925,
    926,
    927,
    928,
    929,
    950,
    951,
    952,
    953,
    960,
    961,
    962,
    963,
    964,
    965,
    977,
    978,
    980,
    981,
    982,
    983,
    984,
    985,
    987,
    988,
    989,
    991,
    992,
    993,
    995,
    996,
    999,
]
_DOMAINS = (
    ["mail.ru"] * 35 + ["yandex.ru"] * 25 + ["gmail.com"] * 15 + ["bk.ru"] * 6 + ["list.ru"] * 5
    + ["inbox.ru"] * 4 + ["rambler.ru"] * 4 + ["ya.ru"] * 3 + ["icloud.com"] * 3
)  # fmt: skip


class Person:
    __slots__ = ("female", "sur", "first", "patr", "phone", "email")

    def __init__(self, female, sur, first, patr, phone, email):
        self.female = female
        self.sur = sur  # index into SURNAMES
        self.first = first  # index into FEMALE or MALE
        self.patr = patr  # index into PATR
        self.phone = phone  # 10 digits, no country code
        self.email = email

    # -- name parts in the nominative and genitive
    def surname(self, gen: bool = False) -> str:
        f = SURNAMES[self.sur]
        return f[3 if gen else 2] if self.female else f[1 if gen else 0]

    def given(self, gen: bool = False) -> str:
        return (FEMALE if self.female else MALE)[self.first][1 if gen else 0]

    def patronymic(self, gen: bool = False) -> str:
        p = PATR[self.patr]
        return p[3 if gen else 2] if self.female else p[1 if gen else 0]

    def fio(self, gen: bool = False) -> str:
        return f"{self.surname(gen)} {self.given(gen)} {self.patronymic(gen)}"


def make_person(R, female: bool) -> Person:
    sur = R.randrange(len(SURNAMES))
    first = R.randrange(len(FEMALE if female else MALE))
    patr = R.randrange(len(PATR))
    phone = f"{R.choice(_MOBILE)}{R.randrange(10_000_000):07d}"
    p = Person(female, sur, first, patr, phone, "")
    p.email = make_email(R, p)
    return p


def make_email(R, p: Person) -> str:
    first = translit(p.given()).lower()
    sur = translit(p.surname()).lower()
    x = R.random()
    if x < 0.3:
        local = f"{first}.{sur}"
    elif x < 0.5:
        local = f"{first[0]}{sur}{R.randint(1, 99)}"
    elif x < 0.7:
        local = f"{sur}{R.randint(1950, 2006)}"
    elif x < 0.85:
        local = f"{first}_{sur[:3]}{R.randint(1, 999)}"
    else:
        local = f"{R.choice(['sunny', 'koshka', 'dobro', 'nika', 'mama', 'ded', 'vova'])}{R.randint(10, 9999)}"
    return f"{local}@{R.choice(_DOMAINS)}"


# -- names as they appear in text -------------------------------------------------------------


def name_in_text(R, p: Person, gen: bool = False) -> str:
    """The sender's own name in one of the forms people sign with."""
    x = R.random()
    if x < 0.45:
        return p.fio(gen)
    if x < 0.6:
        return f"{p.given(gen)} {p.patronymic(gen)} {p.surname(gen)}"
    if x < 0.75:
        return f"{p.given(gen)} {p.surname(gen)}"
    if x < 0.9:
        sep = R.choice([".", ". "])
        return f"{p.surname(gen)} {p.given()[0]}{sep}{p.patronymic()[0]}."
    return f"{p.given(gen)} {p.patronymic(gen)}"


def first_name(p: Person) -> str:
    return p.given()


def kin_name(R, p: Person, female: bool, gen: bool = False) -> str:
    """A relative: same surname, another first name and patronymic."""
    k = Person(
        female, p.sur, R.randrange(len(FEMALE if female else MALE)), R.randrange(len(PATR)), "", ""
    )
    if R.random() < 0.6:
        return k.fio(gen)
    return f"{k.surname(gen)} {k.given(gen)}"


# -- phones ------------------------------------------------------------------------------------


def phone_text(R, digits: str) -> str:
    a, b, c, d = digits[:3], digits[3:6], digits[6:8], digits[8:]
    x = R.randrange(9)
    return (
        f"+7 ({a}) {b}-{c}-{d}",
        f"8{digits}",
        f"8-{a}-{b}-{c}-{d}",
        f"+7{digits}",
        f"8 ({a}) {b}-{c}-{d}",
        f"8 {a} {b} {c} {d}",
        f"8({a}){b}{c}{d}",
        f"+7 {a} {b}-{c}-{d}",
        f"8 {a} {b}-{c}-{d}",
    )[x]


def random_phone(R) -> str:
    return f"{R.choice(_MOBILE)}{R.randrange(10_000_000):07d}"


# -- addresses ---------------------------------------------------------------------------------

_ST_NAMED = [
    "Ленина", "Гагарина", "Пушкина", "Кирова", "Мира", "Чкалова", "Лермонтова", "Горького",
    "Чапаева", "Калинина", "Фрунзе", "Куйбышева", "Островского", "Победы", "Строителей",
    "Маяковского", "Суворова", "Жукова", "Титова", "Королёва", "Некрасова", "Толстого",
]  # fmt: skip
_ST_ADJ = [
    "Садовая", "Центральная", "Школьная", "Молодёжная", "Лесная", "Полевая", "Советская",
    "Набережная", "Зелёная", "Новая", "Речная", "Луговая", "Заречная", "Первомайская",
    "Комсомольская", "Октябрьская", "Пролетарская", "Железнодорожная", "Солнечная",
    # named after regions and cities: "Курская" in an address is not the Kursk region
    "Курская", "Тамбовская", "Московская", "Рязанская", "Смоленская", "Казанская", "Самарская",
]  # fmt: skip
_MKR = ["Северный", "Южный", "Солнечный", "Юбилейный", "Восточный", "Строитель", "Звёздный"]
_PER = ["Школьный", "Садовый", "Почтовый", "Кооперативный", "Лесной", "Тихий", "Речной"]


def address(R) -> str:
    h = R.randint(1, 120)
    f = R.randint(1, 180)
    x = R.randrange(9)
    if x == 0:
        return f"ул. {R.choice(_ST_NAMED)}, д. {h}, кв. {f}"
    if x == 1:
        return f"улица {R.choice(_ST_NAMED)} {h}-{f}"
    if x == 2:
        return (
            f"проспект {R.choice(['Мира', 'Ленина', 'Победы', 'Гагарина', 'Строителей'])} {h}-{f}"
        )
    if x == 3:
        return f"ул. {R.choice(_ST_ADJ)}, {h}, кв. {f}"
    if x == 4:
        return f"{R.choice(_ST_ADJ)} ул., д. {h}, кв. {f}"
    if x == 5:
        return f"пер. {R.choice(_PER)}, д. {R.randint(1, 40)}"
    if x == 6:
        return f"мкр. {R.choice(_MKR)}, д. {h}, кв. {f}"
    if x == 7:
        return f"ул. {R.choice(_ST_ADJ)}, д. {R.randint(1, 60)}"
    return f"ул.{R.choice(_ST_NAMED)} д.{h} кв.{f}"


# -- identity documents with valid check digits ------------------------------------------------


def passport(R) -> str:
    series = f"{R.randint(1, 99):02d}{R.randint(0, 25):02d}"
    number = f"{R.randrange(1_000_000):06d}"
    x = R.random()
    if x < 0.45:
        return f"{series[:2]} {series[2:]} {number}"
    if x < 0.8:
        return f"{series} {number}"
    return f"{series} № {number}"


def snils_check(d9: str) -> int:
    s = sum(int(c) * w for c, w in zip(d9, range(9, 0, -1), strict=True))
    if s < 100:
        return s
    if s in (100, 101):
        return 0
    s %= 101
    return 0 if s == 100 else s


def snils(R) -> str:
    d9 = f"{R.randrange(1_002_000, 999_999_999):09d}"
    c = snils_check(d9)
    if R.random() < 0.75:
        return f"{d9[:3]}-{d9[3:6]}-{d9[6:]} {c:02d}"
    return f"{d9}{c:02d}"


_W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn_check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11 % 10


def inn(R, twelve: bool = True) -> str:
    region = f"{R.randint(1, 89):02d}"
    if twelve:
        d = region + f"{R.randrange(100_000_000):08d}"
        d += str(inn_check(d, _W11))
        return d + str(inn_check(d, _W12))
    d = region + f"{R.randrange(10_000_000):07d}"
    return d + str(inn_check(d, _W10))


def luhn_digit(partial: str) -> int:
    total = 0
    for i, c in enumerate(reversed(partial)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return (10 - total % 10) % 10


def card(R) -> str:
    prefix = R.choice(["2200", "2201", "2202", "2202", "2204", "4276", "4279", "5469", "5536"])
    body = prefix + f"{R.randrange(10**11):011d}"
    num = body + str(luhn_digit(body))
    if R.random() < 0.7:
        return " ".join(num[i : i + 4] for i in range(0, 16, 4))
    return num


# -- the personal columns of the intake file ---------------------------------------------------

_NICKS = [
    "Наталья", "Ольга", "Сергей", "Любовь", "Татьяна", "Мама троих", "Бабушка Нина", "Дед Михалыч",
    "Солнышко", "Анюта", "Вова", "Ирина", "Елена", "Светлана", "Котик", "Ника", "Надежда Петровна",
]  # fmt: skip


def name_field(R, p: Person, channel: str) -> str:
    if channel == "call_centre":
        return p.fio() if R.random() < 0.94 else ""
    if channel == "sms":
        return ""
    if channel == "website":
        return p.fio() if R.random() < 0.6 else f"{p.given()} {p.surname()}"
    if channel == "app":
        return p.fio() if R.random() < 0.8 else f"{p.surname()} {p.given()}"
    # social / messenger: display names or nothing
    x = R.random()
    if x < (0.2 if channel == "social" else 0.5):
        return ""
    if x < 0.65:
        return f"{p.given()} {p.surname()}"
    if x < 0.8:
        return f"{p.given()} {p.surname()[0]}."
    if x < 0.9:
        return translit(f"{p.given()}_{p.surname()}").lower()
    return R.choice(_NICKS)


def phone_field(R, p: Person, channel: str) -> str:
    d = p.phone
    if channel == "call_centre":
        return f"+7{d}" if R.random() < 0.97 else ""
    if channel == "sms":
        return f"7{d}"
    if channel == "app":
        return f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"
    if channel == "website":
        return f"8{d}" if R.random() < 0.3 else ""
    return ""


def email_field(R, p: Person, channel: str) -> str:
    if channel == "website":
        return p.email
    if channel == "app":
        return p.email if R.random() < 0.9 else ""
    return ""
