"""veche's command line: a thin layer over veche.pipeline and friends."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from veche.config import VecheConfig, load_config

if TYPE_CHECKING:
    from veche.store import Store

app = typer.Typer(
    help="Sort a flood of citizens' questions: intake, masking, duplicates, campaigns, themes, "
    "topics, routing, regions, urgency, shortlists and the picture of the day.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(stderr=False)
# errors are never wrapped: a path or a URL broken over two lines cannot be copied
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML configuration file")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="store: a SQLite file or a URL (default: from config)"),
]


def _config(config: Path | None, **overrides: object) -> VecheConfig:
    from pydantic import ValidationError

    try:
        return load_config(config).with_overrides(**overrides)
    except ValidationError as exc:  # one line per bad setting, without pydantic's links
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"])
            err.print(f"[red]error:[/] {where}: {e['msg'].removeprefix('Value error, ')}")
        raise typer.Exit(2) from None
    except (ValueError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


def _open_store(cfg: VecheConfig, *, must_exist: bool) -> Store:
    """The configured store; ``must_exist`` for commands that only read what is stored (a
    missing store is refused, not created). A store that cannot be opened: message, exit 2."""
    from veche.store import Store
    from veche.store.db import StoreError

    try:
        return Store.open(cfg.store.url, must_exist=must_exist)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


def _friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command so that a user's mistake (a file that cannot be read or written, a bad
    value, an unreachable store) is one line saying what is wrong, never a traceback."""
    from sqlalchemy.exc import OperationalError

    from veche.store.db import StoreError

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            err.print(f"[red]error:[/] cannot use{where}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
        except (StoreError, ValueError) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
        except OperationalError as exc:  # the database refused (locked, gone): no row data
            reason = str(exc.orig or exc).strip().splitlines()[0]
            err.print(f"[red]database error:[/] {reason}")
            raise typer.Exit(1) from None

    return run


def _parse_map(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        std, sep, col = item.partition("=")
        if not sep or not std or not col:
            err.print(f"[red]error:[/] --map takes NAME=COLUMN, got {item!r}")
            raise typer.Exit(2)
        out[std.strip()] = col.strip()
    return out


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="output file: .csv .jsonl .parquet .xlsx")],
    n: Annotated[int, typer.Option("--n", min=1, help="number of questions")] = 20_000,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
) -> None:
    """Generate a realistic demo event, with its ground truth beside it (FILE.truth.parquet)."""
    from veche.demo import generate as gen
    from veche.demo import write_event

    with console.status(f"generating {n:,} questions"):
        event = gen(n=n, seed=seed)
        paths = write_event(event, out)
    console.print(f"wrote {n:,} questions to {paths[0]} (ground truth: {paths[1]})")


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="CSV, JSON Lines, XLSX or Parquet files")],
    db: DbOpt = None,
    channel: Annotated[str | None, typer.Option(help="channel for rows that name none")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="NAME=COLUMN, e.g. text=Вопрос")
    ] = None,
    rejects: Annotated[Path | None, typer.Option(help="where to write rejected rows (CSV)")] = None,
    group: Annotated[bool, typer.Option(help="group duplicates after ingest")] = True,
    workers: Annotated[int | None, typer.Option(help="worker processes")] = None,
    config: ConfigOpt = None,
) -> None:
    """Read question files into the store: validate, mask, annotate; then group duplicates."""
    from veche.cli.progress import RichProgress
    from veche.cli.render import ingest_table
    from veche.pipeline import take_in
    from veche.store.db import describe

    cfg = _config(config, **{"store.url": db, "workers": workers})
    column_map = _parse_map(map_ or [])
    store = _open_store(cfg, must_exist=False)
    console.print(f"store: {describe(store.engine.url.render_as_string(hide_password=False))}")
    with RichProgress(console) as progress:
        intake = take_in(
            files,
            cfg,
            store,
            channel=channel,
            column_map=column_map,
            rejects_out=rejects,
            progress=progress,
            group=group,
        )
    result, grouped = intake.ingested, intake.grouped
    console.print(ingest_table(result))
    if result.rejects_path:
        console.print(f"rejected rows, with file, row and reason: {result.rejects_path}")
    if grouped is not None:
        console.print(
            f"duplicate groups: {grouped.n_dup_groups:,} holding "
            f"{grouped.n_in_dup_groups:,} questions; campaigns: {grouped.n_campaigns}"
        )
    if result.failed_files:
        raise typer.Exit(1)


