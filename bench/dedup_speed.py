"""Speed, memory and quality of duplicate grouping (``veche.dedup``) on the demo's questions.

    python bench/dedup_speed.py --n 100000
    python bench/dedup_speed.py --n 1000000 --skip-campaigns
    python bench/dedup_speed.py --n 100000 --shingle char            # character 5-grams
    python bench/dedup_speed.py --n 100000 --peer                    # vs datasketch's MinHash

Texts come from ``veche.demo.generate``, keys from ``veche.text.dedup_key``. Prints texts/s per
stage, peak RSS (``ru_maxrss``; it includes the generated data, so the RSS before grouping is
printed too) and pairwise precision/recall against the demo's gold groups.

``--peer`` also computes the signatures of the same distinct texts with ``datasketch.MinHash``
(the library veche's numpy MinHash replaces; not a veche dependency: ``pip install
datasketch==2.0.0``) and prints both speeds and how well each estimates the exact Jaccard
similarity of sampled pairs.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from veche.dedup import (  # noqa: E402
    CampaignRules,
    exact_groups,
    flag_campaigns,
    near_groups,
    pair_scores,
)
from veche.dedup.near import minhash_signatures  # noqa: E402
from veche.demo import generate  # noqa: E402
from veche.text import dedup_key  # noqa: E402


def load_event(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ev = generate(n, seed)
    q = ev.questions.copy()
    q["sender"] = q["phone"]  # a sender key: the pipeline's is the phone, else e-mail, else name
    return q, ev.truth


def _join_labels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of rows linked by equal ``a`` or equal ``b`` labels."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    na = int(a.max()) + 1
    size = na + int(b.max()) + 1
    graph = coo_matrix((np.ones(a.size), (a, na + b)), shape=(size, size))
    return connected_components(graph, directed=False)[1][a]


def _shingle_sets(texts: list[str], shingle: str, ngram: int) -> list[set[bytes]]:
    """Each text's shingles as veche cuts them: ``ngram`` words (or characters), or all of a
    shorter text's units as one shingle."""
    out = []
    sep = " " if shingle == "word" else ""
    for text in texts:
        units = text.split() if shingle == "word" else text
        k = min(ngram, len(units))
        out.append({sep.join(units[i : i + k]).encode() for i in range(len(units) - k + 1)})
    return out


