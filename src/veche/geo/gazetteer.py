"""A gazetteer of regions and cities and a fast token n-gram matcher over it.

The gazetteer CSV has the columns of ``veche/resources/regions_ru.csv`` (``code, name, name_gen,
name_prep, capital, capital_gen, capital_prep, population_k, short, short_gen, short_prep``; only
``code`` and ``name`` are required), so another country plugs in its own file. Every name is
keyed by its lower-cased tokens (``ё`` -> ``е``); for Cyrillic names pymorphy3 adds all six case
forms (adjectives agree with the head noun, words after it stay: "Республики Адыгея"). Matching
is a dictionary look-up of token n-grams, so it costs a few microseconds per token whatever the
size of the gazetteer.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from veche.geo.options import GeoOptions
from veche.text.translit import LATIN_WORD, detranslit

TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*\.?")
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# words after which a capitalised ambiguous name is a place: "в Орле", "г. Киров"
PLACE_CUES = frozenset(
    [
        "в",
        "во",
        "из",
        "на",
        "с",
        "со",
        "под",
        "около",
        "г",
        "г.",
        "гор.",
        "город",
        "города",
        "городе",
        "городу",
        "городом",
    ]
)
# the cues an ambiguous name needs: "на Энгельса", "с Кирова" are streets, "в Энгельсе" a town
_AMBIGUOUS_CUES = frozenset(
    ["в", "во", "из", "г", "г.", "гор.", "город", "города", "городе", "городу", "городом"]
)
# instrumental forms that read as adjectives ("на Смоленском мосту", "в Благовещенском саду")
# count only after the prepositions that take the instrumental
_ABLT_CUES = frozenset(["под", "за", "над", "перед", "между", "с", "со"])
_ADJ_LIKE_ABLT = ("ском", "цком", "ским", "цким")
# an abbreviation ("НАО", "ХМАО") is read only in capitals, and not in a text written in capitals
# ("НАО" for "НАДО"): at least this share of its letters must be lower-case
_MIN_LOWER_SHARE = 0.3
# a town's name right before one of these is the name of a street, a bridge, a shop stop:
# "в Мирном проезде", "на Смоленском мосту", "Заречного проезда"
_STREET_WORDS = frozenset([
    "улица", "улицы", "улице", "улицу", "улицей", "проезд", "проезда", "проезде", "переулок",
    "переулка", "переулке", "проспект", "проспекта", "проспекте", "шоссе", "бульвар", "бульвара",
    "бульваре", "мост", "моста", "мосту", "мосте", "набережная", "набережной", "площадь",
    "площади", "сквер", "сквера", "сквере", "сад", "сада", "саду", "парк", "парка", "парке",
    "тупик", "тупика", "аллея", "аллеи", "линия", "линии", "поворот", "поворота",
])  # fmt: skip
_ADJ_ENDINGS = (
    "ый",
    "ий",
    "ой",
    "ом",
    "ем",
    "ого",
    "его",
    "ому",
    "ему",
    "ая",
    "ое",
    "ую",
    "ым",
    "им",
)
_DIRECTION_WORDS = frozenset(["стороны", "сторону", "направлении", "направление"])
_INITIAL = re.compile(r"[А-ЯЁA-Z]\.")
_OVO_TOWN = ("ово", "ево", "ино", "ыно")
_SURNAME_END = ("ова", "ева", "ина", "ына", "ову", "еву", "ину", "ыну", "ым", "ой")
_DIRECTIONAL = frozenset(["в", "во", "на"])  # "уезжают в Москву": not where the sender lives
_CITY_CUES = frozenset(["г", "г.", "гор.", "город"])
FUZZY_MIN_LEN = 6


def _deletes(w: str) -> set[str]:
    return {w[:i] + w[i + 1 :] for i in range(len(w))}


@lru_cache(maxsize=200_000)
def _is_known(tok: str) -> bool:
    return _morph().word_is_known(tok)


@dataclass(frozen=True)
class Entry:
    code: str
    kind: str  # "region" | "city" | "district" (a district of a region: "Льговский район")
    city: str  # nominative city name for kind == "city"
    case: str  # grammatical case of the form ("" when unknown)
    ambiguous: bool = False
    caps: bool = False  # an abbreviation: matches only when written in capitals
    # a town name several regions share: code is "" and these are the candidates
    homonym_of: tuple[str, ...] = ()


def is_abbreviation(phrase: str) -> bool:
    """ "НАО", "ХМАО", "ЯНАО": a short word in capitals (not "СПб", read in any case)."""
    return len(phrase) <= 5 and phrase.isalpha() and phrase.isupper()


def _lower_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.islower() for c in letters) / len(letters) if letters else 0.0


@dataclass
class Hit:
    code: str
    kind: str
    city: str
    start: int  # token index
    weight: float


@dataclass
class Gazetteer:
    """Regions (code -> name) and the surface forms that point to them."""

    names: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    forms: dict[str, Entry] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)  # normalised metadata value -> code
    first: set[str] = field(default_factory=set)
    max_len: int = 1
    vocab: set[str] = field(default_factory=set)  # every token of every form, before _GENERIC
    # regions the event serves: a town name they share with others resolves to them
    home_regions: frozenset[str] = frozenset()
    # keys of names that are also words or surnames, any case form ("иванова" of "Иваново")
    ambiguous_forms: frozenset[str] = frozenset()
    capitals_set: set[str] = field(default_factory=set)  # regional capitals' nominative names
    _deletes: dict[str, set[str]] | None = None

    # -- building ---------------------------------------------------------------------------

    def add(self, phrase: str, entry: Entry, *, meta: bool = True) -> None:
        toks = tokens(phrase)
        if not toks:
            return
        self.vocab.update(t.lower().replace("ё", "е").rstrip(".") for t in TOKEN_RE.findall(phrase))
        key = " ".join(toks)
        if key in self.ambiguous_forms and not entry.ambiguous:
            entry = replace(entry, ambiguous=True)
        old = self.forms.get(key)
        # a region name beats a city of the same spelling; nominative beats other cases
        if old is None or (old.kind == "city" and entry.kind == "region"):
            self.forms[key] = entry
        elif old.kind == entry.kind != "region" and entry.code not in (old.code, *old.homonym_of):
            # a town name of several regions ("Железногорск": Kursk and Krasnoyarsk) names none
            codes = tuple(sorted({*old.homonym_of, old.code, entry.code} - {""}))
            self.forms[key] = Entry(
                "", old.kind, old.city, old.case, old.ambiguous, homonym_of=codes
            )
            if self.meta.get(key) == old.code:
                del self.meta[key]
            meta = False
        self.first.add(toks[0])
        self.max_len = max(self.max_len, len(toks))
        if meta and self.forms[key].code:
            self.meta.setdefault(key, entry.code)
            self.meta.setdefault(" ".join(sorted(toks)), entry.code)

    def add_inflected(self, phrase: str, entry: Entry, inflect: bool) -> None:
        self.add(phrase, entry)
        if inflect and _CYR.search(phrase):
            for case, form in inflections(phrase):
                # "Глушкова", "Золотухиной": oblique forms of "-ово"/"-ино" towns are surnames
                amb = entry.ambiguous or (
                    entry.kind == "city"
                    and phrase.lower().endswith(_OVO_TOWN)
                    and form.endswith(_SURNAME_END)
                )
                e = Entry(entry.code, entry.kind, entry.city, case, amb, entry.caps)
                self.add(form, e, meta=case in ("nomn", "gent", "loct"))

    # -- matching ---------------------------------------------------------------------------

    def _fuzzy_index(self) -> dict[str, set[str]]:
        if self._deletes is None:
            idx: dict[str, set[str]] = {}
            for w in self.vocab:
                if len(w) >= FUZZY_MIN_LEN:
                    for d in _deletes(w) | {w}:
                        idx.setdefault(d, set()).add(w)
            self._deletes = idx
        return self._deletes

    def correct(self, tok: str, latin: bool = False) -> str:
        """A misspelt place word -> the one gazetteer word at edit distance 1 ("бласти" ->
        "области", "мосвкы" -> "москвы"); words pymorphy knows are left alone."""
        if len(tok) < FUZZY_MIN_LEN or tok in self.vocab or not _CYR.search(tok):
            return tok
        if not latin and _is_known(tok):
            return tok
        idx = self._fuzzy_index()
        cands: set[str] = set(idx.get(tok, ()))
        for d in _deletes(tok):
            cands |= idx.get(d, set())
            if d in self.vocab:
                cands.add(d)
        if len({_norm_token(c) for c in cands}) == 1:
            return cands.pop()
        codes = {getattr(self.forms.get(c), "code", None) for c in cands}
        if len(codes) == 1 and None not in codes:  # "москв" -> "москвы" or "москве": same place
            return min(cands)
        return tok

    def _split_compounds(self, toks: list[str]) -> list[str]:
        """ "Курск-Теткино-Курск" (a route) -> its parts, when the whole is no name itself."""
        out: list[str] = []
        if not any("-" in t for t in toks):
            return toks
        for t in toks:
            if "-" in t and _norm_token(t) not in self.first:
                parts = [p for p in t.split("-") if p]
                if any(_norm_token(p) in self.first for p in parts):
                    out.extend(parts)
                    continue
            out.append(t)
        return out

    def find(self, text: str, *, fuzzy: bool = False) -> list[Hit]:
        """Every gazetteer phrase in ``text``, longest match first, left to right. ``fuzzy``
        also reads Latin transliteration and mends one-letter typos of unknown words."""
        orig = raw = self._split_compounds(TOKEN_RE.findall(text))
        if fuzzy:
            raw = [
                self.correct(detranslit(t.lower().rstrip(".")), bool(LATIN_WORD.match(t.lower())))
                for t in raw
            ]
        low = [_norm_token(t) for t in raw]
        mended = [_norm_token(a) != b for a, b in zip(orig, low, strict=True)] if fuzzy else []
        hits: list[Hit] = []
        i, n = 0, len(low)
        while i < n:
            if low[i] not in self.first:
                i += 1
                continue
            for k in range(min(self.max_len, n - i), 0, -1):
                e = self.forms.get(" ".join(low[i : i + k]))
                if e is None:
                    continue
                prev = low[i - 1] if i else ""
                if prev and _INITIAL.fullmatch(orig[i - 1]):  # "пр. В. Клыкова": not "в"
                    prev = ""
                capital = orig[i][:1].isupper()
                # "большой камень", "сухой лог": a town of common words is written capitalised
                if (
                    k > 1
                    and e.kind == "city"
                    and not capital
                    and prev not in _CITY_CUES
                    and e.city not in self.capitals_set
                ):
                    continue
                after = low[i + k] if i + k < n else ""
                if (
                    e.kind == "city"
                    and after in _STREET_WORDS
                    and low[i + k - 1].endswith(_ADJ_ENDINGS)
                    and prev not in _CITY_CUES
                ):
                    continue
                if e.ambiguous and not (
                    prev in _CITY_CUES or (capital and prev in _AMBIGUOUS_CUES)
                ):
                    continue
                if e.caps and not (
                    all(t.isupper() for t in orig[i : i + k])
                    and _lower_share(text) >= _MIN_LOWER_SHARE
                ):
                    continue
                if (
                    e.case == "ablt"
                    and e.kind != "region"
                    and prev not in _ABLT_CUES
                    and low[i + k - 1].endswith(_ADJ_LIKE_ABLT)
                ):
                    continue
                # a misspelt word alone is a place only right after a place cue ("из мосвкы"),
                # not "с помошью" -> "Поморье" or a quoted "СМОЛЕНКА" -> "Смоленск"
                if fuzzy and all(mended[i : i + k]) and prev not in _AMBIGUOUS_CUES:
                    continue
                if not e.code:  # a homonym names the town but no region, unless a home one
                    home = self.home_regions.intersection(e.homonym_of)
                    if len(home) != 1:
                        hits.append(Hit("", e.kind, e.city, i, 0.0))
                        i += k - 1
                        break
                    e = Entry(next(iter(home)), e.kind, e.city, e.case)
                w = 0.9 if e.kind == "city" else 1.0
                if e.kind == "city" and prev in _CITY_CUES:
                    w = 1.2  # "г. Абакан": the sender's address
                    if prev == "город" and i > 1 and low[i - 2] in _DIRECTIONAL | {"к"}:
                        w = 0.9 * 0.5  # "ездили в город Трубчевск": travel, likely
                elif e.case in ("accs", "datv") and prev in _DIRECTIONAL | {"к", "по"}:
                    w *= 0.4  # "поехали в Москву", "по Москве": travel, not home
                elif e.case == "gent" and prev == "до":
                    w *= 0.4  # "билет до Москвы"
                elif prev in _DIRECTION_WORDS:
                    w *= 0.4  # "со стороны Воронежа", "в направлении Белгорода": a way, not a place
                hits.append(Hit(e.code, e.kind, e.city, i, w))
                i += k - 1
                break
            i += 1
        return hits


# the generic word of a subject's name in any case or abbreviation -> one token, so that
# "Курской обл." and "Курской области" are the same key
_GENERIC = {
    **dict.fromkeys(["область", "области", "областью", "обл"], "обл"),
    **dict.fromkeys(
        ["республика", "республики", "республике", "республику", "республикой", "респ"], "респ"
    ),
}


@lru_cache(maxsize=200_000)
def _norm_token(tok: str) -> str:
    tok = tok.lower().replace("ё", "е")
    if tok in ("г.", "гор."):
        return tok
    tok = tok.rstrip(".")
    return _GENERIC.get(tok, tok)


def tokens(text: str) -> list[str]:
    return [_norm_token(t) for t in TOKEN_RE.findall(text)]


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _pick_parse(word: str, want_adj: bool | None):
    parses = _morph().parse(word)
    for p in parses:
        t = p.tag
        if "nomn" not in t or "plur" in t and "Pltm" not in t:
            continue
        if want_adj is None and "Geox" in t:
            return p
        if want_adj is True and t.POS in ("ADJF", "PRTF"):
            return p
        if want_adj is False and t.POS == "NOUN":
            return p
    return None


def inflections(phrase: str) -> Iterable[tuple[str, str]]:
    """(case, form) for the six cases: leading adjectives and the head noun agree, the rest
    stays ("Курская область" -> "Курской области"; "Республика Адыгея" -> "Республики Адыгея")."""
    parts = [p for p in re.split(r"\s+—\s+|\s+-\s+", phrase) if p]
    if len(parts) > 1:  # "Кемеровская область — Кузбасс": each part alone
        for p in parts:
            yield from inflections(p)
        return
    words = phrase.replace("(", " ").replace(")", " ").split()
    plan: list = []
    head_done = False
    for w in words:
        if head_done:
            plan.append(w)
            continue
        p = _pick_parse(w, True) or _pick_parse(w, None) or _pick_parse(w, False)
        if p is None:
            plan.append(w)
            head_done = True
            continue
        plan.append(p)
        if p.tag.POS == "NOUN":
            head_done = True
    if all(isinstance(p, str) for p in plan):
        return
    for case in CASES:
        out = []
        for p in plan:
            if isinstance(p, str):
                out.append(p)
                continue
            f = p.inflect({case})
            out.append(f.word if f else p.word)
        yield case, " ".join(out)


def _read_csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)]


def _meta_key(value: str) -> str:
    return " ".join(tokens(value))


def regions_csv(options: GeoOptions):  # -> Traversable | Path
    """The configured regions file (the packaged Russian regions unless a path is given)."""
    if options.gazetteer_path is None:
        return resources.files("veche") / "resources" / "regions_ru.csv"
    return Path(options.gazetteer_path)


def region_names(options: GeoOptions | None = None) -> dict[str, str]:
    """Region code -> name, from the configured gazetteer (what reports show)."""
    return {r["code"]: r["name"] for r in _read_csv(regions_csv(options or GeoOptions()))}


def build_gazetteer(options: GeoOptions) -> Gazetteer:
    """The gazetteer for ``options`` (packaged Russian regions unless a path is given)."""
    default = options.gazetteer_path is None
    reg_path = regions_csv(options)
    if options.cities_path is not None:
        city_path = Path(options.cities_path)
    elif default:
        city_path = resources.files("veche") / "geo" / "cities_ru.csv"
    else:
        city_path = None
    ambiguous = {" ".join(tokens(a)) for a in options.ambiguous}
    g = Gazetteer(ambiguous_forms=frozenset(ambiguous))
    for r in _read_csv(reg_path):
        code = r["code"]
        g.names[code] = r["name"]
        reg = Entry(code, "region", "", "nomn")
        g.add_inflected(r["name"], reg, options.inflect)
        for col, case in (("name_gen", "gent"), ("name_prep", "loct")):
            if r.get(col):
                g.add(r[col], Entry(code, "region", "", case))
        short = r.get("short", "")
        if short and short != r["name"]:
            caps = is_abbreviation(short)
            e = Entry(code, "region", "", "nomn", " ".join(tokens(short)) in ambiguous, caps)
            g.add_inflected(short, e, options.inflect and not caps)
            for col, case in (("short_gen", "gent"), ("short_prep", "loct")):
                if r.get(col):
                    g.add(r[col], Entry(code, "region", "", case, e.ambiguous, caps))
        cap = r.get("capital", "")
        if cap:
            g.capitals[code] = cap
            g.capitals_set.add(cap)
            amb = " ".join(tokens(cap)) in ambiguous
            e = Entry(code, "city", cap, "nomn", amb)
            g.add_inflected(cap, e, options.inflect)
            for col, case in (("capital_gen", "gent"), ("capital_prep", "loct")):
                if r.get(col):
                    g.add(r[col], Entry(code, "city", cap, case, amb))
        g.meta.setdefault(_meta_key(code), code)
        if "-" in code:
            g.meta.setdefault(_meta_key(code.split("-", 1)[1]), code)
    if default:
        for r in _read_csv(resources.files("veche") / "geo" / "districts_ru.csv"):
            code, name = r["region_code"], r["district"]
            amb = " ".join(tokens(name)) in ambiguous
            g.add_inflected(name, Entry(code, "district", "", "nomn", amb), options.inflect)
    if city_path is not None:
        for r in _read_csv(city_path):
            code, city = r.get("region_code", ""), r.get("city", "")
            if code in g.names and city:
                amb = " ".join(tokens(city)) in ambiguous
                g.add_inflected(city, Entry(code, "city", city, "nomn", amb), options.inflect)
    for alias, code in options.text_aliases.items():
        if code in g.names:
            caps = is_abbreviation(alias)
            e = Entry(code, "region", "", "nomn", caps=caps)
            g.add_inflected(alias, e, options.inflect and not caps)
    g.home_regions = frozenset(options.home_regions)
    for alias, code in options.meta_aliases.items():
        if code in g.names:
            g.meta[_meta_key(alias)] = code
    return g
