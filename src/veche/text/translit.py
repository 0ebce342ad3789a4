"""Russian written in Latin letters ("ya iz respubliki tatarstan, nikto ne otvechaet") read back
in Cyrillic, so that such questions get the same lemmas, stopwords and gazetteer hits as the
rest: without it their label terms were "ne, na, ya, iz"."""

from __future__ import annotations

import re

# Latin transliteration back to Cyrillic (longest first)
_DETR = [
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"),
    ("kh", "х"), ("tsk", "тск"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "е"),
    ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
    ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
    ("h", "х"), ("c", "к"), ("w", "в"), ("x", "кс"), ("q", "к"), ("j", "й"), ("'", ""),
]  # fmt: skip
_DETR_END = {"iy": "ий", "yy": "ый", "oy": "ой", "ey": "ей"}  # adjective endings
_DETR_RE = re.compile("(?:iy|yy|oy|ey)(?=-|$)|" + "|".join(re.escape(a) for a, _ in _DETR))
_DETR_MAP = dict(_DETR) | _DETR_END
LATIN_WORD = re.compile(r"^[a-z'-]+$")
_LATIN_LETTER = re.compile(r"[a-zA-Z]")
_LETTER = re.compile(r"[^\W\d_]")


def detranslit(tok: str) -> str:
    """A lower-case Latin word in Cyrillic ("otvechaet" -> "отвечает"); anything else as is."""
    return _DETR_RE.sub(lambda m: _DETR_MAP[m.group(0)], tok) if LATIN_WORD.match(tok) else tok


def mostly_latin(text: str) -> bool:
    """Whether most letters of ``text`` are Latin: a Russian text so written is transliterated
    (a Cyrillic text with a few Latin brand names, "не ловит Wi-Fi", is not)."""
    if not _LATIN_LETTER.search(text):  # most texts: one scan, no counting
        return False
    return len(_LATIN_LETTER.findall(text)) * 2 > len(_LETTER.findall(text))
