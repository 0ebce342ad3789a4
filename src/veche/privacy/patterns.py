"""Regular-expression detectors: e-mails, street addresses, phones and identity numbers.

One compiled pattern (:data:`MASTER`) is run once over a text with ``finditer``; its branches are

* ``email``                    -- ``name@host.tld`` (Cyrillic hosts too);
* ``addr`` / ``addr_post``     -- a street keyword before (``ул. Ленина, д. 5, кв. 12``) or after
  (``Лесная ул., 5``) the street name, followed by a house number;
* ``addr_dompo``               -- ``дом 5 по улице Ленина``;
* ``addr_rural``               -- ``д. Петровка, д. 15``: only the house part is masked;
* ``addr_nokw``                -- a street name with a house and a flat but no keyword
  (``Ленина 5, кв 3``);
* ``addr_flat``                -- ``д. 5, кв. 12`` without a street;
* ``passport``                 -- ``серия 4512 номер 345678`` / ``4512 № 345678``;
* ``num``                      -- any run of digit groups joined by spaces, dashes and brackets
  (``+7 (912) 345-67-89``, ``112-233-445 95``, ``4276 1300 1234 5678``); each run is split into
  windows of consecutive groups and every window is classified by its digits, its grouping,
  its check digits and the keyword just before it (:func:`classify_number`).

A street name without a house number ("ремонт на улице Ленина") is not an address; sums, years,
dates and counts are kept by a units look-ahead ("15 000 руб.", "5 лет", "12 домов") and because
dots are not digit-group separators ("12.05.2023").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .checksums import card_prefix_plausible, inn_valid, luhn_valid, snils_valid
from .spans import ADDRESS, CARD, EMAIL, INN, OMS, PASSPORT, PHONE, SNILS, SOCIAL, Span

# letters of the languages we meet: Russian, Ukrainian, Kazakh, Tatar, English
L = "A-Za-zА-Яа-яЁёІіЇїЄєҐґӘәҒғҚқҢңӨөҰұҮүҺһ"
SP = r"[ \t\u00a0]"  # horizontal space only: a line break ends an address or a number

_STREET_PRE = r"""
    улиц[аеуыи]|улицей|ул-ца|ул
  | проспект[аеу]?|просп|пр-кт|пр-т|пркт|пр(?=\.|[ \t\u00a0]+\w)
  | переул(?:ок|ке|ка|ку)|пер
  | бульвар[аеу]?|бульв|бул|б-р
  | шоссе|ш(?=\.)
  | набережн(?:ая|ой|ую)|наб
  | площад[ьи]|пл
  | микрорайон[аеу]?|мкр-н|мкрн|мкр
  | проезд[аеу]?|пр-д
  | тупик[аеу]?|туп
  | алле[яеи]
  | квартал[аеу]?|кв-л
  | тракт[аеу]?
  | вулиц[яіюі]|вул
  | провулок|пров
  | street|str|st|avenue|ave
"""

_STREET_POST = r"""
    улиц[аеуы]|ул
  | проспект[аеу]?|просп|пр-кт|пр-т
  | переул(?:ок|ке|ка)|пер
  | бульвар[аеу]?|б-р
  | шоссе|ш
  | набережн(?:ая|ой|ую)|наб
  | площад[ьи]|пл
  | проезд[аеу]?|пр-д
  | тупик[аеу]?
  | алле[яеи]
  | тракт[аеу]?
  | вулиц[яі]|вул
  | street|st|avenue|ave|road|rd|lane
  | көшесі|көш|урамы|урам
