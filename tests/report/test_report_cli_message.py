"""`veche report` says how many themes the report holds: broad and specific, not broad alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import veche.report.build
from sample_picture import sample_picture
from veche.cli import app
from veche.report import DayPicture, write_report
from veche.store import Store


def test_report_message_counts_broad_and_specific_themes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = sample_picture(n=800, seed=2, max_fine=7, shortlist_size=5)
    n_broad = int((picture.themes["level"] == "broad").sum())
    n_fine = int((picture.themes["level"] == "fine").sum())
    assert (n_broad, n_fine) == (12, 7)

    def built(*args: object, **kwargs: object) -> DayPicture:
        return picture  # the analysis is not what this test is about

    monkeypatch.setattr(veche.report.build, "build_picture", built)
    out = tmp_path / "day.json"
    Store.open(f"sqlite:///{tmp_path / 'v.sqlite'}").close()  # report reads an existing store
    res = CliRunner().invoke(
        app, ["report", "--db", f"sqlite:///{tmp_path / 'v.sqlite'}", "--format", "json",
              "--out", str(out)]
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())  # rich wraps long lines
    assert f"themes: {n_broad} broad, {n_fine} specific" in said, said
    # the same numbers as the report's heading, each saying what it counts
    n_urgent, n_groups = picture.urgent_counts
    assert n_urgent > n_groups == len(picture.urgent)
    assert f"{n_urgent:,} urgent questions" in said and f"({n_groups:,} without repeats)" in said
    html = tmp_path / "day.html"
    write_report(picture, html)
    heading = re.search(r"<h2>Срочные вопросы.*?</h2>", html.read_text(encoding="utf-8"), re.S)
    assert heading is not None
    numbers = [int(x.replace("\u202f", "")) for x in re.findall(r"\d[\d\u202f]*", heading[0])]
    assert n_urgent in numbers and n_groups in numbers, heading[0]
