"""`veche demo`: generate an event, write it as the messy files real intake brings, run the
pipeline, and score the result against the generator's ground truth."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score as nmi

from veche.config import VecheConfig
from veche.dedup import pair_scores
from veche.export import json_line
from veche.pipeline import RunResult, run
from veche.progress import NullProgress, Progress
from veche.report import write_report
from veche.report.build import build_picture
from veche.store import Store
from veche.store.analysis import AnalysisStore

# the default taxonomy (veche/taxonomy/default_ru.yaml) is finer than the generator's 12 themes
TOPIC_TO_DEMO_THEME = {
    "social_support": "social_support",
    "family_children": "social_support",
    "pensions": "pensions",
    "housing_utilities": "housing_utilities",
    "housing_construction": "housing_utilities",
    "healthcare": "healthcare",
    "roads_transport": "roads_transport",
    "public_transport": "roads_transport",
    "prices_economy": "prices_economy",
    "labour_employment": "prices_economy",
    "taxes_finance": "prices_economy",
    "agriculture": "prices_economy",
    "school_education": "education",
    "higher_education_science": "education",
    "military_families": "military_families",
    "ecology": "ecology",
    "emergencies": "ecology",
    "culture": "culture_sport",
    "sport": "culture_sport",
    "state_society": "state_society",
    "law_order": "state_society",
    "migration": "state_society",
    "digital_communications": "state_society",
    "foreign_policy": "foreign_policy",
    # municipal life: the generator files yards, lighting, waste and snow under housing, stray
    # animals and greenery under ecology
    "street_lighting": "housing_utilities",
    "yards_public_spaces": "housing_utilities",
    "waste_collection": "housing_utilities",
    "street_cleaning": "housing_utilities",
    "trees_greenery": "ecology",
    "stray_animals": "ecology",
}


@dataclass
class DemoOutcome:
    result: RunResult
    files: list[Path]
    scores: dict[str, float | int] = field(default_factory=dict)
    report: Path | None = None

    def scores_text(self) -> str:
        s = self.scores
        return (
            "\n[bold]Against the generator's ground truth[/]\n"
            f"  duplicate pairs: precision {s['dup_precision']:.3f}, recall {s['dup_recall']:.3f}\n"
            f"  campaign questions: precision {s['campaign_precision']:.3f}, "
            f"recall {s['campaign_recall']:.3f}\n"
            f"  personal data left visible: {s['pii_leaked']:,} of {s['pii_total']:,} values "
            f"({s['pii_leak_rate']:.2%})\n"
            f"  themes: NMI {s['nmi_fine']:.3f} (specific issues vs sub-issues), "
            f"{s['nmi_broad']:.3f} (broad themes vs themes); 'other' {s['other_share']:.1%}\n"
            f"  taxonomy: top topic among the true themes {s['topic_top1']:.3f} of the "
            f"{s['topic_coverage']:.1%} given a topic (the rest: not sure)\n"
            f"  region: {s['region_accuracy']:.3f} where known\n"
            f"  urgent: precision {s['urgent_precision']:.3f}, recall {s['urgent_recall']:.3f}"
        )


def run_demo(
    config: VecheConfig, *, n: int, seed: int, directory: Path, progress: Progress | None = None
) -> DemoOutcome:
    from veche.demo import generate

    progress = progress or NullProgress()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_sqlite(config.store.url)  # the demo starts from an empty store
    with progress.task(f"generate {n:,} demo questions", None):
        event = generate(n=n, seed=seed)
    files = write_intake_files(event.questions, directory, config.intake.max_text_chars)
    event.truth.to_parquet(directory / "truth.parquet", index=False)
    store = Store.open(config.store.url)
    result = run(files, config, store=store, progress=progress)
    scores = score(store, event.truth)
    if result.analysed is not None:
        scores |= score_understanding(store, event.truth)
        with progress.task("writing the picture of the day"):
            picture = build_picture(
                store,
                timezone=config.intake.timezone,
                taxonomy_path=config.taxonomy.path,
                geo=config.geo,
            )
            report = write_report(picture, directory / "report.html", "html")
        return DemoOutcome(result, files, scores, report)
    return DemoOutcome(result, files, scores)


def _fits_cp1251(text: str) -> bool:
    try:
        str(text).encode("cp1251")
    except UnicodeEncodeError:
        return False
    return True


def write_intake_files(q: pd.DataFrame, directory: Path, max_chars: int) -> list[Path]:
    """Split the event by channel into the formats real intake brings, with a few broken rows."""
    calls = q[q["channel"] == "call_centre"]
    sms = q[q["channel"] == "sms"].drop(columns=["name", "email", "gender", "age"])
    portal = q[q["channel"].isin(["website", "app"])]
    social = q[q["channel"].isin(["social", "messenger"])]

    p_calls = directory / "call_centre.csv"
    calls.to_csv(p_calls, index=False)
    junk = pd.DataFrame(  # what a hand-edited export looks like
        [
            {"id": "x-1", "created_at": "2025-12-10T10:00:00+03:00", "text": ""},
            {"id": "x-2", "created_at": "в обед", "text": "Где моя пенсия?"},
        ],
        columns=calls.columns,
    ).assign(channel="call_centre")
    with p_calls.open("a", encoding="utf-8") as fh:
        junk.to_csv(fh, header=False, index=False)
        fh.write(",".join(["x-3", "too", "many", "fields", *[""] * len(calls.columns)]) + "\n")

    # an old gateway (Windows-1251, semicolons) cannot carry Kazakh or Tatar letters (ә, қ, ү,
    # ...): those messages come through a newer gateway's UTF-8 export, so none is damaged
    fits = sms["text"].map(_fits_cp1251)
    p_sms = directory / "sms.csv"
    sms[fits].to_csv(p_sms, index=False, sep=";", encoding="cp1251")
    p_sms_utf8 = directory / "sms_utf8.csv"
    sms[~fits].to_csv(p_sms_utf8, index=False)

    p_portal = directory / "portal.jsonl"
    with p_portal.open("w", encoding="utf-8") as fh:
        for rec in portal.to_dict("records"):
            fh.write(json_line(rec))
        fh.write('{"id": "x-4", "text": "обрыв записи\n')  # malformed JSON
        fh.write(json.dumps({"id": "x-5", "text": "спам " * (max_chars // 4)}) + "\n")  # too long

    p_social = directory / "social.parquet"
    social.to_parquet(p_social, index=False)
    return [p_calls, p_sms, p_sms_utf8, p_portal, p_social]


def score(store: Store, truth: pd.DataFrame) -> dict[str, float | int]:
    """Duplicate pairs, campaign flags and personal-data leaks against the ground truth."""
    q = store.read_questions(["external_id", "group_id", "text"])
    groups = store.read_groups()[["id", "is_campaign"]].rename(columns={"id": "group_id"})
    q = q.merge(groups, on="group_id", how="left").merge(
        truth, left_on="external_id", right_on="id", suffixes=("", "_truth")
    )
    dup = pair_scores(q["group_id"].to_numpy(), q["dup_group"].to_numpy())
    true_camp = q["campaign"].fillna("").astype(str) != ""
    flagged = q["is_campaign"].fillna(False).astype(bool)
    tp = int((true_camp & flagged).sum())
    leaked = total = 0
    for text, pii in zip(q["text"], q["pii"], strict=True):
        for item in json.loads(pii or "[]"):
            total += 1
            leaked += item["value"] in text
    return {
        "dup_precision": float(dup["precision"]),
        "dup_recall": float(dup["recall"]),
        "campaign_precision": tp / max(int(flagged.sum()), 1),
        "campaign_recall": tp / max(int(true_camp.sum()), 1),
        "pii_total": total,
        "pii_leaked": leaked,
        "pii_leak_rate": leaked / total if total else 0.0,
    }


def score_understanding(store: Store, truth: pd.DataFrame) -> dict[str, float | int]:
    """Themes, topics, regions and urgency against the ground truth (spam has no theme)."""
    a = AnalysisStore(store).read_analysis(["external_id"])
    j = a.merge(truth, left_on="external_id", right_on="id", suffixes=("", "_truth"))
    themed = j[j["themes"].fillna("") != ""]
    first = themed["themes"].str.split(";").str[0]
    true_sets = themed["themes"].str.split(";").map(set)
    # the default taxonomy's ids are finer than the generator's themes: map them
    # questions whose best topic was too weak have none (unassigned): scored among the others
    assigned = themed["topic"].notna().to_numpy()
    topic_theme = themed["topic"].map(TOPIC_TO_DEMO_THEME)
    hits = np.array([t in s for t, s in zip(topic_theme, true_sets, strict=True)], dtype=bool)
    top1 = float(hits[assigned].mean()) if assigned.any() else 0.0
    known = j[j["region_code_truth"].notna()]
    flagged, real = j["urgent"].astype(bool), j["urgent_truth"].astype(bool)
    return {
        "nmi_fine": float(nmi(themed["subissue"].astype(str), themed["theme_id"])),
        "nmi_broad": float(nmi(first, themed["broad_id"])),
        "other_share": float(j["is_other"].mean()),
        "topic_top1": top1,
        "topic_coverage": float(assigned.mean()) if len(assigned) else 0.0,
        "region_accuracy": float((known["region_code"] == known["region_code_truth"]).mean()),
        "urgent_precision": float((flagged & real).sum() / max(flagged.sum(), 1)),
        "urgent_recall": float((flagged & real).sum() / max(real.sum(), 1)),
    }


def _remove_sqlite(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        # what the last demo learnt (encoder, vectors, themes) goes with its store
        shutil.rmtree(path.with_name(path.stem + ".models"), ignore_errors=True)
