"""``veche analyze``, ``veche report``, ``veche train``: the understanding half of the CLI."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veche.cli import ConfigOpt, DbOpt, _config, app, console, err


class Format(StrEnum):
    html = "html"
    xlsx = "xlsx"
    json = "json"


@app.command()
def analyze(
    db: DbOpt = None,
    encoder: Annotated[str | None, typer.Option(help="encoder: tfidf, e5, hybrid, ...")] = None,
    rebuild_themes: Annotated[
        bool, typer.Option("--rebuild-themes", help="rediscover themes over everything")
    ] = False,
    retag: Annotated[
        bool,
        typer.Option(
            "--retag",
            help="give questions analysed before the current models' topics and responsible "
            "bodies (after `veche train`)",
        ),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Understand what is not analysed yet: vectors, themes, topics, routes, regions, urgency,
    shortlists. Safe to interrupt and rerun; a rerun only touches new questions."""
    from veche.cli.progress import RichProgress
    from veche.pipeline.analyze import analyze as run_analyze
    from veche.store import Store

    cfg = _config(config, **{"store.url": db, "analysis.encoder": encoder})
    store = Store.open(cfg.store.url)
    try:
        with RichProgress(console) as progress:
            result = run_analyze(store, cfg, progress, rebuild_themes=rebuild_themes, retag=retag)
    except ValueError as exc:  # a bad option or model path: say which, no traceback
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(result.describe())


@app.command()
def report(
    out: Annotated[Path | None, typer.Option("--out", help="output file")] = None,
    day: Annotated[
        str | None, typer.Option(help="the day to report, YYYY-MM-DD (default: the latest)")
    ] = None,
    format_: Annotated[Format, typer.Option("--format", help="html, xlsx or json")] = Format.html,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the picture of the day: themes with counts and growth, top regions, the urgent
    queue, campaigns and the per-theme shortlists."""
    from veche.report import write_report
    from veche.report.build import build_picture
    from veche.store import Store

    cfg = _config(config, **{"store.url": db})
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError as exc:
        err.print(f"[red]error:[/] --day takes YYYY-MM-DD, got {day!r}")
        raise typer.Exit(2) from exc
    store = Store.open(cfg.store.url)
    with console.status("building the picture of the day"):
        picture = build_picture(
            store,
            day=when,
            timezone=cfg.intake.timezone,
            taxonomy_path=cfg.taxonomy.path,
            geo=cfg.geo,
        )
    path = out or Path(f"veche-report-{picture.day or 'all'}.{format_.value}")
    write_report(picture, path, format_.value)
    for note in picture.notes:
        console.print(f"[yellow]note:[/] {note}")
    levels = picture.themes["level"]
    n_urgent, n_groups = picture.urgent_counts
    console.print(
        f"wrote {path}: {picture.n_questions:,} questions, {picture.n_day:,} on {picture.day}, "
        f"themes: {(levels == 'broad').sum()} broad, {(levels == 'fine').sum()} specific, "
        f"{n_urgent:,} urgent questions on {picture.day or 'all days'} "
        f"({n_groups:,} without repeats)"
    )


@app.command()
def train(
    labels: Annotated[
        Path, typer.Option("--labels", help="labelled file (CSV, JSONL, XLSX, Parquet)")
    ],
    text: Annotated[str, typer.Option("--text", help="the text column")] = "text",
    topic: Annotated[
        str | None, typer.Option(help="taxonomy column: topic ids or names, ';' between several")
    ] = "topic",
    route: Annotated[str | None, typer.Option(help="responsible-body column")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Learn the taxonomy (and routing, with --route) from a labelled file or analysts'
    corrections; later `veche analyze` runs use them instead of zero-shot."""
    from veche.pipeline.train import train_from_file

    cfg = _config(config, **{"store.url": db})
    try:
        with console.status(f"training on {labels}"):
            trained = train_from_file(cfg, labels, text_col=text, topic_col=topic, route_col=route)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    for line in trained:
        console.print(line)
    console.print(
        "new questions get these from the next `veche analyze`; "
        "`veche analyze --retag` gives them to the questions analysed before too"
    )
