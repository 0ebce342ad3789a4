"""Typing noise: keyboard-neighbour typos, dropped/doubled/swapped letters, lost spaces and
commas, SMS abbreviations, transliteration, spoken fillers, HTML remnants.

Every function works on one plain-text segment; segments holding personal data are never passed
here, so the ground-truth values stay exact substrings of the text.
"""

from __future__ import annotations

_ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]
NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _c in enumerate(_row):
        near = []
        if _i > 0:
            near.append(_row[_i - 1])
        if _i + 1 < len(_row):
            near.append(_row[_i + 1])
        for _rr in (_r - 1, _r + 1):
            if 0 <= _rr < len(_ROWS):
                for _j in (_i, _i + 1 if _rr < _r else _i - 1):
                    if 0 <= _j < len(_ROWS[_rr]):
                        near.append(_ROWS[_rr][_j])
        NEIGHBOURS[_c] = "".join(near)
for _c, _near in list(NEIGHBOURS.items()):
    NEIGHBOURS[_c.upper()] = _near.upper()


def typo(s: str, R) -> str:
    """One typo at a random letter."""
    n = len(s)
    if n < 4:
        return s
    for _ in range(6):
        i = R.randrange(n)
        c = s[i]
        if not c.isalpha():
            continue
        x = R.random()
        if x < 0.35:
            near = NEIGHBOURS.get(c)
            if near:
                return s[:i] + R.choice(near) + s[i + 1 :]
        if x < 0.6:
            return s[:i] + s[i + 1 :]
        if x < 0.75:
            return s[:i] + c + s[i:]
        if i + 1 < n and s[i + 1].isalpha():
            return s[:i] + s[i + 1] + c + s[i + 2 :]
    return s


def drop_space(s: str, R) -> str:
    """A lost space after a comma or full stop, or between two words."""
    idx = [i for i, c in enumerate(s) if c == " " and i > 0 and s[i - 1] in ",."]
    if not idx:
        idx = [i for i, c in enumerate(s) if c == " "]
    if not idx:
        return s
    i = R.choice(idx)
    return s[:i] + s[i + 1 :]


def drop_commas(s: str) -> str:
    return s.replace(", ", " ").replace(" — ", " ")


_PUNCT = str.maketrans({c: " " for c in '.,!?;:«»"()'})


def strip_punct(s: str) -> str:
    return " ".join(s.translate(_PUNCT).split()) + (" " if s.endswith(" ") else "")


def more_punct(s: str, R) -> str:
    """ "!!!" and "???" where one mark was enough."""
    if "!" in s:
        return s.replace("!", R.choice(["!!", "!!!", "!!!!"]), 1)
    if "?" in s:
        return s.replace("?", R.choice(["??", "???", "?!"]), 1)
    return s


ABBREVIATIONS = [
    ("здравствуйте", "здрасте"),
    ("пожалуйста", "пжлст"),
    ("Пожалуйста", "пжлст"),
    ("спасибо", "спс"),
    ("Спасибо", "спс"),
    ("сейчас", "щас"),
    ("рублей", "р"),
    ("тысяч", "т"),
    ("что", "што"),
    ("потому что", "потомучто"),
    ("вообще", "ваще"),
    ("человек", "чел"),
    ("Президент", "през"),
    ("когда", "кагда"),
    ("ничего", "ничё"),
    ("администрация", "адм"),
    ("администрации", "адм"),
    ("месяца", "мес"),
    ("месяцев", "мес"),
]


def abbreviate(s: str, R) -> str:
    for full, short in ABBREVIATIONS:
        if full in s and R.random() < 0.6:
            s = s.replace(full, short)
    return s


def add_fillers(s: str, R, fillers: list[str], k: int) -> str:
    """Spoken fillers between words: "ну", "вот", "как бы"."""
    words = s.split(" ")
    if len(words) < 4:
        return s
    for _ in range(k):
        i = R.randrange(1, len(words))
        if words[i][:1].isupper() or words[i - 1][-1:] in ".?!:":
            continue  # not at a sentence start
        f = R.choice(fillers)
        words.insert(i, f + ("," if R.random() < 0.4 else ""))
    return " ".join(words)


def nbsp(s: str, R) -> str:
    out = []
    for part in s.split(" "):
        out.append(part)
        out.append("&nbsp;" if R.random() < 0.15 else " ")
    return "".join(out[:-1])
