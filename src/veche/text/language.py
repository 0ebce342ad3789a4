"""Language identification for short citizens' questions.

``detect_languages(texts)`` returns one ISO 639-1 code per text: ``ru``, ``en``, ``uk``, ``tt``,
``kk``, ``be`` or ``und`` (undetermined).

How a text is decided, cheapest first (only the first ``MAX_CHARS`` characters are looked at):

1. Fewer than 3 letters, no vowels at all, or a script other than Cyrillic/Latin dominating
   -> ``und``.  Russian-letter text without a Russian function word is also ``und`` when it
   looks random: mean letter surprisal above 5.35 bits under Russian letter frequencies
   (10+ letters), a single repeated letter, or mostly neighbouring keys of one keyboard row
   (``ывапролд``).
2. Cyrillic text (more Cyrillic than Latin letters):

   * Letters that Russian lacks decide when at least a fifth of the words carry them, or when
     they outnumber the evidence for Russian (Russian-only function words, and words with
     ``ы э ъ ё`` unless the letters are Tatar/Kazakh/Belarusian, which use those too) -- so a
     Tatar street name inside a Russian question does not flip it, while a Ukrainian sentence
     with a single ``і`` still counts.  ``җ`` is Tatar-only; ``ғ қ ұ`` are Kazakh-only;
     ``ә ө ү ң һ`` are shared by Tatar and Kazakh, and ``і`` (which Tatar does not use) tips
     those to Kazakh; ``ї є ґ`` are Ukrainian; ``ў`` is Belarusian; ``і`` alone is Ukrainian
     when ``и`` occurs too, Belarusian when ``ы``/``э`` occur instead.
   * Otherwise (only Russian letters): short marker-word lists catch Ukrainian, Tatar,
     Kazakh and Belarusian typed without their special letters (``коли``, ``кайчан``,
     ``рахмет``, ``дзякуй``), and Turkic plural+case endings (``студентларга``); if they do
     not outvote the Russian function words, the text is ``ru`` when it contains a Russian
     function word, one of ``ы э ъ ё``, or at least 40 Cyrillic letters (a Ukrainian text that
     long practically always contains ``і``/``ї``/``є``).
   * The rest (short and marker-less, e.g. ``"газ провести"``, ``"Звоню 10."``) goes to
     lingua restricted to Russian/Ukrainian/Belarusian; a non-Russian answer must beat
     Russian by 0.5 confidence, because lingua leans Ukrainian on 1-4 word Russian fragments
     and the traffic is overwhelmingly Russian.

3. Latin text: transliterated Russian (``"zdravstvuyte, kogda budet indeksaciya"``) is
   reported as ``ru`` -- the language is Russian; callers that need the script can check it
   themselves (the lemmatizer just lower-cases Latin tokens).  Words are scored against a
   translit lexicon and translit word shapes (``zh``, ``kh``, ``-iy``, ``-aya``...) versus
   English function words and the simplemma English dictionary; English needs at least half
   of the words to be English, otherwise ``und`` (German, gibberish, Latin-script Tatar).

lingua is loaded lazily, with four languages only (~0.7 s, tens of MB); all-language lingua
costs 1.3 GB and is never built.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence

from veche.text.lemmas import PLACEHOLDER_RE

_URL_EMAIL_RE = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)

__all__ = ["detect_language", "detect_languages", "LANGUAGES", "MAX_CHARS"]

LANGUAGES = ("ru", "en", "uk", "tt", "kk", "be", "und")
MAX_CHARS = 1000


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYR_LETTER_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_LETTER_RE = re.compile(r"[a-z\u00c0-\u024f]")

_VOWELS = frozenset("аеёиоуыэюяіїєәөүұaeiouyäöüı")
_RU_ONLY = frozenset("ыэъё")
_FOREIGN_CYR = frozenset("әөүңһҗғқұіїєґў")
_TT_ONLY = frozenset("җ")
_KK_ONLY = frozenset("ғқұ")
_TURKIC_SHARED = frozenset("әөүңһ")
_UK_ONLY = frozenset("їєґ")
_BE_ONLY = frozenset("ў")
_OTHER_CYR = frozenset("ђјљњћџѓќѕ")  # Serbian/Macedonian: not ours

# Russian function words and high-frequency words that do not exist in Ukrainian (nor in
# Tatar/Kazakh).  Deliberately no topical loanwords such as "пенсия" (Tatar uses it too).
_RU_WORDS = _wordset(
    """и что как когда почему зачем ты это этот эта эти этого этой будет будут есть нет или мы вы
    они он она оно мне меня можно нужно надо очень где кто какой какая какие каких сколько
    еще ещё его ее её если чтобы только который которая которые сейчас тоже пожалуйста
    здравствуйте спасибо помогите был ли ничего нечего хотя всё вообще почему-то когда-нибудь
    также этом вашей между более менее хотим получить сделать сказать скажите подскажите
    просим здраствуйте добрый доброе привет уважаемый уважаемая"""
)
# Ukrainian words spelled with letters Russian also has (no і ї є ґ) and absent from Russian.
_UK_WORDS = _wordset(
    """коли чому буде будуть дуже треба також добрий дякую щодо який яка яке як що чи але або
    вже мене потрібно питання гроші нема хто зараз ось може коштує допомога допоможіть ця цей
    це цього щоб якщо тобто нашому вашому ласка будь-ласка шановний шановна вона вони його
    працює працюють роботу робота житло отримати куди звертатися зробити було багато"""
)
# Tatar words as typed on a Russian keyboard (ә->э/а, ө->о, ү->у, ң->н, җ->ж, һ->х).
_TT_WORDS = _wordset(
    """кайчан ничек нигэ нига юк рэхмэт рахмэт исэнмесез исэнме сэлам безнен сезнен безгэ
    сезгэ булачак буламы булырмы кирэк турында очен ечен хэм белэн хэзер тагын эле бик
    аркылы артачак арттырылачак кайда нишлэргэ эшлэргэ авылда авылыбызда"""
)
# Kazakh words as typed on a Russian keyboard (қ->к, ғ->г, ұ->у, ү->у, і->и/ы, ә->а, ң->н).
_KK_WORDS = _wordset(
    """рахмет кашан калай неге жок салеметсиз салем сиз биз бизге сизге
    кажет керек ушин туралы жане менин бизде ауылда жумыс жалакы зейнетакы калада
    сізге сіз біз бізге біздің сіздің үшін"""
)
# Belarusian words without і/ў that Russian and Ukrainian lack.
_BE_WORDS = _wordset(
    """дзякуй пытанне пытання адказ адказу чаму трэба вельмі таксама няма дзень дзеці грошы
    заробак вёска вёсцы рамонт дарогу дарога"""
)
# Turkic plural + case endings (Tatar/Kazakh typed without special letters): "студентларга".
_TURKIC_SUFFIX_RE = re.compile(
    r"(?:лар|лэр|лер|дар|дер|тар|тер)(?:га|гэ|ге|ны|не|ды|ди|да|дэ|де|дан|дэн|ден|нан|нэн)$"
)

# Latin script: transliterated Russian versus English.
_TRANSLIT_WORDS = _wordset(
    """zdravstvuyte zdravstvuite zdravstvujte zdrastvuyte zdrastvuite zdraste dobryy dobriy
    dobryi privet kogda pochemu pochemy skolko skol'ko mozhno mojno nuzhno nujno budet budut
    eto chto shto kak gde kto menya mne nas vas nam vam ne na za dlya po ot iz ili tak uzhe
    uje eshe esche yeshche ochen pensiya pensii pensiy pensiyu pensioneram pensionerov zarplata
    zarplaty zarplatu dengi den'gi rabota raboty rabotu dom doma deti detey pomogite
    pozhaluysta pozhaluista pojaluysta pojaluista spasibo vladimir vladimirovich uvazhaemyy
    uvazhaemiy indeksaciya indeksatsiya indeksaciyu indeksatsiyu povysheniye povyshenie
    budet-li kogda-nibud seychas sejchas tozhe mnogo malo net da est' est vopros voprosa
    otvet otvette skazhite podskazhite pochemu-to potomu chtoby esli togda nado tolko
    vsegda nikogda nichego gaz doroga dorogu dorogi shkola shkoly bolnica vrach vracha
    zhkh kvartira kvartiru zhilye zhilyo ipoteka ipoteku kredit lgoty lgota posobie posobiya
    vyplaty vyplata vyplatu detskiy sad derevne derevnya gorode gorod selo sele ya my vy oni
    on ona ego ee eyo ikh ih moya moy moyo nash nasha nashi vash vasha v nashem nashey nashu
    nashego teper posle pered cherez dazhe eshchyo sovsem vse vsyo vsekh bolshe menshe stoit
    dorozhe deshevle chem pri tom etom etot eta eti drugoy drugom zakryli otkryli sdelali
    sdelat nuzhen nuzhna net-li khochu hochu mozhete pomogite prosim proshu zhivu rabotayu"""
)
_EN_WORDS = _wordset(
    """the a an is are was were be been being am i you he she it we they me him her us them my
    your his its our their this that these those what when where why how who which whom whose
    will would shall should can could may might must do does did done have has had having not
    no yes of to in on at by for with about from into over under after before between and or
    but if then than so because as until while there here all any some each every other more
    most much many few very too also just only please thank thanks hello hi dear sir madam
    mr mrs ms good morning afternoon evening question answer help"""
)
# Word shapes of transliterated Russian.  Strong ones are checked before the English
# dictionary, weak ones only for words English does not know.
_TRANSLIT_STRONG_RE = re.compile(r"zh|kh|shch|(?:iy|yy|iye|iya|iyu|yaya|ykh|ikh|skiy|skaya|nyy)$")
_TRANSLIT_WEAK_RE = re.compile(
    r"ts[aeiouy]|sch[aeiouy]|(?:aya|oye|oe|ye|ogo|ego|omu|yut|yat|ayu|yete|ite|tsya|ovat|ovich"
    r"|ovna|evich|evna|niy|oy|ey|yi|ii|ov|ev|ami|akh|ikh|yam)$"
)


# ---------------------------------------------------------------------------------------------
# lingua (lazy)
# ---------------------------------------------------------------------------------------------

_lingua_lock = threading.Lock()
_lingua_detector = None
_LINGUA_CODES = ("ru", "uk", "be", "kk")
# Candidates are listed most-likely first (the traffic is overwhelmingly Russian, then
# Ukrainian); another answer must beat the first candidate by this margin (values sum to 1).
# lingua leans to Ukrainian on 1-4 word Russian fragments ("Звоню 10." UK 0.59 / RU 0.28)
# while real Ukrainian sentences score UK > 0.9, hence the wide margin.
_LINGUA_MARGIN = 0.5


def _lingua():
    global _lingua_detector
    if _lingua_detector is None:
        with _lingua_lock:
            if _lingua_detector is None:
                from lingua import Language, LanguageDetectorBuilder

                langs = [Language.from_iso_code_639_1(_iso(c)) for c in _LINGUA_CODES]
                _lingua_detector = LanguageDetectorBuilder.from_languages(*langs).build()
    return _lingua_detector


def _iso(code: str):
    from lingua import IsoCode639_1

    return getattr(IsoCode639_1, code.upper())


def _lingua_pick(texts: list[str], candidates: list[tuple[str, ...]]) -> list[str]:
    det = _lingua()
    results = det.compute_language_confidence_values_in_parallel(texts)
    out = []
    for values, allowed in zip(results, candidates, strict=True):
        conf = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
        best = max(allowed, key=lambda c: conf.get(c, 0.0))
        prior = allowed[0]
        if conf.get(best, 0.0) - conf.get(prior, 0.0) < _LINGUA_MARGIN:
            best = prior
        out.append(best)
    return out


# ---------------------------------------------------------------------------------------------
# English dictionary (lazy, simplemma)
# ---------------------------------------------------------------------------------------------

_en_known_cache: dict[str, bool] = {}


def _en_known(word: str) -> bool:
    hit = _en_known_cache.get(word)
    if hit is None:
        import simplemma

        hit = simplemma.is_known(word, lang="en")
        if len(_en_known_cache) < 200_000:
            _en_known_cache[word] = hit
    return hit


# ---------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------


def _prepare(text: str) -> str:
    s = text[:MAX_CHARS]
    if "[" in s:
        s = PLACEHOLDER_RE.sub(" ", s)
    if "@" in s or "www" in s or "://" in s:
        s = _URL_EMAIL_RE.sub(" ", s)
    return s


def _rule(text: str) -> str | tuple[str, ...]:
    """Return a code, or the tuple of lingua candidates when rules cannot decide."""
    s = _prepare(text).lower()
    words = _WORD_RE.findall(s)
    if not words:
        return "und"
    n_letters = sum(map(len, words))
    if n_letters < 3:
        return "und"
    chars = set(s)
    if chars.isdisjoint(_VOWELS):
        return "und"
    n_cyr = len(_CYR_LETTER_RE.findall(s))
    n_lat = len(_LAT_LETTER_RE.findall(s))
    if n_cyr + n_lat < n_letters / 2:
        return "und"  # another script dominates
    if n_cyr >= n_lat:
        return _cyrillic(words, chars, n_cyr)
    return _latin(words)


def _cyrillic(words: list[str], chars: set[str], n_cyr: int) -> str | tuple[str, ...]:
    if not chars.isdisjoint(_OTHER_CYR) and chars.isdisjoint(_FOREIGN_CYR):
        return "und"
    wset = set(words)
    ru_hits = len(wset & _RU_WORDS)
    foreign = chars & _FOREIGN_CYR
    if foreign:
        cyr_words = [w for w in words if _CYR_LETTER_RE.match(w)]
        n_foreign = sum(1 for w in cyr_words if not _FOREIGN_CYR.isdisjoint(w))
        # Evidence for Russian against the foreign letters: Russian function words, plus words
        # with ы/э/ъ/ё -- except against Tatar/Kazakh/Belarusian, which use those letters too.
        ru_evidence = ru_hits
        if foreign.isdisjoint(_KK_ONLY | _TT_ONLY | _TURKIC_SHARED | _BE_ONLY):
            ru_evidence += sum(1 for w in cyr_words if not _RU_ONLY.isdisjoint(w))
        if n_foreign * 5 >= len(cyr_words) or n_foreign > ru_evidence:
            code = _by_letters(foreign, chars, words)
            if code is not None:
                return code
            if wset & _KK_WORDS:
                return "kk"
            if wset & _BE_WORDS:
                return "be"
            return ("uk", "be", "kk")
    # Only Russian letters (or a minority of words with foreign letters).
    best, best_hits = None, 0
    for code, lex in (("uk", _UK_WORDS), ("tt", _TT_WORDS), ("kk", _KK_WORDS), ("be", _BE_WORDS)):
        hits = len(wset & lex)
        if hits > best_hits:
            best, best_hits = code, hits
    if best is not None and best_hits > ru_hits:
        return best
    turkic = sum(1 for w in wset if _TURKIC_SUFFIX_RE.search(w))
    if turkic > ru_hits:
        return "kk" if len(wset & _KK_WORDS) > len(wset & _TT_WORDS) else "tt"
    if not ru_hits and _looks_random(words):
        return "und"
    if ru_hits or not chars.isdisjoint(_RU_ONLY) or n_cyr >= 40:
        return "ru"
    return ("ru", "uk", "be")


# Russian letter frequencies (%); a text of random letters scores above real Russian in mean
# surprisal (ё folded into е, capped at 8 bits; over 21,000 Russian demo questions and
# fragments of 10+ letters the maximum is 5.19 bits/letter, random letters score 5.1-6.1).  Keyboard-row mashing ("ывапролд", "йцукен") is caught by the share
# of letter pairs that are neighbours on a ЙЦУКЕН row (Russian maximum 0.47).
_RU_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04,
}  # fmt: skip
_SURPRISAL = {c: min(8.0, -math.log2(p / 100)) for c, p in _RU_FREQ.items()}
_RANDOM_SURPRISAL = 5.35
_RANDOM_MIN_LETTERS = 10
_KEYBOARD_PAIRS = frozenset(
    a + b
    for row in ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
    for x, y in zip(row, row[1:], strict=False)
    for a, b in ((x, y), (y, x))
)
_KEYBOARD_SHARE = 0.75


def _looks_random(words: list[str]) -> bool:
    letters = "".join(words)
    if len(set(letters)) == 1:  # "ааа", "ууууу"
        return True
    bits = [_SURPRISAL[c] for c in letters.replace("ё", "е") if c in _SURPRISAL]
    if len(bits) >= _RANDOM_MIN_LETTERS and sum(bits) / len(bits) > _RANDOM_SURPRISAL:
        return True
    pairs = hits = 0
    for w in words:
        for i in range(len(w) - 1):
            pairs += 1
            hits += w[i : i + 2] in _KEYBOARD_PAIRS
    return pairs >= 3 and hits >= _KEYBOARD_SHARE * pairs


def _by_letters(foreign: set[str], chars: set[str], words: list[str]) -> str | None:
    kk = foreign & _KK_ONLY
    tt = foreign & _TT_ONLY
    if kk or tt or foreign & _TURKIC_SHARED:
        if kk and tt:
            joined = "".join(words)
            n_kk = sum(joined.count(c) for c in _KK_ONLY)
            n_tt = sum(joined.count(c) for c in _TT_ONLY)
            return "kk" if n_kk >= n_tt else "tt"
        if kk:
            return "kk"
        if tt:
            return "tt"
        return "kk" if "і" in foreign else "tt"
    if foreign & _UK_ONLY:
        return "uk"
    if foreign & _BE_ONLY:
        return "be"
    # only 'і'
    if "и" in chars or not _UK_WORDS.isdisjoint(words):
        return "uk"
    if not chars.isdisjoint("ыэ"):
        return "be"
    return None


def _latin(words: list[str]) -> str:
    ru = en = unknown = 0
    for w in words:
        w = w.replace("’", "'").replace("ʼ", "'")
        if not w.isascii():
            continue
        if w in _TRANSLIT_WORDS or _TRANSLIT_STRONG_RE.search(w):
            ru += 1
        elif w in _EN_WORDS or (len(w) > 1 and _en_known(w)):
            en += 1
        elif _TRANSLIT_WEAK_RE.search(w):
            ru += 1
        else:
            unknown += 1
    # Words neither English nor translit-shaped (e.g. "zakryli", "medpunkta") lean Russian once
    # there is some translit evidence.
    if ru and ru + unknown / 2 > en:
        return "ru"
    if en and en * 2 >= len(words):
        return "en"
    return "und"


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------


def detect_languages(texts: Sequence[str]) -> list[str]:
    """Detect the language of each text; see the module docstring for the codes and rules."""
    out: list[str] = []
    pending_idx: list[int] = []
    pending_text: list[str] = []
    pending_cand: list[tuple[str, ...]] = []
    for i, t in enumerate(texts):
        r = _rule(t) if t and isinstance(t, str) else "und"  # None/NaN from a table -> und
        if isinstance(r, str):
            out.append(r)
        else:
            out.append("und")
            pending_idx.append(i)
            pending_text.append(_prepare(t))
            pending_cand.append(r)
    if pending_idx:
        for i, code in zip(pending_idx, _lingua_pick(pending_text, pending_cand), strict=True):
            out[i] = code
    return out


def detect_language(text: str) -> str:
    """Single-text convenience wrapper around :func:`detect_languages`."""
    return detect_languages([text])[0]
