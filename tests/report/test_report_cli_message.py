"""`veche report` says how many themes the report holds: broad and specific, not broad alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_picture import sample_picture
from typer.testing import CliRunner

import veche.report.build
from veche.cli import app
from veche.report import DayPicture


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
    res = CliRunner().invoke(
        app, ["report", "--db", f"sqlite:///{tmp_path / 'v.sqlite'}", "--format", "json",
              "--out", str(out)]
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())  # rich wraps long lines
    assert f"themes: {n_broad} broad, {n_fine} specific" in said, said
    assert f"{len(picture.urgent):,} urgent" in said and out.exists()
