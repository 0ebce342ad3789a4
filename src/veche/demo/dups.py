"""Small edits that turn a message into its re-sent or copy-pasted near-copy.

Edits never touch the personal data recorded for the original (a typo lands outside those
spans), so the copy keeps the same ground-truth ``pii`` values -- lower-cased when the whole
copy is.
"""

from __future__ import annotations

import json

from veche.demo import noise, parts

_GREETINGS = ("Здравствуйте! ", "Добрый день. ", "Здравствуйте. ", "Уважаемый Президент! ")
_ENDINGS = (" Спасибо.", " Жду ответа!", " Помогите!", " Очень прошу ответить.", " 🙏")


def _protected(text: str, values: list[str]) -> list[tuple[int, int]]:
    spans = []
    for v in values:
        i = text.find(v)
        while i >= 0:
            spans.append((i, i + len(v)))
            i = text.find(v, i + 1)
    return spans


def _typo_outside(text: str, values: list[str], R) -> str:
    spans = _protected(text, values)
    for _ in range(8):
        i = R.randrange(len(text))
        j = min(len(text), i + 12)
        if any(a < j and i < b for a, b in spans):
            continue
        chunk = noise.typo(text[i:j], R)
        return text[:i] + chunk + text[j:]
    return text


def mutate(
    text: str,
    pii: str,
    R,
    same_sender: bool,
    channel: str,
    spam: bool = False,
    female: bool = False,
) -> tuple[str, str]:
    """A near-copy of ``text`` (a spammer's re-send gets no greeting or "Повторно")."""
    values = [p["value"] for p in json.loads(pii)] if pii != "[]" else []
    g = "{|а}"
    if spam:
        pass
    elif same_sender:
        if R.random() < 0.4:
            prefix = R.choice(parts.RESEND_PREFIX)
            if g in prefix:
                prefix = prefix.replace(g, "а" if female else "")
            text = prefix + text
        elif R.random() < 0.25 and not text.startswith(("Здравств", "Добр", "Уважаем")):
            text = R.choice(_GREETINGS) + text
    else:
        if R.random() < 0.35:
            text = R.choice(parts.COPY_PREFIX) + text
    if R.random() < 0.2 and not spam:
        text = text.rstrip() + R.choice(_ENDINGS)
    if R.random() < 0.45 and len(text) > 15:
        text = _typo_outside(text, values, R)
    if R.random() < 0.15:
        spans = _protected(text, values)
        if not spans:
            text = noise.drop_commas(text)
    if R.random() < 0.1:
        text = text.replace("\n", " ")
    if R.random() < 0.08 or (channel == "sms" and R.random() < 0.4):
        text = text.lower()
        values = [v.lower() for v in values]
        if pii != "[]":
            items = json.loads(pii)
            for it in items:
                it["value"] = it["value"].lower()
            pii = json.dumps(items, ensure_ascii=False)
    if R.random() < 0.3 and "ё" in text and not any("ё" in v for v in values):
        text = text.replace("ё", "е")
    return text, pii
