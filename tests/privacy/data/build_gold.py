"""Build masking_gold.jsonl and masking_heldout.jsonl from their .src.txt sources.

Each source line is one text with personal data marked as ``[[TYPE:substring]]``; the script strips
the marks and computes the character offsets, so offsets in the JSONL are right by construction.
Run from anywhere: ``python tests/privacy/data/build_gold.py`` (stdlib only).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (source, output) pairs: the tuning set and the held-out set
FILES = [
    (HERE / "masking_gold.src.txt", HERE / "masking_gold.jsonl"),
    (HERE / "masking_heldout.src.txt", HERE / "masking_heldout.jsonl"),
]
TYPES = {"PER", "PHONE", "EMAIL", "ADDRESS", "PASSPORT", "SNILS", "INN", "CARD", "OMS", "SOCIAL"}
MARK = re.compile(r"\[\[([A-Z]+):(.+?)\]\]")


def parse_line(line: str) -> dict:
    line = line.replace("\\n", "\n")
    text_parts: list[str] = []
    spans = []
    pos = 0
    length = 0
    for m in MARK.finditer(line):
        typ, value = m.group(1), m.group(2)
        if typ not in TYPES:
            raise ValueError(f"unknown type {typ!r} in {line!r}")
        before = line[pos : m.start()]
        text_parts.append(before)
        length += len(before)
        spans.append({"start": length, "end": length + len(value), "type": typ})
        text_parts.append(value)
        length += len(value)
        pos = m.end()
    text_parts.append(line[pos:])
    text = "".join(text_parts)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced mark in {line!r}")
    for sp in spans:
        value = text[sp["start"] : sp["end"]]
        if value != value.strip():
            raise ValueError(f"span with outer spaces {value!r} in {line!r}")
    return {"text": text, "spans": spans}


def build(src: Path) -> list[dict]:
    rows = []
    for raw in src.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        rows.append(parse_line(raw))
    return rows


def main() -> int:
    for src, out in FILES:
        rows = build(src)
        with out.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        n_spans = sum(len(r["spans"]) for r in rows)
        n_neg = sum(1 for r in rows if not r["spans"])
        print(f"{len(rows)} texts, {n_spans} spans, {n_neg} without personal data -> {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
