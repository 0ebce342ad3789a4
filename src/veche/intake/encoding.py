"""Text-file encoding detection: UTF-8 (with or without BOM), else cp1251 or what charset-normalizer finds."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

BOM = b"\xef\xbb\xbf"
# share of lines that may fail UTF-8 before we stop believing the file is UTF-8
MAX_BAD_UTF8_LINE_SHARE = 0.05
LEGACY = ["cp1251", "koi8_r", "cp866", "mac_cyrillic"]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    # UTF-8 files with a few broken lines keep them as surrogate escapes; such rows are rejected
    has_bad_bytes: bool = False


def decode(data: bytes) -> Decoded:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    if data.startswith(BOM):
        data = data[len(BOM) :]
        return _utf8(data, "utf-8-sig")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines()
    bad = 0
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    if lines and bad / len(lines) <= MAX_BAD_UTF8_LINE_SHARE:
        return _utf8(data, "utf-8")
    # Russian legacy files are cp1251 most of the time; let charset-normalizer tell it from KOI8-R
    best = from_bytes(data[:200_000], cp_isolation=LEGACY).best()
    enc = best.encoding if best else "cp1251"
    text = data.decode(enc, errors="surrogateescape")
    return Decoded(text, enc, has_bad_bytes=_has_surrogates(text))


def _utf8(data: bytes, label: str) -> Decoded:
    text = data.decode("utf-8", errors="surrogateescape")
    return Decoded(text, label, has_bad_bytes=_has_surrogates(text))


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_bad_bytes(value: str) -> bool:
    return isinstance(value, str) and _has_surrogates(value)
