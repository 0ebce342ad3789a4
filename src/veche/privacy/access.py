"""Who may see raw data from the command line, until the web app has accounts.

An operator holds a random key made by ``veche operator-key NAME --role ROLE``; the store keeps its
name, its role and the SHA-256 of the key (a 256-bit random key needs no slow hash), never the key.
A raw export presents the key from the environment (:data:`KEY_ENV`) or from a file only its owner
can read (``--key-file``); the raw-access log then names the key's operator and role, not a
self-declared role or ``$LOGNAME``. The first key of a store is made by whoever can open it; every
later key needs an existing operator's key with a role allowed raw access.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from veche.store import Store

KEY_ENV = "VECHE_OPERATOR_KEY"


class RawAccessDenied(PermissionError):
    pass


@dataclass(frozen=True)
class Operator:
    name: str
    role: str


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


def read_key(key_file: Path | None, env: Mapping[str, str] | None = None) -> str:
    """The operator key from ``key_file`` (owner-only) or else from the environment."""
    if key_file is not None:
        try:
            st = key_file.stat()
        except OSError as exc:
            raise RawAccessDenied(f"cannot read the key file {key_file}: {exc.strerror}") from exc
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) or st.st_uid != os.getuid():
            raise RawAccessDenied(
                f"the key file {key_file} must belong to you and be readable by you only "
                f"(chmod 600 {key_file})"
            )
        key = key_file.read_text(encoding="utf-8").strip()
    else:
        key = (os.environ if env is None else env).get(KEY_ENV, "").strip()
    if not key:
        raise RawAccessDenied(
            f"raw access needs an operator key: set {KEY_ENV} or pass --key-file "
            "(an operator makes one with `veche operator-key`)"
        )
    return key


def authenticate(store: Store, key: str, raw_roles: list[str]) -> Operator:
    """The operator holding ``key``, if the key is known and its role may see raw data."""
    found = store.find_operator(key_hash(key))
    if found is None:
        raise RawAccessDenied("unknown operator key for this store")
    op = Operator(*found)
    if op.role not in raw_roles:
        raise RawAccessDenied(
            f"operator {op.name!r} has role {op.role!r}, which may not see raw data "
            f"(allowed: {', '.join(raw_roles) or 'none'})"
        )
    return op


def add_operator(
    store: Store, name: str, role: str, *, raw_roles: list[str], by_key: str | None
) -> str:
    """Register a new operator and return their key (shown once, stored only as a hash).
    A store's first operator needs no key; later ones need ``by_key`` of an allowed operator."""
    if not name.strip() or not role.strip():
        raise ValueError("an operator needs a name and a role")
    actor = "first operator of this store"
    if store.count_operators():
        if not by_key:
            raise RawAccessDenied(
                f"this store has operators: adding one needs an existing operator's key "
                f"({KEY_ENV} or --key-file)"
            )
        actor = authenticate(store, by_key, raw_roles).name
    key = new_key()
    store.add_operator(name.strip(), role.strip(), key_hash(key))
    store.log_raw_access(
        actor=actor, role=role, action="operator-key", detail=f"added {name!r}", n_rows=0
    )
    return key


def write_key_file(path: Path, key: str) -> None:
    """Write ``key`` to a new file only its owner can read (never over an existing file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
