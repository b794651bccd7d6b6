"""Where the results database is, and fingerprints of what was practised.

Nothing here imports SQLAlchemy: the command line asks for the database's location (and the
help text shows it) without paying for the database library.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.scenario import Scenario

ENV_VAR = "NEXTSTEP_DB"
FILE_NAME = "nextstep.db"

# Short scheme names people type, and the driver NextStep ships for each (psycopg 3).
_SCHEMES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "sqlite": "sqlite",
}


def default_db_url() -> str:
    """The database to use when none is given: ``$NEXTSTEP_DB``, else ``nextstep.db`` in the
    user's data folder (``$NEXTSTEP_HOME/data`` when that is set)."""
    from trainer.paths import data_dir

    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return resolve_url(value)
    return resolve_url(data_dir() / FILE_NAME)


def resolve_url(url: str | os.PathLike[str] | None) -> str:
    """A database URL from what a user gave: ``None`` (the default), a file path, or a URL.

    A path becomes ``sqlite:///<absolute path>``; ``postgres://`` and ``postgresql://`` use the
    psycopg 3 driver NextStep installs with its ``postgres`` extra.
    """
    if url is None:
        return default_db_url()
    text = os.fspath(url).strip()
    if not text:  # an unset shell variable ("--db $DB"), not "this folder"
        from trainer.errors import UsageError

        raise UsageError("--db is empty: give a database file or URL, or leave --db out for "
                         "the default")
    if "://" not in text:
        return "sqlite:///" + Path(text).expanduser().resolve().as_posix()
    scheme, rest = text.split("://", 1)
    return f"{_SCHEMES.get(scheme.lower(), scheme)}://{rest}"


def content_hash(data: str | bytes) -> str:
    """A fingerprint of a file's content (``sha256:<hex>``): runs of a scenario that changed
    since can be told apart from runs of the version practised today."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def scenario_hash(scenario: Scenario) -> str | None:
    """The content hash of the file a scenario was loaded from, or ``None`` if it has none."""
    if not scenario.source:
        return None
    try:
        return content_hash(Path(scenario.source).read_bytes())
    except OSError:
        return None
