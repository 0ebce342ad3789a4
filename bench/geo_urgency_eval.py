"""Quality and speed of the location and urgency stages on demo data and the SPb appeals.

    python bench/geo_urgency_eval.py [--n 20000] [--seed 1] [--spb PATH] [--sample-flags 30]

Demo: region accuracy from text where the text names the region, overall accuracy with the
metadata, urgency precision/recall (per kind too). SPb: how many texts name a district and the
accuracy of the extracted one against the ``district`` column; how many texts are flagged urgent
and a sample of flags (with evidence) to judge by hand.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from veche.demo import generate
from veche.geo import RegionResolver
from veche.text import Lemmatizer, clean_text, detect_languages
from veche.urgency import UrgencyDetector

SPB = Path(__file__).resolve().parents[2] / "shared/data/spb/appeals_2020-10_2021-02.csv.gz"


def demo_frame(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ev = generate(n, seed)
    q = ev.questions.reset_index(drop=True)
    q["text"] = [clean_text(str(t)) for t in q["text"]]
    q["lang"] = detect_languages(q["text"].tolist())
    lem = Lemmatizer()
    q["lemmas"] = [" ".join(x) for x in lem.lemmas_many(q["text"].tolist(), q["lang"].tolist())]
    return q, ev.truth.reset_index(drop=True)


def geo_demo(q: pd.DataFrame, t: pd.DataFrame) -> None:
    res = RegionResolver()
    t0 = time.perf_counter()
    out = res.resolve(q["text"].tolist(), q["region"].tolist())
    dt = time.perf_counter() - t0
    text_only = res.resolve(q["text"].tolist(), [None] * len(q))
    in_text = t["region_in_text"].astype(bool).to_numpy()
    acc_text = (text_only["region_code"][in_text] == t["region_code"][in_text]).mean()
    no_truth = t["region_code"].eq("").to_numpy()
    fp_text = text_only["region_code"][~in_text & no_truth].ne("").mean()
    known = ~no_truth
    acc_all = (out["region_code"][known] == t["region_code"][known]).mean()
    print(f"geo demo: {len(q)} texts, {len(q) / dt:.0f} texts/s (meta + text)")
    print(f"  region from text where region_in_text: acc {acc_text:.4f} (n={in_text.sum()})")
    print(f"  text names no region and no metadata: predicted a region in {fp_text:.4f}")
    print(f"  overall (meta first) where truth known: acc {acc_all:.4f} (n={known.sum()})")
    print(
        f"  empty truth rows predicted non-empty: {out['region_code'][no_truth].ne('').mean():.4f}"
    )
    print(f"  sources: {out['region_source'].value_counts().to_dict()}")
    bad = out[known & (out["region_code"] != t["region_code"])]
    for i in bad.index[:8]:
        print(
            f"    MISS meta={q.at[i, 'region']!r} want={t.at[i, 'region_code']} got="
            f"{out.at[i, 'region_code']} | {q.at[i, 'text'][:110]!r}"
        )


def urgency_demo(q: pd.DataFrame, t: pd.DataFrame) -> None:
    det = UrgencyDetector()
    t0 = time.perf_counter()
    out = det.detect(q["text"].tolist(), q["lemmas"].tolist())
    dt = time.perf_counter() - t0
    y = t["urgent"].astype(bool).to_numpy()
    p = out["urgent"].to_numpy()
    tp = (y & p).sum()
    print(f"urgency demo: {len(q)} texts, {len(q) / dt:.0f} texts/s")
    print(
        f"  truth urgent {y.sum()}, flagged {p.sum()}, precision {tp / max(p.sum(), 1):.4f}, "
        f"recall {tp / max(y.sum(), 1):.4f}"
    )
    for kind, grp in t[y].groupby("urgency"):
        print(f"    recall {kind:12s} {out['urgent'][grp.index].mean():.3f} (n={len(grp)})")
    for i in q.index[p & ~y][:10]:
        print(f"    FP [{out.at[i, 'evidence']}] {q.at[i, 'text'][:120]!r}")
    for i in q.index[~p & y][:10]:
        print(f"    FN {t.at[i, 'urgency']} {q.at[i, 'text'][:120]!r}")


def spb(path: Path, sample: int) -> None:
    from veche.eval import load_labelled

    df = load_labelled(path, "text", "category")
    res = RegionResolver()
    out = res.resolve(df["text"].tolist(), [None] * len(df))
    named = out["district"].ne("")
    want = df["district"].fillna("").str.strip() + " район"
    acc = (out["district"][named] == want[named]).mean()
    print(f"spb districts: {named.sum()} of {len(df)} texts name one; accuracy {acc:.4f}")
    print(f"  region from text: {out['region_code'].value_counts().head(5).to_dict()}")
    det = UrgencyDetector()
    u = det.detect(df["text"].tolist(), df["lemmas"].tolist())
    print(
        f"spb urgency: {u['urgent'].sum()} of {len(df)} flagged "
        f"({u['urgent'].mean():.4f}); kinds {u.loc[u['urgent'], 'kinds'].value_counts().to_dict()}"
    )
    flagged = u.index[u["urgent"]]
    pick = pd.Series(flagged).sample(min(sample, len(flagged)), random_state=0)
    for i in pick:
        print(
            f"  FLAG {u.at[i, 'kinds']} {u.at[i, 'urgency_score']:.2f} [{u.at[i, 'evidence']}] "
            f"{df.at[i, 'text'][:220]!r}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--spb", type=Path, default=SPB)
    ap.add_argument("--sample-flags", type=int, default=30)
    a = ap.parse_args()
    q, t = demo_frame(a.n, a.seed)
    geo_demo(q, t)
    urgency_demo(q, t)
    if a.spb.exists():
        spb(a.spb, a.sample_flags)


if __name__ == "__main__":
    main()
