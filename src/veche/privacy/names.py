"""Person names: natasha's NER (batched) plus cheap rules for what the NER model misses.

natasha's ``NewsNERTagger`` is trained on news: it finds capitalised Russian names well but not
lower-case SMS ("меня зовут иванова мария"), CAPS, or English. The rules here add

* full names anchored on a patronymic (``-вич``, ``-вна``, ``-ична``, Kazakh/Tatar ``-ұлы``,
  ``-қызы``) in any case: "иванова мария петровна", "ИВАНОВ ИВАН ИВАНОВИЧ", "Сергей Семёнович";
* introductions: "меня зовут ...", "моя фамилия ...", "ФИО: ...", "я, ...", "с уважением, ...",
  "my name is ...", "мене звати ...", where the following one to three words look like name parts;
* surnames with initials: "Петрова А.С.", "А.С. Петрова"; English titles: "Mr. John Smith";
* Russian names in Latin letters: a known first name beside a surname-like word ("Ivan Petrov");
* single words the dictionary is sure about: a title-case first name or surname inside a
  sentence ("директор школы Антонова"), an unknown title-case word with a surname's ending
  ("Мишустин"), and in texts written without capitals, near-certain first names ("маша").

pymorphy3's dictionary (tags ``Name``, ``Surn``, ``Patr``) tells name parts from ordinary words;
:func:`keep_person` drops names that belong to streets, institutions and monuments
("ул. Ленина", "больница им. Пирогова", "памятник Пушкину").

The NER path (:class:`veche.privacy.ner.NerModel`) runs the same model as ``NERTagger.map``, faster: a regex
tokenizer instead of razdel, cached word/shape ids, only the token windows around candidate
words, batches sorted by length, convolutions as shifted matrix products, BLAS kept to one
thread. Texts that have no candidate word (:func:`might_contain_name`) never reach the model.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .patterns import SP, L
from .spans import PER, Span

NER_CHUNK_CHARS = 1500
NER_BATCH_SIZE = 64
NER_CONTEXT = 4  # tokens of context each side of a candidate word (the CNN sees 3)

_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --------------------------------------------------------------------------- dictionary look-ups

_morph = None
_morph_lock = threading.Lock()


def _analyzer():
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer()
    return _morph


class WordInfo(NamedTuple):
    tags: frozenset[str]  # which of Name / Surn / Patr any parse has
    name: float  # summed parse scores: first name, surname, patronymic, place
    surn: float
    patr: float
    geo: float
    known: bool  # whether the dictionary knows the word


@lru_cache(maxsize=200_000)
def word_info(word_lower: str) -> WordInfo:
    """What pymorphy3's dictionary says about a (lower-case) word, cached.

    Words the dictionary does not know get no tags: pymorphy3 guesses their parses from the
    ending, and those guesses call Tatar, Kazakh and Ukrainian words surnames.
    """
    morph = _analyzer()
    if not morph.word_is_known(word_lower):
        return WordInfo(frozenset(), 0.0, 0.0, 0.0, 0.0, False)
    tags: set[str] = set()
    name = surn = patr = geo = 0.0
    for p in morph.parse(word_lower):
        g = p.tag.grammemes
        if "Name" in g:
            name += p.score
            tags.add("Name")
        if "Surn" in g:
            surn += p.score
            tags.add("Surn")
        if "Patr" in g:
            patr += p.score
            tags.add("Patr")
        if "Geox" in g:
            geo += p.score
    return WordInfo(frozenset(tags), name, surn, patr, geo, True)


def name_tags(word: str) -> frozenset[str]:
    return word_info(word.lower()).tags


# --------------------------------------------------------------------------- rules

_WORD = re.compile(rf"[{L}]+(?:[-'’][{L}]+)*")
_PATR = re.compile(
    rf"(?<![{L}])[{L}]{{2,}}(?:вич|вича|вичу|вичем|виче|вна|вны|вне|вну|вной|вною|"
    rf"ична|ичны|ичне|ичну|ичной|ич|ича|ичу|ичем|ұлы|улы|қызы|кызы|івна|ївна|"
    rf"ovich|evich|ovna|evna)(?![{L}])",
    re.IGNORECASE,
)
_STRONG_PATR_END = re.compile(
    r"(?:[оеёаі]вич\w{0,2}|[оеёаії]вн\w{1,3}|ұлы|қызы|кызы|[oe]vich|[oe]vna)$"
)
_INTRO = re.compile(
    rf"""(?<![{L}])(?:
        (?P<strong>меня{SP}+зовут|зовут{SP}+меня|меня{SP}+звать|мо[её]{SP}+(?:фио|имя)|моя{SP}+фамилия
          |фамилия{SP}*:|ф\.?{SP}?и\.?{SP}?о\.?{SP}*:|фио(?![{L}])|my{SP}+name{SP}+is|мене{SP}+звати
          |мене{SP}+звуть|моє{SP}+прізвище|мо[єе]{SP}+ім[ʼ'’]?я|менің{SP}+атым|минем{SP}+исемем
          |исемем|атым)
      | (?P<weak>я{SP}*,|зовут|с{SP}+уважением{SP}*,?|заявитель(?:ница)?{SP}*:?|подпись{SP}*:?|от{SP}*:
          |отправитель{SP}*:?|sincerely{SP}*,?|regards{SP}*,?|[сз]{SP}+повагою{SP}*,?)
      | (?P<title>(?<![a-z])(?:mr|mrs|ms|miss|dr|sir|my{SP}+(?:son|daughter|wife|husband|mother|father
          |mom|mum|dad|grandmother|grandfather|grandson|granddaughter|brother|sister|neighbou?r|friend))
          \.?{SP}+(?=[A-Z]))
    ){SP}*[:\-—–]?{SP}*""",
    re.IGNORECASE | re.VERBOSE,
)
_INITIALS = re.compile(rf"[А-ЯЁA-Z]\.{SP}?(?:[А-ЯЁA-Z]\.?)?")
_SURNAME_INITIALS = re.compile(
    rf"(?<![{L}])(?P<w>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?){SP}+(?P<i>[А-ЯЁ]\.)(?P<i2>{SP}?[А-ЯЁ]\.?)?(?![{L}])"
)
_INITIALS_SURNAME = re.compile(
    rf"(?<![{L}])(?P<i>[А-ЯЁ]\.){SP}?(?P<i2>[А-ЯЁ]\.{SP}?)?(?P<w>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)(?![{L}])"
)
_PLACE_INITIALS = frozenset("ГСДПХУ")  # "г. Курск", "с. Ивановка", "д. Петровка", "п. Северный"
_INTRO_STOP = _wordset(
    "и я мне из в на по с со не а но живу проживаю прошу пишу хочу хотела хотел обращаюсь "
    "житель жительница пенсионер пенсионерка мать отец сын дочь мама папа инвалид ветеран "
    "учитель врач студент студентка год лет the and from i im am"
)
# common nouns that dictionaries also list as first names
_LOWER_NAME_BLOCK = _wordset(
    "роза розы лилия лилии лев льва слава вера веры надежда любовь мира роман майя лада "
    "алиса лука карп гора ангелина зоря заря"
)
# the usual endings of Russian surnames: "Мишустин", "Путину", "Антоновой", "Жуковский"
_SURNAME_END = re.compile(r"(?:[оеё]в|[ыи]н|[сц]к)(?:а|у|ым|ой|ом|е|ых|ий|ая|ого|ому|ой)?$")
# words after which a title-case word is a place, not a person
_PLACE_BEFORE = _wordset(
    "в во из под до около возле г город города городе село села пос посёлок поселок района "
    "области район область через между з із зі"
)
# title-case words that look like names but, in citizens' texts, are not people
_CAP_NAME_BLOCK = _wordset("мороз мороза морозу снегурочка снегурочки")


def _words_around(text: str, pos: int, before: bool, limit: int = 3) -> list[re.Match[str]]:
    """Up to ``limit`` words next to ``pos`` separated only by horizontal spaces."""
    out: list[re.Match[str]] = []
    if before:
        cur = pos
        for m in reversed(list(_WORD.finditer(text, max(0, pos - 80), pos))):
            gap = text[m.end() : cur]
            if not gap or gap.strip(" \t\u00a0"):
                break
            out.append(m)
            cur = m.start()
            if len(out) >= limit:
                break
    else:
        cur = pos
        for m in _WORD.finditer(text, pos, min(len(text), pos + 120)):
            gap = text[cur : m.start()]
            if gap.strip(" \t\u00a0"):
                break
            out.append(m)
            cur = m.end()
            if len(out) >= limit:
                break
    return out


def _is_patronymic(word: str) -> bool:
    info = word_info(word.lower())
    if "Patr" in info.tags:
        return True
    if info.known:
        return False
    return bool(_STRONG_PATR_END.search(word.lower()))


def _first_name_like(word: str) -> bool:
    info = word_info(word.lower())
    return "Name" in info.tags or (not info.known and word[:1].isupper())


def _surname_like(word: str) -> bool:
    info = word_info(word.lower())
    if "Surn" in info.tags or ("Name" in info.tags and word[:1].isupper()):
        return True
    return not info.known and word[:1].isupper()


def _patronymic_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _PATR.finditer(text):
        word = m.group()
        if not _is_patronymic(word):
            continue
        start, end = m.start(), m.end()
        prev = _words_around(text, start, before=True, limit=2)
        if prev and _first_name_like(prev[0].group()):
            start = prev[0].start()
            if len(prev) > 1 and _surname_like(prev[1].group()):
                start = prev[1].start()
            else:
                nxt = _words_around(text, end, before=False, limit=1)
                if nxt and "Surn" in name_tags(nxt[0].group()):
                    end = nxt[0].end()
        elif not word[:1].isupper():
            continue  # a lone lower-case patronymic is too weak a signal
        out.append(Span(start, end, PER))
    return out


def _intro_spans(text: str) -> list[Span]:
    out: list[Span] = []
    n = len(text)
    for m in _INTRO.finditer(text):
        strength = m.lastgroup
        pos = m.end()
        start = end = None
        taken = 0
        while taken < 3 and pos < n:
            im = _INITIALS.match(text, pos)
            if im and (pos + 1 < n and text[pos + 1] == "."):
                if start is None:
                    start = pos
                end = im.end()
                pos = im.end()
                while pos < n and text[pos] in " \t\u00a0":
                    pos += 1
                taken += 1
                continue
            wm = _WORD.match(text, pos)
            if not wm:
                break
            word = wm.group()
            lw = word.lower()
            if lw in _INTRO_STOP:
                break
            info = word_info(lw)
            cap = word[:1].isupper()
            if strength == "title":
                ok = cap and word.isascii()
            elif info.tags:
                ok = lw not in _LOWER_NAME_BLOCK or cap
            elif strength == "strong":
                ok = not info.known and info.geo == 0
            else:
                ok = cap and not info.known and info.geo == 0
            if not ok:
                break
            if start is None:
                start = wm.start()
            end = wm.end()
            pos = wm.end()
            while pos < n and text[pos] in " \t\u00a0":
                pos += 1
            taken += 1
        if start is not None and end is not None:
            out.append(Span(start, end, PER))
    return out


def _initials_spans(text: str) -> list[Span]:
    out: list[Span] = []
    if "." not in text:
        return out
    for m in _SURNAME_INITIALS.finditer(text):
        info = word_info(m.group("w").lower())
        if m.group("i2") and m.group("i2").strip().endswith("."):
            ok = info.geo < 0.5 or "Surn" in info.tags  # "Луговой П.П.": two initials are enough
        else:
            ok = _surname_like(m.group("w")) and info.geo == 0
        if ok:
            out.append(Span(m.start(), m.end(), PER))
    for m in _INITIALS_SURNAME.finditer(text):
        info = word_info(m.group("w").lower())
        if info.geo and "Surn" not in info.tags:
            continue
        if m.group("i2") is None:
            if m.group("i")[0] in _PLACE_INITIALS and "Surn" not in info.tags:
                continue
            if not info.tags and info.known:
                continue
        elif info.known and not info.tags:
            continue
        out.append(Span(m.start(), m.end(), PER))
    return out


_CAP_WORD = re.compile(rf"(?<![{L}\d])[А-ЯЁ][а-яё]+(?![{L}])")
_LOWER_WORD = re.compile(rf"(?<![{L}])[а-яё]{{3,}}(?![{L}])")
_SENT_END = frozenset(".!?…\n\r")
_TRANSPARENT = frozenset(" \t\u00a0\"«»'“”„(—–-")


def _sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in _TRANSPARENT:
        j -= 1
    return j < 0 or text[j] in _SENT_END


def _dictionary_name_spans(text: str) -> list[Span]:
    """Single words that the dictionary is sure are names.

    Title-case words inside a sentence whose parses are mostly first names or surnames (and not
    places); at a sentence start only near-certain first names. In texts written without
    capitals (SMS) every lower-case word that is almost surely a first name or a surname.
    """
    out: list[Span] = []
    has_title_case = False
    for m in _CAP_WORD.finditer(text):
        has_title_case = True
        lw = m.group().lower()
        if lw in _CAP_NAME_BLOCK:
            continue
        info = word_info(lw)
        score = info.name + info.surn + info.patr
        if not info.known:
            # an unknown title-case word inside a sentence with a surname's ending
            if (
                _SURNAME_END.search(lw)
                and not _sentence_start(text, m.start())
                and not _FOREIGN_CYRILLIC.search(text)
            ):
                prev = _words_around(text, m.start(), before=True, limit=1)
                if not prev or prev[0].group().lower() not in _PLACE_BEFORE:
                    out.append(Span(m.start(), m.end(), PER))
            continue
        if score == 0:
            continue
        if _sentence_start(text, m.start()):
            ok = info.name >= 0.9 and info.geo == 0
        else:
            ok = score >= 0.35 and score > info.geo and lw not in _LOWER_NAME_BLOCK
        if ok:
            out.append(Span(m.start(), m.end(), PER))
    if not has_title_case:
        lower = text.lower()
        for m in _LOWER_WORD.finditer(lower):
            lw = m.group()
            if lw in _LOWER_NAME_BLOCK:
                continue
            info = word_info(lw)
            if (info.name >= 0.6 or info.surn >= 0.9) and info.geo < 0.2:
                start, end = m.start(), m.end()
                # a surname or patronymic right next to a sure first name: "иванова мария"
                for side in (True, False):
                    near = _words_around(lower, start if side else end, before=side, limit=1)
                    if near:
                        ninfo = word_info(near[0].group())
                        if ("Surn" in ninfo.tags or "Patr" in ninfo.tags) and ninfo.geo < 0.5:
                            start, end = min(start, near[0].start()), max(end, near[0].end())
                out.append(Span(start, end, PER))
    return out


@lru_cache(maxsize=1)
def _latin_first_names() -> frozenset[str]:
    path = Path(__file__).with_name("latin_first_names.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


_ANY_LATIN = re.compile(r"[A-Za-z]")
_LATIN_PAIR = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+)[ \t\u00a0]+([A-Z][a-z]+)(?![A-Za-z])")
_LATIN_SURNAME = re.compile(
    r"(?:ov|ova|ev|eva|yov|yova|in|ina|yn|yna|sky|skiy|skii|skaya|ko|uk|yuk|ich|ikh|ykh|dze|yan)$"
)
# "roman vasilevich grishin", "panova olga aleksandrovna": anchored on a Latin patronymic
_LATIN_PATR = re.compile(
    r"(?i)(?<![a-z])(?:([a-z]+)[ \t\u00a0]+)?([a-z]+)[ \t\u00a0]+"
    r"([a-z]+(?:ovich|evich|ovna|evna|ichna))(?:[ \t\u00a0]+([a-z]+))?(?![a-z])"
)
# a surname with initials in any case: "давыдов т.д.", "залесская в. е.", "Nesterova A.E."
_ANY_INITIALS = re.compile(rf"(?<![{L}])[{L}]\.{SP}?[{L}]\.(?![{L}])")
_WORD_BEFORE = re.compile(rf"(?<![{L}])([{L}]+(?:-[{L}]+)?){SP}+$")
# lower-case first name and surname: "сергей тарасов", "любовь хабибуллина"
_LOWER_WORD = re.compile(rf"(?<![{L}])[а-яё]{{3,}}(?![{L}])")  # not part of a Kazakh word
_SPACES = re.compile(r"[ \t\u00a0]+")


def _latin_first(word: str) -> bool:
    w = word.lower()
    first = _latin_first_names()
    return w in first or (w.endswith(("iy", "ii")) and w[:-2] + "y" in first)


def _latin_name_spans(text: str) -> list[Span]:
    """Russian names written in Latin letters: "Ivan Petrov", "Smirnova Olga",
    "vitaliy leonidovich kondratev"."""
    if not _ANY_LATIN.search(text):
        return []
    out = []
    for m in _LATIN_PAIR.finditer(text):
        a, b = m.group(1), m.group(2)
        if (_latin_first(a) and _LATIN_SURNAME.search(b.lower())) or (
            _latin_first(b) and _LATIN_SURNAME.search(a.lower())
        ):
            out.append(Span(m.start(), m.end(), PER))
    for m in _LATIN_PATR.finditer(text):
        # the patronymic's first name is next to it; a surname may stand before or after them
        start = (
            m.start(2)
            if not m.group(1) or not _LATIN_SURNAME.search(m.group(1).lower())
            else m.start(1)
        )
        end = m.end(4) if m.group(4) and _LATIN_SURNAME.search(m.group(4).lower()) else m.end(3)
        out.append(Span(start, end, PER))
    return out


def _lower_case_spans(text: str) -> list[Span]:
    """Names written without capitals inside a sentence: a surname with initials, or a first name
    the dictionary is sure about followed by a surname."""
    out = []
    if "." in text:
        for m in _ANY_INITIALS.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before is None:
                continue
            w = before.group(1).lower()
            if _SURNAME_END.search(w) or _LATIN_SURNAME.search(w) or "Surn" in name_tags(w):
                out.append(Span(before.start(1), m.end(), PER))
    words = list(_LOWER_WORD.finditer(text))
    for a, b in zip(words, words[1:], strict=False):
        # the surname's ending first: a cheap test that lets most word pairs go unlooked-up
        last, first = b.group(), a.group()
        if not _SURNAME_END.search(last) or (first in _LOWER_NAME_BLOCK and first != "любовь"):
            continue
        info = word_info(first)
        if not info.known or info.name < 0.5 or not _SPACES.fullmatch(text, a.end(), b.start()):
            continue
        last_info = word_info(last)
        if "Surn" in last_info.tags or not last_info.known:
            out.append(Span(a.start(), b.end(), PER))
    return out


def rule_person_spans(text: str) -> list[Span]:
    """Name spans found by the rules alone (no NER), filtered by :func:`keep_person`."""
    if not text:
        return []
    spans = (
        _patronymic_spans(text)
        + _intro_spans(text)
        + _initials_spans(text)
        + _dictionary_name_spans(text)
        + _latin_name_spans(text)
        + _lower_case_spans(text)
    )
    return [s for s in spans if keep_person(text, s.start, s.end, from_ner=False)]


# --------------------------------------------------------------------------- NER gate


def might_contain_name(text: str) -> bool:
    """Cheap test: is it worth running NER on ``text``?

    True when a Cyrillic title-case word stands inside a sentence, or starts a sentence and looks
    like a name part (or is unknown to the dictionary). Texts that fail are never sent to NER;
    lower-case and CAPS names are the rules' job anyway.
    """
    for m in _CAP_WORD.finditer(text):
        if not _sentence_start(text, m.start()):
            return True
        info = word_info(m.group().lower())
        if info.tags or not info.known:
            return True
    return False


# --------------------------------------------------------------------------- NER


def _ner_candidate(text: str, start: int, word: str) -> bool:
    """A token worth the NER model's attention: a title-case Cyrillic word that is not an
    ordinary dictionary word at the start of a sentence."""
    if len(word) < 2 or not ("А" <= word[0] <= "Я" or word[0] == "Ё"):
        return False
    rest = word[1:].replace("-", "")
    if not rest.islower():
        return False
    if not _sentence_start(text, start):
        return True
    info = word_info(word.lower())
    return bool(info.tags) or not info.known


# --------------------------------------------------------------------------- person filter

_NOT_A_PERSON_BEFORE = re.compile(
    r"(?i)(?:(?<![а-яёa-z])(?:ул|улиц[аеуыи]|пр|пр-т|пр-кт|просп\w*|пер|переул\w*|бульв\w*|б-р|пл|"
    r"площад[ьи]|наб\w*|шоссе|проезд\w*|мкр|им|(?<!от[ \t])имени|памяти|станци[яи]|метро|пос|пгт|"
    r"село|деревн[яи]|вул|премии|фонд[аеу]?|орден[аеу]?|музе[йяю]|театр[аеу]?|"
    r"аэропорт[аеу]?|памятник[аеу]?|свят\w*|храм[аеу]?|собор[аеу]?|церк\w*|монумент\w*|"
    r"бюст\w*|street|st|avenue)"
    r"\.?[ \t\u00a0]*№?\d*[ \t\u00a0]*(?-i:[А-ЯЁ][а-яё]+[ \t\u00a0]+)?)$"
)
_NOT_A_PERSON = re.compile(r"(?i)^(?:дед\w*[ \t\u00a0]+мороз\w*|снегурочк\w*)$")
_STREET_AFTER = re.compile(
    r"(?i)^[ \t\u00a0]+(?:улиц[аеуы]|ул|проспект\w*|пр-т|переул\w*|пер|бульвар\w*|б-р|шоссе|"
    r"площад[ьи]|набережн\w*|проезд\w*|урам\w*|көшесі|street|avenue)(?![а-яёa-z])"
)
_FOREIGN_CYRILLIC = re.compile(r"[ІіЇїЄєҐґӘәҒғҚқҢңӨөҰұҮүҺһҖҗ]")


def keep_person(text: str, start: int, end: int, from_ner: bool = True) -> bool:
    """False for names that are parts of street, institution or place names, and for NER's
    single-word guesses that the dictionary contradicts."""
    if end - start < 2:
        return False
    span = text[start:end]
    if _NOT_A_PERSON.match(span):
        return False
    if _NOT_A_PERSON_BEFORE.search(text[max(0, start - 40) : start]):
        return False
    single_word = len(_SPAN_WORD.findall(span)) == 1
    if single_word and _STREET_AFTER.match(text[end : end + 16]):
        return False
    if not from_ner:
        return True
    if span.islower() or span.isascii():
        return False  # the Russian model is unreliable on lower case and Latin script
    if single_word:
        info = word_info(span.lower())
        if info.known and not info.tags:
            return False  # a dictionary word with no name reading
        if not info.tags and _FOREIGN_CYRILLIC.search(text):
            return False  # Ukrainian / Tatar / Kazakh words the Russian model calls names
    return True


_SPAN_WORD = re.compile(rf"[{L}]+(?:[-'’][{L}]+)*\.?")


def _plain_word(w: str) -> bool:
    if w.endswith(".") or len(w) < 2:
        return False
    info = word_info(w.lower())
    return info.known and not info.tags and info.geo == 0  # "Кириллова" is also a town


def clean_ner_person(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An NER name span cut at line breaks, without leading/trailing dictionary words.

    natasha sometimes swallows a role or a heading: "Абонент Гусейнов Р.М.",
    "Сафронова Елена Владимировна\nТелефон".
    """
    out: list[tuple[int, int]] = []
    if _NOT_A_PERSON.match(text[start:end]):
        return out
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        words = [(m.start(), m.end(), m.group()) for m in _SPAN_WORD.finditer(text, s, e)]
        while len(words) > 1 and _plain_word(words[0][2]):
            words.pop(0)
        while len(words) > 1 and _plain_word(words[-1][2]):
            words.pop()
        if words:
            out.append((words[0][0], words[-1][1]))
    return out
