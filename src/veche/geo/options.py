"""Options of the location stage (plugged into the one ``VecheConfig`` by the lead)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

# Abbreviations that name a region safely in running text as well as in a form field.
_TEXT_ALIASES = {
    "СПб": "RU-SPE",
    "С.-Петербург": "RU-SPE",
    "Петербург": "RU-SPE",
    "Татария": "RU-TA",
    "Якутия": "RU-SA",
    "Кузбасс": "RU-KEM",
    "Югра": "RU-KHM",
    "ХМАО": "RU-KHM",
    "ЯНАО": "RU-YAN",
    "НСО": "RU-NVS",
    "Екатеринбург": "RU-SVE",
}

# Abbreviations an intake form uses but that mean other things in a sentence ("МО" is also
# "муниципальное образование" and "Министерство обороны"): metadata only.
_META_ALIASES = {
    "МО": "RU-MOS",
    "ЛО": "RU-LEN",
    "Мск": "RU-MOW",
    "РТ": "RU-TA",
    "РБ": "RU-BA",
    "КБР": "RU-KB",
    "КЧР": "RU-KC",
    "РСО-Алания": "RU-SE",
    "ЧР": "RU-CE",
    "НАО": "RU-NEN",
    "ЕАО": "RU-YEV",
    "ЧАО": "RU-CHU",
}

# Place names that are also common words or surnames ("орёл" a bird, "улица Кирова"): matched
# only when capitalised and right after a place cue ("в", "из", "г.", "город").
# Surnames ("Курчатов", "Пушкин", "Иванова"), first names ("Тим") and words ("ковров", "шахты",
# "луга", "клин", "мирный") are listed here too; a name may be a single case form ("Иванова").
_AMBIGUOUS = [
    "Орёл", "Курган", "Киров", "Владимир", "Грозный", "Дон", "Находка", "Артём", "Энгельс",
    "Волжский", "Салават", "Муром", "Иванова", "Ковров", "Курчатов", "Дмитриев", "Тим",
    "Пушкин", "Ломоносов", "Королёв", "Чехов", "Гагарин", "Лермонтов", "Кропоткин", "Жуковский",
    "Дзержинский", "Александров", "Шахты", "Луга", "Сланцы", "Клин", "Мирный", "Бор", "Отрадное",
    "Волхов", "Азов", "Губкин", "Павлово", "Касимов", "Кирсанов", "Бобров", "Михайлов", "Данилов",
    "Мышкин", "Кириллов", "Пугачёв", "Ершов", "Маркс", "Богданович", "Серов", "Семёнов", "Куйбышев",
    "Корсаков", "Чайковский", "Арсеньев", "Фурманов", "Гусев", "Ефремов", "Суворов", "Кашин",
    "Грязи", "Остров", "Дно", "Сокол", "Калач", "Тара", "Обь", "Гай", "Зима", "Асбест", "Покров",
    "Петушки", "Родники", "Узловая", "Свободный", "Светлый", "Ясный", "Полярный", "Заполярный",
    "Отрадный", "Донской", "Изобильный", "Прохладный", "Лесной", "Слободской", "Рыбное", "Буй",
    "Галич", "Аша", "Магнитный", "Видное", "Шали", "Инта", "Реж", "Топки", "Валдай", "Печора", "Урай",
]  # fmt: skip


class GeoOptions(BaseModel):
    """Where the region gazetteer comes from and how hard the resolver looks."""

    gazetteer_path: Path | None = Field(
        default=None,
        description="CSV with the columns of veche/resources/regions_ru.csv (code,name,... ); "
        "None = the packaged Russian regions. Plug another country's file here.",
    )
    cities_path: Path | None = Field(
        default=None,
        description="CSV city,region_code of big non-capital cities; None = packaged Russian "
        "list when the default gazetteer is used, none otherwise.",
    )
    inflect: bool = Field(
        default=True, description="Generate all case forms of Cyrillic names with pymorphy3."
    )
    text_aliases: dict[str, str] = Field(default_factory=lambda: dict(_TEXT_ALIASES))
    meta_aliases: dict[str, str] = Field(default_factory=lambda: dict(_META_ALIASES))
    ambiguous: list[str] = Field(default_factory=lambda: list(_AMBIGUOUS))
    home_regions: list[str] = Field(
        default_factory=list,
        description="ISO codes of the regions the event serves (e.g. ['RU-KRS']): a town name "
        "several regions share (Железногорск: Kursk and Krasnoyarsk) resolves to the one of "
        "these; otherwise such a name gives no region.",
    )
    ner: bool = Field(
        default=False,
        description="Run natasha's LOC tagger on texts the gazetteer finds nothing in "
        "(slow: ~tens of texts/s; catches forms the gazetteer misses).",
    )
    fuzzy: bool = Field(
        default=True,
        description="When nothing matches exactly: read Latin transliteration and mend "
        "one-letter typos of words pymorphy does not know.",
    )
    districts: bool = Field(default=True, description="Extract 'X район' mentions.")
