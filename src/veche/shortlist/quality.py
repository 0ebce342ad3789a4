"""How fit a masked text is to be read out to the host: clear, complete, polite.

A score in [0, 1] per text from cheap surface signals; abusive texts are flagged so the shortlist
skips them (their theme still counts them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

# insults and obscenities seen in appeals; stems, matched at word starts
_ABUSE = re.compile(
    r"(?<![а-яё])("
    r"ху[йяеи]|пизд|еба[тнл]|ёба|ебу|бля[дт]?|сук[аи]\b|мудак|мудил|говн|дерьм|"
    r"вор(ы|ьё|ье)\b|ворюг|лжец|клоун|идиот|дебил|урод|сволоч|дармоед|бездельник|кровопийц|"
    r"позорищ|зажрал|зажравш|обнаглел|задолбал|тварь|твари\b|мраз[ьи]|придур|кретин|ублюд"
    r")",
)  # matched on lower-cased text: IGNORECASE makes Python's re several times slower
_PLACEHOLDER = re.compile(r"\[[А-ЯЁA-Z_]+\]")
_NON_LETTERS = re.compile(r"[^A-Za-zА-Яа-яЁё]")  # fewer than letters: a shorter findall
_QUESTION = re.compile(
    r"\?|(?<![а-яё])(почему|когда|как|зачем|что|сколько|будет ли|можно ли|планируется ли|"
    r"где|кто|прошу|просим|помогите)(?![а-яё])",
)  # lower-cased text


def is_abusive(text: str) -> bool:
    return bool(_ABUSE.search(text.lower()))


def text_quality(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(quality in [0, 1], abusive flag) for each text."""
    quality = np.zeros(len(texts), dtype=np.float32)
    abusive = np.zeros(len(texts), dtype=bool)
    for i, t in enumerate(texts):
        n = len(t)
        letters = n - len(_NON_LETTERS.findall(t))
        if n == 0 or letters < 0.5 * n:
            continue  # empty, digits, mash: never shortlisted
        # length: a clear question is a sentence or three; very short is unclear, very long
        # cannot be read out
        if n < 25:
            length = n / 25
        elif n <= 400:
            length = 1.0
        else:
            length = max(0.3, 400 / n)
        low = t.lower()
        asks = 1.0 if _QUESTION.search(low) else 0.6
        placeholders = len(_PLACEHOLDER.findall(t))
        masked = 1.0 / (1.0 + 0.3 * placeholders)  # masked data makes a text harder to read out
        abusive[i] = bool(_ABUSE.search(low))
        quality[i] = length * asks * masked * (0.2 if abusive[i] else 1.0)
    return quality, abusive