def compare_peer(distinct: list[str], labels: np.ndarray, args, pairs: int = 20_000) -> None:
    """veche's numpy MinHash against datasketch's on the same texts: speed, and the error of
    each one's Jaccard estimate on pairs from the same near group and on random pairs."""
    try:
        from datasketch import MinHash
    except ImportError:
        sys.exit(
            "--peer needs datasketch, which veche does not install: pip install datasketch==2.0.0"
        )
    ngram = args.ngram or (3 if args.shingle == "word" else 5)
    t = time.perf_counter()
    sig, _ = minhash_signatures(
        distinct, num_perm=args.num_perm, shingle=args.shingle, ngram=ngram, seed=args.seed
    )
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    sets = _shingle_sets(distinct, args.shingle, ngram)
    peer = MinHash.bulk([list(s) for s in sets], num_perm=args.num_perm, seed=args.seed)
    t_peer = time.perf_counter() - t
    print(
        f"signatures of {len(distinct):,} texts: veche numpy {t_ours:.2f} s, "
        f"datasketch MinHash.bulk (with shingling) {t_peer:.2f} s ({t_peer / t_ours:.1f}x)"
    )
    rng = np.random.default_rng(args.seed)
    order = np.argsort(labels, kind="stable")
    same = labels[order][1:] == labels[order][:-1]  # neighbours in one near group
    ga, gb = order[:-1][same], order[1:][same]
    if ga.size > pairs:
        pick = rng.choice(ga.size, pairs, replace=False)
        ga, gb = ga[pick], gb[pick]
    n = len(distinct)
    for kind, a, b in (
        ("pairs in one near group", ga, gb),
        ("random pairs", rng.integers(n, size=pairs), rng.integers(n, size=pairs)),
    ):
        keep = (a != b) & np.array([bool(sets[i] and sets[j]) for i, j in zip(a, b, strict=True)])
        a, b = a[keep], b[keep]
        ab = list(zip(a, b, strict=True))
        exact = np.array([len(sets[i] & sets[j]) / len(sets[i] | sets[j]) for i, j in ab])
        print(f"  Jaccard estimates, {len(a):,} {kind} (mean exact {exact.mean():.3f}):")
        for name, est in (
            ("veche numpy", (sig[a] == sig[b]).mean(axis=1)),
            ("datasketch", np.array([peer[i].jaccard(peer[j]) for i, j in ab])),
        ):
            err = est - exact
            print(f"    {name}: bias {err.mean():+.4f}, RMSE {np.sqrt((err**2).mean()):.4f}")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--num-perm", type=int, default=64)
    ap.add_argument("--shingle", choices=["word", "char"], default="word")
    ap.add_argument("--ngram", type=int, default=None)
    ap.add_argument("--grouping", choices=["centres", "components"], default="centres")
    ap.add_argument("--skip-campaigns", action="store_true")
    ap.add_argument("--peer", action="store_true", help="also time datasketch's MinHash")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    q, truth = load_event(args.n, args.seed)
    print(f"generated {len(q):,} demo questions in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    keys = [dedup_key(text) for text in q["text"]]
    print(f"keys by veche.text.dedup_key in {time.perf_counter() - t:.1f} s")
    rss0 = rss_mb()
    print(f"peak RSS before grouping: {rss0:,.0f} MB")

    t = time.perf_counter()
    ex = exact_groups(keys)
    t_exact = time.perf_counter() - t
    _, first = np.unique(ex, return_index=True)
    distinct = [keys[i] for i in first]  # label order == first appearance
    print(
        f"exact_groups: {len(keys):,} keys -> {len(distinct):,} distinct in {t_exact:.2f} s "
        f"({len(keys) / max(t_exact, 1e-9):,.0f} texts/s)"
    )

    t = time.perf_counter()
    near, sim_distinct = near_groups(
        distinct,
        threshold=args.threshold,
        num_perm=args.num_perm,
        shingle=args.shingle,
        ngram=args.ngram,
        grouping=args.grouping,
        return_similarity=True,
        progress=lambda k: None,
    )
    t_near = time.perf_counter() - t
    labels = near[ex]
    print(
        f"near_groups ({args.grouping}, {args.shingle} shingles, "
        f"threshold {args.threshold}, "
        f"{args.num_perm} perms): {len(distinct):,} distinct texts -> {near.max() + 1:,} groups "
        f"in {t_near:.2f} s ({len(distinct) / max(t_near, 1e-9):,.0f} texts/s)"
    )
    print(f"peak RSS after grouping: {rss_mb():,.0f} MB (+{rss_mb() - rss0:,.0f} MB)")

    gold = truth.set_index("id").loc[q["id"]]
    s_exact = pair_scores(ex, gold["dup_group"].to_numpy())
    s_near = pair_scores(labels, gold["dup_group"].to_numpy())
    scores = [("exact only", s_exact), ("exact + near", s_near)]
    # gold groups joined where they share a key: no grouping can tell identical keys apart, so
    # this is the fair gold when the generator files the same text under different groups
    g_codes = pd.factorize(gold["dup_group"].to_numpy())[0]
    fair = _join_labels(g_codes, ex)
    if not np.array_equal(pd.factorize(fair)[0], g_codes):
        s_fair = pair_scores(ex, fair)
        scores.append(("exact only vs gold joined over equal keys", s_fair))
        scores.append(("exact + near vs gold joined over equal keys", pair_scores(labels, fair)))
    in_campaign = gold["campaign"].fillna("").astype(str).to_numpy() != ""
    if in_campaign.any() and not in_campaign.all():
        g = gold["dup_group"].to_numpy()
        scores.append(("  campaign rows", pair_scores(labels[in_campaign], g[in_campaign])))
        scores.append(("  other rows", pair_scores(labels[~in_campaign], g[~in_campaign])))
    for name, s in scores:
        print(
            f"pairs vs gold [{name}]: precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
            f"F1 {s['f1']:.4f}  (pred {s['n_pred_pairs']:,}, gold {s['n_gold_pairs']:,})"
        )

    if args.peer:
        compare_peer(distinct, near, args)
    if args.skip_campaigns:
        return
    t = time.perf_counter()
    frame = pd.DataFrame(
        {
            "group": labels,
            "created_at": pd.to_datetime(q["created_at"], utc=True),
            "sender": q.get("sender"),
            "region": q.get("region"),
            "channel": q.get("channel"),
            "similarity": sim_distinct[ex],
        }
    )
    camp = flag_campaigns(frame, CampaignRules())
    t_camp = time.perf_counter() - t
    flagged_groups = set(camp.loc[camp["is_campaign"], "group"])
    flagged = frame["group"].isin(flagged_groups).to_numpy()
    true_c = gold["campaign"].fillna("").astype(str).to_numpy() != ""
    tp = int((flagged & true_c).sum())
    print(
        f"flag_campaigns: {len(camp):,} groups in {t_camp:.2f} s; {len(flagged_groups)} flagged; "
        f"campaign questions precision {tp / max(flagged.sum(), 1):.4f} "
        f"recall {tp / max(true_c.sum(), 1):.4f}"
    )
    top = camp[camp["is_campaign"]].sort_values("size", ascending=False).head(3)
    for reason in top["reason"]:
        print(f"  e.g. {reason}")
    print(f"peak RSS at the end: {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
