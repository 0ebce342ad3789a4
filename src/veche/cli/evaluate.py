"""``veche eval``: score veche on a labelled file (themes against labels, or a classifier)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veche.cli import app, console, err


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
        bool,
        typer.Option(
            "--label-names",
            help="classify: each label's name joins the training rows as a description of "
            "its class (the label set is the taxonomy, known in advance)",
        ),
    ] = False,
    dense: Annotated[
        str | None,
        typer.Option(
            "--dense",
            help="classify: add this encoder's vectors (e.g. e5) beside the n-grams; "
            "e5 embeds ~20 texts/s on 2 cores",
        ),
    ] = None,
    class_weight: Annotated[
        ClassWeight,
        typer.Option(
            "--class-weight",
            help="classify: weight rows by class frequency: none, sqrt (inverse square root: "
            "rare classes heard more) or balanced (inverse frequency)",
        ),
    ] = ClassWeight.none,
    balanced: Annotated[
        bool, typer.Option("--balanced", help="classify: the same as --class-weight balanced")
    ] = False,
    nb_weight: Annotated[
        float,
        typer.Option(
            "--nb-weight",
            min=0.0,
            max=0.99,
            help="classify: mix this share of Complement Naive Bayes into the SVM's scores "
            "(0: the SVM alone)",
        ),
    ] = 0.0,
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
    encoder: Annotated[str, typer.Option(help="encoder for cluster and zero-shot modes")] = "tfidf",
    k: Annotated[
        int | None, typer.Option(help="themes to find (default: number of labels)")
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the metrics as one JSON object on the last line")
    ] = False,
) -> None:
    """Score veche on a labelled file: NMI/ARI of themes (cluster), accuracy/macro-F1 of a
    classifier (classify) or of a taxonomy with no training (zero-shot)."""
    from veche.eval import EvalDataError, load_labelled
    from veche.taxonomy import TaxonomyError

    try:
        with console.status(f"reading and preparing {data}"):
            df = load_labelled(data, text, label)
            test_df = load_labelled(test, text, label) if test is not None else None
        if mode is Mode.cluster:
            from veche.eval.cluster import evaluate_cluster

            with console.status(f"finding themes in {len(df):,} texts ({encoder})"):
                metrics = evaluate_cluster(df, distinct=distinct, encoder=encoder, k=k, seed=seed)
        elif mode is Mode.zero_shot:
            from veche.eval.zeroshot import evaluate_zero_shot
            from veche.taxonomy import TaxonomyOptions, load_taxonomy

            if taxonomy is not None and examples is not None:
                raise EvalDataError(
                    "--examples builds a taxonomy from the labels: not with --taxonomy"
                )
            tax = load_taxonomy(taxonomy) if taxonomy is not None else None
            topt = TaxonomyOptions()
            if second_opinion_below is not None:
                topt = TaxonomyOptions(second_opinion_below=second_opinion_below)
            with console.status(f"assigning topics to {len(df):,} texts ({encoder})"):
                metrics = evaluate_zero_shot(
                    df,
                    taxonomy=tax,
                    examples_col=examples,
                    encoder=encoder,
                    distinct=distinct,
                    options=topt,
                )
                metrics["second_opinion_below"] = topt.second_opinion_below
        else:
            from veche.classify import ClassifierOptions
            from veche.eval.classify import evaluate_classify
            from veche.eval.data import label_names as describe_labels

            for col in context or []:
                for frame in (df, test_df):
                    if frame is not None and col not in frame.columns:
                        raise EvalDataError(f"no context column {col!r} in the data")
            if balanced:
                class_weight = ClassWeight.balanced
            options = ClassifierOptions(
                context_columns=list(context or []),
                class_weight=None if class_weight is ClassWeight.none else class_weight.value,
                nb_weight=nb_weight,
            )
            descriptions = describe_labels(df, test_df) if label_names else None
            from veche.cli.progress import RichProgress

            # a bar while vectors are made (e5 is slow); the fitting itself is one step
            with RichProgress(console) as progress:
                metrics = evaluate_classify(
                    df,
                    test=test_df,
                    train_frac=train_frac,
                    split_col=split_col,
                    split_at=split_at,
                    folds=folds,
                    seed=seed,
                    score_rare=score_rare,
                    options=options,
                    descriptions=descriptions,
                    encoder=dense,
                    progress=progress,
                )
    except (EvalDataError, TaxonomyError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    metrics = {"data": str(data), "text": text, "label": label, "mode": mode.value, **metrics}
    if mode is Mode.classify:
        metrics.update(
            context=list(context or []),
            label_names=label_names,
            dense=dense,
            class_weight=class_weight.value,
            nb_weight=nb_weight,
        )
    for key, value in metrics.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        console.print(f"{key:>14}  {shown}")
    if as_json:
        print(json.dumps(metrics, ensure_ascii=False, default=str))
