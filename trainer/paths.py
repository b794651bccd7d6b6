"""Where NextStep keeps the user's things: the platform's standard directories.

- data (transcripts of practice runs, the results database, input history):
  ``platformdirs.user_data_dir("nextstep")``, or ``$NEXTSTEP_HOME/data``;
- cache (compiled patterns, rebuilt when missing): ``platformdirs.user_cache_dir("nextstep")``,
  or ``$NEXTSTEP_HOME/cache``;
- config (``config.json``: the trainee's name, extra scenario folders):
  ``platformdirs.user_config_dir("nextstep")``, or ``$NEXTSTEP_HOME/config``;
- the user's own scenarios: ``<data>/scenarios``, plus ``$NEXTSTEP_SCENARIOS`` (a folder, or
  several joined by the path separator) and the config's ``scenarios`` list.

``NEXTSTEP_HOME`` moves everything under one folder (handy for tests, classrooms and USB
sticks).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

APP = "nextstep"


def _user_dir(kind: str) -> Path:
    """``$NEXTSTEP_HOME/<kind>``, or the platform's standard folder of that kind."""
    home = os.environ.get("NEXTSTEP_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def data_dir() -> Path:
    return _user_dir("data")


def config_dir() -> Path:
    return _user_dir("config")


def cache_dir() -> Path:
    """Things NextStep can rebuild (compiled patterns)."""
    return _user_dir("cache")


def transcripts_dir() -> Path:
    return data_dir() / "transcripts"


def history_file() -> Path:
    return data_dir() / "input-history"


def user_scenario_dirs() -> list[Path]:
    """Folders searched for the user's own scenarios, in order."""
    dirs = [data_dir() / "scenarios"]
    extra = os.environ.get("NEXTSTEP_SCENARIOS")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    dirs += [Path(p) for p in load_config().get("scenarios", []) if isinstance(p, str)]
    return dirs


#: The type each setting of the user's config must have; a value of another type (a file
#: edited by hand) is ignored, as a missing one is.
CONFIG_TYPES: dict[str, type] = {"name": str, "scenarios": list}


def load_config() -> dict[str, Any]:
    """The user's config, or ``{}`` when there is none or it cannot be read."""
    path = config_dir() / "config.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, CONFIG_TYPES.get(k, object))}


def save_config(updates: dict[str, Any]) -> Path:
    """Merge ``updates`` into the user's config and write it atomically."""
    config = load_config()
    config.update(updates)
    path = config_dir() / "config.json"
    write_atomic(path, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    return path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) so that a crash leaves either the old file or the
    new one, never half, and a failed write leaves no temporary file behind. A symbolic link
    keeps pointing where it did (its target is written); a FIFO or a device, which a rename
    would replace, is written to directly."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as f:
            f.write(data)
        return
    for folder in (path.parent, *path.parent.parents):  # "File exists" would say nothing
        if folder.exists():
            if not folder.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "a file stands where a folder should be",
                                         str(folder))
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as error:  # named by the file asked for, not by the temporary one
        raise type(error)(error.errno, error.strerror, str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)
