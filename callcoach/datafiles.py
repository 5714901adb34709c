"""Reading the TOML data files: the bundled ones in ``callcoach/data`` and users' own.

Errors name the file and, where the TOML parser knows it, the line.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from .errors import ConfigError

_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def parse_toml(text: str, path: str | Path) -> dict:
    """Parse TOML text, raising ConfigError with the file and line on a syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _LINE.search(message)
        line = int(found.group(1)) if found else None
        raise ConfigError(f"invalid TOML: {_LINE.sub('', message).strip()}", path=path, line=line) from None


def load_toml_file(path: str | Path) -> dict:
    """Read a user's TOML file (rule pack, scenario, ...)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such file", path=p) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=p) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=p) from None
    return parse_toml(text, p)


@lru_cache(maxsize=None)
def load_toml_resource(name: str) -> dict:
    """Read a bundled data file from ``callcoach/data`` (cached; treat as read-only)."""
    ref = resources.files("callcoach") / "data" / name
    return parse_toml(ref.read_text(encoding="utf-8"), f"callcoach/data/{name}")


def user_cache_dir() -> Path | None:
    """A cache folder only this user writes: ``$XDG_CACHE_HOME/callcoach`` (default ``~/.cache/callcoach``).

    Falls back to a private ``callcoach-<uid>`` folder in the temporary directory when the home folder
    is not writable. None when neither can be made safely (e.g. the temporary one belongs to someone
    else); callers then keep no cache.
    """
    home_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in (Path(home_cache) / "callcoach", Path(tempfile.gettempdir()) / f"callcoach-{uid or 'user'}"):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            owner_ok = uid is None or folder.stat().st_uid == uid
            if owner_ok and os.access(folder, os.W_OK | os.X_OK):
                return folder
        except OSError:
            continue
    return None


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file or folder."""
    return Path(str(resources.files("callcoach") / "data" / name))
