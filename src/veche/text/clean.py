"""Cleaning of raw question text: HTML remnants, invisible characters, boilerplate.

Conventions (see also ``veche.text`` docs):

* Output is Unicode NFC.
* Horizontal whitespace (spaces, tabs, NBSP and the other Unicode spaces) collapses to one
  space; every line is stripped.  Line breaks are kept because they carry structure
  (paragraphs, form fields, signatures): a run of blank lines collapses to exactly one blank
  line, so the result has at most ``"\\n\\n"`` between paragraphs.  ``\\r\\n``, ``\\r``, U+2028,
  U+2029, form feed and vertical tab become ``\\n``.
* HTML is only touched when the text contains ``<`` or ``&`` (fast path otherwise).  Only
  known HTML tag names are removed (``<br>``, ``<p class=x>``, ``</div>``, ``<o:p>``, comments,
  doctype), so ``"температура <0"``, ``"a<b и c>d"`` and placeholders such as ``<ИМЯ>`` survive.
  A run of block-level tags (``<br>``, ``<p>``, ``</p><p>``, ``<div>``, ``<li>``, ``<tr>``...)
  becomes one line break (so HTML never produces blank lines),
  ``<script>``/``<style>`` blocks are dropped with their content.  Entities need a trailing
  ``;`` except the common ``&nbsp &amp &quot &lt &gt`` (so ``"AT&T"``, ``"R&D"``, ``"&notice"``
  stay as typed); double-escaped ``&amp;nbsp;`` is decoded twice.
* Zero-width characters, soft hyphens, bidi marks, BOM and C0/C1 control characters are
  removed; a zero-width joiner is kept only between non-letters (emoji sequences such as 👨‍👩‍👧).
  Combining marks (stress accents) are kept here (they are dropped by ``dedup_key``).
* Boilerplate removed:
    - "sent from device" lines (``Отправлено с iPhone``, ``Sent from my iPhone``,
      ``Отправлено из мобильной Почты Mail.ru``, ``Get Outlook for Android``, ...) when they
      stand on their own line or end the text;
    - a trailing signature block: everything after a final ``--`` delimiter line, or a final
      ``С уважением,`` / ``Best regards,`` / ``З повагою,`` closing with at most a few short
      lines after it (name, phone); a closing in the middle of the text is kept;
    - web-form labels at the start of a line (``Текст обращения:``, ``Вопрос:``, ``Тема:``,
      ``Question:``) -- the label goes, the rest of the line stays.
* Emoji, placeholders (``[ИМЯ]``, ``[ТЕЛЕФОН]``), URLs, digits and punctuation are kept.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5 as _HTML5_ENTITIES

__all__ = ["clean_text", "strip_html"]

# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


_BLOCK_TAGS = _split(
    "address article aside blockquote body br caption center dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section "
    "table tbody td tfoot th thead title tr ul"
)
_INLINE_TAGS = _split(
    "a abbr acronym b basefont bdi bdo big cite code col colgroup data del dfn em font i img "
    "input ins kbd label link mark meta noscript option q s samp select small source span "
    "strike strong sub sup textarea time tt u var wbr button iframe object embed param svg "
    "path g nobr map area picture video audio track"
)
_TAG_NAMES = "|".join(sorted(set(_BLOCK_TAGS) | set(_INLINE_TAGS), key=len, reverse=True))
_NS_TAG = r"(?:o|w|v|m|st1|x):[a-z][a-z0-9]*"  # MS Word / Outlook namespaced tags

_NAMES = rf"(?=[a-zA-Z])(?:{_TAG_NAMES}|{_NS_TAG})"
# One attribute: name, optionally = "value" / 'value' / `value` / value (some exports quote
# with backticks: <span style=`color:red`>).  Attribute names are ASCII, so "a<b и c>d" is not
# a tag.
_ATTR = r"""\s+[a-z_:][\w:.-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|`[^`<>]*`|[^\s"'<>`=]+))?"""
# A well-formed known tag: <br>, <br/>, </p>, <p class="x">, <o:p></o:p>.
_TAG_RE = re.compile(rf"</?{_NAMES}(?:{_ATTR})*\s*/?>", re.IGNORECASE)
# A broken known tag, cut off by the next '<' or by the end of the text:
# '<span style="x" <b>', '<div class="a"' at the end, '<p' at the end.
_BROKEN_TAG_RE = re.compile(
    rf"""</?{_NAMES}(?:{_ATTR})+\s*(?:=\s*)?(?:"[^"<>]*|'[^'<>]*|`[^`<>]*)?/?(?=<|$)|</?{_NAMES}\s*/?$""",
    re.IGNORECASE,
)
# Runs of block-level tags (with the whitespace around them) become one line break.
_BLOCK_TAG_RE = re.compile(
    rf"(?:</?(?=[a-zA-Z])(?:{'|'.join(_BLOCK_TAGS)})(?:{_ATTR})*\s*/?>\s*)+",
    re.IGNORECASE,
)
_DROP_BLOCK_RE = re.compile(
    r"<(script|style|head|xml)\b[^>]*>.*?</\1\s*>|<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)"
    r"|<!doctype[^<>]*>|<\?xml[^<>]*\?>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY_RE = re.compile(
    r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));"
    r"|&(nbsp|amp|quot|lt|gt)(?![A-Za-z0-9;])",
)
_DOUBLE_ESCAPED_RE = re.compile(
    r"&amp;(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


def _entity(m: re.Match[str]) -> str:
    dec, hexa, name, bare = m.groups()
    if dec is not None or hexa is not None:
        code = int(dec) if dec is not None else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return ""
        if 0x80 <= code <= 0x9F:  # Windows-1252 numeric references, as browsers do
            try:
                return bytes([code]).decode("cp1252")
            except UnicodeDecodeError:
                return ""
        return chr(code)
    if bare is not None:
        return _HTML5_ENTITIES[bare + ";"]
    return _HTML5_ENTITIES.get(name + ";", m.group(0))


def _unescape(s: str) -> str:
    if "&" not in s:
        return s
    double = _DOUBLE_ESCAPED_RE.search(s) is not None
    s = _ENTITY_RE.sub(_entity, s)
    if double and "&" in s:
        s = _ENTITY_RE.sub(_entity, s)
    return s


def strip_html(s: str) -> str:
    """Remove HTML tags/comments and decode entities; block tags become newlines.

    No whitespace normalisation is done here (``clean_text`` does it).
    """
    if "<" in s:
        s = _DROP_BLOCK_RE.sub(" ", s)
        s = _BROKEN_TAG_RE.sub("", s)
        s = _BLOCK_TAG_RE.sub("\n", s)
        s = _TAG_RE.sub("", s)
    # Entities are decoded after tag removal so that '&lt;br&gt;' stays visible as text.
    return _unescape(s)


# --------------------------------------------------------------------------------------------
# invisible characters and whitespace
# --------------------------------------------------------------------------------------------

# Removed outright: C0 controls except \t \n \v \f \r, DEL, C1 controls, soft hyphen,
# zero-width space/non-joiner, LRM/RLM, bidi embeddings and isolates, word joiner and
# invisible operators, BOM, interlinear annotation, Mongolian vowel separator.
_INVISIBLE = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# ZWJ is part of emoji sequences; drop it only when it touches a letter/digit/space/edge.
_ZWJ_RE = re.compile(r"(?:(?<=[\w\s])|^)\u200d|\u200d(?=[\w\s]|$)")
_NEWLINES_RE = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_HSPACE_RE = re.compile(r"[^\S\n]+")  # any whitespace except \n (incl. NBSP, U+2000.., U+3000)
_LINE_EDGE_RE = re.compile(r" ?\n ?")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
# Characters that make the slow path necessary; plain text skips all of it.
_NEEDS_WORK_RE = re.compile(
    f"[{_INVISIBLE}\u200d\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\t\u00a0\u1680\u2000-\u200a"
    "\u202f\u205f\u3000]| {2}|\n{3}| \n|\n "
)

# --------------------------------------------------------------------------------------------
# boilerplate
# --------------------------------------------------------------------------------------------

_DEVICE = (
    r"(?:iphone|ipad|ipod|mac|android|samsung|galaxy|huawei|honor|xiaomi|redmi|poco|nokia|"
    r"blackberry|windows|outlook|gmail|yahoo|mail\.ru|yandex|яндекс|почт[аыуе]|почты|mail|"
    r"мобильн\w*|телефон\w*|смартфон\w*|планшет\w*|устройств\w*|phone|mobile|smartphone|"
    r"tablet|device|aol|tutanota|proton\w*|спутник|рамблер|rambler|viber|telegram|whatsapp)"
)
# "Отправлено с iPhone", "Sent from my iPhone", "Отправлено из мобильной Почты Mail.ru",
# "Надіслано з iPhone", "Get Outlook for Android", "Получить Outlook для iOS".
_SENT_FROM = (
    r"(?:(?:отправлено|послано|направлено|отправлен[оа]?|sent|надіслано|відправлено)\s+"
    r"(?:с|со|из|через|с\s+помощью|from|via|with|using|з|із|зі)\s+"
    r"(?:[\w.\-]+\s+){0,3}?"  # "моего", "мобильной", "приложения", "my", "Yahoo Mail for"
    rf"{_DEVICE}\b"
    r"(?:[ \t]+(?:[A-Za-z0-9][\w.+\-]*|для|на|с|из|почты|почта|приложения|приложение"
    r"|смартфона|телефона|устройства|яндекс\w*|мобильн\w*|планшета))*"
    r"|(?:get|получить|загрузить|download)\s+(?:outlook|яндекс\s*\.?\s*почт\w*|почт\w+\s+mail\.ru)"
    r"\s+(?:for|для)\s+(?:ios|android|iphone|windows)\b)"
)
_SENT_FROM_LINE_RE = re.compile(rf"(?im)^[ \t>]*-*[ \t]*{_SENT_FROM}[ \t.!]*$")
# The same phrase ending a one-line text after the content: "... пенсии? Отправлено с iPhone"
_SENT_FROM_TAIL_RE = re.compile(rf"(?i)(?<=[.!?…)\s])\s*{_SENT_FROM}[\s.!]*$")
# Cheap substring probes on the lower-cased text decide whether a pattern can match at all.
_SENT_FROM_KEYS = (
    "отправлен",
    "послано",
    "направлено",
    "sent",
    "надіслано",
    "відправлено",
    "outlook",
    "получить",
    "загрузить",
    "download",
)

_CLOSING = (
    r"(?:с\s+уважением|с\s+наилучшими\s+пожеланиями|с\s+глубоким\s+уважением|искренне\s+ваш[аи]?"
    r"|best\s+regards|kind\s+regards|warm\s+regards|regards|sincerely(?:\s+yours)?"
    r"|yours\s+(?:sincerely|faithfully|truly)|з\s+повагою|з\s+найкращими\s+побажаннями)"
)
# The closing must start a line or follow the end of a sentence, must be followed by
# punctuation, a line break or the end, and what follows must be short (a name, a phone).
_CLOSING_TAIL_RE = re.compile(
    rf"(?i)(?:^|(?<=\n)|(?<=[.!?…)])[ \t]*){_CLOSING}[ \t]*(?:[,.!:;\n]|$)"
    r"(?P<tail>[^\n]{0,100}(?:\n[^\n]{0,100}){0,4})$"
)
_CLOSING_KEYS = (
    "уважением",
    "пожеланиями",
    "искренне",
    "regards",
    "sincerely",
    "yours",
    "повагою",
    "побажаннями",
)
_SIG_DELIM_RE = re.compile(r"\n[ \t]*--[ \t]*\n(?P<tail>[^\n]{0,200}(?:\n[^\n]{0,200}){0,7})$")

_FORM_LABEL_RE = re.compile(
    r"(?im)^[ \t]*(?:текст\s+(?:обращения|вопроса|сообщения|заявления|жалобы)"
    r"|суть\s+(?:обращения|вопроса|проблемы)|содержание\s+(?:обращения|вопроса|сообщения)"
    r"|тема\s+(?:обращения|вопроса|сообщения)|ваш\s+вопрос|ваше\s+обращение|ваше\s+сообщение"
    r"|вопрос|обращение|сообщение|тема|текст|question|your\s+question|message|subject"
    r"|текст\s+звернення|питання|звернення)[ \t]*:[ \t]*\n?"
)
_FORM_LABEL_KEYS = (
    "текст",
    "суть",
    "содержание",
    "тема",
    "ваш",
    "вопрос",
    "обращение",
    "сообщение",
    "question",
    "message",
    "subject",
    "питання",
    "звернення",
)


def _strip_boilerplate(s: str) -> str:
    low = s.lower()
    if ":" in s and any(k in low for k in _FORM_LABEL_KEYS):
        s = _FORM_LABEL_RE.sub("", s)
    if any(k in low for k in _SENT_FROM_KEYS):
        s = _SENT_FROM_LINE_RE.sub("", s)
        s = _SENT_FROM_TAIL_RE.sub("", s)
    if "\n--" in s:
        m = _SIG_DELIM_RE.search(s.rstrip())
        if m and m.start() > 0:
            s = s[: m.start()]
    if any(k in low for k in _CLOSING_KEYS):
        s = s.rstrip()
        m = _CLOSING_TAIL_RE.search(s)
        if m and _looks_like_signature(m.group("tail")):
            s = s[: m.start()]
    return s


_SIG_CONTENT_RE = re.compile(r"\?|\b(?:прошу|пожалуйста|когда|почему|please|why|when)\b", re.I)


def _looks_like_signature(tail: str) -> bool:
    # A name, a position, a phone, a placeholder: no question and no request.
    return _SIG_CONTENT_RE.search(tail) is None


# --------------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------------


def _normalize_space(s: str) -> str:
    s = _NEWLINES_RE.sub("\n", s)
    s = _HSPACE_RE.sub(" ", s)
    s = _LINE_EDGE_RE.sub("\n", s)
    s = _BLANK_LINES_RE.sub("\n\n", s)
    return s.strip()


def clean_text(s: str) -> str:
    """Return the cleaned text (see module docstring for the exact conventions).

    ``None``/NaN (a missing table cell) gives ``""``.
    """
    if not s or not isinstance(s, str):
        return ""
    if "<" in s or "&" in s:
        s = strip_html(s)
    if _NEEDS_WORK_RE.search(s):
        s = _INVISIBLE_RE.sub("", s)
        if "\u200d" in s:
            s = _ZWJ_RE.sub("", s)
        s = _normalize_space(s)
    else:
        s = s.strip()
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    s2 = _strip_boilerplate(s)
    if s2 is not s and s2 != s:
        s = _normalize_space(s2)
    return s
