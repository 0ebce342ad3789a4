"""The demo scored against its own ground truth: floors that fail if a stage regresses.

Floors sit below what seed 1 measured (n=6,000: dup P 0.971 R 0.899, campaigns P 0.93 R 0.956,
0.4% of personal-data values left visible). Other seeds can merge two campaigns that reuse one
cause and score lower on pair precision (seed 7: 0.59): a known weakness, see the issue note.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from demo_run import DemoRun
from veche.config import VecheConfig
from veche.demo.scenario import run_demo, score, score_understanding
from veche.store import Store


def _scores(tmp_path: Path, n: int, workers: int) -> dict:
    cfg = VecheConfig(
        workdir=tmp_path, workers=workers, store={"url": f"sqlite:///{tmp_path / 'demo.sqlite'}"}
    )
    return run_demo(cfg, n=n, seed=1, directory=tmp_path).scores


def _check(s: dict) -> None:
    assert s["dup_precision"] >= 0.85, s
    assert s["dup_recall"] >= 0.85, s
    assert s["campaign_precision"] >= 0.85, s
    assert s["campaign_recall"] >= 0.90, s
    assert s["pii_total"] > 0 and s["pii_leak_rate"] <= 0.02, s
    # understanding (floors below what seed 1 measured; see the module docstring)
    assert s["nmi_fine"] >= 0.50 and s["nmi_broad"] >= 0.25, s
    assert s["other_share"] < 0.10, s
    assert s["topic_top1"] >= 0.65 and s["topic_coverage"] >= 0.6, s  # 0.893 of 74% at 6000
    assert s["region_accuracy"] >= 0.95, s
    assert s["urgent_precision"] >= 0.75 and s["urgent_recall"] >= 0.75, s


def test_demo_quality_floors(demo_run: DemoRun) -> None:
    """The session's demo (6,000 questions, seed 1), scored from its store and ground truth."""
    assert demo_run.exit_code == 0, demo_run.output
    store = Store.open(f"sqlite:///{demo_run.store_path}")
    truth = pd.read_parquet(demo_run.directory / "truth.parquet")
    _check(score(store, truth) | score_understanding(store, truth))
    store.close()


@pytest.mark.slow
def test_demo_quality_floors_full_size(tmp_path: Path) -> None:
    _check(_scores(tmp_path, 20000, workers=2))


def test_sms_files_keep_every_letter(tmp_path: Path) -> None:
    """The old SMS gateway writes Windows-1251, which has no Kazakh or Tatar letters: those
    messages go to a UTF-8 file instead of reaching intake as '?'."""
    from veche.demo import generate
    from veche.demo.scenario import write_intake_files

    q = generate(3000, 1).questions
    files = {p.name: p for p in write_intake_files(q, tmp_path, 10_000)}
    old = pd.read_csv(files["sms.csv"], sep=";", encoding="cp1251", dtype=str)
    new = pd.read_csv(files["sms_utf8.csv"], dtype=str)
    assert new["text"].str.contains("[әқүөңғұһі]", regex=True).any()
    sent = q.loc[q["channel"] == "sms", "text"]
    assert sorted(pd.concat([old["text"], new["text"]])) == sorted(sent)