"""

# words that never belong to a street name: they stop the name before a stray number
_NAME_STOP = (
    r"(?:д|дом|дома|доме|кв|корп|стр|в|во|на|по|и|а|но|не|нет|уже|ещё|еще|где|у|с|со|к|от|до|"
    r"из|за|около|возле|рядом|напротив|там|тут|есть|был|была|было|были|это|этот|так|как|что|"
    r"г|год|года|город|тел|телефон|уже|всего|только|больше|более|менее|почти|квартир[аыеу]?|"
    r"площадь|площади|дом[аеу]?|двор[аеу]?|подъезд[аеу]?)"
)
_NAME_TOK = rf"(?!(?i:{_NAME_STOP})(?![{L}]))(?:\d{{1,3}}(?:-?(?:[ыиоа]?[йяе]|го|ого|ой))?(?![\d{L}])|[{L}][{L}'’-]*\.?)"
_NAME_TOK_ND = rf"(?!(?i:{_NAME_STOP})(?![{L}]))(?:\d{{1,3}}(?:-?(?:[ыиоа]?[йяе]|го|ого|ой))?(?![\d{L}])|[{L}][{L}'’-]*)"
_NAME_SEP = rf"(?:{SP}+|(?<=\.){SP}*)"
_NAME = rf"{_NAME_TOK}(?:{_NAME_SEP}{_NAME_TOK}){{0,3}}?"
_CAP_TOK = rf"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?|\d{{1,3}}-?[а-я]{{0,3}}(?![\d{L}]))"

_HOUSE_NUM = (
    rf"\d{{1,4}}(?:[а-зА-Зa-dA-D](?![{L}]))?"
    rf"(?:{SP}?[/\\-]{SP}?\d{{1,4}}(?:[а-зa-d](?![{L}]))?)?(?![\d]|[.,]\d|{SP}\d{{3}})"
)
_HOUSE_SEP = rf"(?:{SP}*,?{SP}*(?i:дом|д)\.?{SP}*(?:№{SP}*)?|{SP}*,?{SP}*)"
# a number followed by one of these is a count, a sum or a date, not a house
_UNITS = (
    rf"(?!{SP}*(?i:руб|р\.|тыс|млн|млрд|коп|%|лет|год|г\.|раз|дн|дней|день|недел|месяц|мес|"
    r"час|мин|сек|чел|жител|сем|домов|дом[аов]?(?![а-яё])|подъезд|этаж|квартир|км|метр|м(?![а-яё])|"
    r"кг|шт|числ|январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"утра|вечера|ночи|человек|ребен|ребён|дет|пенсионер|тонн|литр|градус|°|этаж|машин|"
    r"автобус|маршрут|номер|сотк|гектар|га(?![а-яё])|кв\.?{SP}?м|м2|м²))"
)
_TAIL_ITEM = (
    rf"{SP}*[,.]?{SP}*(?i:корпус|корп|к|строение|стр|квартира|кв|офис|оф|комната|комн|ком|"
    rf"помещение|пом|литера|лит|apartment|apt|flat)\.?{SP}*(?:№{SP}*)?\d{{1,4}}(?:[а-зa-d](?![{L}]))?(?!\d)"
)
_TAIL = rf"(?:{_TAIL_ITEM})*"
_FLAT_ITEM = rf"{SP}*[,.]?{SP}*(?i:квартира|кв)\.?{SP}*(?:№{SP}*)?\d{{1,4}}(?!\d)"

_NUM_SEP = rf"(?:{SP}?[-‐–—]{SP}?|{SP}?\({SP}?|{SP}?\){SP}?|{SP})"

MASTER = re.compile(
    rf"""
    (?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{{2,}}(?![\w-]))
  | (?P<addr_dompo>(?<![{L}])(?i:дом[еа]?|д\.)\.?{SP}*(?:№{SP}*)?{_HOUSE_NUM}{SP}+(?i:по|на){SP}+
        (?i:{_STREET_PRE})(?![{L}])\.?{SP}*{_NAME_TOK_ND}(?:{SP}+{_CAP_TOK}){{0,2}})
  | (?P<addr>(?<![{L}])(?i:{_STREET_PRE})(?![{L}])\.?{SP}*{_NAME}{_HOUSE_SEP}{_HOUSE_NUM}{_UNITS}{_TAIL})
  | (?P<addr_post>(?<![{L}\d])(?:\d{{1,2}}-?(?:ая|ий|ой|[аяйе])?{SP}+)?
        (?:[А-ЯЁ][а-яё]+(?:ая|яя|ий|ой|ый|ое|ее){SP}+)?
        (?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?|[а-яё]+(?:ая|ой|ий|ый|ое|ей)|[A-Z][a-z]+){SP}+(?i:{_STREET_POST})(?![{L}])\.?{_HOUSE_SEP}{_HOUSE_NUM}{_UNITS}{_TAIL})
  | (?P<addr_rural>(?<![{L}])(?i:село|селе|с|деревня|деревне|дер|д|посёлок|поселок|посёлке|поселке|пос|п|
        пгт|хутор|хуторе|х|станица|станице|ст-ца|аул|ауле|снт)\.?{SP}*[А-ЯЁ][а-яё-]+(?:{SP}+[А-ЯЁ][а-яё-]+)?
        {SP}*,?{SP}*(?P<rh>(?i:дом|д)\.?{SP}*(?:№{SP}*)?{_HOUSE_NUM}{_UNITS}{_TAIL}))
  | (?P<addr_nokw>(?<![{L}])(?!(?i:{_NAME_STOP})(?![{L}]))[А-ЯЁа-яё][а-яё]{{2,}}(?:-[А-ЯЁа-яё][а-яё]+)?
        (?:{SP}+[А-ЯЁ][а-яё]+)?{SP}*,?{SP}*(?:(?i:дом|д)\.?{SP}*(?:№{SP}*)?)?{_HOUSE_NUM}
        (?:{_TAIL_ITEM})*?{_FLAT_ITEM})
  | (?P<addr_flat>(?<![{L}])(?i:дом|д)\.?{SP}*(?:№{SP}*)?{_HOUSE_NUM}(?:{_TAIL_ITEM})*?{_FLAT_ITEM})
  | (?P<passport>(?<![{L}])(?i:сери[яиюей]|сер\.?){SP}*(?P<ps>\d{{2}}{SP}?\d{{2}}){SP}*,?{SP}*
        (?i:номер|ном\.?|№|н\.|no\.?|n){SP}*(?P<pn>\d{{6}})(?!\d))
  | (?P<passport_no>(?<!\d)\d{{2}}{SP}?\d{{2}}{SP}*№{SP}*\d{{6}}(?!\d))
  | (?P<phone_dots>(?<![\d.])(?:(?:\+{SP}?)?[78]\.)?\d{{3}}\.\d{{3}}\.\d{{2}}\.\d{{2}}(?!\d|\.\d))
  | (?P<num>(?<!\d)(?:\+{SP}?)?(?:\({SP}?)?\d+(?:{_NUM_SEP}\d+)*)
    """,
    re.VERBOSE,
)

_DIGIT_GROUP = re.compile(r"\d+")

# e-mails written to dodge spam bots: "ivanova(at)mail.ru", "petrov @ yandex.ru",
# "olga.k собака gmail точка com"; the name and host must be Latin, as real addresses are
_AT = (
    rf"(?:{SP}*@{SP}*|{SP}*[(\[{{<]{SP}*(?i:at|собака|собачка){SP}*[)\]}}>]{SP}*"
    rf"|{SP}+(?i:at|собака|собачка){SP}+)"
)
_DOT = (
    rf"(?:{SP}*\.{SP}*|{SP}*[(\[{{<]{SP}*(?i:dot|точка){SP}*[)\]}}>]{SP}*|{SP}+(?i:dot|точка){SP}+)"
)
_TLD = r"(?i:ru|ру|рф|com|ком|net|org|su|info|ua|by|kz|uz|io|me|рус|de|uk|biz|online|pro)"
DISGUISED_EMAIL = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]*{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*?{_DOT}{_TLD}"
    r"(?![\w-])"
)
# social-network profiles: links to a person's page and @handles
_SOCIAL_HOSTS = (
    r"vk\.com|vkontakte\.ru|ok\.ru|odnoklassniki\.ru|t\.me|telegram\.me|instagram\.com|instagr\.am|"
    r"facebook\.com|fb\.com|twitter\.com|x\.com|tiktok\.com|youtube\.com|dzen\.ru|rutube\.ru|"
    r"my\.mail\.ru|livejournal\.com|max\.ru"
)
SOCIAL_ACCOUNT = re.compile(
    rf"(?<![\w/.-])(?:https?://)?(?:www\.|m\.)?(?i:{_SOCIAL_HOSTS})/[\w.@%/-]*[\w/]"
    # "@mail.ru" alone is a mail host, not a handle
    r"|(?<![\w@.+-])@(?![\w.]*\.(?:ru|com|net|org|su|info|ua|by|kz|io|me)(?![\w.]))"
    r"[A-Za-z][A-Za-z0-9_.]{2,31}(?<!\.)(?![\w@]|\.[A-Za-z])"
)

# keyword right before a number (looked for in the 32 characters before it, lower-cased)
_KEYWORDS = re.compile(
    r"""
    (?P<passport>паспорт\w*|пасп\.|сери[яиюей]|сер\.)
  | (?P<snils>снилс\w*|страхов\w*\s+(?:номер|свидетельств)\w*|insurance\s+number)
  | (?P<inn>(?<![а-яё])инн(?![а-яё])|\binn\b|\btin\b)
  | (?P<card>(?<![а-яё])карт(?:а|ы|у|е|ой|очк\w*)(?![а-яё])|\bcard\b|\bvisa\b|mastercard|maestro)
  | (?P<phone>(?<![а-яё])тел(?:\.|ефон\w*|(?![а-яё]))|(?<![а-яё])тлф|(?<![а-яё])моб(?:\.|ильн\w*|(?![а-яё]))
        |(?<![а-яё])сот(?:\.|ов\w*)|\bphone\b|\btel\b|\bmob\w*|whatsapp|ватсап\w*|вотсап\w*|вайбер\w*|viber
        |телеграм\w*|telegram|звон\w*|номер\w*\s+телефон\w*)
  | (?P<oms>полис\w*\s+(?:обязательн\w*\s+медицинск\w*\s+страхован\w*|омс)|(?<![а-яё])омс(?![а-яё])
        |(?<![а-яё])енп(?![а-яё])|медицинск\w*\s+полис\w*|полис\w*)
  | (?P<other>лицев\w*|л/сч?|сч[её]т\w*|договор\w*|заявк\w*|заявлени\w*|заказ\w*|обращени\w*
        |квитанц\w*|кадастр\w*|огрн\w*|кпп|бик|р/с|к/с|окпо|октмо|окато|кбк|оквэд|трек
        |накладн\w*|посылк\w*|дел[ауо]?(?![а-яё])|протокол\w*|постановлени\w*|производств\w*|артикул\w*)
    """,
    re.VERBOSE,
)

_MONEY_RIGHT = re.compile(
    r"(?i)[ \t\u00a0]*(?:руб|р\.|р(?![а-яё])|₽|тыс|млн|млрд|коп|%|лет(?![а-яё])|год|г\.|кв\.?\s?м|м2|м²|км|шт|кг|"
    r"чел(?![а-яё])|\$|usd|eur|евро|долл|rub|грн|тенге|тг|лари|сом|человек)",
)

NOT_PII = ""  # classify_number: a recognised number that is not personal data


def _card_shape(lens: list[int]) -> bool:
    n = sum(lens)
    if not 13 <= n <= 19:
        return False
    if len(lens) == 1:
        return True
    if lens in ([4, 6, 5], [4, 6, 4]):
        return True
    return len(lens) >= 4 and all(x == 4 for x in lens[:-1]) and 1 <= lens[-1] <= 4


def _phone_like(d: str, lens: list[int], plus: bool, paren: bool, hyphen: bool, kw: bool) -> bool:
    n = len(d)
    if len(lens) >= 3 and all(x == 3 for x in lens[1:]) and not plus and not paren:
        return False  # "78 000 000 000" is money, phones are not written in threes
    if plus:
        return n == 11 if d[0] == "7" else 10 <= n <= 13
    if n == 11:
        return d[0] in "78" and d[1] in "345789"
    if n == 10:
        if d[0] == "9" or kw:
            return True
        if len(lens) == 1:
            return False
        # "(4712) 12-34-56", "495 123-45-67", "050 123 45 67"; not "12 14 16 18 20"
        return paren or lens in ([3, 3, 2, 2], [3, 3, 4], [3, 7], [3, 2, 2, 3], [4, 2, 2, 2])
    if n == 7 and lens == [3, 2, 2] and hyphen:
        return True
    if not kw or not 5 <= n <= 7:
        return False
    return len(lens) == 1 or all(1 <= x <= 3 for x in lens)


def classify_number(
    digits: str,
    lens: list[int],
    *,
    plus: bool = False,
    paren: bool = False,
    hyphen: bool = False,
    keyword: str | None = None,
    money_right: bool = False,
) -> str | None:
    """The PII type of a run of digit groups, or ``None``.

    ``digits`` are the digits, ``lens`` the lengths of the groups as written, ``keyword`` the
    category of the nearest keyword just before the number (``passport``, ``snils``, ``inn``,
    ``card``, ``phone``, or ``other`` for non-personal references such as "лицевой счёт"). The
    result :data:`NOT_PII` means "recognised, keep it" (hotlines). Checksums decide when there is no keyword; a keyword makes the
    number's *shape* enough (so that a typo in a SNILS written after "СНИЛС" is still masked).
    """
    n = len(digits)
    if money_right or n < 5:
        return None
    single = len(lens) == 1
    if n == 11 and digits[0] in "78" and digits[1:4] == "800":
        return NOT_PII  # 8-800 numbers are hotlines, no one's personal data
    if keyword == "oms":  # "полис ОМС": 16 digits; other policies (ОСАГО...) are not personal
        return OMS if n == 16 else NOT_PII
    if keyword == "other":  # "лицевой счёт", "заявка", "ОГРН", ...: only an obvious phone
        obvious = plus or paren or hyphen or (n == 11 and digits[0] in "78")
        if obvious and _phone_like(digits, lens, plus, paren, hyphen, False):
            return PHONE
        return NOT_PII
    if keyword == "passport" and n == 10 and (single or lens in ([2, 2, 6], [4, 6], [2, 8])):
        return PASSPORT
    if keyword == "snils" and n == 11:
        return SNILS
    if keyword == "inn" and n in (10, 12) and (single or len(lens) <= 3):
        return INN
    if keyword == "card" and _card_shape(lens):
        return CARD
    if lens == [3, 3, 3, 2] and (hyphen or snils_valid(digits)):
        return SNILS  # NNN-NNN-NNN NN is written for SNILS only: masked even with a bad checksum
    if _card_shape(lens) and card_prefix_plausible(digits) and luhn_valid(digits):
        return CARD
    if _phone_like(digits, lens, plus, paren, hyphen, keyword == "phone"):
        return PHONE
    if single and n == 11 and snils_valid(digits):
        return SNILS
    if single and n in (10, 12) and inn_valid(digits):
        return INN
    if lens == [2, 2, 6]:
        return PASSPORT
    return None


def keyword_before(text: str, start: int) -> str | None:
    window = text[max(0, start - 32) : start].lower()
    last = None
    for m in _KEYWORDS.finditer(window):
        last = m
    if last is None:
        return None
    if any(ch.isdigit() for ch in window[last.end() :]):
        return None  # another number stands between the keyword and this one
    return last.lastgroup


def _number_spans(text: str, m: re.Match[str], types: frozenset[str]) -> Iterable[Span]:
    chunk_start = m.start()
    chunk = m.group()
    groups = [
        (g.start() + chunk_start, g.end() + chunk_start) for g in _DIGIT_GROUP.finditer(chunk)
    ]
    ng = len(groups)
    cum = [0]  # cum[k] = digits in groups[:k]
    for s, e in groups:
        cum.append(cum[-1] + e - s)
    i = 0
    while i < ng:
        found = False
        keyword: str | None | bool = False  # computed once per window start, when needed
        for j in range(min(ng, i + 12), i, -1):
            n = cum[j] - cum[i]
            if n > 19 or n < 5:
                continue
            lens = [e - s for s, e in groups[i:j]]
            s0, e0 = groups[i][0], groups[j - 1][1]
            raw = text[s0:e0]
            digits = "".join(text[s:e] for s, e in groups[i:j])
            # a leading "+" / "(" just before the first group belongs to the number
            start = s0
            plus = paren = False
            k = s0 - 1
            while k >= chunk_start and text[k] in " \t\u00a0(+":
                if text[k] == "(":
                    if ")" in text[k:e0]:  # "(4712) 51-23-64", not "(89051112233)"
                        paren = True
                        start = k
                elif text[k] == "+":
                    plus = True
                    start = k
                k -= 1
            paren = paren or "(" in raw or ")" in raw
            hyphen = any(ch in raw for ch in "-‐–—")
            if keyword is False:
                keyword = keyword_before(text, start)
            t = classify_number(
                digits, lens, plus=plus, paren=paren, hyphen=hyphen, keyword=keyword
            )
            if t is not None and _MONEY_RIGHT.match(text, e0, e0 + 12):
                t = None  # "78 000 000 000 руб." is a sum
            if t is not None:
                if t in types:
                    yield Span(start, e0, t)
                i = j
                found = True
                break
        if not found:
            i += 1


def find_pattern_spans(text: str, types: frozenset[str]) -> list[Span]:
    """All regex-detected spans of ``types`` in ``text`` (may overlap; the masker resolves)."""
    out: list[Span] = []
    if not text:
        return out
    want_addr = ADDRESS in types
    for m in MASTER.finditer(text):
        kind = m.lastgroup
        if kind == "num":
            if len(m.group()) >= 5:
                out.extend(_number_spans(text, m, types))
        elif kind == "phone_dots":
            digits = "".join(_DIGIT_GROUP.findall(m.group()))
            lens = [len(g) for g in _DIGIT_GROUP.findall(m.group())]
            plus = m.group().startswith("+")
            kw = keyword_before(text, m.start())
            if PHONE in types and _phone_like(digits, lens, plus, False, True, kw == "phone"):
                out.append(Span(m.start(), m.end(), PHONE))
        elif kind == "email":
            if EMAIL in types:
                out.append(Span(m.start(), m.end(), EMAIL))
        elif kind == "passport":
            if PASSPORT in types:
                out.append(Span(m.start("ps"), m.end("pn"), PASSPORT))
        elif kind == "passport_no":
            if PASSPORT in types:
                out.append(Span(m.start(), m.end(), PASSPORT))
        elif kind == "addr_rural" or kind == "rh":
            if want_addr:
                out.append(Span(m.start("rh"), m.end("rh"), ADDRESS))
        elif want_addr:
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in " \t,.":
                e -= 1
            out.append(Span(s, e, ADDRESS))
    low = text.lower()
    if EMAIL in types and ("@" in text or "at" in low or "собак" in low):
        plain = [s for s in out if s.type == EMAIL]
        for m in DISGUISED_EMAIL.finditer(text):
            found = Span(m.start(), m.end(), EMAIL)
            if not any(found.overlaps(p) for p in plain):
                out.append(found)
    if SOCIAL in types and ("@" in text or "/" in text):
        out.extend(Span(m.start(), m.end(), SOCIAL) for m in SOCIAL_ACCOUNT.finditer(text))
    return out
