"""Ingest a set of hostile files and tabulate what became of each row (issue 16).

    PYTHONPATH=src python bench/hostile_ingest.py [--db URL] [--workers 1]

For each hostile input: rows tried, stored, stored without a date (reported), rejected with a
reason, rows of workbook sheets skipped with a note (no text column), files refused with a
reason, crashed (an exception escaped the ingest) and lost (rows
neither stored nor rejected). Crashed and lost must be 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from veche.config import VecheConfig
from veche.pipeline import ingest
from veche.store import Store

Q = "Когда починят дорогу?"


def csv_rows(d: Path, name: str, rows: list[dict], n_fill: int = 0, at: int = 0) -> Path:
    fill = [{"id": f"f{i}", "text": f"{Q} {i}"} for i in range(n_fill)]
    df = pd.DataFrame(fill[:at] + rows + fill[at:])
    p = d / f"{name}.csv"
    df.to_csv(p, index=False)
    return p


def text_file(d: Path, name: str, data: bytes) -> Path:
    p = d / name
    p.write_bytes(data)
    return p


def xlsx(d: Path, name: str, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    p = d / f"{name}.xlsx"
    wb.save(p)
    return p


def huge_sheet(d: Path, n_rows: int) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from hostile_xlsx import build  # the same file bench/hostile_xlsx.py times

    p = d / "xfd1048576.xlsx"
    build(p, n_rows, 6)
    return p


def cases(d: Path) -> list[tuple[str, Callable[[], Path], int]]:
    """(what, how to make the file, rows a person would count in it)."""
    date = lambda v: [{"id": "bad", "created_at": v, "text": Q}]  # noqa: E731
    mixed = b"id,text\n" + b"".join(
        f"{i},{Q} {i}\n".encode("cp1251" if i % 2 else "utf-8") for i in range(10)
    )
    return [
        *[
            (
                f"created_at {v!r} at row 12,001 of 20,005",
                lambda v=v: csv_rows(d, f"date{abs(hash(v))}", date(v), 20_004, 11_999),
                20_005,
            )
            for v in ["0001-01-01", "9999-12-31T23:00-05:00", "1e15", "Infinity"]
        ],
        ("age 1e400", lambda: csv_rows(d, "age", [{"id": 1, "text": Q, "age": "1e400"}]), 1),
        (
            "Parquet timestamp in year 1",
            lambda: _parquet(
                d,
                "year1",
                {"text": [Q], "created_at": pa.array([datetime(1, 1, 1)], pa.timestamp("us"))},
            ),
            1,
        ),
        (
            "Parquet timestamp[s] past year 9999",
            lambda: _parquet(
                d,
                "year300k",
                {
                    "text": [Q, Q + "2"],
                    "created_at": pa.array([0, 2**50], pa.int64()).cast(pa.timestamp("s")),
                },
            ),
            2,
        ),
        (
            "Parquet binary text",
            lambda: _parquet(d, "binary", {"text": pa.array([Q.encode()], pa.binary())}),
            1,
        ),
        (
            "JSON line nested 100,000 deep",
            lambda: text_file(
                d,
                "deep.jsonl",
                (
                    "[" * 100_000
                    + "]" * 100_000
                    + "\n"
                    + json.dumps({"text": Q}, ensure_ascii=False)
                ).encode(),
            ),
            2,
        ),
        (
            "JSON: object, array, 1e400, NaN, huge int, lone surrogate",
            lambda: text_file(
                d,
                "values.jsonl",
                (
                    '{"text": {"a": 1}}\n{"text": ["a"]}\n{"text": "x", "age": 1e400}\n'
                    '{"text": "y", "n": NaN}\n{"text": "z", "n": 1' + "0" * 5000 + "}\n"
                    '{"text": "\\ud800"}\n'
                ).encode(),
            ),
            6,
        ),
        ("mixed cp1251 and UTF-8 lines", lambda: text_file(d, "mixed.csv", mixed), 10),
        (
            "UTF-16 LE without BOM",
            lambda: text_file(d, "utf16.csv", f"id,text\n1,{Q}\n".encode("utf-16-le")),
            1,
        ),
        (
            "duplicated header text,text",
            lambda: text_file(d, "dup.csv", f"text,text\n{Q},второй\n".encode()),
            1,
        ),
        (
            "title line above the header",
            lambda: text_file(d, "title.csv", f"Обращения за декабрь\n\nid;text\n1;{Q}\n".encode()),
            1,
        ),
        (
            "dates people write (5 декабря 2025, 05.12.25, 12/25/2025, Dec 5, 2025, epoch)",
            lambda: csv_rows(
                d,
                "human",
                [
                    {"text": Q, "created_at": v}
                    for v in [
                        "5 декабря 2025",
                        "05.12.25",
                        "12/25/2025",
                        "Dec 5, 2025",
                        "1764892800",
                    ]
                ],
            ),
            5,
        ),
        (
            "unreadable date 'вчера'",
            lambda: csv_rows(d, "yesterday", [{"text": Q, "created_at": "вчера"}]),
            1,
        ),
        ("NUL byte in text", lambda: text_file(d, "nul.csv", f"text\n{Q}\x00конец\n".encode()), 1),
        (
            "300-character id, channel and region",
            lambda: csv_rows(
                d, "long", [{"id": "i" * 300, "channel": "c" * 300, "region": "r" * 300, "text": Q}]
            ),
            1,
        ),
        (
            "stray quotes and ragged lines",
            lambda: text_file(d, "ragged.csv", f'id,text\n1,"{Q}\n2,ok,extra\n3,"a""b"\n'.encode()),
            3,
        ),
        (
            "workbook: title row, 2 sheets, instructions sheet, formula without value",
            lambda: xlsx(
                d,
                "book",
                {
                    "Декабрь": [["Отчёт"], ["id", "text"], [1, Q], [2, '=CONCAT("a")']],
                    "Инструкция": [["шаг", "описание"], [1, "впишите"]],
                    "Январь": [["id", "text"], [1, Q]],
                },
            ),
            4,  # the instructions sheet's row is skipped with a note, not a question
        ),
        ("XLSX claiming A1:XFD1048576, 1,048,000 blank rows", lambda: huge_sheet(d, 1_048_000), 2),
        ("gzip bomb: 3 GiB of zeros", lambda: _gzip_bomb(d), 1),
        (
            "binary garbage named .csv",
            lambda: text_file(d, "garbage.csv", bytes(range(256)) * 40),
            0,
        ),
        ("empty file", lambda: text_file(d, "empty.csv", b""), 0),
    ]


def _parquet(d: Path, name: str, cols: dict) -> Path:
    p = d / f"{name}.parquet"
    pq.write_table(pa.table(cols), p)
    return p


def _gzip_bomb(d: Path) -> Path:
    p = d / "bomb.csv.gz"
    with gzip.open(p, "wb", compresslevel=9) as fh:
        fh.write(b"id,text\n1,")
        zeros = b"0" * (1 << 24)
        for _ in range(3 * 64):
            fh.write(zeros)
    return p


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--skip", default="", help="leave out inputs whose name contains this")
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="veche-hostile-"))
    url = args.db or f"sqlite:///{d / 'veche.sqlite'}"
    config = VecheConfig(workdir=d, workers=args.workers, store={"url": url})
    store = Store.open(url)
    print(
        "| hostile input | rows | stored | of them undated | rejected with reason "
        "| skipped sheet rows (noted) | file refused | crashed | lost |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    totals = [0] * 8
    for what, make, n_rows in cases(d):
        if args.skip and args.skip in what:
            continue
        path = make()
        crashed = refused = 0
        stored = undated = rejected = n_read = skipped = 0
        try:
            res = ingest([path], config, store)
            f = res.files[0]
            # getattr: the same table for an older veche, to compare
            stored, rejected = f.n_stored + f.n_already, f.n_rejected
            undated, skipped = getattr(f, "n_undated", 0), getattr(f, "n_skipped", 0)
            n_read = f.n_read
            refused = int(bool(f.error))
            note = f.error or "; ".join(getattr(f, "notes", []))
        except Exception as exc:  # noqa: BLE001 - counted, the point of the table
            crashed = 1
            note = f"{type(exc).__name__}: {exc}"[:100]
        n_rows = max(n_rows, n_read + skipped)
        lost = 0 if (refused or crashed) else max(0, n_rows - stored - rejected - skipped)
        row = [n_rows, stored, undated, rejected, skipped, refused, crashed, lost]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"| {what} | " + " | ".join(str(x) for x in row) + f" |  <!-- {note[:160]} -->")
    print("| **total** | " + " | ".join(f"**{x}**" for x in totals) + " |")
    rejects = store.read_rejects()
    print("\nreject reasons seen:")
    for reason in sorted(set(rejects["reason"]))[:40]:
        print(f"  - {reason[:140]}")


if __name__ == "__main__":
    main()