@app.command()
def dedup(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Group exact and near duplicates across the store and flag campaigns."""
    from veche.cli.progress import RichProgress
    from veche.pipeline import regroup

    cfg = _config(config, **{"store.url": db})
    store = _open_store(cfg, must_exist=True)
    with RichProgress(console) as progress:
        g = regroup(store, cfg, progress)
    console.print(
        f"{g.n_questions:,} questions, {g.n_distinct:,} distinct texts, "
        f"{g.n_dup_groups:,} duplicate groups holding {g.n_in_dup_groups:,}, "
        f"{g.n_campaigns} campaigns ({g.n_in_campaigns:,} questions)"
    )


@app.command()
def stats(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """What the store holds: channels, languages, rejects, duplicates, campaigns."""
    from veche.cli.render import print_summary
    from veche.summary import summarize

    cfg = _config(config, **{"store.url": db})
    summary = summarize(_open_store(cfg, must_exist=True))
    print_summary(console, summary)
    if not summary.n_questions:
        console.print("the store is empty: `veche ingest FILE` reads questions into it")


KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="file holding your operator key, readable by you only (else $VECHE_OPERATOR_KEY)",
    ),
]


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="output file: .csv .jsonl .xlsx .parquet")],
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="include raw text, contacts and extra columns: needs an operator key whose "
            "role is in privacy.raw_roles; logged before the file is written",
        ),
    ] = False,
    key_file: KeyFileOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Export stored questions with what `analyze` found (masked text unless --raw).

    --raw needs an operator key (see `veche operator-key`), from $VECHE_OPERATOR_KEY or
    --key-file; the raw-access log names the key's operator and role."""
    from veche.export import export as run_export
    from veche.privacy.access import RawAccessDenied, read_key
    from veche.taxonomy import TaxonomyError, load_taxonomy

    cfg = _config(config, **{"store.url": db})
    store = _open_store(cfg, must_exist=True)
    try:
        key = read_key(key_file) if raw else None
        taxonomy = load_taxonomy(cfg.taxonomy.path)
        with console.status(f"exporting to {out}"):
            n = run_export(
                store,
                out,
                raw=raw,
                operator_key=key,
                raw_roles=cfg.privacy.raw_roles,
                topic_names={c.id: c.name for c in taxonomy.categories},
            )
    except RawAccessDenied as exc:
        err.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(3) from exc
    except (TaxonomyError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"exported {n:,} questions to {out}" + (" (raw text; logged)" if raw else ""))


@app.command("operator-key")
def operator_key(
    name: Annotated[
        str, typer.Argument(help="the operator's name, as the raw-access log shows it")
    ],
    role: Annotated[str, typer.Option(help="the operator's role, one of privacy.raw_roles")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="write the new key to this new file (mode 600), not stdout"),
    ] = None,
    key_file: KeyFileOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Make an operator key for raw exports; the store keeps only its SHA-256.

    The store's first key needs no key; every later one needs an existing operator's key
    ($VECHE_OPERATOR_KEY or --key-file). The key is shown once: keep it in a file only you can
    read (--out does that) or in $VECHE_OPERATOR_KEY."""
    from veche.privacy.access import RawAccessDenied, add_operator, read_key, write_key_file

    cfg = _config(config, **{"store.url": db})
    store = _open_store(cfg, must_exist=False)
    try:
        by_key = read_key(key_file) if store.count_operators() else None
        key = add_operator(store, name, role, raw_roles=cfg.privacy.raw_roles, by_key=by_key)
    except RawAccessDenied as exc:
        err.print(f"[red]refused:[/] {exc}")
        raise typer.Exit(3) from exc
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if role not in cfg.privacy.raw_roles:
        err.print(f"note: role {role!r} is not in privacy.raw_roles; this key cannot export raw")
    if out is None:
        console.print(key, highlight=False, soft_wrap=True)
        return
    try:
        write_key_file(out, key)
    except OSError as exc:
        err.print(f"[red]error:[/] cannot write {out}: {exc.strerror}; the key is:")
        console.print(key, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    console.print(f"operator {name!r} ({role}): key written to {out} (readable by you only)")


@app.command()
def demo(
    n: Annotated[int, typer.Option("--n", min=100, help="questions to generate")] = 20_000,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    dir_: Annotated[Path, typer.Option("--dir", help="where the demo's files and store go")] = Path(
        "veche-demo"
    ),
    workers: Annotated[int | None, typer.Option(help="worker processes")] = None,
    config: ConfigOpt = None,
) -> None:
    """Generate a demo event, run the whole pipeline on it into DIR, and show what it found."""
    from veche.cli.progress import RichProgress
    from veche.cli.render import ingest_table, print_summary
    from veche.demo.scenario import run_demo

    cfg = _config(
        config,
        **{
            "workers": workers,
            "workdir": str(dir_),
            "store.url": f"sqlite:///{dir_ / 'veche.sqlite'}",
        },
    )
    with RichProgress(console) as progress:
        outcome = run_demo(cfg, n=n, seed=seed, directory=dir_, progress=progress)
    console.print(ingest_table(outcome.result.ingested))
    print_summary(console, outcome.result.summary)
    if outcome.result.analysed is not None:
        console.print(outcome.result.analysed.describe())
    console.print(outcome.scores_text())
    console.print(f"\nstore: {cfg.store.url}   rejects: {outcome.result.ingested.rejects_path}")
    if outcome.report is not None:
        console.print(f"the picture of the day: {outcome.report}")


def main() -> None:  # pragma: no cover
    sys.exit(app())


# the understanding and evaluation commands live in their own modules, on the same app
from veche.cli import evaluate, understand  # noqa: E402,F401

for _info in app.registered_commands:
    _info.callback = _friendly(_info.callback)  # type: ignore[arg-type]
