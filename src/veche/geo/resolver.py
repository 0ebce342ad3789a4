"""Where a question comes from: region (ISO 3166-2 code), city and district.

The channel's ``region`` field wins when it names a known region (a code, a name in any case,
an abbreviation like "СПб" or "МО"); otherwise the text decides: every gazetteer phrase found
votes for its region (region names weigh more than cities, "поехали в Москву" less than
"живу в Москве"), ties go to the earliest mention. City and district are read from the text
whatever the source of the region ("г. Курск", "в Кировском районе").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from veche.geo.gazetteer import Gazetteer, Hit, _meta_key, _morph, build_gazetteer, tokens
from veche.geo.options import GeoOptions

COLUMNS = ["region_code", "region_name", "city", "district", "region_source"]

_ADJ_END = r"(?:ий|ый|ой|ого|его|ому|ему|ом|ем|им|ым)"
# "в Кировском районе", "Кировский р-н", "района Кировский" (a form's order)
_DISTRICT_RE = re.compile(
    rf"\b([А-ЯЁа-яё][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?{_ADJ_END})\s+(?:район[а-я]{{0,2}}|р-н[а-я]{{0,2}})\b"
    rf"|\b(?:район|р-н)\s+([А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?{_ADJ_END})\b"
)
# adjectives that say which district without naming it
_NOT_NAMES = frozenset(
    [
        "наш",
        "ваш",
        "свой",
        "этот",
        "тот",
        "мой",
        "твой",
        "их",
        "его",
        "её",
        "соседний",
        "другой",
        "весь",
        "каждый",
        "любой",
        "один",
        "данный",
        "указанный",
        "жилой",
        "спальный",
        "новый",
        "отдалённый",
        "отдаленный",
        "сельский",
        "муниципальный",
        "городской",
        "областной",
        "ближайший",
        "самый",
        "целый",
        "такой",
        "какой",
        "который",
        "второй",
        "первый",
        "третий",
        "старый",
        "родной",
        "близлежащий",
        "соседский",
        "лесной",
        "промышленный",
        "густонаселённый",
        "густонаселенный",
        "удалённый",
        "удаленный",
        "тихий",
        "центральный",
        "исторический",
    ]
)
_CITY_RE = re.compile(
    r"(?:\bг\.\s*|\bгор\.\s*|\bгород[а-я]{0,2}\s+)([А-ЯЁ][а-яё]+(?:[- ](?:на-)?[А-ЯЁ][а-яё]+)?)"
)


@lru_cache(maxsize=50_000)
def _adj_nominative(word: str) -> str:
    """'Кировском' -> 'Кировский' (masculine nominative, as 'район' needs)."""
    for p in _morph().parse(word):
        if p.tag.POS in ("ADJF", "PRTF"):
            f = p.inflect({"masc", "sing", "nomn"})
            if f:
                return f.word
    return word.lower()


@lru_cache(maxsize=50_000)
def _noun_nominative(word: str) -> str:
    parses = _morph().parse(word)
    geo = [p for p in parses if "Geox" in p.tag] or parses
    return geo[0].normal_form if geo else word.lower()


_META_EXPAND = {"ао": "автономный округ", "кр.": "край", "кр": "край", "а.о.": "автономный округ"}
_META_ABBR = re.compile(r"(?<!\w)(?:АО|ао|а\.о\.|кр\.?)(?!\w)")


class RegionResolver:
    """``resolve(texts, meta_regions)`` -> DataFrame with :data:`COLUMNS`, one row per text."""

    def __init__(self, options: GeoOptions | None = None) -> None:
        self.options = options or GeoOptions()
        self.gaz: Gazetteer = build_gazetteer(self.options)
        self._ner = None
        self._meta_cache: dict[str, str | None] = {}

    # -- metadata ---------------------------------------------------------------------------

    def region_from_meta(self, value: str | None) -> str | None:
        """The region code a channel's ``region`` field names, or None for junk/empty."""
        if value is None or not isinstance(value, str) or not value.strip():
            return None
        if value in self._meta_cache:
            return self._meta_cache[value]
        key = _meta_key(_META_ABBR.sub(lambda m: _META_EXPAND[m.group(0).lower()], value))
        code = self.gaz.meta.get(key) or self.gaz.meta.get(" ".join(sorted(key.split())))
        if code is None and key:
            codes = {h.code for h in self.gaz.find(value) if h.code}
            code = codes.pop() if len(codes) == 1 else None
        self._meta_cache[value] = code
        return code

    # -- text -------------------------------------------------------------------------------

    def hits(self, text: str) -> list[Hit]:
        return self.gaz.find(text)

    @staticmethod
    def vote(hits: list[Hit]) -> str | None:
        if not hits:
            return None
        score: dict[str, float] = defaultdict(float)
        first: dict[str, int] = {}
        for h in hits:
            if h.code:  # a homonym town ("Железногорск") votes for no region
                score[h.code] += h.weight
                first.setdefault(h.code, h.start)
        return max(score, key=lambda c: (score[c], -first[c])) if score else None

    def district(self, text: str) -> str:
        for m in _DISTRICT_RE.finditer(text):
            word = m.group(1) or m.group(2)
            adj = _adj_nominative(word)
            if adj in _NOT_NAMES and not (word[:1].isupper() and adj == "центральный"):
                continue
            if not word[:1].isupper() and not adj.endswith(("ский", "цкий", "ской")):
                continue
            return f"{adj[:1].upper()}{adj[1:]} район"
        return ""

    def city(self, text: str, hits: list[Hit], code: str | None) -> str:
        for h in hits:
            # a homonym ("Железногорск" of two regions) names a town only after "г." (below)
            if h.kind == "city" and h.code and (code is None or h.code == code):
                return h.city
        # Москва, Санкт-Петербург: naming the region names the city
        city_region = code and self.gaz.names.get(code) == self.gaz.capitals.get(code)
        if city_region and any(h.code == code for h in hits):
            return self.gaz.capitals[code]
        m = _CITY_RE.search(text)
        if m:
            name = m.group(1)
            if " " in name or "-" in name:
                return name
            return _noun_nominative(name).title()
        return ""

    def _ner_codes(self, texts: list[str]) -> list[str | None]:
        """natasha LOC entities, normalised to lemmas and looked up in the gazetteer."""
        if self._ner is None:
            from natasha import (
                Doc,
                MorphVocab,
                NewsEmbedding,
                NewsMorphTagger,
                NewsNERTagger,
                Segmenter,
            )

            emb = NewsEmbedding()
            self._ner = (Doc, Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb), MorphVocab())
        Doc, seg, morph_tagger, ner, vocab = self._ner
        out: list[str | None] = []
        for t in texts:
            doc = Doc(t)
            doc.segment(seg)
            doc.tag_morph(morph_tagger)
            doc.tag_ner(ner)
            found = None
            for span in doc.spans:
                if span.type != "LOC":
                    continue
                span.normalize(vocab)
                key = " ".join(tokens(span.normal or span.text))
                e = self.gaz.forms.get(key)
                if e is not None and not e.ambiguous:
                    found = e.code
                    break
            out.append(found)
        return out

    def resolve(
        self, texts: Sequence[str], meta_regions: Sequence[str | None] | None = None
    ) -> pd.DataFrame:
        n = len(texts)
        metas = list(meta_regions) if meta_regions is not None else [None] * n
        if len(metas) != n:
            raise ValueError(f"{n} texts but {len(metas)} metadata regions")
        rows = []
        no_hit: list[int] = []
        for i, (text, meta) in enumerate(zip(texts, metas, strict=True)):
            text = text if isinstance(text, str) else ""
            hits = self.hits(text)
            code = self.region_from_meta(meta)
            source = "meta" if code else ""
            if not hits and self.options.fuzzy:
                hits = self.gaz.find(text, fuzzy=True)
            if code is None:
                code = self.vote(hits)
                source = "text" if code else ""
                if code is None and text:
                    no_hit.append(i)
            city = self.city(text, hits, code)
            district = self.district(text) if self.options.districts else ""
            rows.append([code or "", self.gaz.names.get(code, ""), city, district, source])
        if self.options.ner and no_hit:
            for i, code in zip(no_hit, self._ner_codes([texts[i] for i in no_hit]), strict=True):
                if code:
                    rows[i][0], rows[i][1], rows[i][4] = code, self.gaz.names[code], "text"
        return pd.DataFrame(rows, columns=COLUMNS)
