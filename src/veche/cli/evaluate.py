"""``veche eval``: score veche on a labelled file (themes against labels, or a classifier).

The settings come from the configuration (``[eval]``, ``[taxonomy]``, ``[themes]``, ``[embed]``
of ``veche.toml``); a flag given on the command line wins over it.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from veche.cli import ConfigOpt, _config, app, console, err
from veche.config import VecheConfig


class ClassWeight(StrEnum):
    none = "none"
    sqrt = "sqrt"
    balanced = "balanced"


class Mode(StrEnum):
    cluster = "cluster"
    classify = "classify"
    zero_shot = "zero-shot"


@app.command("eval")
def eval_(
    data: Annotated[
        Path, typer.Option("--data", help="labelled file: CSV(.gz), JSONL, XLSX, Parquet")
    ],
    text: Annotated[str, typer.Option("--text", help="the text column")],
    label: Annotated[str, typer.Option("--label", help="the label column")],
    mode: Annotated[
        Mode,
        typer.Option(
            help="cluster: themes vs labels; classify: a classifier trained on labels; "
            "zero-shot: a taxonomy's topics with no training"
        ),
    ] = (Mode.classify),
    train_frac: Annotated[
        float, typer.Option(min=0.001, max=1.0, help="share of training rows that keep labels")
    ] = 1.0,
    test: Annotated[
        Path | None, typer.Option(help="train on all of --data, score on this file")
    ] = None,
    split_col: Annotated[
        str | None, typer.Option(help="train on rows with COL < --split-at, test on the rest")
    ] = None,
    split_at: Annotated[str | None, typer.Option(help="split value, e.g. 2021-01-01")] = None,
    folds: Annotated[int, typer.Option(min=2, help="cross-validation folds (classify)")] = 5,
    score_rare: Annotated[
        bool,
        typer.Option(
            help="k-fold: also score rows of classes with fewer than k members (plain k-fold)"
        ),
    ] = True,
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            help="classify: a categorical column of the file (channel metadata, e.g. the "
            "portal's object type) used beside the text; repeat for several",
        ),
    ] = None,
    label_names: Annotated[
        bool | None,
        typer.Option(
            "--label-names/--no-label-names",
            help="classify: each label's name joins the training rows as a description of "
            "its class (default: on, [eval] label_names)",
            show_default=False,
        ),
    ] = None,
    dense: Annotated[
        str | None,
        typer.Option(
            "--dense",
            help="classify: add this encoder's vectors (e.g. e5) beside the n-grams; "
            "e5 embeds ~20 texts/s on 2 cores (default: [eval] dense, none)",
        ),
    ] = None,
    class_weight: Annotated[
        ClassWeight | None,
        typer.Option(
            "--class-weight",
            help="classify: weight rows by class frequency: none, sqrt (inverse square root: "
            "rare classes heard more; the default) or balanced (inverse frequency)",
            show_default=False,
        ),
    ] = None,
    balanced: Annotated[
        bool, typer.Option("--balanced", help="classify: the same as --class-weight balanced")
    ] = False,
    nb_weight: Annotated[
        float | None,
        typer.Option(
            "--nb-weight",
            min=0.0,
            max=0.99,
            help="classify: mix this share of Complement Naive Bayes into the SVM's scores "
            "(0: the SVM alone, the default)",
        ),
    ] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            help="zero-shot: a taxonomy YAML whose categories the labels name (by id or name); "
            "default: one category per label, described by its name"
        ),
    ] = None,
    examples: Annotated[
        str | None,
        typer.Option(
            help="zero-shot without --taxonomy: a finer label column whose values under each "
            "label are that label's examples (e.g. SPb reason under category)"
        ),
    ] = None,
    distinct: Annotated[
        bool, typer.Option("--distinct", help="score distinct texts only (cluster, zero-shot)")
    ] = False,
    second_opinion_below: Annotated[
        float | None,
        typer.Option(
            "--second-opinion-below",
            min=0.0,
            max=1.0,
            help="zero-shot: questions whose top TF-IDF topic probability is below this are "
            "read again by e5 (default: the config's 0.2; 0: never)",
        ),
    ] = None,
    encoder: Annotated[
        str | None,
        typer.Option(help="encoder for cluster and zero-shot modes (default: [analysis])"),
    ] = None,
    k: Annotated[
        int | None, typer.Option(help="themes to find (default: number of labels)")
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the metrics as one JSON object on the last line")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Score veche on a labelled file: NMI/ARI of themes (cluster), accuracy/macro-F1 of a
    classifier (classify) or of a taxonomy with no training (zero-shot)."""
    from veche.eval import EvalDataError, load_labelled
    from veche.taxonomy import TaxonomyError

    if balanced:
        class_weight = ClassWeight.balanced
    cfg = _config(
        config,
        **{
            "taxonomy.second_opinion_below": second_opinion_below,
            "analysis.encoder": encoder,
            "eval.label_names": label_names,
            "eval.dense": dense,
            "eval.classifier.nb_weight": nb_weight,
            "eval.classifier.context_columns": list(context) if context else None,
            "eval.classifier.class_weight": _weight(class_weight),
        },
    )
    if class_weight is ClassWeight.none:  # None in the config; an override cannot say None
        cfg.eval.classifier = cfg.eval.classifier.model_copy(update={"class_weight": None})
    try:
        with console.status(f"reading and preparing {data}"):
            df = load_labelled(data, text, label)
            test_df = load_labelled(test, text, label) if test is not None else None
        if mode is Mode.cluster:
            metrics = _cluster(df, cfg, distinct=distinct, k=k, seed=seed)
        elif mode is Mode.zero_shot:
            metrics = _zero_shot(df, cfg, taxonomy=taxonomy, examples=examples, distinct=distinct)
        else:
            split = {"split_col": split_col, "split_at": split_at, "folds": folds}
            metrics = _classify(
                df, test_df, cfg, train_frac=train_frac, seed=seed, score_rare=score_rare, **split
            )
    except (EvalDataError, TaxonomyError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    metrics = {"data": str(data), "text": text, "label": label, "mode": mode.value, **metrics}
    for key, value in metrics.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        console.print(f"{key:>14}  {shown}")
    if as_json:
        print(json.dumps(metrics, ensure_ascii=False, default=str))


def _weight(flag: ClassWeight | None) -> str | None:
    """The flag as a config override (no flag, or ``none``: nothing to override here)."""
    return None if flag in (None, ClassWeight.none) else flag.value


def _cluster(
    df: pd.DataFrame, cfg: VecheConfig, *, distinct: bool, k: int | None, seed: int
) -> dict[str, Any]:
    from veche.eval.cluster import evaluate_cluster
    from veche.pipeline.models import encoder_options

    name = cfg.analysis.encoder
    with console.status(f"finding themes in {len(df):,} texts ({name})"):
        return evaluate_cluster(
            df,
            distinct=distinct,
            encoder=name,
            k=k,
            seed=seed,
            options=cfg.themes,
            encoder_options=encoder_options(cfg, name),
        )


def _zero_shot(
    df: pd.DataFrame,
    cfg: VecheConfig,
    *,
    taxonomy: Path | None,
    examples: str | None,
    distinct: bool,
) -> dict[str, Any]:
    from veche.embed import make_encoder
    from veche.eval import EvalDataError
    from veche.eval.zeroshot import evaluate_zero_shot
    from veche.pipeline.models import encoder_options
    from veche.taxonomy import load_taxonomy

    if taxonomy is not None and examples is not None:
        raise EvalDataError("--examples builds a taxonomy from the labels: not with --taxonomy")
    tax = load_taxonomy(taxonomy) if taxonomy is not None else None
    name = cfg.analysis.encoder
    with console.status(f"assigning topics to {len(df):,} texts ({name})"):
        metrics = evaluate_zero_shot(
            df,
            taxonomy=tax,
            examples_col=examples,
            encoder=make_encoder(name, **encoder_options(cfg, name)),
            distinct=distinct,
            options=cfg.taxonomy,
        )
    metrics["second_opinion_below"] = cfg.taxonomy.second_opinion_below
    return metrics


def _classify(
    df: pd.DataFrame,
    test_df: pd.DataFrame | None,
    cfg: VecheConfig,
    **protocol: Any,
) -> dict[str, Any]:
    from veche.cli.progress import RichProgress
    from veche.eval import EvalDataError
    from veche.eval.classify import evaluate_classify
    from veche.eval.data import label_names as describe_labels

    opts = cfg.eval
    for col in opts.classifier.context_columns:
        for frame in (df, test_df):
            if frame is not None and col not in frame.columns:
                raise EvalDataError(f"no context column {col!r} in the data")
    descriptions = describe_labels(df, test_df) if opts.label_names else None
    # a bar while vectors are made (e5 is slow); the fitting itself is one step
    with RichProgress(console) as progress:
        metrics = evaluate_classify(
            df,
            test=test_df,
            options=opts.classifier,
            descriptions=descriptions,
            encoder=opts.dense,
            progress=progress,
            **protocol,
        )
    return {
        **metrics,
        "context": opts.classifier.context_columns,
        "label_names": opts.label_names,
        "dense": opts.dense,
        "class_weight": opts.classifier.class_weight or "none",
        "nb_weight": opts.classifier.nb_weight,
    }
