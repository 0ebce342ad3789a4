"""rich progress bars behind veche.progress.Progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class _Task:
    def __init__(self, bar: Progress, task: TaskID):
        self.bar, self.id = bar, task

    def advance(self, n: int = 1) -> None:
        self.bar.advance(self.id, n)

    def set_total(self, total: int | None) -> None:
        self.bar.update(self.id, total=total)


class RichProgress:
    def __init__(self, console: Console):
        self.console = console
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    @contextmanager
    def task(self, name: str, total: int | None = None) -> Iterator[_Task]:
        tid = self.bar.add_task(name, total=total)
        try:
            yield _Task(self.bar, tid)
        finally:
            t = self.bar.tasks[tid]
            # an estimate (line count) may overshoot: show the bar as complete
            self.bar.update(
                tid,
                total=t.completed if t.total is None or t.completed else t.total,
                completed=t.completed if t.completed else t.total or 0,
            )

    def log(self, message: str) -> None:
        self.console.print(message)
