"""Region precision and recall on 300 hand-checked real questions (Kursk and SPb files).

    python bench/regions_eval.py [--data ../shared/data] [--no-mask] [--show-text]
                                 [--home-regions RU-KRS ...]

``bench/regions_gold.csv`` holds, per question, only the dataset's row id and the region its
text names (ISO 3166-2; empty when the text names no place, or only a street, an institution or
a village that exists in several regions); the texts stay in the shared data. The Kursk rows are
150 random messages of ``kursk/train.csv``; the SPb rows 100 random appeals and 50 drawn from
those with a place-like word (city, "г.", "пос.", a suburb), so that recall has SPb cases too.

The geo stage runs as the pipeline runs it: cleaned text, masked by the default masker, then
``RegionResolver`` with the default options, text only (the Kursk file has no region column; the
SPb ``district`` column is read as the channel's region by the intake aliases, but a city
district names no region, so the text decides there too).

Precision: questions given a region whose region is the dataset's own (every Kursk message is
from RU-KRS, every SPb appeal from RU-SPE). Recall: questions whose text names a place (gold not
empty) given that region.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from veche.config import VecheConfig
from veche.geo import RegionResolver
from veche.privacy import Masker
from veche.text import clean_text

HERE = Path(__file__).resolve().parent
GOLD = HERE / "regions_gold.csv"
DATA = HERE.parents[1] / "shared" / "data"
SOURCES = {
    "kursk": ("kursk/train.csv", "Текст Сообщения", "RU-KRS"),
    "spb": ("spb/appeals_2020-10_2021-02.csv.gz", "text", "RU-SPE"),
}


def load(data: Path) -> pd.DataFrame:
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    parts = []
    for name, (path, column, truth) in SOURCES.items():
        df = pd.read_csv(data / path, usecols=["id", column], dtype=str, keep_default_na=False)
        g = gold[gold["dataset"] == name].merge(
            df.rename(columns={column: "text"}), on="id", how="left", validate="1:1"
        )
        missing = g["text"].isna()
        if missing.any():
            raise SystemExit(f"{name}: ids not in {path}: {', '.join(g['id'][missing][:5])}")
        parts.append(g.assign(truth=truth))
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--no-mask", action="store_true", help="resolve on the raw cleaned text")
    ap.add_argument("--show-text", action="store_true", help="print a snippet with each error")
    ap.add_argument(
        "--home-regions",
        nargs="*",
        default=[],
        help="geo.home_regions: where a town or district name of several regions resolves",
    )
    args = ap.parse_args()

    q = load(args.data)
    config = VecheConfig()
    texts = [clean_text(t) for t in q["text"]]
    if not args.no_mask:
        p = config.privacy
        masker = Masker(types=set(p.types) if p.types else None, use_ner=p.use_ner)
        texts = [m.text for m in masker.mask_many(texts)]
    geo = config.geo.model_copy(update={"home_regions": args.home_regions})
    out = RegionResolver(geo).resolve(texts, [None] * len(texts))
    q["pred"] = out["region_code"].to_numpy()
    q["city"] = out["city"].to_numpy()

    rows = []
    for scope, sub in [("all", q), *q.groupby("dataset")]:
        given = sub["pred"].ne("")
        named = sub["gold_region"].ne("")
        right = sub["pred"].eq(sub["truth"])
        hit = sub["pred"].eq(sub["gold_region"])
        rows.append(
            {
                "set": scope,
                "n": len(sub),
                "given": int(given.sum()),
                "precision": round(right[given].mean(), 3) if given.any() else float("nan"),
                "named": int(named.sum()),
                "recall": round(hit[named].mean(), 3) if named.any() else float("nan"),
                "unnamed_given": int((given & ~named).sum()),
            }
        )
    print(pd.DataFrame(rows).to_string(index=False))

    wrong = q[q["pred"].ne("") & q["pred"].ne(q["truth"])]
    missed = q[q["gold_region"].ne("") & q["pred"].ne(q["gold_region"])]
    for title, frame in (("wrong region", wrong), ("missed", missed)):
        print(f"\n{title}: {len(frame)}")
        for i, r in frame.iterrows():
            line = f"  {r['dataset']} {r['id']}: gold={r['gold_region'] or '-'} pred={r['pred'] or '-'}"
            if args.show_text:
                line += f"  | {texts[i][:160]}"
            print(line)


if __name__ == "__main__":
    main()
