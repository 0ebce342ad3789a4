"""Headless Chromium for the report tests: load a page, collect its script errors, see what plotly
drew, and take a screenshot, all in one browser run.

The page is loaded from a copy with a probe script injected first in ``<head>``: it records
uncaught errors, unhandled promise rejections and ``console.error`` calls, and after the load
event writes them, with what each plotly chart drew, into a JSON ``<script>`` that
``--dump-dom`` brings back. Chromium's own log (``--enable-logging=stderr``) is scanned for
"Uncaught" too, in case an error escapes the probe.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_ENV = "VECHE_TEST_CHROMIUM"  # set by scripts/test.sh from scripts/browser.sh
PROBE_ID = "veche-probe"
PROBE = """<script>
(() => {
  const errors = [];
  window.addEventListener("error", (e) => errors.push("error: " + (e.message || e.type)));
  window.addEventListener("unhandledrejection",
    (e) => errors.push("rejection: " + String(e.reason && (e.reason.stack || e.reason))));
  const consoleError = console.error;
  console.error = (...args) => { errors.push("console.error: " + args.join(" "));
                                 consoleError.apply(console, args); };
  window.addEventListener("load", () => setTimeout(() => {
    const charts = [...document.querySelectorAll(".plotly-graph-div")].map((d) => {
      const box = d.getBoundingClientRect();
      return {
        id: d.id,
        svg: d.querySelectorAll("svg.main-svg").length,
        traces: (d.data || []).length,
        drawn: d.querySelectorAll(".cartesianlayer g.trace, .cartesianlayer g.hm").length,
        width: box.width, height: box.height,
      };
    });
    const out = document.createElement("script");
    out.type = "application/json";
    out.id = "PROBE_ID";
    out.textContent = JSON.stringify({errors, charts});
    document.body.appendChild(out);
  }, 0));
})();
</script>""".replace("PROBE_ID", PROBE_ID)


def find_chromium() -> str | None:
    """The browser to test with: $VECHE_TEST_CHROMIUM, else chromium on PATH, else None."""
    return (
        os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@dataclass
class PageRun:
    errors: list[str]  # what the page's scripts threw or logged as errors
    charts: list[dict]  # per plotly div: id, svg (main-svg count), traces (in data), drawn, size
    screenshot: Path
    log: str  # chromium's stderr


def with_probe(html: str) -> str:
    """The page with the probe as the first script of <head>, so it sees every later error."""
    head = re.search(r"<head[^>]*>", html)
    assert head, "no <head> in the page"
    return html[: head.end()] + PROBE + html[head.end() :]


def run_page(
    chromium: str, html: str, workdir: Path, size: tuple[int, int] = (1400, 3000)
) -> PageRun:
    """Load ``html`` (with the probe) in headless chromium; dump its DOM and screenshot it."""
    page = workdir / "page.html"
    page.write_text(with_probe(html), encoding="utf-8")
    shot = workdir / "page.png"
    r = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
         f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    m = re.search(
        rf'<script type="application/json" id="{PROBE_ID}">(.*?)</script>', r.stdout, re.S
    )
    assert m, "the probe did not report: the page never finished loading?"
    probe = json.loads(m.group(1))
    uncaught = [ln for ln in r.stderr.splitlines() if ":CONSOLE" in ln and "Uncaught" in ln]
    return PageRun(probe["errors"] + uncaught, probe["charts"], shot, r.stderr)


def png_size_and_rows(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct scanlines) of an 8-bit PNG; a blank image has only a few."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    width, height, depth, colour = struct.unpack(">IIBB", ihdr[:10])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    assert depth == 8, f"bit depth {depth}"
    raw = zlib.decompress(b"".join(idat))
    stride = 1 + width * channels  # a filter byte, then the pixels
    assert len(raw) == stride * height
    # filtered rows: equal rows of one colour filter to equal bytes, so few distinct rows = blank
    rows = {raw[i : i + stride] for i in range(0, len(raw), stride)}
    return width, height, len(rows)
