"""``veche analyze``, ``veche report``, ``veche train``: the understanding half of the CLI."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from veche.store import Store

from veche.cli import ConfigOpt, DbOpt, _config, _open_store, app, console, err


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
    from veche.pipeline import understand

    cfg = _config(config, **{"store.url": db, "analysis.encoder": encoder})
    store = _open_store(cfg, must_exist=True)
    try:
        with RichProgress(console) as progress:
            result = understand(store, cfg, progress, rebuild_themes=rebuild_themes, retag=retag)
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

    cfg = _config(config, **{"store.url": db})
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError as exc:
        err.print(f"[red]error:[/] --day takes YYYY-MM-DD, got {day!r}")
        raise typer.Exit(2) from exc
    store = _open_store(cfg, must_exist=True)
    with console.status("building the picture of the day"):
        picture = build_picture(
            store,
            day=when,
            timezone=cfg.intake.timezone,
            taxonomy_path=cfg.taxonomy.path,
            geo=cfg.geo,
        )
    for note in picture.notes:
        console.print(f"[yellow]note:[/] {note}")
    if when is not None and not picture.n_day:
        err.print(
            f"[red]no analysed questions on {when}[/] ({_dated_span(store, cfg.intake.timezone)}); "
            "no report written: choose another --day, or leave it out for the latest"
        )
        raise typer.Exit(2)
    path = out or Path(f"veche-report-{picture.day or 'all'}.{format_.value}")
    write_report(picture, path, format_.value)
    levels = picture.themes["level"]
    on_day = (
        f"{picture.n_day:,} on {picture.day}"
        if picture.day
        else "none dated: the report covers all"
    )
    n_urgent, n_groups = picture.urgent_counts
    console.print(
        f"wrote {path}: {picture.n_questions:,} questions, {on_day}, "
        f"themes: {(levels == 'broad').sum()} broad, {(levels == 'fine').sum()} specific, "
        f"{n_urgent:,} urgent questions on {picture.day or 'all days'} "
        f"({n_groups:,} without repeats)"
    )


def _dated_span(store: Store, timezone: str) -> str:
    """Which days the stored questions fall on, in the event's time zone, for a message."""
    import pandas as pd
    from sqlalchemy import func, select

    from veche.store.schema import Question

    with store.engine.connect() as conn:
        first, last = conn.execute(
            select(func.min(Question.created_at), func.max(Question.created_at))
        ).one()
    if first is None:
        return "no stored question has a date"
    stamps = [pd.Timestamp(t) for t in (first, last)]  # SQLite gives them naive, in UTC
    days = [(t if t.tzinfo else t.tz_localize("UTC")).tz_convert(timezone).date() for t in stamps]
    return f"questions are dated {days[0]} to {days[1]}"


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
