"""Time reading a hostile XLSX: a sheet claiming A1:XFD1048576 with ~1M blank styled rows.

    PYTHONPATH=src python bench/hostile_xlsx.py [--rows 1048000] [--cells 6] [--limit 600]

Two data rows (the header and one question at the top, one question at the very bottom); every
row between holds ``--cells`` empty styled cells, the last one in column XFD. Prints the file and
XML sizes and how long veche's reader takes to yield the records (stopped after ``--limit`` s).
"""

from __future__ import annotations

import argparse
import re
import signal
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from veche.intake import read_records


def build(path: Path, n_rows: int, cells: int) -> int:
    wb = Workbook()
    wb.active.append(["id", "text"])
    wb.active.append([1, "первый вопрос"])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    head, tail = xml.split("</sheetData>")
    head = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", '<dimension ref="A1:XFD1048576"/>', head)
    cols = ["C", "D", "E", "F", "G", "H", "I", "J"][: cells - 1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            for start in range(3, 3 + n_rows, 10_000):
                chunk = []
                for r in range(start, min(start + 10_000, 3 + n_rows)):
                    cs = "".join(f'<c r="{c}{r}" s="1"/>' for c in cols)
                    chunk.append(f'<row r="{r}">{cs}<c r="XFD{r}" s="1"/></row>')
                fh.write("".join(chunk).encode())
            last = 3 + n_rows
            fh.write(
                f'<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>2</t></is></c>'
                f'<c r="B{last}" t="inlineStr"><is><t>последний вопрос</t></is></c></row>'.encode()
            )
            fh.write(("</sheetData>" + tail).encode())
    with zipfile.ZipFile(path) as zf:
        return zf.getinfo("xl/worksheets/sheet1.xml").file_size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_048_000)
    ap.add_argument("--cells", type=int, default=6)
    ap.add_argument("--limit", type=int, default=600)
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp(prefix="veche-xlsx-")) / "hostile.xlsx"
    xml = build(path, args.rows, args.cells)
    print(
        f"file {path.stat().st_size / 1e6:.1f} MB, sheet XML {xml / 1e6:.0f} MB, {args.rows:,} blank rows"
    )

    def stop(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(args.limit)
    t = time.perf_counter()
    rows: list[int] = []
    try:
        rows.extend(rec.row for rec in read_records(path))
        print(f"read {len(rows)} records in {time.perf_counter() - t:.1f} s (rows {rows})")
    except TimeoutError:
        print(f"still reading after {args.limit} s ({len(rows)} records so far)")


if __name__ == "__main__":
    main()
