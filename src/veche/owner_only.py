"""Files and folders that hold personal data, readable by their owner only (0600 / 0700).

The store, its models, raw exports and rejected rows carry raw text and contacts; whatever the
umask, veche creates them for its owner alone. An existing one is tightened when veche (its
owner) writes to it again.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def owner_only_file(path: Path) -> Path:
    """Create ``path`` empty (or tighten it) with mode 0600 before a writer fills it: writers
    that open an existing file keep its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def owner_only_dir(path: Path) -> Path:
    """Create folder ``path`` (and missing parents) with mode 0700, or tighten it."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _tighten(path, DIR_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    st = path.stat()
    if st.st_uid == os.getuid() and st.st_mode & 0o777 != mode:
        path.chmod(mode)
