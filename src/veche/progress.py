"""Progress reporting without a UI: stages call a :class:`Progress`; the CLI draws it with rich."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class Task(Protocol):
    def advance(self, n: int = 1) -> None: ...
    def set_total(self, total: int | None) -> None: ...


class Progress(Protocol):
    def task(self, name: str, total: int | None = None) -> AbstractContextManager[Task]: ...
    def log(self, message: str) -> None: ...


class _NullTask:
    def advance(self, n: int = 1) -> None:
        pass

    def set_total(self, total: int | None) -> None:
        pass

    def __enter__(self) -> _NullTask:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class NullProgress:
    """Reports nothing: the default for library use and tests."""

    def task(self, name: str, total: int | None = None) -> _NullTask:
        return _NullTask()

    def log(self, message: str) -> None:
        pass
