"""Assemble one message from parts, in the style of its channel, then add typing noise.

A message is built as a list of segments ``(text, pii_type)``; ``pii_type`` is ``None`` for
ordinary text. Typos and punctuation noise touch ordinary segments only; case changes and
transliteration touch all segments, and the ground truth records personal data as it finally
appears, so every recorded value is an exact substring of the text.
"""

from __future__ import annotations

import json

from veche.demo import languages, noise, parts, people, special
from veche.demo.slots import Slots
from veche.demo.templates import FMT, CompiledSub, Tpl, compile_tpl

Seg = tuple[str, str | None]

PII_TYPE = {
    "SELF": "PER",
    "SELF_GEN": "PER",
    "SELF_FIRST": "PER",
    "SELF_IF": "PER",
    "SELF_LATIN": "PER",
    "AD_NAME": "PER",
    "KIN_M": "PER",
    "KIN_F": "PER",
    "KIN_M_GEN": "PER",
    "KIN_F_GEN": "PER",
    "PHONE": "PHONE",
    "PHONE_ANY": "PHONE",
    "EMAIL": "EMAIL",
    "ADDRESS": "ADDRESS",
    "PASSPORT": "PASSPORT",
    "SNILS": "SNILS",
    "INN": "INN",
    "INN10": "INN",
    "CARD": "CARD",
}
# chance that a message of this channel carries typos (scaled by ``typo_rate``)
TYPO_P = {
    "sms": 0.55,
    "messenger": 0.45,
    "social": 0.35,
    "website": 0.15,
    "app": 0.2,
    "call_centre": 0.08,
}
DOC_FOR_THEME = {
    "pensions": [0, 1, 1, 4],
    "social_support": [0, 1, 2, 3, 6],
    "state_society": [2, 3, 8],
    "prices_economy": [4, 5, 8],
    "healthcare": [0, 2],
    "housing_utilities": [2, 3, 4],
    "military_families": [2, 3, 6],
}
_DOC_DEFAULT = [0, 2, 4, 6]
_SELF = compile_tpl("<<SELF>>")


def has_pii(tpl: Tpl) -> bool:
    return any(kind is not None and kind != FMT for _, kind in tpl)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def low(s: str) -> str:
    return s[:1].lower() + s[1:]


