"""Tables for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from veche.pipeline import IngestResult
from veche.summary import Summary


def ingest_table(result: IngestResult) -> Table:
    t = Table(title=f"Ingest run {result.run_id}", title_justify="left")
    for col in ("file", "read", "stored", "already stored", "rejected"):
        t.add_column(col, justify="left" if col == "file" else "right")
    for f in result.files:
        if f.error:
            t.add_row(f.path, "[red]" + f.error, "", "", "")
        else:
            t.add_row(
                f.path, f"{f.n_read:,}", f"{f.n_stored:,}", f"{f.n_already:,}", f"{f.n_rejected:,}"
            )
    return t


def print_summary(console: Console, s: Summary, *, width: int = 110) -> None:
    console.print(
        f"\n[bold]{s.n_questions:,} questions stored[/]; personal data masked in "
        f"{s.pii_share:.1%} of them"
    )
    t = Table(title="By channel", title_justify="left")
    t.add_column("channel")
    t.add_column("questions", justify="right")
    t.add_column("share", justify="right")
    for ch, n in s.by_channel.items():
        t.add_row(str(ch), f"{n:,}", f"{n / max(s.n_questions, 1):.1%}")
    console.print(t)
    console.print("Languages: " + ", ".join(f"{k} {v:,}" for k, v in s.by_lang.items()))
    if s.n_rejects:
        t = Table(title=f"Rejected rows: {s.n_rejects:,}", title_justify="left")
        t.add_column("reason")
        t.add_column("rows", justify="right")
        for reason, n in s.rejects_by_reason.items():
            t.add_row(str(reason), f"{n:,}")
        console.print(t)
    console.print(
        f"Duplicate groups: [bold]{s.n_dup_groups:,}[/] holding {s.n_in_dup_groups:,} questions"
    )
    if len(s.campaigns):
        t = Table(title=f"Probable campaigns: {len(s.campaigns)}", title_justify="left")
        t.add_column("group", justify="right")
        t.add_column("why")
        t.add_column("sample (masked)")
        for r in s.campaigns.itertuples():
            t.add_row(str(r.id), r.reason, _short(r.sample, width // 2))
        console.print(t)
    t = Table(title="Most asked (duplicate groups, masked)", title_justify="left")
    t.add_column("group", justify="right")
    t.add_column("asked", justify="right")
    t.add_column("senders", justify="right")
    t.add_column("regions", justify="right")
    t.add_column("sample")
    for r in s.top_groups.itertuples():
        t.add_row(
            str(r.id),
            f"{r.size:,}",
            f"{r.n_senders:,}",
            f"{r.n_regions:,}",
            _short(r.sample, width // 2),
        )
    console.print(t)


def _short(text: object, n: int) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"
