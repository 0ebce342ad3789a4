"""The canonical form used for exact-duplicate hashing and near-duplicate shingles.

``dedup_key(text)``:

1. ``clean_text`` (idempotent, cheap on clean input), so raw and cleaned texts give the same
   key and HTML or a "Sent from my iPhone" line never makes two questions differ;
2. lower-case, ``ё`` -> ``е``, combining marks (stress accents) removed, placeholders
   (``[ИМЯ]``, ``[ТЕЛЕФОН]``) removed;
3. greetings/addresses at the start and thanks/closings at the end are removed
   (``edges=True``, the default): "Здравствуйте! Когда ...? Спасибо." and "когда ..." are the
   same question.  Only whole clauses (between punctuation) or a fixed list of formulas in
   unpunctuated text are removed; when nothing would remain, the edges are kept;
4. everything that is not a letter or a digit (punctuation, emoji, symbols, ``_``) becomes a
   space; a word mixing Cyrillic and Latin lookalike letters (``пенсиa`` with a Latin ``a``)
   is mapped to Cyrillic; digits are kept;
5. whitespace collapsed to single spaces, stripped.
"""

from __future__ import annotations

import re

from veche.text.clean import clean_text
from veche.text.lemmas import PLACEHOLDER_RE

__all__ = ["dedup_key"]

_COMBINING_RE = re.compile(r"[\u0300-\u036f\u0483-\u0489]")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_MIXED_WORD_RE = re.compile(
    r"\b(?=\w*[а-я])(?=\w*[aceopxykmhtb])\w+\b",
)
_HOMOGLYPHS = str.maketrans("aceopxykmhtb", "асеорхукмнтв")

# ---- edges ------------------------------------------------------------------------------------
# Matched against a clause reduced to its words joined by single spaces (lower-case, ё -> е).
_GREETING = (
    r"(?:ну\s)?(?:здравствуйте|здравствуй|здраствуйте|здравствуите|здрасте|здрасьте"
    r"|добрый (?:день|вечер|утро)|доброе утро|доброго (?:дня|вечера|утра|времени суток)"
    r"|доброй ночи|всем привет|привет|приветствую(?: вас)?|hello|hi|hey|greetings"
    r"|good (?:morning|afternoon|evening|day)|добрий (?:день|вечір|ранок)|доброго ранку|вітаю"
    r"|салеметсиз бе|сәлеметсіз бе|сәлем|исәнмесез|исэнмесез|сәлам|сэлам)"
)
_NAME_PATRONYMIC = r"\w+ \w+(?:ович|евич|овна|евна|ична|инична)"
_RESPECT = r"(?:глубоко)?уважаем(?:ый|ая|ые)|шановн(?:ий|а|і)|dear"
_TITLE = r"господин|госпожа|пане|пані|mr|mrs|ms|sir|madam"
# "Уважаемый Президент", "Уважаемый господин президент", "Владимир Владимирович",
# "Уважаемая Анна Ивановна", "Dear Mr President" -- but not "Уважаемые соседи жалуются".
_ADDRESS = (
    rf"(?:(?:{_RESPECT}) (?:{_NAME_PATRONYMIC}|(?:{_TITLE}) \w+|\w+)"
    rf"|{_NAME_PATRONYMIC}|(?:{_TITLE}) \w+)"
)
_CLOSING = (
    r"(?:(?:заранее |большое |огромное )*спасибо(?: (?:вам|заранее|большое|огромное"
    r"|за ответ|за ваш ответ|за внимание|за вашу работу))*"
    r"|(?:заранее )?благодарю(?: (?:вас|заранее|за ответ|за внимание))*"
    r"|с уважением(?: \w+){0,3}|с наилучшими пожеланиями"
    r"|жду (?:вашего )?ответа|надеюсь на (?:ваш )?(?:ответ|понимание|помощь)"
    r"|(?:thank you|thanks)(?: (?:very much|a lot|in advance|so much))*|(?:best |kind )?regards"
    r"|(?:щиро )?дякую(?: за (?:відповідь|увагу))?|з повагою|рахмет|рәхмәт|рэхмэт)"
)
_LEAD_CLAUSE_RE = re.compile(rf"(?:{_GREETING}(?: {_ADDRESS})?|{_ADDRESS})")
_TAIL_CLAUSE_RE = re.compile(_CLOSING)
_CLAUSE_SPLIT = "[,.!?;:\n…()]"
# Possessive quantifiers keep these linear on long runs of symbols ("<<<<", emoji).
_FIRST_CLAUSE_RE = re.compile(rf"^[^\w,.!?;:\n…()]*+([^,.!?;:\n…()]*+){_CLAUSE_SPLIT}")
_LAST_CLAUSE_RE = re.compile(rf"{_CLAUSE_SPLIT}([^,.!?;:\n…()]*+)[\W_]*+$")
# The same formulas at the edges of unpunctuated text ("здравствуйте когда будет газ спасибо").
_LEAD_WORDS_RE = re.compile(
    rf"^(?:{_GREETING} )+(?:(?:уважаем(?:ый|ая|ые) )?\w+ \w+(?:ович|евич|овна|евна|ична) )?"
)
_TAIL_WORDS_RE = re.compile(
    r"(?: (?:(?:заранее |большое )*спасибо(?: (?:вам|заранее|большое|за ответ))*"
    r"|(?:заранее )?благодарю|thank you|thanks|дякую|рахмет|рәхмәт))+$"
)
_WORDS_RE = re.compile(r"[^\W_]+")


def _words(s: str) -> str:
    return " ".join(_WORDS_RE.findall(s))


def _strip_edges(s: str) -> str:
    """Drop greeting/address clauses at the start and closing clauses at the end of ``s``."""
    for _ in range(4):
        m = _FIRST_CLAUSE_RE.match(s)
        if not m or not _LEAD_CLAUSE_RE.fullmatch(_words(m.group(1))):
            break
        s = s[m.end() :]
    for _ in range(4):
        m = _LAST_CLAUSE_RE.search(s)
        if not m or not _TAIL_CLAUSE_RE.fullmatch(_words(m.group(1))):
            break
        s = s[: m.start()]
    return s


def dedup_key(text: str, *, edges: bool = True) -> str:
    """Canonical form of ``text`` for duplicate detection (see the module docstring)."""
    s = clean_text(text)
    if not s:
        return ""
    if "[" in s:
        s = PLACEHOLDER_RE.sub(" ", s)
    s = s.lower()
    if "ё" in s:
        s = s.replace("ё", "е")
    if not s.isascii() and _COMBINING_RE.search(s):
        s = _COMBINING_RE.sub("", s)
    full = s
    if edges:
        s = _strip_edges(s)
    s = _NON_ALNUM_RE.sub(" ", s).strip()
    if edges and s:
        s = _LEAD_WORDS_RE.sub("", s)
        s = _TAIL_WORDS_RE.sub("", s).strip()
    if not s:  # nothing but a greeting: keep it rather than an empty key
        s = _NON_ALNUM_RE.sub(" ", full).strip()
    if not s.isascii() and _MIXED_WORD_RE.search(s):
        s = _MIXED_WORD_RE.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), s)
    return s
