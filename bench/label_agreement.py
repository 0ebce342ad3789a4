"""Do broad theme labels agree with their questions' topics? On the demo and on Kursk.

    python bench/label_agreement.py [--n 5000] [--seed 2] [--kursk PATH] [--show]

Each data set is ingested and analysed with the defaults into a temporary SQLite store. A broad
theme's label names a taxonomy topic before its colon ("ЖКХ: ..."); its agreement is the share of
its questions whose own top topic is that one (a question with no topic does not carry it).
Printed per data set: agreement (question-weighted over the themes that name a topic), the share
of questions in such themes, the largest broad theme's share (both as stored and with topics under
the taxonomy's threshold counted as none, as a tagger that leaves weak questions unassigned
stores them) (one catch-all theme is the
off-domain failure) and, with ``--show``, every broad label with its agreement.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from veche.config import VecheConfig
from veche.demo.scenario import run_demo
from veche.pipeline import run
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import load_taxonomy

KURSK = Path(__file__).resolve().parents[1] / "../shared/data/kursk/train.csv"


def label_topic(label: str, names: dict[str, str]) -> str | None:
    """The topic id a broad label names before its colon (None when it names none)."""
    head = label.split(":", 1)[0].strip() if ":" in label else ""
    return names.get(head)


def agreement(store: Store, abstain: float | None) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per broad theme: label, size, named topic, agreement; and the summary figures. With
    ``abstain``, a stored topic whose score is under it counts as no topic (the zero-shot
    tagger that leaves weak questions unassigned)."""
    astore = AnalysisStore(store)
    rows = astore.read_analysis([], ["question_id", "broad_id", "topic", "topic_score"])
    if abstain is not None:
        rows["topic"] = rows["topic"].where(rows["topic_score"] >= abstain)
    themes = astore.read_themes()
    broad = themes[themes["level"] == "broad"]
    by_name = {c.name: c.id for c in load_taxonomy().categories}
    out = []
    for tid, label in zip(broad["id"], broad["label"], strict=True):
        own = rows[rows["broad_id"] == tid]
        topic = label_topic(str(label), by_name)
        agree = float((own["topic"] == topic).mean()) if topic and len(own) else float("nan")
        out.append({"id": tid, "label": label, "size": len(own), "topic": topic, "agree": agree})
    table = pd.DataFrame(out).sort_values("size", ascending=False)
    named = table[table["topic"].notna() & (table["size"] > 0)]
    total = max(int(table["size"].sum()), 1)
    summary = {
        "agreement": float((named["agree"] * named["size"]).sum() / max(named["size"].sum(), 1)),
        "named_share": float(named["size"].sum() / total),
        "largest_share": float(table["size"].max() / total),
        "broad_themes": float(len(table)),
        "no_topic_share": float(rows["topic"].isna().mean()),
    }
    return table, summary


def report(name: str, store: Store, show: bool, threshold: float) -> None:
    for abstain in (None, threshold):
        _, s = agreement(store, abstain)
        how = "" if abstain is None else f", topics under {abstain} unassigned"
        print(
            f"{name}{how}: agreement {s['agreement']:.3f} over {s['named_share']:.1%} of "
            "questions in "
            f"themes naming a topic; {int(s['broad_themes'])} broad themes, largest "
            f"{s['largest_share']:.1%}; questions without a topic {s['no_topic_share']:.1%}"
        )
    if show:
        table, _ = agreement(store, threshold)
        for r in table.itertuples():
            print(f"  {r.size:>6} {r.agree:>6.2f}  {r.label}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=5000, help="demo questions (0: skip the demo)")
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--kursk", type=Path, default=KURSK, help="Kursk train.csv ('' to skip)")
    ap.add_argument("--show", action="store_true", help="print every broad label")
    args = ap.parse_args()
    if args.n:
        work = Path(tempfile.mkdtemp(prefix="veche-labels-demo-"))
        cfg = VecheConfig(workdir=work, workers=1, store={"url": f"sqlite:///{work / 'd.sqlite'}"})
        run_demo(cfg, n=args.n, seed=args.seed, directory=work)
        report(
            f"demo n={args.n} seed={args.seed}",
            Store.open(cfg.store.url),
            args.show,
            cfg.taxonomy.threshold,
        )
    if str(args.kursk) and args.kursk.exists():
        work = Path(tempfile.mkdtemp(prefix="veche-labels-kursk-"))
        cfg = VecheConfig(workdir=work, workers=1, store={"url": f"sqlite:///{work / 'k.sqlite'}"})
        store = Store.open(cfg.store.url)
        run([args.kursk], cfg, store=store, column_map={"text": "Текст Сообщения"})
        report("kursk", store, args.show, cfg.taxonomy.threshold)


if __name__ == "__main__":
    main()
