"""Flag questions that describe a threat to life or health, a child at risk, loss of heating,
water or power, an emergency, violence or a risk of suicide.

Rules over lemmas (the format of veche's ``lemmas`` column), read from a YAML lexicon that
operators can extend (see ``lexicon_ru.yaml`` for the pattern syntax). Per kind the weights of
the matched patterns combine as a noisy-OR, then boosters (children, frost, "третьи сутки")
raise and dampers (hot water only, planned works; seasonal ones such as no heating in summer
only in their months, which may depend on the question's region) lower it; ``urgency_score`` is
the best kind's score and ``urgent`` is ``urgency_score >= threshold``. ``evidence`` lists the
matched lemma phrases of the urgent kinds, for the analyst.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from veche.urgency.options import UrgencyOptions

COLUMNS = ["urgent", "kinds", "urgency_score", "evidence"]
_GAP = re.compile(r"^~(\d+)$")


@dataclass(frozen=True)
class Pattern:
    kind: str
    source: str
    regex: re.Pattern[str]
    weight: float
    negatable: bool
    anchors: frozenset[str]  # lemmas one of which must be in the text (cheap pre-filter)
    near: int = -1  # dampers: only within this many lemmas of a match (-1: anywhere)
    kinds: frozenset[str] = frozenset()  # dampers/boosters: only for these kinds (empty: all)
    months: frozenset[int] = frozenset()  # dampers: only in these months (empty: all year)
    season: str = ""  # dampers: only in this season's months where the question comes from


@dataclass(frozen=True)
class Season:
    """The months (1-12, local time) of a seasonal rule: per region (ISO 3166-2 code), else
    ``default`` (also where the region is unknown)."""

    default: frozenset[int]
    by_region: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def months(self, region: str | None) -> frozenset[int]:
        return self.by_region.get(region, self.default) if region else self.default


def _months(values: Sequence[int] | None, where: str) -> frozenset[int]:
    months = frozenset(int(m) for m in (values or ()))
    if not months <= frozenset(range(1, 13)):
        raise ValueError(f"{where}: months must be 1-12, got {sorted(months)}")
    return months


def _season(name: str, spec: dict) -> Season:
    """``{default: [...], regions: [{months: [...], codes: [...]}, ...]}`` -> :class:`Season`."""
    by_region: dict[str, frozenset[int]] = {}
    for group in spec.get("regions") or ():
        months = _months(group.get("months"), f"season {name!r}")
        by_region.update({str(code): months for code in group.get("codes") or ()})
    return Season(_months(spec.get("default"), f"season {name!r}"), by_region)


def compile_pattern(source: str) -> tuple[re.Pattern[str], frozenset[str]]:
    """'нет|без ~2 отопление' -> a regex over ' '-joined lemmas and its anchor lemmas."""
    parts: list[str] = []
    anchors: frozenset[str] | None = None
    for tok in source.split():
        gap = _GAP.match(tok)
        if tok.startswith("!"):  # not this lemma here: before the first token, or next
            words = [re.escape(w.lower().replace("ё", "е")) for w in tok[1:].split("|")]
            if parts:
                parts.append("(?!(?:" + "|".join(words) + ") )")
            else:
                parts.append("".join(f"(?<! {w} )" for w in words))
            continue
        if gap:
            parts.append(rf"(?:\S+ ){{0,{gap.group(1)}}}")
            continue
        alts = []
        for a in tok.split("|"):
            a = a.lower().replace("ё", "е")
            alts.append(re.escape(a[:-1]) + r"\S*" if a.endswith("*") else re.escape(a))
        parts.append("(?:" + "|".join(alts) + ") ")
        if anchors is None and not any(a.endswith("*") for a in tok.split("|")):
            anchors = frozenset(a.lower().replace("ё", "е") for a in tok.split("|"))
    regex = re.compile("(?<= )" + "".join(parts))  # lookbehinds see the padded string
    return regex, anchors or frozenset()


def _load_yaml(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


class UrgencyDetector:
    """``detect(texts, lemmas=None)`` -> DataFrame with :data:`COLUMNS`, one row per text."""

    def __init__(self, options: UrgencyOptions | None = None) -> None:
        self.options = options or UrgencyOptions()
        path = self.options.lexicon_path or (
            resources.files("veche") / "urgency" / "lexicon_ru.yaml"
        )
        lex = _load_yaml(path)
        for extra in self.options.extra_lexicon_paths:
            more = _load_yaml(Path(extra))
            for kind, pats in (more.get("kinds") or {}).items():
                lex.setdefault("kinds", {}).setdefault(kind, []).extend(pats)
            for key in ("boosters", "dampers"):
                lex.setdefault(key, []).extend(more.get(key) or [])
            # a season of the same name replaces the packaged one (an operator's calendar)
            lex.setdefault("seasons", {}).update(more.get("seasons") or {})
        self.threshold = float(
            self.options.threshold if self.options.threshold is not None else lex["threshold"]
        )
        self.negators = frozenset(lex.get("negators", []))
        self.window = int(lex.get("negation_window", 2))
        self.kinds = list(lex["kinds"])
        self.patterns = [
            self._pattern(kind, spec) for kind, specs in lex["kinds"].items() for spec in specs
        ]
        self.boosters = [self._pattern("", spec) for spec in lex.get("boosters", [])]
        self.dampers = [self._pattern("", spec) for spec in lex.get("dampers", [])]
        self.seasons = {
            name: _season(name, spec) for name, spec in (lex.get("seasons") or {}).items()
        }
        for d in self.dampers:
            if d.season and d.season not in self.seasons:
                raise ValueError(
                    f"damper {d.source!r}: no season {d.season!r} in the lexicon "
                    f"(seasons: {', '.join(self.seasons) or 'none'})"
                )
        self._lemmatizer = None

    @staticmethod
    def _pattern(kind: str, spec: dict) -> Pattern:
        regex, anchors = compile_pattern(spec["p"])
        return Pattern(
            kind,
            spec["p"],
            regex,
            float(spec["w"]),
            bool(spec.get("neg", True)),
            anchors,
            int(spec.get("near", -1)),
            frozenset(spec.get("kinds", ())),
            _months(spec.get("months"), f"pattern {spec['p']!r}"),
            str(spec.get("season", "")),
        )

    # -- one text ---------------------------------------------------------------------------

    def _negated(self, padded: str, start: int) -> bool:
        before = padded[:start].split()[-self.window :]
        return any(w in self.negators for w in before)

    def score_one(
        self, lemmas: str, month: int | None = None, region: str | None = None
    ) -> tuple[float, dict[str, float], dict[str, list[str]]]:
        """(best score, score per matched kind, evidence per kind) for one lemma string;
        ``month`` (1-12, when the question was asked) switches seasonal dampers on, in the
        months of ``region`` (ISO 3166-2) for dampers bound to a season."""
        padded = f" {lemmas} "
        toks = set(lemmas.split())
        found: dict[str, list[tuple[float, str, int, int]]] = {}
        for p in self.patterns:
            if p.anchors and not (p.anchors & toks):
                continue
            for m in p.regex.finditer(padded):
                # a negatable pattern has no negator of its own: one before it or inside its
                # gaps ("фонарь на доме не горит") turns the match off
                if p.negatable and (
                    self._negated(padded, m.start()) or self.negators & set(m.group(0).split())
                ):
                    continue
                found.setdefault(p.kind, []).append((p.weight, m.group(0).strip(), *m.span()))
                break
        if not found:
            return 0.0, {}, {}
        boost = 1.0
        for b in self.boosters:
            if (not b.anchors or b.anchors & toks) and b.regex.search(padded):
                boost *= 1.0 - b.weight
        scores: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for kind, matches in found.items():
            miss = 1.0
            for w, _, _, _ in matches:
                miss *= 1.0 - w
            s = 1.0 - miss * boost
            for d in self.dampers:
                if (d.anchors and not d.anchors & toks) or (d.kinds and kind not in d.kinds):
                    continue
                if d.months and month not in d.months:
                    continue
                if d.season and month not in self.seasons[d.season].months(region):
                    continue
                if d.near < 0:
                    hit = d.regex.search(padded) is not None
                else:  # only when every match of the kind has the damper next to it
                    hit = all(self._near(padded, d, a, b) for _, _, a, b in matches)
                if hit:
                    s *= d.weight
            scores[kind] = s
            evidence[kind] = [e for _, e, _, _ in matches]
        return max(scores.values()), scores, evidence

    @staticmethod
    def _near(padded: str, d: Pattern, a: int, b: int) -> bool:
        left = " ".join(padded[:a].split()[-d.near :]) if d.near else ""
        right = " ".join(padded[b:].split()[: d.near]) if d.near else ""
        return d.regex.search(f" {left} {padded[a:b]} {right} ") is not None

    # -- many texts -------------------------------------------------------------------------

    def _lemmatize(self, texts: Sequence[str]) -> list[str]:
        from veche.text import Lemmatizer, clean_text, detect_languages

        if self._lemmatizer is None:
            self._lemmatizer = Lemmatizer()
        texts = [clean_text(t) if isinstance(t, str) else "" for t in texts]
        langs = detect_languages(texts)
        return [" ".join(ls) for ls in self._lemmatizer.lemmas_many(texts, langs)]

    def detect(
        self,
        texts: Sequence[str],
        lemmas: Sequence[str] | None = None,
        months: Sequence[int | None] | None = None,
        regions: Sequence[str | None] | None = None,
    ) -> pd.DataFrame:
        """``months``: the month (1-12, local time) each question was asked, or None where
        unknown; seasonal dampers (no heating in summer) need it. ``regions``: each question's
        region (ISO 3166-2 code, or None), for seasons that differ by region."""
        if lemmas is None:
            lemmas = self._lemmatize(texts)
        if len(lemmas) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(lemmas)} lemma strings")
        if months is None:
            months = [None] * len(texts)
        if len(months) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(months)} months")
        if regions is None:
            regions = [None] * len(texts)
        if len(regions) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(regions)} regions")
        rows = []
        for lem, month, region in zip(lemmas, months, regions, strict=True):
            month = None if month is None or pd.isna(month) else int(month)
            region = region if isinstance(region, str) else None
            best, scores, evidence = self.score_one(
                lem if isinstance(lem, str) else "", month, region
            )
            urgent = best >= self.threshold
            kinds = [k for k in self.kinds if scores.get(k, 0.0) >= self.threshold]
            ev = "; ".join(dict.fromkeys(e for k in kinds for e in evidence[k]))
            rows.append((urgent, ",".join(kinds), round(best, 4), ev))
        return pd.DataFrame(rows, columns=COLUMNS)
