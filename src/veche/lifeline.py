"""Worker processes die with the process that started them, even one killed with SIGKILL.

Linux's ``PR_SET_PDEATHSIG`` asks the kernel to kill a process when its parent dies; a worker's
parent is the fork server, so a watchdog thread also checks that the ingest process itself is
alive and ends the worker when it is gone (the fork server and the resource tracker then see
their pipes close and exit on their own).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def worker_initializer(parent_pid: int, target: str, *args: object) -> None:
    """Initializer for a pool worker: tie it to ``parent_pid``, then run ``module:function``.

    This module imports only the standard library, so a worker is tied to its parent before
    it spends seconds importing the heavy modules ``target`` needs (and dies with it even if
    the parent is killed during that import).
    """
    die_with_parent(parent_pid)
    module, _, name = target.partition(":")
    getattr(importlib.import_module(module), name)(*args)


def die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except OSError:
            pass  # no libc to ask: the watchdog still works
    threading.Thread(target=_watch, args=(parent_pid,), name="veche-lifeline", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while _alive(parent_pid):
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # no cleanup to do: the parent that would take the results is gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else (pid reused after a long time)
    # a zombie is dead too: it waits only for its own parent to reap it
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True
