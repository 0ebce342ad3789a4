"""Russian names for the codes a report shows people (urgency kinds, theme levels) and the
Russian plural of a counted noun ("1 вопрос", "84 вопроса", "5 вопросов").

One place for every writer (HTML, XLSX); the JSON file keeps the codes, for machines.
An unknown code is shown as it is rather than dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

URGENT_KINDS_RU: dict[str, str] = {
    # the kinds of the urgency lexicon (veche/urgency/lexicon_ru.yaml)
    "life_health": "угроза жизни или здоровью",
    "suicide_risk": "риск суицида",
    "utilities_outage": "коммунальная авария",
    # the demo generator's kinds (tests/sample_picture.py)
    "life_threat": "угроза жизни",
    "health_threat": "угроза здоровью",
    "child_risk": "ребёнок в опасности",
    "no_heating": "нет отопления",
    "no_water": "нет воды",
    "no_power": "нет света",
    "no_gas": "нет газа",
    "emergency": "ЧС",
    "violence": "насилие",
}
LEVELS_RU: dict[str, str] = {"broad": "широкая", "fine": "узкая"}


def kind_names(kinds: Iterable[str] | None) -> list[str]:
    """Urgency kind codes -> their Russian names, in order."""
    return [URGENT_KINDS_RU.get(k, k) for k in (kinds or [])]


def level_name(level: object) -> object:
    """'broad' -> 'широкая'; anything else (None included) as it is."""
    return LEVELS_RU.get(level, level) if isinstance(level, str) else level


# the forms of "вопрос" after a number: one, few (2-4), many (5-20, 0)
QUESTION_FORMS = ("вопрос", "вопроса", "вопросов")


def plural_ru(n: int, forms: tuple[str, str, str] = QUESTION_FORMS) -> str:
    """The form of a noun after the number ``n``: ``forms`` = (1, 2-4, 5-20): 1, 21, 101
    вопрос; 2, 34 вопроса; 5, 11, 12, 111, 0 вопросов."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]
