"""Text encoding detection, line by line where a file mixes encodings.

UTF-8 (with or without BOM) first; UTF-16 with or without BOM; otherwise each line is decoded on
its own: UTF-8 where it is valid, else the legacy Cyrillic encoding charset-normalizer finds for
the lines that are not. A line that reads as neither keeps its bytes as surrogate escapes and the
validator rejects its row ("bad encoding"), so nothing is stored as mojibake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

BOM = b"\xef\xbb\xbf"
LEGACY = ["cp1251", "koi8_r", "cp866", "mac_cyrillic"]
# a legacy-decoded line must be mostly letters among its non-ASCII characters to be believed
MIN_LETTER_SHARE = 0.6
_ALLOWED_CONTROLS = frozenset("\t\n\r")
# share of UTF-16 code units with a NUL high byte (ASCII: spaces, digits, punctuation, Latin)
MIN_UTF16_NUL_SHARE = 0.1
# C0 controls other than tab and line ends, DEL and C1 controls: binary, not text
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# non-ASCII characters outside the Cyrillic blocks (Russian, Ukrainian, Tatar, Kazakh letters)
_NOT_CYRILLIC_WIDE = re.compile("[\u0080-\u03ff\u0530-\U0010ffff]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # e.g. "utf-8", "cp1251", "utf-16-le", "utf-8+cp1251" for a mixed file
    # lines that read as no encoding keep their bytes as surrogate escapes; such rows are rejected
    has_bad_bytes: bool = False


def decode(data: bytes) -> Decoded:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    label = "utf-8"
    if data.startswith(BOM):
        data = data[len(BOM) :]
        label = "utf-8-sig"
    # before UTF-8: UTF-16 of Cyrillic and Latin text is all bytes below 0x80, valid UTF-8
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return Decoded(data.decode("utf-8"), label)
    except UnicodeDecodeError:
        pass
    return _per_line(data, label)


def decode_value(data: bytes) -> str:
    """One cell's bytes (e.g. Parquet binary) as text; undecodable bytes stay surrogate escapes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(data).text


def _per_line(data: bytes, utf8_label: str) -> Decoded:
    lines = data.splitlines(keepends=True)
    out: list[str] = []
    bad: list[int] = []
    for i, line in enumerate(lines):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append("")
            bad.append(i)
    sample = b"".join(lines[i] for i in bad[:2_000])[:200_000]
    # Russian legacy files are cp1251 most of the time; let charset-normalizer tell it from KOI8-R
    best = from_bytes(sample, cp_isolation=LEGACY).best()
    legacy = best.encoding if best else "cp1251"
    bad_set = set(bad)
    mixed = any(not out[i].isascii() for i in range(len(lines)) if i not in bad_set)
    if not mixed:  # a legacy file throughout: one decode, one check, unless a line is garbage
        try:
            text = data.decode(legacy)
        except UnicodeDecodeError:
            text = ""
        if text and _looks_like_cyrillic_text(text):
            return Decoded(text, legacy)
    n_legacy = 0
    broken = False
    for i in bad:
        text = _legacy_line(lines[i], legacy)
        if text is None:
            text = lines[i].decode("utf-8", errors="surrogateescape")
            broken = True
        else:
            n_legacy += 1
        out[i] = text
    if n_legacy and mixed:
        enc = f"{utf8_label}+{legacy}"
    elif n_legacy:
        enc = legacy
    else:
        enc = utf8_label
    return Decoded("".join(out), enc, has_bad_bytes=broken)


def _legacy_line(line: bytes, encoding: str) -> str | None:
    """The line in ``encoding`` if it reads as text there (letters, no control characters)."""
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_cyrillic_text(text) else None


def _looks_like_text(text: str) -> bool:
    """No control characters, and letters make most of the non-ASCII characters."""
    if _CONTROL.search(text):
        return False
    wide = [c for c in text if not c.isascii()]
    return not wide or sum(c.isalpha() for c in wide) / len(wide) >= MIN_LETTER_SHARE


def _looks_like_cyrillic_text(text: str) -> bool:
    """:func:`_looks_like_text` for a line read in a Cyrillic encoding, at C speed (one call a
    line of a file that may hold millions)."""
    if _CONTROL.search(text):
        return False
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if not wide:
        return True
    other = len(_NOT_CYRILLIC_WIDE.findall(text))
    return (wide - other) / wide >= MIN_LETTER_SHARE


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text has NUL bytes in every other position for Latin text; try both byte orders."""
    head = data[:4096]
    if b"\x00" not in head:
        return None
    head = head[: len(head) - len(head) % 2]
    pairs = max(1, len(head) // 2)
    nul_even = head[0::2].count(0) / pairs
    nul_odd = head[1::2].count(0) / pairs
    for enc, nul_high, nul_low in (
        ("utf-16-le", nul_odd, nul_even),
        ("utf-16-be", nul_even, nul_odd),
    ):
        # spaces, digits, commas and newlines put a NUL in every such character's high byte
        if nul_high < MIN_UTF16_NUL_SHARE or nul_low > 0.01:
            continue
        try:
            sample = head.decode(enc)
        except UnicodeDecodeError:
            try:  # the head may end inside a surrogate pair
                sample = head[:-2].decode(enc)
            except UnicodeDecodeError:
                continue
        if sample and _looks_like_text(sample) and _share_printable(sample) > 0.95:
            end = len(data) - len(data) % 2
            return Decoded(data[:end].decode(enc, errors="replace"), enc)
    return None


def _share_printable(text: str) -> float:
    ok = sum(c.isprintable() or c in _ALLOWED_CONTROLS for c in text)
    return ok / len(text)


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_bad_bytes(value: str) -> bool:
    return isinstance(value, str) and _has_surrogates(value)