class Composer:
    """Builds messages with one ``random.Random``; not thread-safe, cheap to create."""

    def __init__(self, R, pii_rate: float = 1.0, typo_rate: float = 1.0):
        self.R = R
        self.slots = Slots()
        self.person: people.Person | None = None
        self.pii_rate = pii_rate
        self.typo_rate = typo_rate

    # -- rendering ---------------------------------------------------------------------------

    def start(self, person: people.Person, age: int, region: tuple | None) -> None:
        self.person = person
        self.slots.reset(self.R, person.female, age, region)

    def pii(self, kind: str) -> str:
        R, p = self.R, self.person
        if kind == "SELF":
            return people.name_in_text(R, p)
        if kind == "SELF_GEN":
            return people.name_in_text(R, p, gen=True)
        if kind == "SELF_FIRST":
            return p.given()
        if kind == "SELF_IF":
            return f"{p.given()} {p.surname()}"
        if kind == "AD_NAME":  # the contact in an advert: a first name
            return self.choose(people.MALE)[0]
        if kind == "SELF_LATIN":
            return people.translit(f"{p.given()} {p.surname()}")
        if kind in ("KIN_M", "KIN_F", "KIN_M_GEN", "KIN_F_GEN"):
            return people.kin_name(R, p, kind.startswith("KIN_F"), gen=kind.endswith("GEN"))
        if kind == "PHONE":
            return people.phone_text(R, p.phone)
        if kind == "PHONE_ANY":
            return people.phone_text(R, people.random_phone(R))
        if kind == "EMAIL":
            return p.email
        if kind == "ADDRESS":
            return people.address(R)
        if kind == "PASSPORT":
            return people.passport(R)
        if kind == "SNILS":
            return people.snils(R)
        if kind == "INN":
            return people.inn(R, twelve=True)
        if kind == "INN10":
            return people.inn(R, twelve=False)
        if kind == "CARD":
            return people.card(R)
        raise KeyError(kind)

    def render(self, tpl: Tpl) -> list[Seg]:
        out: list[Seg] = []
        for text, kind in tpl:
            if kind is None or kind == FMT:
                if kind == FMT:
                    text = text.format_map(self.slots)
                if text[:1] == "." and out and out[-1][0].endswith("."):
                    text = text[1:]  # "Иванова М. П." + "." -> one full stop
                out.append((text, None))
            else:
                out.append((self.pii(kind), PII_TYPE[kind]))
        return out

    def lit(self, s: str) -> list[Seg]:
        return [(s.format_map(self.slots) if "{" in s else s, None)]

    def choose(self, items):
        return items[self.R.randrange(len(items))]

    def pick(self, pool: list[Tpl]) -> Tpl:
        """A template from ``pool``; below ``pii_rate`` one without personal data instead."""
        tpl = pool[self.R.randrange(len(pool))]
        if self.pii_rate < 1.0 and has_pii(tpl) and self.R.random() >= self.pii_rate:
            clean = [t for t in pool if not has_pii(t)]
            return self.choose(clean) if clean else ()
        return tpl

    def _index(self, tpls: list[Tpl]) -> int:
        i = self.R.randrange(len(tpls))
        if self.pii_rate < 1.0 and has_pii(tpls[i]) and self.R.random() >= self.pii_rate:
            clean = [j for j, t in enumerate(tpls) if not has_pii(t)]
            i = self.choose(clean) if clean else i
        return i

    @staticmethod
    def lower_first(block: list[Seg]) -> list[Seg]:
        if block and block[0][1] is None:
            block[0] = (low(block[0][0]), None)
        return block

    # -- shared blocks -----------------------------------------------------------------------

    def core(self, sub: CompiledSub, short: bool = False) -> list[Seg]:
        i = self._index(sub.cores)
        return self.render(sub.short[i] if short and not sub.urgency else sub.cores[i])

    def details(self, sub: CompiledSub, k: int) -> list[list[Seg]]:
        if not sub.details or k <= 0:
            return []
        picks = {self._index(sub.details) for _ in range(k)}
        return [self.render(sub.details[i]) for i in sorted(picks)]

    def fill_sub_slots(self, sub: CompiledSub) -> None:
        sl = self.slots
        sl["report"] = self.choose(sub.reports).format_map(sl) if sub.reports else "просит помочь"
        sl["ask"] = self.choose(sub.asks).format_map(sl) if sub.asks else "разобраться"
        sl["topic"] = self.choose(sub.topics)

    def second(self, sub2: CompiledSub, short: bool) -> list[Seg]:
        text, lower = self.choose(parts.CONNECTORS)
        block = self.core(sub2, short=short)
        if lower:
            self.lower_first(block)
        return [(text, None), *block]

    def region_block(self) -> list[Seg]:
        return self.render(self.pick(parts.C_INTRO_REGION))

    def doc_block(self, theme: str) -> list[Seg]:
        idx = DOC_FOR_THEME.get(theme, _DOC_DEFAULT)
        return self.render(parts.C_DOCS[self.choose(idx)])

    def join(self, blocks: list[list[Seg]], seps: tuple[str, ...]) -> list[Seg]:
        out: list[Seg] = []
        R = self.R
        sep = seps[R.randrange(len(seps))]
        for b in blocks:
            if not b:
                continue
            if out:
                out.append((sep, None))
            out.extend(b)
        return out

    # -- Russian messages by channel ---------------------------------------------------------

    def russian(
        self, channel: str, sub: CompiledSub, sub2: CompiledSub | None, in_text: bool, abuse: bool
    ) -> list[Seg]:
        if channel == "call_centre":
            segs = self._call(sub, sub2, in_text)
        elif channel == "sms":
            segs = self._sms(sub, sub2, in_text)
        elif channel in ("website", "app"):
            segs = self._form(channel, sub, sub2, in_text)
        elif channel == "social":
            segs = self._social(sub, sub2, in_text)
        else:
            segs = self._messenger(sub, sub2, in_text)
        if abuse:
            insult = self.choose(special.INSULTS)
            if self.R.random() < 0.5:
                segs = [(insult + " ", None), *segs]
            else:
                segs = [*segs, (" " + insult, None)]
        return segs

    def _form(self, channel: str, sub, sub2, in_text: bool) -> list[Seg]:
        R, sl = self.R, self.slots
        web = channel == "website"
        pr = self.pii_rate
        blocks: list[list[Seg]] = []
        if R.random() < (0.85 if web else 0.6):
            blocks.append(self.lit(self.choose(parts.GREET_FORMAL)))
        x = R.random()
        if in_text and x < 0.45:
            blocks.append(self.region_block())
        elif x < (0.5 if web else 0.3) * pr:
            pool = parts.C_INTRO_OLD if sl.age >= 60 and R.random() < 0.35 else parts.C_INTRO_PLAIN
            blocks.append(self.render(self.pick(pool)))
        if R.random() < 0.05 * pr:
            blocks.append(self.render(self.pick(parts.C_KIN)))
        if sub.topics and R.random() < 0.2:
            sl["topic"] = self.choose(sub.topics)
            blocks.append(self.lit(self.choose(parts.OPENING_TOPIC)))
        blocks.append(self.core(sub))
        blocks.extend(self.details(sub, self.choose((0, 1, 1, 2) if web else (0, 0, 1))))
        if sub2 is not None:
            blocks.append(self.second(sub2, short=R.random() < 0.4))
        if sub.asks and R.random() < (0.45 if web else 0.25):
            sl["ask"] = self.choose(sub.asks).format_map(sl)
            blocks.append(self.lit(self.choose(parts.ASK_FRAMES)))
        if R.random() < (0.65 if web else 0.45):
            blocks.append(self.lit(self.choose(parts.CLOSINGS)))
        if R.random() < (0.1 if web else 0.04) * pr:
            blocks.append(self.render(self.pick(parts.C_ADDRESS)))
        if R.random() < (0.1 if web else 0.05) * pr:
            blocks.append(self.render(self.pick(parts.C_CONTACTS)))
        if R.random() < 0.02 * pr:
            blocks.append(self.doc_block(sub.theme))
        if R.random() < (0.35 if web else 0.12) * pr:
            pool = parts.C_SIGN_REGION if in_text and R.random() < 0.3 else parts.C_SIGN
            blocks.append(self.render(self.pick(pool)))
        if in_text and not sl.placed:
            blocks.insert(1 if len(blocks) > 1 else 0, self.region_block())
        return self.join(blocks, ("\n", "\n", " ", " ", " ", "\n\n"))

    def _call(self, sub, sub2, in_text: bool) -> list[Seg]:
        R, sl = self.R, self.slots
        blocks: list[list[Seg]] = []
        if R.random() < 0.55:  # the operator's summary
            self.fill_sub_slots(sub)
            if sub.urgency and R.random() < 0.3:
                blocks.append([("СРОЧНО!", None)])
            x = R.random()
            if x < 0.2:
                head, tail = self.choose(parts.OPERATOR_QUOTE).split("{core}")
                quoted = self.core(sub)
                if tail and quoted[-1][1] is None:  # «...?». -> «...?»
                    quoted[-1] = (quoted[-1][0].rstrip("."), None)
                blocks.append([*self.lit(head), *quoted, (tail, None)])
            elif in_text and x < 0.6:
                blocks.append(self.render(self.pick(parts.C_OPERATOR_REGION)))
            else:
                pool = parts.C_OPERATOR if R.random() < self.pii_rate else parts.C_OPERATOR[:3]
                blocks.append(self.render(self.pick(pool)))
            if in_text and not sl.placed:
                blocks.append(self.lit("Проживает {in_region}."))
            if sub2 is not None:
                sl["ask2"] = self.choose(sub2.asks).format_map(sl) if sub2.asks else "помочь"
                blocks.append(self.lit("Также просит {ask2}."))
            if R.random() < 0.15 * self.pii_rate:
                blocks.append(self.render(self.pick(parts.C_OPERATOR_CONTACT)))
            if R.random() < 0.2:
                blocks.append(self.lit(self.choose(parts.OPERATOR_EXTRA)))
            return self.join(blocks, (" ", " ", "\n"))
        # verbatim speech typed by the operator
        if R.random() < 0.8:
            blocks.append(self.lit(self.choose(parts.SPOKEN_OPEN)))
        if in_text and R.random() < 0.5:
            blocks.append(self.render(self.pick(parts.C_SPOKEN_REGION)))
        elif R.random() < 0.3 * self.pii_rate:
            blocks.append(self.render(self.pick(parts.C_SPOKEN_INTRO)))
        blocks.append(self.speech(self.core(sub)))
        for d in self.details(sub, 1 if R.random() < 0.4 else 0):
            blocks.append(self.speech(d))
        if sub2 is not None:
            blocks.append(
                [("И ещё, это самое, ", None), *self.lower_first(self.speech(self.core(sub2)))]
            )
        if in_text and not sl.placed:
            blocks.append(self.lit("Я {from_region}, если что."))
        if R.random() < 0.6:
            blocks.append(self.lit(self.choose(parts.SPOKEN_CLOSE)))
        return self.join(blocks, (" ",))

    def speech(self, block: list[Seg]) -> list[Seg]:
        R = self.R
        out = []
        for text, kind in block:
            if kind is None and len(text) > 20:
                text = noise.add_fillers(text, R, parts.FILLERS, R.randint(1, 3))
            out.append((text, kind))
        return out

    def _sms(self, sub, sub2, in_text: bool) -> list[Seg]:
        R, sl = self.R, self.slots
        blocks: list[list[Seg]] = []
        if in_text and R.random() < 0.5:
            blocks.append(self.lit(self.choose(sl.region_nom) + self.choose((".", ",", "", ":"))))
            sl.placed = True
        if R.random() < 0.25:
            blocks.append(self.lit(self.choose(parts.GREET_SMS)))
        blocks.append(self.core(sub, short=R.random() < 0.75))
        if sub2 is not None:
            blocks.append([("и еще ", None), *self.lower_first(self.core(sub2, short=True))])
        if in_text and not sl.placed:
            blocks.append(self.lit("я {from_region}"))
        if R.random() < 0.05 * self.pii_rate:
            blocks.append(self.render(_SELF))
        return self.join(blocks, (" ",))

    def _social(self, sub, sub2, in_text: bool) -> list[Seg]:
        R, sl = self.R, self.slots
        blocks: list[list[Seg]] = []
        opener = parts.SOCIAL_OPEN[R.randrange(len(parts.SOCIAL_OPEN))] if R.random() < 0.25 else ""
        core = self.core(sub)
        if opener:
            core = [(opener, None), *core]
        blocks.append(core)
        blocks.extend(self.details(sub, 1 if R.random() < 0.3 else 0))
        if sub2 is not None:
            blocks.append(self.second(sub2, short=True))
        if in_text and not sl.placed:
            blocks.append(
                self.lit(self.choose(("Пишу {from_region}.", "Мы {from_region}!", "{nom_region}")))
            )
        if R.random() < 0.4:
            blocks.append([(self.choose(parts.EMOJI), None)])
        if R.random() < 0.5:
            tags = [self.choose(parts.HASHTAGS)]
            if R.random() < 0.6:
                tags.append(self.choose(parts.THEME_TAGS[sub.theme]))
            blocks.append([(" ".join(tags), None)])
        return self.join(blocks, (" ", "\n"))

    def _messenger(self, sub, sub2, in_text: bool) -> list[Seg]:
        R, sl = self.R, self.slots
        blocks: list[list[Seg]] = []
        if R.random() < 0.4:
            blocks.append(self.lit(self.choose(parts.GREET_CASUAL)))
        if in_text and R.random() < 0.3:
            blocks.append(self.region_block())
        elif R.random() < 0.1 * self.pii_rate:
            blocks.append(self.render(self.pick(parts.C_INTRO_PLAIN)))
        blocks.append(self.core(sub, short=R.random() < 0.4))
        blocks.extend(self.details(sub, 1 if R.random() < 0.25 else 0))
        if sub2 is not None:
            blocks.append(self.second(sub2, short=True))
        if in_text and not sl.placed:
            blocks.append(self.lit("Я {from_region}."))
        if R.random() < 0.05 * self.pii_rate:
            blocks.append(self.render(self.pick(parts.C_CONTACTS)))
        if R.random() < 0.25:
            blocks.append(self.lit(self.choose(parts.CLOSINGS_CASUAL)))
        return self.join(blocks, (" ", "\n"))

    # -- other languages, spam ---------------------------------------------------------------

    def foreign(self, lang: str, tpl: Tpl, channel: str) -> list[Seg]:
        R = self.R
        blocks: list[list[Seg]] = []
        if R.random() < 0.6:
            blocks.append([(self.choose(languages.GREET[lang]), None)])
        if R.random() < 0.12 * self.pii_rate:
            blocks.append(self.render(self.pick(languages.C_INTRO[lang])))
        blocks.append(self.render(tpl))
        if R.random() < 0.05 * self.pii_rate:
            blocks.append(self.render(self.pick(languages.C_CONTACT[lang])))
        if R.random() < 0.5:
            blocks.append([(self.choose(languages.CLOSE[lang]), None)])
        return self.join(blocks, (" ",) if channel in ("sms", "social") else (" ", "\n"))

    def spam(self, kind: str) -> list[Seg]:
        R = self.R
        if kind == "ad":
            return self.render(self.pick(special.C_ADS))
        if kind == "greeting":
            return [(self.choose(special.GREETING_ONLY), None)]
        if kind == "test":
            return [(self.choose(special.TESTS), None)]
        if kind == "mash":
            row = self.choose(special.MASH_ROWS)
            i = R.randrange(0, 3)
            s = row[i : i + R.randint(4, len(row) - i)]
            if R.random() < 0.4:
                s = s + s[: R.randint(1, len(s))]
            return [(s, None)]
        if kind == "gibberish":
            letters = special.GIBBERISH_LETTERS
            words = [
                "".join(letters[R.randrange(len(letters))] for _ in range(R.randint(3, 9)))
                for _ in range(R.randint(1, 5))
            ]
            return [(" ".join(words), None)]
        return [(self.choose(special.PURE_ABUSE), None)]  # pure abuse

    # -- noise and output --------------------------------------------------------------------

    def finish(
        self, segs: list[Seg], channel: str, lang: str = "ru", light: bool = False
    ) -> tuple[str, str]:
        """Apply channel noise (``light``: copy-paste, little of it); return (text, pii json)."""
        R = self.R
        segs = list(segs)
        x = R.random
        if light:
            return self._light(segs, channel)
        if lang == "ru" and x() < 0.55:
            segs = [(t.replace("ё", "е").replace("Ё", "Е"), k) for t, k in segs]
        if x() < TYPO_P[channel] * self.typo_rate:
            k = 1 + (x() < 0.4) + (x() < 0.15)
            for _ in range(k):
                i = R.randrange(len(segs))
                t, kind = segs[i]
                if kind is None and len(t) >= 4:
                    segs[i] = (noise.typo(t, R), None)
        casual = channel in ("sms", "messenger", "social")
        if x() < (0.3 if casual else 0.05) * self.typo_rate:
            segs = [(noise.drop_commas(t) if k is None else t, k) for t, k in segs]
        if x() < 0.06 * self.typo_rate and channel != "call_centre":
            i = R.randrange(len(segs))
            if segs[i][1] is None:
                segs[i] = (noise.drop_space(segs[i][0], R), None)
        if x() < {"social": 0.25, "messenger": 0.1}.get(channel, 0.04):
            i = R.randrange(len(segs))
            if segs[i][1] is None:
                segs[i] = (noise.more_punct(segs[i][0], R), None)
        if channel == "sms" and lang == "ru":
            if x() < 0.35:
                segs = [(noise.abbreviate(t, R) if k is None else t, k) for t, k in segs]
            if x() < 0.7:
                segs = [(t.lower(), k) for t, k in segs]
            if x() < 0.45:
                segs = [(noise.strip_punct(t) if k is None else t, k) for t, k in segs]
            if x() < 0.05:
                segs = [(people.translit(t), k) for t, k in segs]
        elif channel == "messenger":
            if x() < 0.25:
                segs = [(t.lower(), k) for t, k in segs]
            last, kind = segs[-1]
            if kind is None and last.endswith(".") and x() < 0.5:
                segs[-1] = (last[:-1], None)
        if x() < {"social": 0.04, "sms": 0.02}.get(channel, 0.008):
            segs = [(t.upper(), k) for t, k in segs]
        if channel == "website" and x() < 0.1:
            segs = self.html(segs)
        elif channel in ("website", "app") and x() < 0.04:
            segs.append((self.choose(parts.PHONE_SIGNATURES), None))
        return self._output(segs)

    def _light(self, segs: list[Seg], channel: str) -> tuple[str, str]:
        R = self.R
        if R.random() < 0.15 * self.typo_rate:
            i = R.randrange(len(segs))
            if segs[i][1] is None:
                segs[i] = (noise.typo(segs[i][0], R), None)
        if R.random() < 0.2:
            segs = [(t.replace("ё", "е"), k) for t, k in segs]
        if channel in ("sms", "messenger") and R.random() < 0.3:
            segs = [(t.lower(), k) for t, k in segs]
        if R.random() < 0.1:
            i = R.randrange(len(segs))
            if segs[i][1] is None:
                segs[i] = (noise.more_punct(segs[i][0], R), None)
        return self._output(segs)

    @staticmethod
    def _output(segs: list[Seg]) -> tuple[str, str]:
        text = "".join(t for t, _ in segs).strip()
        found = []
        for t, k in segs:
            if k is not None and (k, t) not in found:
                found.append((k, t))
        if not found:
            return text, "[]"
        return text, json.dumps([{"type": k, "value": v} for k, v in found], ensure_ascii=False)

    def html(self, segs: list[Seg]) -> list[Seg]:
        R = self.R
        out = []
        for t, k in segs:
            if k is None:
                t = t.replace("\n", R.choice(("<br>", "<br />\n", "<br>\n")))
                if R.random() < 0.3:
                    t = noise.nbsp(t, R)
            out.append((t, k))
        if R.random() < 0.5:
            out = [("<p>", None), *out, ("</p>", None)]
        return out
